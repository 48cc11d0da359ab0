#!/bin/bash
# preampd's whole contract on an emulated Focusrite Scarlett 2i2 4th Gen as
# Linux's scarlett2 driver meets it (6.12): the device, its inputs and
# capabilities; SetGain and every switch reach the interface; its front
# panel reaches D-Bus; restore at plug-in; the 48 V policy, with alsactl's
# restore rule taken off the plug-in path while preampd runs (and back on
# without it); the lock, front panel included; presets; a restart writes
# nothing; the interface's own AutoGain, cancel included; no meters. The
# second firmware layout (2417) is read right.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh
. /tests/scenarios/real-lib.sh

if [ "$(uname -r | cut -d. -f1-2)" = 6.1 ]; then
	# (real-scarlett2-models checks there that preampd leaves it alone)
	echo "# skipped: the Scarlett 2i2 4th Gen contract: 6.1's scarlett2 driver has no 4th Gen controls (gain and autogain came in 6.8)"
	finish
fi

KEY=1235-8219-S2I2G4-CONTRACT
pd_setup
pd_config "debounce_ms = 200"
check "preampd starts" pd_start || { pd_log; finish; }
busctl --system monitor "$PD_BUS" >/tmp/monitor.log 2>&1 &

check "the Scarlett 2i2 4th Gen emulator starts" \
	real_start s2i2 scarlett-2i2-4th --serial S2I2G4-CONTRACT || finish
check "it plugs in and preampd has it" real_plug s2i2 1 || { pd_log; finish; }
PD_CARD=$(emu_card s2i2)
S="emu s2i2"
raw() { $S get "in$1.gain"; }

# --- the device, its inputs and capabilities
section "the device, its inputs and capabilities"
check_eq "Driver" '"scarlett2"' "$(pd_dev_get Driver)"
check_eq "its key" "\"$KEY\"" "$(pd_dev_get Key)"
check_eq "two inputs" "2 \"$(pd_in_path 1)\" \"$(pd_in_path 2)\"" "$(pd_dev_get Inputs)"
check_eq "input 1's capabilities" '5 "gain" "phantom" "air" "level" "autogain"' \
	"$(dget 1 Capabilities)"
check_eq "input 1's label" '"Line In 1"' "$(dget 1 Label)"
check_eq "one 48 V switch for inputs 1-2" "2 \"$(pd_in_path 1)\" \"$(pd_in_path 2)\"" \
	"$(dget 1 PhantomGroup)"
check "the gain range is 0..69 dB" sh -c "[ \"$(dget 1 GainMin) $(dget 1 GainMax)\" = '0 69' ]"
check "in steps of 69/70 dB" near "$(dget 1 GainStep)" 0.985714 0.0001
check "the gain is the device's" near "$(dget 1 Gain)" "$($S get in1.gain_db)"

# --- SetGain and every switch reach the interface
section "SetGain and every switch reach the interface"
out=$(dcall 1 SetGain db 30 false)
check "SetGain 30 dB snaps to the driver's step" near "${out#d }" 29.5714 0.001
check_eq "the interface has step 30" 30 "$(raw 1)"
check "SetPhantom on" dcall 1 SetPhantom bb true false
check_eq "48 V is on at the interface" 1 "$($S get in1.phantom)"
check "SetSwitch air on" dcall 2 SetSwitch sbb air true false
check_eq "Air is on (Presence) on input 2" 1 "$($S get in2.air)"
check "SetLevel inst" dcall 2 SetLevel sb inst false
check_eq "input 2 is at instrument level" 1 "$($S get in2.inst)"
check "SetSwitch air off" dcall 2 SetSwitch sbb air false false
check "SetLevel line" dcall 2 SetLevel sb line false
check_eq "both back" "0 0" "$($S get in2.air) $($S get in2.inst)"
check "SetPhantom off" dcall 1 SetPhantom bb false false
check_eq "48 V is off" 0 "$($S get in1.phantom)"
for sw in pad phase highpass; do
	e=$(call_error dcall 1 SetSwitch sbb "$sw" true false)
	case "$e" in
	*"has no $sw"*) ok "SetSwitch $sw: NotSupported ($e)" ;;
	*) fail "SetSwitch $sw: NotSupported" "$e" ;;
	esac
done

# --- the front panel reaches D-Bus
section "the front panel reaches D-Bus"
check "the gain knob of input 2 turns to 20 dB" $S knob 2 gain 20
check "D-Bus follows" wait_until 10 sh -c "$(declare -f near); near \"\$(busctl --system get-property $PD_BUS $(pd_in_path 2) $PD_BUS.Input Gain | cut -d' ' -f2)\" 19.714 0.01"
check "the 48 V button" $S knob 1 phantom on
check "D-Bus: Phantom true on both inputs" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 2) $PD_BUS.Input Phantom)\" = 'b true' ]"
check "the 48 V button again" $S knob 1 phantom off
check "D-Bus: Phantom false" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input Phantom)\" = 'b false' ]"
check "the Air button of input 1" $S knob 1 air on
check "D-Bus: Air true" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input Air)\" = 'b true' ]"
check "the INST button of input 1" $S knob 1 inst on
check "D-Bus: Level inst" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input Level)\" = 's \"inst\"' ]"
$S knob 1 air off >/dev/null
$S knob 1 inst off >/dev/null

# --- restore at plug-in
section "restore at plug-in"
check "SetGain 40 dB on input 1" dcall 1 SetGain db 40 false
check "the state file has it" wait_until 10 grep -q 'gain = 40.4' "$PD_STATE/$KEY.state"
check "it unplugs" real_unplug s2i2 0
check "while away, the knob of input 1 goes to 10 dB" $S knob 1 gain 10
check "it plugs in again" real_plug s2i2 1 || { pd_log; finish; }
PD_CARD=$(emu_card s2i2)
check "input 1 is back at step 41 (40.4 dB)" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.gain)" = 41 ]'

# --- 48 V at plug-in: alsactl's restore rule would switch it on
section "48 V at plug-in: alsactl's restore rule would switch it on"
check "SetPhantom on" dcall 1 SetPhantom bb true false
check "alsactl stores the card with 48 V on (as at shutdown)" alsactl store "$PD_CARD"
check "asound.state has 48 V on" sh -c "grep -A4 'Phantom Power Capture Switch' /var/lib/alsa/asound.state | grep -q 'value true'"
check "preampd says it runs (for udev)" test -s "$PD_RUN/running"
# what udev runs at the card's plug-in: systemd's uaccess, not alsactl
udev_runs() {
	udevadm test --action=add "/sys/class/sound/controlC$1" 2>&1 |
		sed -n "s/^run: '\([^ ']*\).*/\1/p" | sort | tr '\n' ' '
}
check_eq "udev runs no program at its plug-in, only uaccess (preampd runs)" \
	"uaccess " "$(udev_runs "$PD_CARD")"
check "it unplugs" real_unplug s2i2 0
real_mark s2i2
check "it plugs in (policy off)" real_plug s2i2 1 || { pd_log; finish; }
PD_CARD=$(emu_card s2i2)
check "preampd restored" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.gain)" = 41 ]'
check_eq "48 V was never switched on at plug-in (the interface's log)" "" "$(real_48v_ons s2i2)"
check_eq "48 V is off" "0 false" "$($S get in1.phantom) $(dget 1 Phantom)"

# without preampd, alsa-utils works as before
check "preampd stops" pd_stop TERM
check "it took its file away" test ! -e "$PD_RUN/running"
check_eq "udev runs alsactl's restore again, and uaccess" \
	"/usr/sbin/alsactl uaccess " "$(udev_runs "$PD_CARD")"
check "it unplugs" emu_unplug s2i2
real_mark s2i2
check "it plugs in without preampd" emu_plug s2i2
check "alsactl's restore switches 48 V on, as without preampd" \
	wait_until 30 sh -c "grep -A100000 . /tmp/emu-s2i2.log | tail -n +$(($(cat /run/real-mark-s2i2) + 1)) | grep -q '48V input 1-2 on by host'"
check "preampd starts" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 _real_ndev 1
check "and switches 48 V off (policy off)" wait_until 10 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.phantom)" = 0 ]'
# a preampd killed outside systemd leaves its file (under systemd the
# unit's ExecStopPost removes it: the system test scarlett-plugin): udev
# still keeps alsactl's restore off, so the interface keeps its power-on
# state, 48 V off, until preampd is back and restores it
check "preampd is killed" pd_stop KILL
check "its file is left behind" test -s "$PD_RUN/running"
check "it unplugs" emu_unplug s2i2
real_mark s2i2
check "it plugs in" emu_plug s2i2
check "udev has handled it" udevadm settle --timeout=120
PD_CARD=$(emu_card s2i2)
# a late switch-on would show by now; a listen, not a speed test
sleep 3
check_eq "nothing switched 48 V on (the interface's log)" "" "$(real_48v_ons s2i2)"
restores=$(grep -c "$KEY: restoring the saved settings" "$PD_LOG")
check "preampd starts" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 _real_ndev 1
check "it restores the replugged card at start" wait_until 20 sh -c \
	"[ \"\$(grep -c '$KEY: restoring the saved settings' $PD_LOG)\" -gt $restores ]"
check "input 1 is at step 41" \
	wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.gain)" = 41 ]'
PD_CARD=$(emu_card s2i2)

# policy restore: 48 V comes back (scarlett2 has no guard: at once)
check "48 V off" wait_until 10 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.phantom)" = 0 ]'
check "SetPhantomPolicy restore" dev_call SetPhantomPolicy sb restore false
check "SetPhantom on" dcall 1 SetPhantom bb true false
check "the state file says so" wait_until 10 grep -qx 'phantom_policy = restore' "$PD_STATE/$KEY.state"
check "it unplugs" real_unplug s2i2 0
check "it plugs in" real_plug s2i2 1 || { pd_log; finish; }
PD_CARD=$(emu_card s2i2)
check "48 V is back on" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.phantom)" = 1 ]'
check "SetPhantomPolicy off" dev_call SetPhantomPolicy sb off false

# --- the lock, the front panel included
section "the lock, the front panel included"
check "SetPhantomLock on input 1" dcall 1 SetPhantomLock bb true false
check_eq "48 V off, input 1 locked" "0 true" "$($S get in1.phantom) $(dget 1 PhantomLocked)"
e=$(call_error dcall 2 SetPhantom bb true false)
case "$e" in
*ocked*) ok "SetPhantom on input 2 (same switch): Locked ($e)" ;;
*) fail "SetPhantom on input 2 (same switch): Locked" "$e" ;;
esac
check "amixer cannot switch it on" sh -c "! amixer -q -c $PD_CARD cset name='Line In 1-2 Phantom Power Capture Switch' on 2>/dev/null"
check_eq "48 V stayed off" 0 "$($S get in1.phantom)"
real_mark s2i2
check "the 48 V button is pressed on the interface" $S knob 1 phantom on
check "48 V goes off again" wait_until 10 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.phantom)" = 0 ]'
check "the log says why" wait_until 5 grep -q "48 V was switched on at the interface although the input is locked" "$PD_LOG"
real_since s2i2 | grep '48V' | sed 's/^/  /'
on=$(real_since s2i2 | sed -n 's/.*\[\([0-9.]*\)\] 48V input 1-2 on by panel.*/\1/p' | head -n 1)
off=$(real_since s2i2 | sed -n 's/.*\[\([0-9.]*\)\] 48V input 1-2 off by host.*/\1/p' | head -n 1)
if [ -n "$on" ] && [ -n "$off" ]; then
	ok "the panel's 48 V was switched off by preampd $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.0f", (b - a) * 1000 }') ms later"
else
	fail "the interface logged the panel's 48 V and preampd's switch-off" "$(real_since s2i2)"
fi
check "SetPhantomLock off" dcall 1 SetPhantomLock bb false false

# --- presets
section "presets"
check "SetGain 20 dB" dcall 1 SetGain db 20 false
check "SavePreset take1" dev_call SavePreset sb take1 false
check "SetGain 50 dB" dcall 1 SetGain db 50 false
check "ApplyPreset take1" dev_call ApplyPreset sb take1 false
check_eq "the interface is back at step 20" 20 "$(raw 1)"
check_eq "Presets" '1 "take1"' "$(pd_dev_get Presets)"
check "DeletePreset take1" dev_call DeletePreset sb take1 false
check_eq "no presets" '0' "$(pd_dev_get Presets)"

# --- a restart writes nothing
section "a restart writes nothing"
check "the counters are zeroed" $S reset-counters
check "preampd stops" pd_stop TERM
check "preampd starts again" pd_start || { pd_log; finish; }
check "it adopts the device" wait_until 30 _real_ndev 1
sleep 2
check_eq "nothing was written to the interface" "writes=0" "$($S counters | grep '^writes=')"
check "the log says it adopted" grep -q "adopting it as it is" "$PD_LOG"

# --- the interface's own AutoGain
section "the interface's own AutoGain"
ag_state() { dget "$1" AutoGainState; }
ag_final() { s=$(ag_state "$1"); [ "$s" != '"listening"' ] && [ "$s" != '"idle"' ]; }
check "input 1 at step 10" dcall 1 SetGain db 10 false
check "the source: a sine at -30 dBFS" $S source 1 sine -30
# the interface's run lasts until the test ends it: whatever the load,
# preampd must listen while the interface runs
check "the interface's autogain listens 50 s" $S autogain-ms 50000
check_eq "its last result is still shown: Success" Success "$($S get in1.autogain_status)"
check "StartAutoGain -4 dBFS" dcall 1 StartAutoGain dub -4 3000 false
check_eq "listening" '"listening"' "$(ag_state 1)"
check_eq "the peak target reached the interface" "-4" \
	"$(amixer -c "$PD_CARD" cget iface=CARD,name='Autogain Peak Target' | sed -n 's/^  : values=//p')"
check "the driver says Running" wait_until 10 sh -c "amixer -c $PD_CARD cget name='Line In 1 Autogain Status Capture Enum' | grep -q 'values=0'"
sleep 1
check_eq "the interface runs, preampd listens (the old status did not end it)" \
	'1 "listening"' "$($S get in1.autogain) $(ag_state 1)"
check "the interface's run ends" $S autogain-end 1
check "it finishes" wait_until 30 ag_final 1
check_eq "done" '"done"' "$(ag_state 1)"
check_eq "the interface's final gain: step 26" 26 "$(raw 1)"
check "D-Bus has the interface's final gain" near "$(dget 1 Gain)" 25.6286 0.001
check "AutoGainFinished(done, 25.63 dB)" wait_until 5 sh -c "grep -A3 'Member=AutoGainFinished' /tmp/monitor.log | grep -q 'STRING \"done\"'"
check "preampd heard the device end it" grep -q "the device's run is over: Success" "$PD_LOG"
grep -A4 'Member=AutoGainFinished' /tmp/monitor.log | grep -E 'STRING|DOUBLE' | sed 's/^/  /'

# results in words
check "the interface's autogain listens 1 s" $S autogain-ms 1000
check "a silent input" $S source 1 silence 0
check "StartAutoGain" dcall 1 StartAutoGain dub -4 3000 false
check "it finishes" wait_until 30 ag_final 1
check_eq "too-quiet (FailDRunder)" '"too-quiet" FailDRunder' "$(ag_state 1) $($S get in1.autogain_status)"
check "a source too quiet for 69 dB" $S source 1 sine -80
check "StartAutoGain" dcall 1 StartAutoGain dub -4 3000 false
check "it finishes" wait_until 30 ag_final 1
check_eq "max-gain at step 70" '"max-gain" 70' "$(ag_state 1) $(raw 1)"

# cancel: right after the start, and after listening a while
check "the source: -30 dBFS, input 1 at step 10" sh -c "preamp-emu-ctl /run/emu-s2i2.sock source 1 sine -30 && \
	busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input SetGain db 10 false >/dev/null"
check "the interface's autogain listens 50 s" $S autogain-ms 50000
check "StartAutoGain, then CancelAutoGain at once" sh -c "busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input StartAutoGain dub -4 3000 false && \
	busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input CancelAutoGain b false"
check "cancelled" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input AutoGainState)\" = 's \"cancelled\"' ]"
check_eq "the interface's autogain is off, the gain back at step 10" "0 10" "$($S get in1.autogain) $(raw 1)"
check "StartAutoGain" dcall 1 StartAutoGain dub -4 3000 false
check "the interface moves the gain while it listens" wait_until 10 sh -c '[ "$(preamp-emu-ctl /run/emu-s2i2.sock get in1.gain)" != 10 ]'
check "CancelAutoGain" dcall 1 CancelAutoGain b false
check "cancelled" wait_until 10 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input AutoGainState)\" = 's \"cancelled\"' ]"
check_eq "its autogain is off and says Cancelled" "0 Cancelled" "$($S get in1.autogain) $($S get in1.autogain_status)"
check_eq "the gain is back at step 10" 10 "$(raw 1)"
check "D-Bus agrees" near "$(dget 1 Gain)" 9.857 0.001
check "AutoGainFinished(cancelled)" grep -q 'STRING "cancelled"' /tmp/monitor.log

# --- no input meters
section "no input meters"
e=$(call_error dev_call GetLevels)
case "$e" in
*"no level meters"*) ok "GetLevels: NotSupported ($e)" ;;
*) fail "GetLevels: NotSupported" "$e" ;;
esac
check "no meter capability" sh -c "! busctl --system get-property $PD_BUS $(pd_in_path 1) $PD_BUS.Input Capabilities | grep -q meter"

# --- the other firmware layout: direct monitor gains 4 bytes on
section "the other firmware layout: direct monitor gains 4 bytes on"
check "a 2i2 with firmware 2417 starts" real_start fw2417 scarlett-2i2-4th-fw2417 || finish
check "it plugs in" real_plug fw2417 2 || { pd_log; finish; }
PD_CARD=$(emu_card fw2417)
check_eq "the driver sees firmware 2417" 2417 \
	"$(amixer -c "$PD_CARD" cget iface=CARD,name='Firmware Version' | sed -n 's/^  : values=//p')"
check_eq "its direct monitor gain is read where 2417 keeps it (0 dB)" 160 \
	"$(amixer -c "$PD_CARD" cget name='Monitor 1 Mix A Input 01 Playback Volume' | sed -n 's/^  : values=//p')"
dev2=$(pd_devices | awk '{ gsub(/"/, ""); print $4 }')
check "SetGain 12 dB on its input 2" pd_call "$dev2/inputs/2" "$PD_BUS.Input" SetGain db 12 false
check_eq "it reached the interface (step 12)" 12 "$(emu fw2417 get in2.gain)"
check "it unplugs" real_unplug fw2417 1
emu_stop fw2417

check "the 2i2 unplugs" real_unplug s2i2 0
emu_stop s2i2
pd_stop
finish
