#!/bin/bash
# Smoke test of the VM test bed: the modules load (ours too, when built),
# the Debian tools run, and (once preamp-emu is built) an emulated quad interface plugged in over
# USB/IP becomes an ALSA card that records.
set -u
. /tests/lib.sh

check "usbip and vhci-hcd load" load_usbip
check "vhci-hcd is loaded" module_loaded vhci-hcd
check "the sound core and snd-usb-audio load" load_sound
check "snd-usb-audio is loaded" module_loaded snd-usb-audio
check "amixer runs" amixer --version
check "usbip runs" usbip version
check "dbus-daemon runs" dbus-daemon --version
check "busctl runs" busctl --version
check "systemd-udevd runs" /usr/lib/systemd/systemd-udevd --version

# Our own modules, when built for this kernel, load and unload (before
# anything is plugged in, so that they have no device yet).
for ko in /lib/modules/"$(uname -r)"/extra/*.ko; do
	[ -e "$ko" ] || continue
	mod=$(basename "$ko" .ko)
	check "$mod loads" load_module "$mod" &&
		check "$mod unloads" unload_module "$mod"
done

if ! command -v preamp-emu >/dev/null; then
	echo "# preamp-emu is not built: the emulated interface is skipped"
	finish
fi

check "the quad emulator starts" emu_start quad quad || finish
check "the quad interface plugs in" emu_plug quad || finish
if wait_until 20 emu_card quad; then
	card=$(emu_card quad)
	ok "snd-usb-audio made card $card of it"
else
	fail "snd-usb-audio made a card of it" "$(cat /proc/asound/cards)"
	finish
fi

# One second of 4 channels of 16 bits at 48 kHz: 384000 bytes of samples.
# A read fails with EIO when no period arrives within 1.1 buffer times: a
# 2 s buffer rides out the stalls of emulation on a busy host.
rm -f /tmp/smoke.raw
check "arecord records from it" \
	arecord -q -D "hw:$card,0" -d 1 -c 4 -f S16_LE -r 48000 -t raw \
	--buffer-time=2000000 /tmp/smoke.raw
check_eq "a second of capture is 384000 bytes" 384000 \
	"$(stat -c %s /tmp/smoke.raw 2>/dev/null || echo none)"

check "the quad interface unplugs" emu_unplug quad
check "its card goes away" wait_until 20 test ! -e "/proc/asound/card$card"
emu_stop quad
finish
