#!/bin/bash
# preampd's contract on an emulated RME Babyface Pro (snd-usb-audio's bbfpro
# quirk) and on a class-compliant USB Audio Class 2 interface (snd-usb-
# audio's generic mixer, input gain on a feature unit), on 6.12 and 6.1.
# The Babyface: its inputs, SetGain and every switch reach the unit, restore
# at plug-in, 48 V kept off at plug-in with alsactl's restore rule, the
# lock, presets, a restart that writes nothing, AutoGain from the capture
# stream; what the quirk cannot do (it never reads the unit: a front-panel
# change is not seen) is shown as such. 6.1's quirk has no gain controls.
# The UAC2 interface: the same, its knob reaching D-Bus through the status
# interrupt, and no 48 V.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh
. /tests/scenarios/real-lib.sh

pd_setup
pd_config "debounce_ms = 200"
check "preampd starts" pd_start || { pd_log; finish; }
busctl --system monitor "$PD_BUS" >/tmp/monitor.log 2>&1 &
K61=no
[ "$(uname -r | cut -d. -f1-2)" = 6.1 ] && K61=yes
ag_final() { s=$(dget "$1" AutoGainState); [ "$s" != '"listening"' ] && [ "$s" != '"idle"' ]; }
peak_in_window() { awk -v p="$1" 'BEGIN { exit !(p <= -4.0 && p >= -5.5) }'; }
dbus_is() { [ "$(busctl --system get-property "$PD_BUS" "$(pd_in_path "$1")" "$PD_BUS.Input" "$2")" = "$3" ]; }

section "RME Babyface Pro"
check "the Babyface emulator starts" real_start bb babyface-pro || finish
check "it plugs in and preampd has it" real_plug bb 1 || { pd_log; finish; }
PD_CARD=$(emu_card bb)
E="emu bb"
check_eq "Driver" '"bbfpro"' "$(pd_dev_get Driver)"
if [ "$K61" = yes ]; then
	check_eq "6.1: the microphone inputs, without gain" \
		"2 \"$(pd_in_path 1)\" \"$(pd_in_path 2)\"" "$(pd_dev_get Inputs)"
	check_eq "input 1's capabilities" '2 "phantom" "pad"' "$(dget 1 Capabilities)"
else
	check_eq "four inputs" "4 \"$(pd_in_path 1)\" \"$(pd_in_path 2)\" \"$(pd_in_path 3)\" \"$(pd_in_path 4)\"" \
		"$(pd_dev_get Inputs)"
	check_eq "input 1's capabilities" '4 "gain" "phantom" "pad" "autogain"' \
		"$(dget 1 Capabilities)"
	check_eq "input 3's capabilities" '2 "gain" "autogain"' "$(dget 3 Capabilities)"
	check_eq "input 1: 0..65 dB in 1 dB" "0 65 1" "$(dget 1 GainMin) $(dget 1 GainMax) $(dget 1 GainStep)"
	check_eq "input 3: 0..9 dB in 0.5 dB" "0 9 0.5" "$(dget 3 GainMin) $(dget 3 GainMax) $(dget 3 GainStep)"
	check "SetGain 33 dB on input 1" dcall 1 SetGain db 33 false
	check_eq "the unit has 33 dB" 33 "$($E get in1.gain_db)"
	check "SetGain 4.5 dB on input 3" dcall 3 SetGain db 4.5 false
	check_eq "the unit has 4.5 dB on IN3" 4.5 "$($E get in3.gain_db)"
fi
check "SetPhantom on input 2" dcall 2 SetPhantom bb true false
check_eq "48 V on AN2, not AN1" "1 0" "$($E get in2.phantom) $($E get in1.phantom)"
check "SetSwitch pad on input 1" dcall 1 SetSwitch sbb pad true false
check_eq "the pad is on" 1 "$($E get in1.pad)"
check "SetPhantom off, SetSwitch pad off" sh -c "busctl --system -- call $PD_BUS $(pd_in_path 2) $PD_BUS.Input SetPhantom bb false false && \
	busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input SetSwitch sbb pad false false"
check_eq "both off" "0 0" "$($E get in2.phantom) $($E get in1.pad)"
# the quirk keeps what it last sent and never reads the unit
check "the unit's own 48 V button on AN1" $E knob 1 phantom on
sleep 2
check_eq "the driver is not told: D-Bus still shows it off (a limit of the quirk)" false "$(dget 1 Phantom)"
check "48 V off from D-Bus" dcall 1 SetPhantom bb false false
check_eq "... sends nothing: the driver believes it off already" 1 "$($E get in1.phantom)"
$E knob 1 phantom off >/dev/null

section "Babyface: restore and 48 V at plug-in"
if [ "$K61" = no ]; then
	check "SetGain 40 dB on input 1" dcall 1 SetGain db 40 false
fi
check "SetSwitch pad on input 2" dcall 2 SetSwitch sbb pad true false
check "SetPhantom on input 1" dcall 1 SetPhantom bb true false
check "alsactl stores the card with 48 V on" alsactl store "$PD_CARD"
check "asound.state has it" sh -c "grep -A4 'Mic-AN1 48V' /var/lib/alsa/asound.state | grep -q 'value true'"
check "the state file has the pad" wait_until 10 sh -c "grep -q 'pad = on' $PD_STATE/*.state"
check "it unplugs" real_unplug bb 0
real_mark bb
check "it plugs in: the unit powers up with its defaults" real_plug bb 1 || { pd_log; finish; }
PD_CARD=$(emu_card bb)
check "preampd restores the pad" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-bb.sock get in2.pad)" = 1 ]'
if [ "$K61" = no ]; then
	check "and the gain" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-bb.sock get in1.gain_db)" = 40 ]'
fi
check_eq "48 V was never switched on at plug-in (the unit's log)" "" "$(real_48v_ons bb)"
check_eq "48 V is off" "0 false" "$($E get in1.phantom) $(dget 1 Phantom)"

section "Babyface: lock, presets, restart"
check "SetPhantomLock on input 1" dcall 1 SetPhantomLock bb true false
check "amixer cannot switch 48 V on" sh -c "! amixer -q -c $PD_CARD cset name='Mic-AN1 48V' on 2>/dev/null"
check_eq "48 V stayed off" 0 "$($E get in1.phantom)"
check "SetPhantomLock off" dcall 1 SetPhantomLock bb false false
check "SavePreset p1" dev_call SavePreset sb p1 false
check "SetSwitch pad off on input 2" dcall 2 SetSwitch sbb pad false false
check "ApplyPreset p1" dev_call ApplyPreset sb p1 false
check_eq "the pad is back" 1 "$($E get in2.pad)"
check "the counters are zeroed" $E reset-counters
check "preampd stops" pd_stop TERM
check "preampd starts again" pd_start || { pd_log; finish; }
check "it adopts the device" wait_until 30 _real_ndev 1
sleep 2
check_eq "nothing was written to the unit" "writes=0" "$($E counters | grep '^writes=')"

if [ "$K61" = no ]; then
	section "Babyface: AutoGain from the capture stream"
	check "a sine at -40 dBFS on AN1, 10 dB" sh -c "preamp-emu-ctl /run/emu-bb.sock source 1 sine -40 && \
		busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input SetGain db 10 false >/dev/null"
	check "StartAutoGain" dcall 1 StartAutoGain dub -4 1000 false
	check "it finishes" wait_until 60 ag_final 1
	check_eq "done" '"done"' "$(dget 1 AutoGainState)"
	g=$($E get in1.gain_db)
	check "the loudest peak lands in [-5.5, -4] dBFS (gain $g dB)" \
		peak_in_window "$(awk -v g="$g" 'BEGIN { print -40 + g }')"
	check "StartAutoGain for 20 s" dcall 1 StartAutoGain dub -4 20000 false
	sleep 1
	check "CancelAutoGain" dcall 1 CancelAutoGain b false
	check_eq "cancelled, the gain back" "\"cancelled\" $g" "$(dget 1 AutoGainState) $($E get in1.gain_db)"
fi
e=$(call_error dev_call GetLevels)
case "$e" in
*"no level meters"*) ok "GetLevels: NotSupported ($e)" ;;
*) fail "GetLevels: NotSupported" "$e" ;;
esac
check "it unplugs" real_unplug bb 0
emu_stop bb

section "a class-compliant UAC2 interface"
check "the UAC2 emulator starts" real_start u2 uac2-preamp || finish
check "it plugs in and preampd has it" real_plug u2 1 || { pd_log; finish; }
PD_CARD=$(emu_card u2)
E="emu u2"
check_eq "Driver" '"uac2"' "$(pd_dev_get Driver)"
check_eq "two inputs" "2 \"$(pd_in_path 1)\" \"$(pd_in_path 2)\"" "$(pd_dev_get Inputs)"
check_eq "input 1's capabilities" '4 "gain" "pad" "phase" "autogain"' "$(dget 1 Capabilities)"
check_eq "0..60 dB in 0.5 dB (the device's range)" "0 60 0.5" \
	"$(dget 1 GainMin) $(dget 1 GainMax) $(dget 1 GainStep)"
out=$(dcall 1 SetGain db 30.3 false)
check_eq "SetGain 30.3 dB snaps to 30.5" "d 30.5" "$out"
check_eq "the interface has 30.5 dB" 30.5 "$($E get in1.gain_db)"
check "SetSwitch pad on input 2" dcall 2 SetSwitch sbb pad true false
check "SetSwitch phase on input 2" dcall 2 SetSwitch sbb phase true false
check_eq "pad and phase on input 2" "1 1" "$($E get in2.pad) $($E get in2.phase)"
e=$(call_error dcall 1 SetPhantom bb true false)
case "$e" in
*"has no"*) ok "SetPhantom: NotSupported, no 48 V in a feature unit ($e)" ;;
*) fail "SetPhantom: NotSupported" "$e" ;;
esac
check "the gain knob of input 2 turns to 12 dB" $E knob 2 gain 12
check "D-Bus follows (the status interrupt)" wait_until 10 dbus_is 2 Gain "d 12"
check "the pad button of input 2 (off)" $E knob 2 pad off
check "D-Bus: Pad false" wait_until 10 dbus_is 2 Pad "b false"

section "UAC2: restore, presets, restart"
check "SetGain 24 dB on input 2" dcall 2 SetGain db 24 false
check "the state file has it" wait_until 10 sh -c "grep -q 'gain = 24' $PD_STATE/1209-0001-*.state"
check "it unplugs" real_unplug u2 0
check "it plugs in: the gain at its minimum" real_plug u2 1 || { pd_log; finish; }
check "input 2 is back at 24 dB" wait_until 20 sh -c '[ "$(preamp-emu-ctl /run/emu-u2.sock get in2.gain_db)" = 24 ]'
check_eq "and its phase" 1 "$($E get in2.phase)"
check "SavePreset p1" dev_call SavePreset sb p1 false
check "SetGain 3 dB on input 2" dcall 2 SetGain db 3 false
check "ApplyPreset p1" dev_call ApplyPreset sb p1 false
check_eq "24 dB again" 24 "$($E get in2.gain_db)"
check "the counters are zeroed" $E reset-counters
check "preampd stops" pd_stop TERM
check "preampd starts again" pd_start || { pd_log; finish; }
check "it adopts the device" wait_until 30 _real_ndev 1
sleep 2
check_eq "nothing was written to the interface" "writes=0" "$($E counters | grep '^writes=')"

section "UAC2: AutoGain from the capture stream"
check "a sine at -40 dBFS on input 1, 10 dB" sh -c "preamp-emu-ctl /run/emu-u2.sock source 1 sine -40 && \
	busctl --system -- call $PD_BUS $(pd_in_path 1) $PD_BUS.Input SetGain db 10 false >/dev/null"
check "StartAutoGain" dcall 1 StartAutoGain dub -4 1000 false
check "it finishes" wait_until 60 ag_final 1
check_eq "done" '"done"' "$(dget 1 AutoGainState)"
p=$($E get in1.expected_peak_dbfs)
check "the loudest peak lands in [-5.5, -4] dBFS ($p at $($E get in1.gain_db) dB)" peak_in_window "$p"
check "StartAutoGain for 20 s" dcall 1 StartAutoGain dub -4 20000 false
g=$(dget 1 Gain)
sleep 1
check "CancelAutoGain" dcall 1 CancelAutoGain b false
check_eq "cancelled, the gain back" "\"cancelled\" $g" "$(dget 1 AutoGainState) $(dget 1 Gain)"
e=$(call_error dev_call GetLevels)
case "$e" in
*"no level meters"*) ok "GetLevels: NotSupported ($e)" ;;
*) fail "GetLevels: NotSupported" "$e" ;;
esac
check "it unplugs" real_unplug u2 0
emu_stop u2

pd_stop
finish
