#!/bin/bash
# A USB reset (usbfs USBDEVFS_RESET): the driver puts its settings back with
# one SET_ALL_STATE and confirms them with one GET_ALL_STATE, and the card
# carries on. snd-usb-audio has no pre_reset/post_reset: the USB core unbinds
# it and binds it again, with a new card, and our controls follow to it.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN3="Line In 3 Gain Capture Volume"

# The settings the test makes, as the device reports them.
device_settings() {
	emu quad state | grep -E '^in[0-9]\.(gain|switches)='
}

# name=value of every control but the (volatile) meters.
settings_controls() {
	amixer -c "$PAMP_CARD" contents | awk '
		/^numid=/ { name = $0; sub(/.*name=/, "", name); next }
		/access=..-v/ { name = ""; next }
		/^  : values=/ && name != "" { print name $0 }'
}

on_audio() {
	local c
	c=$(emu_card quad USB-Audio) && pamp_on "$c"
}

followed() {
	on_audio && kmsg_since | grep -q 'snd-usb-preamp .*: controls on card'
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad emulator starts" emu_start quad quad || finish
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)

amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 100
amixer -q -c "$PAMP_CARD" cset name="Line In 1 Pad Capture Switch" on
amixer -q -c "$PAMP_CARD" cset name="Line In 1-2 Phantom Power Capture Switch" on
amixer -q -c "$PAMP_CARD" cset name="Line In 4 Level Capture Enum" Line
sleep 0.5
want=$(device_settings)
controls=$(settings_controls)

# ---- USB reset.
kmsg_mark
traffic_mark quad
check "USBDEVFS_RESET" usbreset "$(emu_devnode quad)"
sleep 1
check "our controls followed snd-usb-audio to its new card" wait_until 10 followed
PAMP_CARD=$(pamp_card quad)
check_eq "... which is snd-usb-audio's" "$(emu_card quad USB-Audio)" "$PAMP_CARD"
t=$(traffic quad)
echo "# reset: $t; kernel: $(kmsg_since | grep -v '^$' | tail -n 4 | tr '\n' ' ')"
check_eq "the reset costs one SET_ALL_STATE and one GET_ALL_STATE" \
	"GET_ALL_STATE=1 SET_ALL_STATE=1" "$t"
check_eq "the device has the settings after the reset" "$want" "$(device_settings)"
check_eq "the controls are unchanged" "$controls" "$(settings_controls)"
check "the card works after the reset" ctlraw "$PAMP_CARD" write "$GAIN3" 101
check_eq "... the write reaches the device" 40.5 "$(emu_key quad in3.gain_db)"
emu quad knob 4 gain 30 >/dev/null
check "... and notifications still arrive" \
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 4 Gain Capture Volume')\" = 80 ]"

# System suspend cannot be tested here: vhci-hcd refuses to suspend while a
# USB/IP device is attached ("We have 1 active connection. Do not
# suspend"), and the PM core then never reaches the device. driver-resume
# reaches resume and reset_resume through autosuspend instead.

check "quad unplugs" emu_unplug quad
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
