#!/bin/bash
# The emulated interface as the kernel sees it: the quad model plugged in
# over USB/IP enumerates with the descriptors it should have, snd-usb-audio
# makes a card of it, and a recording holds exactly the sine the model
# generates (-12 dBFS at 0 dB gain) without an xrun. Then the control-only
# remote model, device-side unplug, and a replug that is a power cycle.
#
#   emulator-smoke.sh [SECONDS]    record SECONDS (default 2)
set -u
. /tests/lib.sh

secs=${1:-2}

# sysfs_is DESC FILE EXPECTED
sysfs_is() {
	check_eq "$1" "$3" "$(cat "$2" 2>/dev/null || echo missing)"
}

no_card() {
	! emu_card "$1"
}

# The interface directory of interface number $2 of USB device dir $1.
intf_dir() {
	local d
	for d in "$1":1.*; do
		[ "$(cat "$d/bInterfaceNumber" 2>/dev/null)" = "$(printf '%02x' "$2")" ] &&
			{ echo "$d"; return 0; }
	done
	return 1
}

# analyze FILE CHANNELS: one pass over a raw S16_LE recording (busybox awk
# under emulation is slow). Prints, per channel, "PEAK_DBFS DISCONT" where
# DISCONT counts samples that differ from the one 48 samples (one period of
# a 1 kHz sine) earlier. busybox awk has no log(): ln is computed from its
# atanh series after scaling into [0.5, 1].
analyze() {
	od -An -v -td2 -w$(($2 * 2)) "$1" | awk -v nch="$2" '
		function ln(x,   k, y, y2, t, n, s) {
			k = 0
			while (x < 0.5) { x *= 2; k++ }
			y = (x - 1) / (x + 1); y2 = y * y; t = y; s = 0
			for (n = 1; n < 60; n += 2) { s += t / n; t *= y2 }
			return 2 * s - k * 0.6931471805599453
		}
		{
			slot = NR % 48
			for (c = 1; c <= nch; c++) {
				v = $c < 0 ? -$c : $c
				if (v > m[c]) m[c] = v
				k = c SUBSEP slot
				if (NR > 48 && (p[k] - $c > 1 || $c - p[k] > 1)) bad[c]++
				p[k] = $c
			}
		}
		END {
			for (c = 1; c <= nch; c++) {
				if (m[c] == 0) printf "-inf"
				else printf "%.2f", 20 * ln(m[c] / 32767) / 2.302585092994046
				printf " %d\n", bad[c]
			}
		}'
}

check "usbip and sound modules load" load_modules usbip-core vhci-hcd snd-usb-audio || finish
check "the quad emulator starts" emu_start quad quad --serial EMU-SMOKE-1 || finish
check "the quad interface plugs in" emu_plug quad || finish

usb=$(emu_usb quad)
sysfs_is "idVendor" "$usb/idVendor" 1d6b
sysfs_is "idProduct" "$usb/idProduct" 0104
sysfs_is "device class: miscellaneous (IAD)" "$usb/bDeviceClass" ef
sysfs_is "product string" "$usb/product" "Preamp Quad"
sysfs_is "serial from --serial" "$usb/serial" EMU-SMOKE-1
sysfs_is "high speed" "$usb/speed" 480
sysfs_is "three interfaces" "$usb/bNumInterfaces" " 3"
sysfs_is "configured" "$usb/bConfigurationValue" 1

ac=$(intf_dir "$usb" 0) && as=$(intf_dir "$usb" 1) && pc=$(intf_dir "$usb" 2)
check "interfaces 0, 1, 2 exist" test -n "${pc:-}" || finish
sysfs_is "interface 0: audio control" "$ac/bInterfaceSubClass" 01
sysfs_is "interface 1: audio streaming" "$as/bInterfaceSubClass" 02
sysfs_is "interface 2: class ff" "$pc/bInterfaceClass" ff
sysfs_is "interface 2: subclass 50" "$pc/bInterfaceSubClass" 50
sysfs_is "interface 2: protocol 01" "$pc/bInterfaceProtocol" 01
sysfs_is "interface 2: string" "$pc/interface" "Preamp Control"
sysfs_is "interface 2: one endpoint (notify)" "$pc/bNumEndpoints" 01
sysfs_is "notify endpoint is interrupt IN" "$pc/ep_82/type" Interrupt
sysfs_is "notify endpoint: 8 bytes" "$pc/ep_82/wMaxPacketSize" 0008
sysfs_is "notify endpoint: every 1 ms" "$pc/ep_82/interval" 1ms

if wait_until 20 emu_card quad; then
	card=$(emu_card quad)
	ok "snd-usb-audio made card $card of it"
else
	fail "snd-usb-audio made a card of it" "$(cat /proc/asound/cards)"
	finish
fi
check "its capture stream is 4 channels at 48 kHz" \
	grep -q "Channels: 4" "/proc/asound/card$card/stream0"

# Input 3: a -12 dBFS sine at 0 dB gain must record at -12.00 dBFS.
check "source 3 is a -12 dBFS sine" emu quad source 3 sine -12
check "input 3 at 0 dB" emu quad knob 3 gain 0
check_eq "the model expects -12 dBFS" -12 "$(emu quad get in3.expected_peak_dbfs)"
emu quad reset-counters >/dev/null

rm -f /tmp/rec.raw
arecord -D "hw:$card,0" -c 4 -r 48000 -f S16_LE -t raw -d "$secs" /tmp/rec.raw \
	>/tmp/arecord.log 2>&1
check_eq "arecord exits 0" 0 "$?"
check_eq "$secs s of 4 channels is $((secs * 384000)) bytes" $((secs * 384000)) \
	"$(stat -c %s /tmp/rec.raw 2>/dev/null || echo none)"
if grep -qi "overrun\|xrun\|error" /tmp/arecord.log; then
	fail "no xrun while recording" "$(cat /tmp/arecord.log)"
else
	ok "no xrun while recording"
fi
analyze /tmp/rec.raw 4 >/tmp/rec.txt
check_eq "input 3 records at -12.00 dBFS" -12.00 "$(sed -n '3s/ .*//p' /tmp/rec.txt)"
check_eq "the sine has no gap or repeat" 0 "$(sed -n '3s/.* //p' /tmp/rec.txt)"
check_eq "input 1 (speech at -45 dBFS) stays below -44 dBFS" 1 \
	"$(sed -n '1s/ .*//p' /tmp/rec.txt | awk '{ print ($1 < -44) }')"
urbs=$(emu quad counters | sed -n 's/^iso.urbs=//p')
check "the emulator completed iso URBs ($urbs)" test "${urbs:-0}" -gt 200
echo "# $(emu quad counters | grep -E '^(iso|std|notify|connections)' | tr '\n' ' ')"

# Unplugging from the device side removes the card; a replug is a power
# cycle that brings the model's defaults back.
conns=$(emu quad counters | sed -n 's/^connections=//p')
check "knob 3 gain 20" emu quad knob 3 gain 20
check "device-side unplug" emu quad unplug
check "the card goes away" wait_until 20 test ! -e "/proc/asound/card$card"
check_eq "unplugged device is unpowered" 0 "$(emu quad get device.powered)"
check "the quad interface plugs in again" emu_plug quad
check_eq "replugged device is powered" 1 "$(emu quad get device.powered)"
check_eq "the power cycle restored gain 0" 0 "$(emu quad get in3.gain_db)"
check_eq "the replug counted as a connection" $((conns + 1)) \
	"$(emu quad counters | sed -n 's/^connections=//p')"
check "a card again" wait_until 20 emu_card quad
check "host-side unplug" emu_unplug quad
emu_stop quad

# The remote model: Preamp Control alone, no audio, no interrupt endpoint.
check "the remote emulator starts" emu_start remote remote || finish
check "the remote interface plugs in" emu_plug remote || finish
usb=$(emu_usb remote)
sysfs_is "remote: device class 0" "$usb/bDeviceClass" 00
sysfs_is "remote: one interface" "$usb/bNumInterfaces" " 1"
pc=$(intf_dir "$usb" 0)
sysfs_is "remote: interface 0 is ff/50/01" "$pc/bInterfaceSubClass" 50
sysfs_is "remote: interface string" "$pc/interface" "Preamp Control"
sysfs_is "remote: no endpoint" "$pc/bNumEndpoints" 00
check "remote: no sound card" no_card remote
check "remote unplugs" emu_unplug remote
emu_stop remote

# A console scan for kernel trouble (the harness scans too).
if dmesg | grep -E "Oops|BUG:|WARNING:|Call Trace|general protection" >/dev/null; then
	fail "no kernel warning" "$(dmesg | grep -E -A5 'Oops|BUG:|WARNING:|Call Trace' | head -40)"
else
	ok "no kernel warning"
fi
finish
