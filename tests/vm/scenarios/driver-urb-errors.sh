#!/bin/bash
# The notification endpoint fails: every interrupt URB completes with
# -EPROTO, as while a device goes away. The driver does not resubmit from
# the completion (which would spin at the speed of the bus): it retries
# from its work, later each time, and after 8 errors in a row stops with
# one log line. The controls keep working; a USB reset starts the
# notifications again. A few errors in a row are a glitch: notifications
# go on. An unplug during errors is clean.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN4="Line In 4 Gain Capture Volume"

errors() { emu quad counters | sed -n 's/^notify\.errors=//p'; }
errors_are() { [ "$(errors)" = "$1" ]; }
stopped_lines() { kmsg_since | grep -c 'notifications stopped'; }
knob_seen() {	# DB VALUE: a knob turn of input 4 reaches the control
	emu quad knob 4 gain "$1" >/dev/null
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read '$GAIN4')\" = $2 ]"
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad starts" emu_start quad quad || finish
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
check "notifications arrive" knob_seen 10 40

# ---- a glitch: 3 errors, then the endpoint works again
kmsg_mark
emu quad reset-counters >/dev/null
emu quad fault notify-error 3 >/dev/null
check "3 errors are retried" wait_until 10 errors_are 3
check "notifications go on after them" knob_seen 20 60
check_eq "no 'notifications stopped' line" 0 "$(stopped_lines)"

# ---- the endpoint keeps failing
kmsg_mark
emu quad reset-counters >/dev/null
emu quad fault notify-error 1000000 >/dev/null
check "the driver gives up with a log line" \
	wait_until 30 sh -c "dmesg | tail -n +$((VM_KMSG_MARK + 1)) | grep -q 'notifications stopped after 8 errors'"
n=$(errors)
sleep 3
echo "# failed interrupt URBs: $n, then $(errors) 3 s later"
check_eq "it retried 8 times, then no more" "8 8" "$n $(errors)"
check_eq "one log line" 1 "$(stopped_lines)"
check "the controls still work: a write reaches the device" \
	ctlraw "$PAMP_CARD" write "$GAIN4" 30
check_eq "... input 4 at 5 dB" 5 "$(emu_key quad in4.gain_db)"

# ---- a USB reset starts them again
emu quad fault clear >/dev/null
check "USBDEVFS_RESET" usbreset "$(emu_devnode quad)"
check "our controls are back on a card" wait_until 30 pamp_card quad
PAMP_CARD=$(pamp_card quad)
check "notifications arrive again" knob_seen 25 70

# ---- unplugged while the endpoint fails
kmsg_mark
emu quad fault notify-error 1000000 >/dev/null
sleep 0.2
check "quad unplugs while its endpoint fails" emu_unplug quad
emu_stop quad
echo "# kernel: $(kmsg_since | grep -i 'preamp\|notif' | tail -n 4 | tr '\n' ' ')"
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
