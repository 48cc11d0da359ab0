#!/bin/bash
# Scenario 3: plug-in on a system where alsa-utils is active. A device was
# set to 20 dB with 48 V on; alsactl stored the card as it does at
# shutdown (asound.state with 48 V on) and preampd saved its state (48 V
# on, 20 dB). The device is then powered up again from its defaults and
# plugged in: udev's 90-alsa-restore.rules runs `alsactl restore`; the
# driver's plug-in guard keeps 48 V off (the switch is inactive, and a
# write is refused, for 3 s), preampd's default policy ("off") keeps it
# off, and preampd brings the gain back. Then `alsactl restore` runs
# again within a long guard: 48 V stays off. The time
# from plug-in to the gain restored on the device is measured.
set -u
. /usr/local/lib/preamp-system/lib.sh

SERIAL=PQ4-SYSPLUG
KEY=1d6b-0104-$SERIAL
PHANTOM="Line In 1-2 Phantom Power Capture Switch"

check_eq "the boot is over" running "$(wait_boot_finished 900)"
check "the driver is installed" prebuilt_module_install || finish
check "systemctl enable --now preampd" systemctl enable --now preampd.service ||
	{ pd_journal; finish; }
check "usbip's vhci-hcd loads" load_usbip || finish
check "the quad emulator starts (serial $SERIAL)" emu_start quad quad --serial "$SERIAL" || finish

plug_in() {
	check "$1" emu_plug quad || finish
	if ! wait_until 60 pd_plugged 1; then
		fail "preampd has the device" "$(pd_journal 30)"
		finish
	fi
	wait_until 30 pd_card_of quad
	CARD=$(pd_card_of quad) ||
		{ fail "the preamp controls have a card" "$(cat /proc/asound/cards)"; finish; }
}
# the card's controls by name, inactive ones included (-i): the driver
# puts its own on snd-usb-audio's card once that card is registered, so
# they come a moment after it
controls_of() {
	amixer -i -c "$1" controls | sed 's/^numid=[0-9]*,//' | sort
}
same_controls_as_stored() {
	[ "$(controls_of "$CARD")" = "$(cat /tmp/controls.stored)" ]
}
alsa_phantom() {
	amixer -c "$CARD" cget name="$PHANTOM" | sed -n 's/^  : values=//p'
}

# --- the settings before: 20 dB and 48 V on, saved by both
plug_in "the quad plugs in"
check "SetGain 20 on input 1" pd_set_gain 1 20
check "the plug-in guard lifts" wait_until 30 pd_guard_lifted "$CARD"
check "SetPhantom on" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" SetPhantom bb true false
check_eq "the device has 48 V on" 1 "$(emu quad get in1.phantom)"
check_eq "ALSA shows 48 V on" on "$(alsa_phantom)"
check "preampd's state file has 48 V on" \
	wait_until 30 output_is on pd_state "$KEY" 1 phantom
check_eq "preampd's state file has 20 dB" 20 "$(pd_state "$KEY" 1 gain)"
controls_of "$CARD" >/tmp/controls.stored
check "alsactl stores the card as at shutdown" alsactl store "$CARD"
check "asound.state has the 48 V switch on" \
	bash -c "grep -A1 \"name '$PHANTOM'\" /var/lib/alsa/asound.state | grep -qx '[[:space:]]*value true'"
check "the quad unplugs" emu_unplug quad
check "preampd lets it go" wait_until 30 pd_plugged 0
emu_stop quad

# --- a power cycle: the device starts from its defaults (0 dB, 48 V off)
check "the quad starts again from its defaults" emu_start quad quad --serial "$SERIAL" || finish
check_eq "its gain is 0 dB" 0 "$(emu quad get in1.gain_db)"
kmsg_mark
t0=$(( ${EPOCHREALTIME/./} / 1000 ))
check "it plugs in with alsa-utils' restore rule in place" emu_plug quad || finish
if wait_until 90 output_is 20 emu quad get in1.gain_db; then
	t1=$(( ${EPOCHREALTIME/./} / 1000 ))
	ok "preampd restored 20 dB on the device"
	note "plug-in to restored: $((t1 - t0)) ms (usbip attach to 20 dB on the device)"
else
	fail "preampd restored 20 dB on the device" "in1.gain_db: $(emu quad get in1.gain_db)" \
		"$(pd_journal 30)"
fi
check "preampd has the device" wait_until 30 pd_plugged 1
CARD=$(pd_card_of quad) || { fail "the preamp controls have a card" "$(cat /proc/asound/cards)"; finish; }
check_eq "D-Bus shows 20 dB" 20 "$(pd_in_get 1 Gain)"
# the same span in the kernel's and preampd's own clocks
k=$(kmsg_since | sed -n 's/^\[ *\([0-9.]*\)\] .*controls on card.*/\1/p' | tail -n1)
r=$(journalctl -b --no-pager -o short-monotonic -u preampd.service |
	sed -n "s/^\[ *\([0-9.]*\)\] .*$KEY: restoring the saved settings.*/\1/p" | tail -n1)
[ -n "$k" ] && [ -n "$r" ] &&
	note "driver's controls on the card to preampd restoring: $(awk -v a="$k" -v b="$r" 'BEGIN { printf "%d", (b - a) * 1000 }') ms"

# alsactl asked for 48 V at this plug-in: the guard refused it (kernel
# log), or, had it come after the guard, preampd switched it straight off
# (its journal); or it ran before the driver's controls were on the card.
# past the guard, with udev's rules (alsactl's among them) done: a late
# switch-on would show now (a wait, not a sleep: a loaded host is slow)
check "the plug-in guard lifts" wait_until 30 pd_guard_lifted "$CARD"
check "udev's rules are done" udevadm settle --timeout=120
guard=$(kmsg_since | grep "48 V stays off until")
late=$(pd_journal 60 | grep "48 V was on at plug-in")
if [ -n "$guard" ]; then
	note "alsactl's restore asked for 48 V; the driver's guard refused it: $(printf '%s\n' "$guard" | head -n1)"
elif [ -n "$late" ]; then
	note "alsactl's restore switched 48 V on after the guard; preampd switched it off: $(printf '%s\n' "$late" | tail -n1)"
else
	note "alsactl's restore left 48 V alone: the switch is inactive during the guard (or was not on the card yet)"
fi
check "48 V is off on the device" wait_until 30 output_is 0 emu quad get in1.phantom
check_eq "ALSA shows 48 V off" off "$(alsa_phantom)"
check_eq "D-Bus shows 48 V off" false "$(pd_in_get 1 Phantom)"
check_eq "the policy is the default one" '"off"' \
	"$(pd_get "$(pd_dev_path)" "$PD_BUS.Device" PhantomPolicy | cut -d' ' -f2)"

# --- what the rule runs, within the guard, with a state of 48 V on: refused
check "the quad unplugs" emu_unplug quad
check "preampd lets it go" wait_until 30 pd_plugged 0
check "asound.state still has the 48 V switch on" \
	bash -c "grep -A1 \"name '$PHANTOM'\" /var/lib/alsa/asound.state | grep -qx '[[:space:]]*value true'"
GUARD=/sys/module/snd_usb_preamp/parameters/phantom_guard_ms
echo 30000 >"$GUARD"
kmsg_mark
check "it plugs in with a 30 s guard" emu_plug quad || finish
check "preampd has it" wait_until 60 pd_plugged 1
CARD=$(pd_card_of quad)
guard_holds() { ! pd_guard_lifted "$CARD"; }
check "the card has every control alsactl stored" wait_until 60 same_controls_as_stored ||
	note "controls now: $(controls_of "$CARD" | tr '\n' ' ')"
check "udev's rules are done" udevadm settle --timeout=120
check "during the guard the 48 V switch is inactive" guard_holds
# a gain away from the stored one shows that alsactl's restore wrote the card
check "SetGain 10 on input 1" pd_set_gain 1 10
check "the device has 10 dB" wait_until 30 output_is 10 emu quad get in1.gain_db
# udev acts on no exit status: what counts is what alsactl wrote; a
# status other than 0 is shown (its init fallback for a card it has no
# configuration for, say)
out=$(alsactl -E HOME=/run/alsa -E XDG_RUNTIME_DIR=/run/alsa/runtime restore "$CARD" 2>&1) &&
	ok "alsactl restore $CARD, as 90-alsa-restore.rules runs it, exits 0" ||
	note "alsactl restore $CARD exited $?: $(printf '%s\n' "$out" | tail -n 8)"
check "alsactl restored 20 dB on the device" wait_until 30 output_is 20 emu quad get in1.gain_db
refused=$(kmsg_since | grep "48 V stays off until")
note "alsactl ${refused:+asked for 48 V and the driver refused: $refused}${refused:-left the inactive switch alone}"
check "48 V is off on the device" wait_until 30 output_is 0 emu quad get in1.phantom
check_eq "ALSA shows 48 V off" off "$(alsa_phantom)"
check "D-Bus shows 20 dB" wait_until 30 output_is 20 pd_in_get 1 Gain
echo 3000 >"$GUARD"
pd_journal 60 | grep "$KEY" | sed 's/^/# preampd: /'

check "the quad unplugs" emu_unplug quad
emu_stop quad
finish
