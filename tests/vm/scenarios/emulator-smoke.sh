#!/bin/bash
# The emulated interface as the kernel sees it: the quad model plugged in
# over USB/IP enumerates with the descriptors it should have, snd-usb-audio
# makes a card of it, and a recording holds exactly the sine the model
# generates (-12 dBFS at 0 dB gain) without an xrun. Then the control-only
# remote model, device-side unplug, and a replug that is a power cycle.
#
#   emulator-smoke.sh [SECONDS [WIDE]]
#
# records SECONDS (default 2); with WIDE (11..32), also records from a
# generated model of WIDE inputs, whose packets need a high-bandwidth
# isochronous endpoint (more than 1024 bytes a microframe).
set -u
. /tests/lib.sh

secs=${1:-2}
wide=${2:-}

# sysfs_is DESC FILE EXPECTED
sysfs_is() {
	check_eq "$1" "$3" "$(cat "$2" 2>/dev/null || echo missing)"
}

# cpu_ticks PID: user + system clock ticks (1/100 s) the process has used.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# idle_cpu NAME SECONDS: the emulator's CPU use (percent of one CPU) while
# it sits plugged in and nobody records.
idle_cpu() {
	local pid t0 c0
	pid=$(cat "/run/emu-$1.pid")
	t0=$(_uptime_cs)
	c0=$(cpu_ticks "$pid")
	sleep "$2"
	echo $(( ($(cpu_ticks "$pid") - c0) * 100 / ($(_uptime_cs) - t0) ))
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

# periodic FILE BYTES: the file repeats itself every BYTES bytes (a 1 kHz
# sine at 48 kHz repeats every 48 frames). Checked with dd and cmp: busybox
# awk over a whole recording is far too slow under emulation.
periodic() {
	local size n
	size=$(stat -c %s "$1")
	n=$((size / $2))
	dd if="$1" of=/tmp/period.a bs="$2" skip=1 2>/dev/null &&
		dd if="$1" of=/tmp/period.b bs="$2" count=$((n - 1)) 2>/dev/null &&
		cmp /tmp/period.a /tmp/period.b
}

# peaks FILE CHANNELS FRAMES: the peak of each channel over the first
# FRAMES frames of a raw S16_LE recording, in dBFS with two decimals, one
# line each. (busybox awk has no log(): ln is computed from its atanh
# series after scaling into [0.5, 1].)
peaks() {
	head -c $(($2 * 2 * $3)) "$1" | od -An -v -td2 -w$(($2 * 2)) | awk -v nch="$2" '
		function ln(x,   k, y, y2, t, n, s) {
			k = 0
			while (x < 0.5) { x *= 2; k++ }
			y = (x - 1) / (x + 1); y2 = y * y; t = y; s = 0
			for (n = 1; n < 60; n += 2) { s += t / n; t *= y2 }
			return 2 * s - k * 0.6931471805599453
		}
		{
			for (c = 1; c <= nch; c++) {
				v = $c + 0
				if (v > hi[c]) hi[c] = v
				if (-v > hi[c]) hi[c] = -v
			}
		}
		END {
			for (c = 1; c <= nch; c++)
				if (hi[c] == 0) print "-inf"
				else printf "%.2f\n", 20 * ln(hi[c] / 32767) / 2.302585092994046
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

echo "# quad emulator, plugged in, idle: $(idle_cpu quad 3)% CPU"

# Input 3: a -12 dBFS sine at 0 dB gain must record at -12.00 dBFS; input 2
# a -40 dBFS sine, inputs 1 and 4 silence. Every channel then repeats every
# 48 frames, so the whole recording must too.
check "source 1 is silence" emu quad source 1 silence 0
check "source 2 is a -40 dBFS sine" emu quad source 2 sine -40
check "source 3 is a -12 dBFS sine" emu quad source 3 sine -12
check "source 4 is silence" emu quad source 4 silence 0
check "input 3 at 0 dB" emu quad knob 3 gain 0
check_eq "the model expects -12 dBFS" -12 "$(emu quad get in3.expected_peak_dbfs)"
emu quad reset-counters >/dev/null

rm -f /tmp/rec.raw
t0=$(_uptime_cs)
c0=$(cpu_ticks "$(cat /run/emu-quad.pid)")
arecord -D "hw:$card,0" -c 4 -r 48000 -f S16_LE -t raw -d "$secs" /tmp/rec.raw \
	>/tmp/arecord.log 2>&1
check_eq "arecord exits 0" 0 "$?"
echo "# recording $secs s took $(( ($(_uptime_cs) - t0) / 100 )) s, the emulator used $(( ($(cpu_ticks "$(cat /run/emu-quad.pid)") - c0) * 100 / ($(_uptime_cs) - t0) ))% CPU"
check_eq "$secs s of 4 channels is $((secs * 384000)) bytes" $((secs * 384000)) \
	"$(stat -c %s /tmp/rec.raw 2>/dev/null || echo none)"
if grep -qi "overrun\|xrun\|error" /tmp/arecord.log; then
	fail "no xrun while recording" "$(cat /tmp/arecord.log)"
else
	ok "no xrun while recording"
fi
# (-40 dBFS is a peak of 327.67, which 16 bits round to 328: -39.99 dBFS)
check_eq "peaks of inputs 1..4 (dBFS)" "-inf -39.99 -12.00 -inf" \
	"$(peaks /tmp/rec.raw 4 48 | tr '\n' ' ' | sed 's/ $//')"
check "the recording repeats every 48 frames (no partial packet)" \
	periodic /tmp/rec.raw 384
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

# A model of $1 inputs: the last one a -12 dBFS sine, the others silent
# (rendering many sines is slow under emulation).
wide_model() {
	local i src
	printf '[device]\nname = Preamp Wide\nserial = PW-1\nflags = meters\naudio = yes\n'
	for i in $(seq 1 "$1"); do
		src=silence
		[ "$i" = "$1" ] && src=sine
		printf '[input %d]\ncaps = gain meter\ngain_min = 0\ngain_max = 40\ngain_step = 1\nsource = %s\nlevel = -12\n' "$i" "$src"
	done
}

if [ -n "$wide" ]; then
	wide_model "$wide" >/tmp/wide.ini
	check "the $wide-input emulator starts" emu_start wide /tmp/wide.ini || finish
	check "the $wide-input interface plugs in" emu_plug wide || finish
	t0=$(_uptime_cs)
	if wait_until 60 emu_card wide; then
		echo "# the card came $(( ($(_uptime_cs) - t0) / 100 )) s after the plug"
		card=$(emu_card wide)
		rm -f /tmp/wide.raw
		if arecord -D "hw:$card,0" -c "$wide" -r 48000 -f S16_LE -t raw -d 1 \
			/tmp/wide.raw >/tmp/arecord.log 2>&1; then
			ok "arecord of $wide channels"
		else
			fail "arecord of $wide channels" "$(cat /tmp/arecord.log)" \
				"$(cat /proc/asound/card$card/stream0)" \
				"$(tail -n 20 /tmp/emu-wide.log)"
		fi
		check_eq "1 s of $wide channels" $((wide * 96000)) \
			"$(stat -c %s /tmp/wide.raw 2>/dev/null || echo none)"
		check_eq "the last channel peaks at -12.00 dBFS" -12.00 \
			"$(peaks /tmp/wide.raw "$wide" 48 | tail -n 1)"
		check "the wide recording repeats every 48 frames" \
			periodic /tmp/wide.raw $((wide * 96))
	else
		fail "snd-usb-audio made a card of the $wide-input model" \
			"$(cat /proc/asound/cards)" "$(dmesg | tail -n 20)"
	fi
	emu_stop wide
fi

# A console scan for kernel trouble (the harness scans too).
if dmesg | grep -E "Oops|BUG:|WARNING:|Call Trace|general protection" >/dev/null; then
	fail "no kernel warning" "$(dmesg | grep -E -A5 'Oops|BUG:|WARNING:|Call Trace' | head -40)"
else
	ok "no kernel warning"
fi
finish
