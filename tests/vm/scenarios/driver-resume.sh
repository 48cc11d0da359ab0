#!/bin/bash
# Suspend and resume, with and without a power loss, through runtime PM:
# vhci-hcd refuses system suspend while a device is attached, and user
# space (the emulator) is frozen during a system sleep, but autosuspend
# runs the same suspend, resume and reset_resume callbacks.
#
# The driver lets an idle device autosuspend (power/control=auto; a device
# that notifies only if it can wake the host, which the emulator cannot,
# so this uses the quad without notifications). Reading a control keeps it
# asleep; a write wakes it and reaches it.
#
# A device that loses its settings in suspend is resumed with reset_resume
# (usbcore's RESET_RESUME quirk, "usbcore.quirks=VID:PID:b", as for
# hardware that forgets): the plug-in case the 48 V guard exists for. The
# guard is re-armed, everything but 48 V is put back at once, and 48 V when
# the guard ends.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

# A short guard at plug-in; the re-armed one long enough for its checks
# on a loaded host (the driver reads the parameter again when it re-arms).
PLUG_GUARD_MS=3000
GUARD_MS=20000
GAIN3="Line In 3 Gain Capture Volume"
PHANTOM="Line In 1-2 Phantom Power Capture Switch"
MODEL=/tmp/quad-quiet.ini

sed 's/^flags = meters notify$/flags = meters/' "$EMU_MODELS/quad.ini" >"$MODEL"

runtime_status() { cat "$(emu_usb quad)/power/runtime_status"; }
asleep() { [ "$(runtime_status)" = suspended ]; }
awake() { [ "$(runtime_status)" = active ]; }

autosuspend() {
	local u
	u=$(emu_usb quad) || return 1
	echo 0 >"$u/power/autosuspend_delay_ms" && echo auto >"$u/power/control"
}

# Plug in, wait out the plug-in guard, switch 48 V on, input 3 to 40 dB.
setup() {
	check "the quiet quad plugs in" pamp_plug quad || finish
	PAMP_CARD=$(pamp_card quad)
	check "the plug-in guard lifts" wait_until 30 pd_guard_lifted "$PAMP_CARD"
	check "48 V on" ctlraw "$PAMP_CARD" write "$PHANTOM" 1
	check "input 3 at 40 dB" ctlraw "$PAMP_CARD" write "$GAIN3" 100
	check_eq "... on the device" "1 40" \
		"$(emu_key quad in1.phantom) $(emu_key quad in3.gain_db)"
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=$PLUG_GUARD_MS || finish
check "the quad without notifications starts" emu_start quad "$MODEL" || finish

# ---- autosuspend and resume: the device keeps its power
setup
check "power/control=auto" autosuspend
check "the idle device autosuspends" wait_until 30 asleep
amixer -c "$PAMP_CARD" controls >/dev/null
ctlraw "$PAMP_CARD" read "$GAIN3" >/dev/null
ctlraw "$PAMP_CARD" read "$PHANTOM" >/dev/null
check "reading the settings leaves it asleep (the meters would wake it)" asleep
kmsg_mark
check "a write wakes it" ctlraw "$PAMP_CARD" write "$GAIN3" 102
check_eq "... and reaches it" 41 "$(emu_key quad in3.gain_db)"
check "... and the 48 V control stays active (no power was lost)" \
	pd_guard_lifted "$PAMP_CARD"
check_eq "... nor was 48 V touched" 1 "$(emu_key quad in1.phantom)"
echo 2000 >"$(emu_usb quad)/power/autosuspend_delay_ms"
echo on >"$(emu_usb quad)/power/control"
check "quad unplugs" emu_unplug quad

# ---- a device that forgets in suspend: reset_resume
echo "1d6b:0104:b" >/sys/module/usbcore/parameters/quirks
setup
check_eq "usbcore knows it forgets (RESET_RESUME)" 0x2 "$(cat "$(emu_usb quad)/quirks")"
check "power/control=auto" autosuspend
check "the idle device autosuspends" wait_until 30 asleep
pamp_param phantom_guard_ms $GUARD_MS
emu quad power-loss >/dev/null
check_eq "asleep, it lost its settings" "0 0" \
	"$(emu_key quad in1.phantom) $(emu_key quad in3.gain_db)"
kmsg_mark
echo on >"$(emu_usb quad)/power/control"
t0=$(_uptime_cs)
check "it wakes" wait_until 10 awake
check "the driver's reset_resume ran (guard re-armed)" \
	wait_until 10 sh -c "dmesg | tail -n 40 | grep -q 'guard re-armed'"
check_eq "the settings but 48 V are back at once (input 3 at 40 dB)" 40 \
	"$(emu_key quad in3.gain_db)"
check_eq "48 V stays off during the re-armed guard" 0 "$(emu_key quad in1.phantom)"
pamp_check_guard_rearmed quad "$PHANTOM" "$GUARD_MS" "$t0"
echo "# kernel: $(kmsg_since | grep -i 'preamp' | tail -n 5 | tr '\n' ' ')"

check "quad unplugs" emu_unplug quad
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
