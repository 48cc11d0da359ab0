#!/bin/bash
# preampd's AutoGain on emulated interfaces: from the driver's meters (the
# quad) and from the capture stream (the duo without meters); cancel puts
# the gain back, a knob turned while listening cancels, a second start is
# Busy, GetLevels has one entry per input. The daemon runs under ASan+UBSan.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

PD_BIN=preampd-asan
pd_setup
check "preampd starts" pd_start || { pd_log; finish; }
busctl --system monitor "$PD_BUS" >/tmp/monitor.log 2>&1 &

check "the quad emulator starts" emu_start quad quad --serial PQ4-AG1 || finish
check "it plugs in" emu_plug quad || finish
check "it appears on D-Bus" wait_until 30 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 1 ]' ||
	{ pd_log; finish; }
wait_until 10 pd_card_of quad
PD_CARD=$(pd_card_of quad)

ag_state() { pd_in_get "$1" AutoGainState; }
ag_final() { s=$(ag_state "$1"); [ "$s" != '"listening"' ] && [ "$s" != '"idle"' ]; }
# the loudest peak after the preamp, as the emulator computes it
in_window() {
	awk -v p="$(emu quad get "in$1.expected_peak_dbfs")" 'BEGIN { exit !(p <= -4.0 && p >= -5.5) }'
}

check_eq "input 1 can autogain" 'as 6 "gain" "phantom" "pad" "air" "meter" "autogain"' \
	"$(pd_get "$(pd_in_path 1)" "$PD_BUS.Input" Capabilities)"
check_eq "AutoGainState starts idle" '"idle"' "$(ag_state 1)"
check "GetLevels has four entries" sh -c "busctl --system -- call $PD_BUS $(pd_dev_path) $PD_BUS.Device GetLevels | grep -q '^a(du) 4 '"

# speech at -45 dBFS on input 1, from 0 dB
check "StartAutoGain replies at once" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 20000 false
check_eq "it is listening" '"listening"' "$(ag_state 1)"
check_eq "a second start is Busy" "Call failed: AutoGain already runs on this input." \
	"$(pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 1000 false 2>&1 >/dev/null)"
check "CancelAutoGain" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" CancelAutoGain b false
check_eq "cancelled, the gain back at 0" '"cancelled" 0' "$(ag_state 1) $(pd_in_get 1 Gain)"
check "StartAutoGain again" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 1000 false
check "it finishes" wait_until 30 ag_final 1
check_eq "input 1: done" '"done"' "$(ag_state 1)"
check "input 1's loudest peak is in [-5.5, -4] dBFS" in_window 1
check "AutoGainFinished was sent" wait_until 5 grep -q 'AutoGainFinished' /tmp/monitor.log
echo "  input 1: gain $(pd_in_get 1 Gain), peak $(emu quad get in1.expected_peak_dbfs)"

# a sine that clips at 60 dB on input 2
check "input 2 at 60 dB" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" SetGain db 60 false
check "StartAutoGain on input 2" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" StartAutoGain dub -4 1000 false
check "it finishes" wait_until 30 ag_final 2
check_eq "input 2: done" '"done"' "$(ag_state 2)"
check "input 2's peak is in [-5.5, -4] dBFS" in_window 2
echo "  input 2: gain $(pd_in_get 2 Gain), peak $(emu quad get in2.expected_peak_dbfs)"

# too loud for the range: the pad, then min-gain
check "input 2's source at +25 dBFS" emu quad source 2 sine 25
check "StartAutoGain on input 2 again" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" StartAutoGain dub -4 1000 false
check "it finishes" wait_until 30 ag_final 2
check_eq "input 2: done with the pad" '"done" true' "$(ag_state 2) $(pd_in_get 2 Pad)"
check "input 2's peak is in [-5.5, -4] dBFS" in_window 2

# cancel puts the gain back
check "input 3 at 12.5 dB" pd_call "$(pd_in_path 3)" "$PD_BUS.Input" SetGain db 12.5 false
# (a long pass: what follows happens while it listens, on a slow VM too)
check "StartAutoGain on input 3 for 60 s" pd_call "$(pd_in_path 3)" "$PD_BUS.Input" StartAutoGain dub -4 60000 false
sleep 1
check "CancelAutoGain" pd_call "$(pd_in_path 3)" "$PD_BUS.Input" CancelAutoGain b false
check_eq "input 3: cancelled" '"cancelled"' "$(ag_state 3)"
check_eq "the gain is back" "d 12.5" "$(pd_get "$(pd_in_path 3)" "$PD_BUS.Input" Gain)"

# a knob while listening cancels, and the gain from before comes back
before=$(pd_get "$(pd_in_path 4)" "$PD_BUS.Input" Gain)
check "StartAutoGain on input 4 for 60 s" pd_call "$(pd_in_path 4)" "$PD_BUS.Input" StartAutoGain dub -4 60000 false
sleep 1
check "the knob of input 4 turns" emu quad knob 4 gain 20
check "input 4: cancelled" wait_until 5 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 4) $PD_BUS.Input AutoGainState)\" = 's \"cancelled\"' ]"
wait_until 5 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 4) $PD_BUS.Input Gain)\" = '$before' ]"
check_eq "the gain from before AutoGain is back" "$before" "$(pd_get "$(pd_in_path 4)" "$PD_BUS.Input" Gain)"

check "it unplugs" emu_unplug quad
emu_stop quad

# no meters: the capture stream
check "the duo emulator starts" emu_start duo duo-nometer --serial PD2-AG1 || finish
check "it plugs in" emu_plug duo || finish
check "it appears on D-Bus" wait_until 30 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 1 ]' ||
	{ pd_log; finish; }
sleep 1
echo "  duo input 1 capabilities: $(pd_get "$(pd_in_path 1)" "$PD_BUS.Input" Capabilities)"
echo "  cards: $(cat /proc/asound/cards | tr '\n' ' ')"
check "GetLevels is NotSupported" sh -c "! busctl --system -- call $PD_BUS $(pd_dev_path) $PD_BUS.Device GetLevels"
check "StartAutoGain on the duo's input 2" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" StartAutoGain dub -4 1000 false
check "it finishes" wait_until 40 ag_final 2
check_eq "duo input 2: done" '"done"' "$(ag_state 2)"
p=$(emu duo get in2.expected_peak_dbfs)
check "duo input 2's peak is in [-5.5, -4] dBFS" awk -v p="$p" 'BEGIN { exit !(p <= -4.0 && p >= -5.5) }'
echo "  duo input 2: gain $(pd_in_get 2 Gain), peak $p"
# both inputs at once: one capture stream, shared
check "duo input 1's source: speech at -30 dBFS" emu duo source 1 speech -30
check "duo input 2's source: a sine at -20 dBFS" emu duo source 2 sine -20
# input 1 listens for a long pass, so that the Busy check and input 2's
# whole run fall inside it; then input 1 is run again, short
check "StartAutoGain on the duo's input 1, a 60 s pass" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 60000 false
check "StartAutoGain on input 2 while input 1 listens (no Busy)" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" StartAutoGain dub -4 1500 false
out=$(pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 1500 false 2>&1)
case "$out" in
*already*) ok "StartAutoGain on input 1 again is Busy: it runs there ($out)" ;;
*) fail "StartAutoGain on input 1 again is Busy: it runs there" "$out" ;;
esac
check "input 2 finishes from the stream input 1 shares" wait_until 60 ag_final 2
check_eq "... while input 1 still listens" '"listening"' "$(ag_state 1)"
check "CancelAutoGain on input 1" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" CancelAutoGain b false
check "StartAutoGain on input 1 again, 1.5 s a pass" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" StartAutoGain dub -4 1500 false
both_final() { ag_final 1 && ag_final 2; }
check "both finish" wait_until 60 both_final
for i in 1 2; do
	check_eq "duo input $i: done" '"done"' "$(ag_state $i)"
	p=$(emu duo get in$i.expected_peak_dbfs)
	check "duo input $i's peak is in [-5.5, -4] dBFS" awk -v p="$p" 'BEGIN { exit !(p <= -4.0 && p >= -5.5) }'
	echo "  duo input $i: gain $(pd_in_get $i Gain), peak $p"
done
check "it unplugs" emu_unplug duo
emu_stop duo

pd_stop
pd_check_sanitizers
echo "--- daemon log (autogain) ---"
grep -i 'autogain' "$PD_LOG" | tail -n 20 | sed 's/^/  /'
finish
