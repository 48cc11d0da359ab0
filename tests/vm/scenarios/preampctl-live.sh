#!/bin/bash
# preampctl against the real preampd on the system bus and emulated
# interfaces: every subcommand, its effect on the device (the emulator's
# state and amixer) and in preampctl's own words, --json that parses, each
# form of DEV and IN, the documented error messages with their exit codes
# (daemon not running, permission denied, device unplugged, value out of
# range, capability missing), monitor, autogain, and the live meter on a
# pseudo-terminal (ptyrun) and on a pipe. The daemon runs under ASan+UBSan.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

PD_BIN=preampd-asan
KEY=1d6b-0104-PQ4-CTL1
OUT=/tmp/pc.out
ERR=/tmp/pc.err

# pc ARGS...: preampctl, stdout to $OUT, stderr to $ERR, its status in $rc
pc() {
	rc=0
	preampctl "$@" >"$OUT" 2>"$ERR" || rc=$?
}

# pc_ok ARGS...: preampctl succeeds (for check); says why not
pc_ok() {
	pc "$@"
	[ "$rc" = 0 ] && return 0
	echo "preampctl $*: exit $rc"
	cat "$ERR" "$OUT"
	return 1
}

# pc_fails CODE REGEX ARGS...: preampctl exits CODE, says REGEX (grep -E) on
# stderr, and prints nothing on stdout
pc_fails() {
	local want=$1 re=$2
	shift 2
	pc "$@"
	if [ "$rc" != "$want" ]; then
		echo "preampctl $*: exit $rc, expected $want"
		cat "$ERR" "$OUT"
		return 1
	fi
	if ! grep -Eq -- "$re" "$ERR"; then
		echo "preampctl $*: stderr does not match /$re/:"
		cat "$ERR"
		return 1
	fi
	if [ -s "$OUT" ]; then
		echo "preampctl $*: stdout should be empty:"
		cat "$OUT"
		return 1
	fi
}

# out_has REGEX: the last preampctl's stdout matches (grep -E)
out_has() {
	grep -Eq -- "$1" "$OUT" && return 0
	echo "stdout does not match /$1/:"
	cat "$OUT"
	return 1
}

# file_has FILE REGEX: FILE matches (grep -E); shows it when not
file_has() {
	grep -aEq -- "$2" "$1" && return 0
	echo "$1 does not match /$2/:"
	tail -c 3000 "$1"
	return 1
}

# jv PATH: a value of the last preampctl's --json stdout
jv() {
	jsonck "$1" <"$OUT"
}

# untty FILE: a terminal transcript as text (escape sequences and CRs out)
untty() {
	sed $'s/\e\\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$1"
}

# has_seq FILE SEQ: FILE has the escape sequence ESC SEQ
has_seq() {
	grep -aqF $'\e'"$2" "$1"
}

# near A B: two levels within 1.5 dB
near() {
	awk -v p="$1" -v e="$2" 'BEGIN { d = p - e; exit !(p != "" && d < 1.5 && d > -1.5) }'
}

as_user() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$user" --init-groups "$@"
}

# ---- no daemon
pd_setup
check "usage: an unknown command is exit 1" pc_fails 1 "Try 'preampctl --help'" frobnicate
check "usage: a malformed gain is exit 1" pc_fails 1 "." gain 1 1 loud
check "--target out of range: exit 5 with the range" \
	pc_fails 5 "out of range: -60 to 0 dBFS" autogain 1 1 --target 3
for args in "" "list" "gain 1 1 3" "--json status"; do
	# shellcheck disable=SC2086
	check "daemon not running: 'preampctl $args' is exit 2 and says how to start it" \
		pc_fails 2 "preampd is not running.*" $args &&
		check "... Start it with: systemctl start preampd" grep -q "Start it with: systemctl start preampd" "$ERR"
done

check "preampd starts" pd_start || { pd_log; finish; }
check "no device: status says so" pc_ok
check "... No preamp is connected." out_has "^No preamp is connected\.$"
check "no device: list --json is an empty list" pc_ok --json list
check_eq "... devices is []" "[]" "$(jv devices)"

# ---- the quad
check "the quad emulator starts" emu_start quad quad --serial PQ4-CTL1 || finish
check "it plugs in" emu_plug quad || finish
check "it appears on D-Bus" wait_until 30 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 1 ]' ||
	{ pd_log; finish; }
wait_until 10 pd_card_of quad
PD_CARD=$(pd_card_of quad)
[ -n "$PD_CARD" ] || fail "the preamp card of the quad is found" "$(cat /proc/asound/cards)"
CARD_ID=$(cat "/proc/asound/card$PD_CARD/id")
echo "# quad: card $PD_CARD ($CARD_ID), key $KEY"

check "status (the default)" pc_ok
check "... names the device, its key and card" out_has "Preamp Quad.*\[$KEY\]  card $PD_CARD"
check "... has the inputs' table" out_has "IN  LABEL +GAIN +48V +PAD +PHASE +HPF +AIR +LEVEL +AUTOGAIN"
check "... with input 4" out_has "^ +4  Inst 4 "
check "status --json" pc_ok --json status
check "... parses" jsonck <"$OUT"
check_eq "... the key" "\"$KEY\"" "$(jv devices.0.key)"
check_eq "... the card" "$PD_CARD" "$(jv devices.0.card)"
check_eq "... input 4's label" '"Inst 4"' "$(jv devices.0.inputs.3.label)"
check "... the daemon's version" jv daemon_version

check "list" pc_ok list
check "... one line with index, key, card, inputs and name" \
	out_has "^ +1  $KEY +$PD_CARD .* 4  Preamp Quad$"
check "list --json" pc_ok --json list
check_eq "... card_id and input_count" "\"$CARD_ID\" 4" "$(jv devices.0.card_id) $(jv devices.0.input_count)"

# DEV: index, hw:N, key, card id, whole name, part of a name (any case)
show_quad() {
	pc_ok show "$1" && out_has "^Device 1: Preamp Quad" && out_has "^ +Key: +$KEY$"
}
for sel in 1 "hw:$PD_CARD" "$KEY" "$CARD_ID" "preamp quad" QUAD "pq4-ctl" "AMP QUA"; do
	check "show '$sel' finds the quad" show_quad "$sel"
done
check "show --json" pc_ok --json show quad
check_eq "... one device: key, input 1's range" "\"$KEY\" -10 60 0.5" \
	"$(jv key) $(jv inputs.0.gain_min) $(jv inputs.0.gain_max) $(jv inputs.0.gain_step)"
check_eq "... inputs 1 and 2 share 48 V" "[1,2]" "$(jv inputs.1.phantom_group)"
check_eq "... input 3's level" '"inst"' "$(jv inputs.2.level)"
check "show with no such device: exit 4, lists what is present" \
	pc_fails 4 "no device matches .*present: 1 \(" show octo
check "show with a bad index: exit 4" pc_fails 4 "no device number 7" show 7

# ---- gain: absolute, relative, IN by number and label
check "gain quad 1 12" pc_ok gain quad 1 12
check "... says so" out_has "^Mic 1 \(input 1\) of Preamp Quad: gain 12.0 dB$"
check_eq "... the device has 12 dB" 12 "$(emu quad get in1.gain_db)"
check_eq "... amixer shows step 44" 44 "$(pd_amixer_get 'Line In 1 Gain Capture Volume')"
check "gain quad 1 +3" pc_ok gain quad 1 +3
check_eq "... the device has 15 dB" 15 "$(emu quad get in1.gain_db)"
check "gain quad 1 -1.5" pc_ok gain quad 1 -1.5
check_eq "... the device has 13.5 dB" 13.5 "$(emu quad get in1.gain_db)"
check "gain 12.3 is snapped" pc_ok gain 1 1 12.3
check "... to 12.5, and says so" out_has "gain 12.5 dB$"
check "gain quad 'mic 2' 20dB (IN by label, any case)" pc_ok gain quad "mic 2" 20dB
check_eq "... the device has 20 dB on input 2" 20 "$(emu quad get in2.gain_db)"
check "gain quad 'st 4' =-6 (IN by part of a label; a negative absolute gain)" pc_ok gain quad "st 4" =-6
check_eq "... the device has -6 dB on input 4" -6 "$(emu quad get in4.gain_db)"
check "gain quad 1 +100 stops at the top" pc_ok gain quad 1 +100
check_eq "... 60 dB" 60 "$(emu quad get in1.gain_db)"
check "gain --json" pc_ok --json gain "$CARD_ID" 1 13.5
check "... parses" jsonck <"$OUT"
check_eq "... device, input, gain" "\"$KEY\" 1 13.5" "$(jv device) $(jv input) $(jv gain)"
check_eq "... the device has 13.5 dB" 13.5 "$(emu quad get in1.gain_db)"
check "an ambiguous IN: exit 4, lists the candidates" \
	pc_fails 4 "input 'mic' is ambiguous; it could be: 1 \(Mic 1\), 2 \(Mic 2\)" gain quad mic 3
check "no input 9: exit 4" pc_fails 4 "no input 9" gain quad 9 3

# ---- value out of range, with the range
check "gain 61: exit 5 with the range" \
	pc_fails 5 "61.0 dB is out of range for Mic 1 \(input 1\) of Preamp Quad: -10.0 to 60.0 dB" gain quad 1 61
check "gain =-11: exit 5 with the range" pc_fails 5 "-11.0 dB is out of range .*: -10.0 to 60.0 dB" gain quad 1 =-11
check_eq "... nothing changed" 13.5 "$(emu quad get in1.gain_db)"
long=$(printf 'x%.0s' $(seq 65))
check "a 65-byte preset name: exit 5, says what a name is" \
	pc_fails 5 "1 to 64 bytes" preset save quad "$long"

# ---- capability missing
check "phantom on input 3 (instrument): exit 6" \
	pc_fails 6 "Inst 3 \(input 3\) of Preamp Quad has no 48 V phantom power" phantom quad 3 on
check "air on input 3: exit 6" pc_fails 6 "Inst 3 \(input 3\) of Preamp Quad has no Air mode" air quad 3 on
check "phase on input 1: exit 6" pc_fails 6 "has no phase" phase quad 1 on
check "highpass on input 1: exit 6" pc_fails 6 "has no high-pass filter" highpass quad 1 on
check "level on input 1: exit 6" pc_fails 6 "has no line/instrument switch" level quad 1 inst
check "pad on input 4: exit 6" pc_fails 6 "has no pad" pad quad 4 on

# ---- switches and level
wait_until 10 sh -c "! amixer -c $PD_CARD contents | grep -A1 'Phantom' | grep -q 'access=..i'" # the guard
check "phantom quad 2 on" pc_ok phantom quad 2 on
check "... says the switch is shared" out_has "^Mic 2 \(input 2\) of Preamp Quad: 48 V on \(one switch for inputs 1, 2\)$"
check_eq "... the device has 48 V on inputs 1 and 2" "1 1" "$(emu quad get in1.phantom) $(emu quad get in2.phantom)"
check_eq "... amixer shows it" on "$(amixer -c "$PD_CARD" cget name='Line In 1-2 Phantom Power Capture Switch' | sed -n 's/^  : values=//p')"
check "phantom --json quad 1 off" pc_ok --json phantom quad 1 off
check_eq "... phantom false on inputs [1,2]" "false [1,2]" "$(jv phantom) $(jv inputs)"
check_eq "... the device has it off" 0 "$(emu quad get in1.phantom)"
check "pad quad 'Mic 1' on" pc_ok pad quad "Mic 1" on
check "... says so" out_has "^Mic 1 \(input 1\) of Preamp Quad: pad on$"
check_eq "... the device's pad is on" 1 "$(emu quad get in1.pad)"
check_eq "... amixer shows it" on "$(pd_amixer_get 'Line In 1 Pad Capture Switch')"
check "pad --json off" pc_ok --json pad quad 1 off
check_eq "... pad false" false "$(jv pad)"
check_eq "... the device's pad is off" 0 "$(emu quad get in1.pad)"
check "phase quad 3 on" pc_ok phase quad 3 on
check_eq "... the device's phase is inverted" 1 "$(emu quad get in3.phase)"
check_eq "... amixer shows it" on "$(pd_amixer_get 'Line In 3 Phase Invert Capture Switch')"
check "highpass quad 4 on" pc_ok highpass quad 4 on
check_eq "... the device's filter is on" 1 "$(emu quad get in4.hpf)"
check "air quad 2 on" pc_ok air quad 2 on
check_eq "... the device's Air is on" 1 "$(emu quad get in2.air)"
check "air --json quad 2 off" pc_ok --json air quad 2 off
check_eq "... air false, the device's off" "false 0" "$(jv air) $(emu quad get in2.air)"
check "level quad 3 line" pc_ok level quad 3 line
check "... says so" out_has "^Inst 3 \(input 3\) of Preamp Quad: line level$"
check_eq "... the device is at line level" 0 "$(emu quad get in3.inst)"
check_eq "... amixer shows Line" 0 "$(pd_amixer_get 'Line In 3 Level Capture Enum')"
check "level --json quad 3 inst" pc_ok --json level quad 3 inst
check_eq "... level inst, the device's too" '"inst" 1' "$(jv level) $(emu quad get in3.inst)"
check "status shows the changes" pc_ok status quad
check "... input 3: phase on, inst" out_has "^ +3  Inst 3 .* on .*inst"

# ---- presets
check "preset save quad Vocals" pc_ok preset save quad Vocals
check "... says so" out_has "^Preamp Quad: preset 'Vocals' saved$"
check "preset list quad" pc_ok preset list quad
check "... Vocals" out_has "^Vocals$"
check "preset list --json" pc_ok --json preset list quad
check_eq "... presets [\"Vocals\"]" '["Vocals"]' "$(jv presets)"
check "gain quad 1 0" pc_ok gain quad 1 0
check "preset apply quad Vocals" pc_ok --json preset apply quad Vocals
check_eq "... action applied" '"applied"' "$(jv action)"
check_eq "... the preset's gain is back on the device" 13.5 "$(emu quad get in1.gain_db)"
check "an unknown preset: exit 4, lists the presets" \
	pc_fails 4 "Preamp Quad has no preset 'Nothing'; presets: Vocals" preset apply quad Nothing
check "preset delete quad Vocals" pc_ok preset delete quad Vocals
check "preset list quad: none" pc_ok preset list quad
check "... says so" out_has "^Preamp Quad has no saved presets\.$"

# ---- policy
check "policy quad restore" pc_ok policy quad restore
check "... in words" out_has "^Preamp Quad: 48 V policy restore \(48 V comes back as it was saved\)$"
check_eq "... the daemon has it" '"restore"' "$(pd_dev_get PhantomPolicy)"
check "policy --json quad off" pc_ok --json policy quad off
check_eq "... phantom_policy off, the daemon's too" '"off" "off"' "$(jv phantom_policy) $(pd_dev_get PhantomPolicy)"
check "a bad policy word is a usage error" pc_fails 1 "." policy quad always

# ---- the 48 V lock
check "phantom quad 1 on" pc_ok phantom quad 1 on
check "lock quad 1 on" pc_ok lock quad 1 on
check "... says so" out_has "^Mic 1 \(input 1\) of Preamp Quad: 48 V locked off \(one switch for inputs 1, 2\)$"
check_eq "... the group's 48 V went off" "0 0" "$(emu quad get in1.phantom) $(emu quad get in2.phantom)"
check_eq "... the daemon has the lock" true "$(pd_in_get 1 PhantomLocked)"
check "status shows it locked" pc_ok status quad
check "... locked" out_has "^ +1  Mic 1 .*locked"
check "phantom on input 2 while locked: exit 8, how to unlock" \
	pc_fails 8 "48 V is locked off for Mic 2 \(input 2\) of Preamp Quad \(by an input sharing its switch\)" phantom quad 2 on
check "... names the way out" grep -q "preampctl lock DEV IN off" "$ERR"
check_eq "... the device still has 48 V off" 0 "$(emu quad get in2.phantom)"
check "lock --json quad 1 off" pc_ok --json lock quad 1 off
check_eq "... phantom_locked false" false "$(jv phantom_locked)"
check_eq "... the daemon has no lock" false "$(pd_in_get 1 PhantomLocked)"

# ---- permission denied: alice is not in audio and there is no polkit
rc=0
as_user alice preampctl gain quad 1 3 >"$OUT" 2>"$ERR" || rc=$?
check_eq "alice's gain: exit 3" 3 "$rc"
check "... permission denied, naming polkit and the group" \
	grep -Eq "permission denied.*" "$ERR"
check "... names polkit and 'audio'" sh -c "tr '\n' ' ' <$ERR | grep -q \"polkit authorization.*'audio'\""
check_eq "... nothing changed" 13.5 "$(emu quad get in1.gain_db)"
check "alice may read the status" as_user alice preampctl status quad
check "bob (in audio) may change the gain" as_user bob preampctl gain quad 1 3
check_eq "... the device has 3 dB" 3 "$(emu quad get in1.gain_db)"

# ---- monitor: a change made with amixer comes as a line
# (on a pipe it says nothing when it starts: changes of input 4 until
# both have shown one tell that they listen)
preampctl monitor >/tmp/mon.txt 2>/tmp/mon.err &
mon=$!
preampctl --json monitor >/tmp/mon.json 2>/tmp/mon-json.err &
monj=$!
warm=0
monitors_listen() {
	warm=$((warm + 1))
	preampctl gain quad 4 $((warm % 2)) >/dev/null 2>&1
	sleep 0.5
	grep -q 'input 4 (Inst 4): gain' /tmp/mon.txt && grep -q '"input":4' /tmp/mon.json
}
check "both monitors print a change of input 4" wait_until 60 monitors_listen
check "amixer sets input 2 to 30 dB" pd_amixer_set 'Line In 2 Gain Capture Volume' 80
check "monitor prints the change" wait_until 15 \
	grep -Eq "^[0-9:.]+  1 Preamp Quad, input 2 \(Mic 2\): gain 30.0 dB$" /tmp/mon.txt ||
	tail -n 5 /tmp/mon.txt /tmp/mon.err
check "monitor --json prints it" wait_until 15 grep -q '"input":2,.*"property":"Gain"' /tmp/mon.json
kill -TERM "$monj"
monj_rc=0
wait "$monj" || monj_rc=$?
check_eq "monitor --json ends with exit 0 on SIGTERM" 0 "$monj_rc"
check "... every line is JSON" jsonck -l event </tmp/mon.json
gain2_json() {
	grep '"input":2,' /tmp/mon.json | grep '"property":"Gain"' | tail -n 1 >"$OUT"
	[ "$(jv event) $(jv device) $(jv interface) $(jv value)" = \
		"\"changed\" \"$KEY\" \"org.preampd.Preamp1.Input\" 30" ]
}
check "... a change of input 2's Gain to 30, with device and interface" gain2_json

# ---- the meter on a terminal: a sine at -12 dBFS on input 1
check "gain quad 1 0" pc_ok gain quad 1 0
check "a -12 dBFS sine on input 1" emu quad source 1 sine -12
expect=$(emu quad get in1.expected_peak_dbfs)
sleep 1
check "meter quad on a terminal, Ctrl-C after 5 s" \
	sh -c 'ptyrun -c 100 -r 12 -w 5 -o /tmp/meter.tty -- preampctl meter quad >/tmp/meter.res'
cat /tmp/meter.res | sed 's/^/# /'
check "... exit 0 on Ctrl-C" grep -qx "exit=0" /tmp/meter.res
check "... the terminal was in single-key mode" grep -qx "raw=yes" /tmp/meter.res
check "... and is put back as it was" grep -qx "restored=yes" /tmp/meter.res
cursor_back() { has_seq /tmp/meter.tty '[?25l' && tail -c 6 /tmp/meter.tty | grep -aqF $'\e[?25h'; }
check "... the cursor hidden, then shown again at the end" cursor_back
frames=$(grep -ao $'\r\e\\[[0-9]*A' /tmp/meter.tty | wc -l)
no_clear() { [ "$frames" -ge 2 ] && ! has_seq /tmp/meter.tty '[2J' && ! has_seq /tmp/meter.tty '[H'; }
check "... redrawn in place: cursor up, no screen clear ($frames redraws)" no_clear
untty /tmp/meter.tty >/tmp/meter.txt
check "... the title" grep -q "^Levels of Preamp Quad (dBFS)   q or Ctrl-C to quit" /tmp/meter.txt
check "... the scale marks -6 and 0" grep -Eq -- "-60 .*-6 +0 +peak +hold" /tmp/meter.txt
bars() { for i in 1 2 3 4; do grep -Eq "^ $i [A-Za-z0-9 ]+\[[=#.|-]+\]" /tmp/meter.txt || return 1; done; }
check "... one bar per input" bars
check "... input 1's bar: signal below the window, the window marked empty" \
	file_has /tmp/meter.txt '^ 1 Mic 1 +\[=+[.|]*-+\]'
last1=$(grep -E '^ 1 Mic 1 +\[' /tmp/meter.txt | tail -n 1)
peak1=$(printf '%s\n' "$last1" | sed -n 's/.*\] *\(-[0-9.]*\).*/\1/p')
echo "# last frame of input 1: $last1 (the emulator: $expect dBFS)"
check "... input 1 reads near $expect dBFS ($peak1)" near "$peak1" "$expect"
check "meter quad 1, q quits" \
	sh -c 'ptyrun -c 80 -r 10 -w 2 -k q -o /tmp/meter-q.tty -- preampctl meter quad 1 >/tmp/meter-q.res'
check "... exit 0, the terminal put back" sh -c 'grep -qx exit=0 /tmp/meter-q.res && grep -qx restored=yes /tmp/meter-q.res'
only1() { untty /tmp/meter-q.tty | grep -Eq '^ 1 Mic 1 +\[' && ! untty /tmp/meter-q.tty | grep -Eq '^ [234] '; }
check "... input 1 only" only1

# ---- the meter on a pipe: plain lines
check "meter quad --count 5 on a pipe" pc_ok meter quad --count 5
check_eq "... five lines" 5 "$(wc -l <"$OUT")"
plain() {
	! grep -aq $'\e' "$OUT" &&
		[ "$(grep -Ecx '[0-9]+\.[0-9]{3}(  [1-4]:(-[0-9]+\.[0-9]|0\.0|-inf)( CLIP [0-9]+)?){4}' "$OUT")" = 5 ]
}
check "... plain: time, then N:peak per input, no escapes" plain
p1=$(tail -n 1 "$OUT" | sed -n 's/.*  1:\(-[0-9.]*\).*/\1/p')
check "... input 1 near $expect dBFS ($p1)" near "$p1" "$expect"
# one GetLevels call per refresh
busctl --system monitor "$PD_BUS" >/tmp/getlevels.log 2>&1 &
bm=$!
# waits, not sleeps: the monitor listening first, then all six calls seen
check "busctl monitor listens" wait_until 20 grep -q "Monitoring bus message stream" /tmp/getlevels.log
check "meter quad --count 6 (watched on the bus)" pc_ok meter quad --count 6
getlevels_seen() { [ "$(grep -c 'Member=GetLevels' /tmp/getlevels.log)" -ge 6 ]; }
wait_until 20 getlevels_seen
kill "$bm"
wait "$bm" 2>/dev/null
check_eq "... six refreshes, six GetLevels calls" "6 6" \
	"$(wc -l <"$OUT") $(grep -c 'Member=GetLevels' /tmp/getlevels.log)"
# a clip shows
preampctl meter quad >/tmp/meter-clip.txt 2>&1 &
mc=$!
check "a meter runs on a pipe" wait_until 20 test -s /tmp/meter-clip.txt
check "input 3 clips once" emu quad clip 3
check "... the meter shows CLIP 1 after input 3's level" \
	wait_until 15 grep -Eq '  3:(-[0-9]+\.[0-9]|0\.0|-inf) CLIP 1( |$)' /tmp/meter-clip.txt
kill -TERM "$mc"
mc_rc=0
wait "$mc" || mc_rc=$?
check_eq "... and ends with exit 0 on SIGTERM" 0 "$mc_rc"
check "meter --json quad 1 --count 3" pc_ok --json meter quad 1 --count 3
json_only1() { [ "$(jsonck -l inputs.0.number <"$OUT" | tr '\n' ' ')" = '1 1 1 ' ] && ! jsonck -l inputs.1 <"$OUT" 2>/dev/null; }
check "... three JSON lines, input 1 only" json_only1

# ---- autogain: live on a terminal, then in words
check "gain quad 2 0" pc_ok gain quad 2 0
check "autogain quad 2 --listen 1 on a terminal" \
	sh -c 'ptyrun -c 100 -r 12 -w 120 -o /tmp/ag.tty -- preampctl autogain quad 2 --listen 1 >/tmp/ag.res'
untty /tmp/ag.tty >/tmp/ag.txt
check "... exit 0" grep -qx "exit=0" /tmp/ag.res
check "... the title with the target window" \
	file_has /tmp/ag.txt "^Autogain: Mic 2 \(input 2\) of Preamp Quad, target -5.5 to -4.0 dBFS"
ag_live() { grep -Eq "^   listening  [0-9.]+ s  gain " /tmp/ag.txt && grep -Eq "^ 2 Mic 2 +\[" /tmp/ag.txt; }
check "... the state while it listens, with a bar" ag_live
check "... the result in words" \
	file_has /tmp/ag.txt "^Autogain done: Mic 2 \(input 2\) of Preamp Quad is set to -?[0-9.]+ dB\.$"
check "... and the peak" file_has /tmp/ag.txt "^The loudest peak will be about -[0-9.]+ dBFS \(target -5.5 to -4.0 dBFS\)\.$"
check "... the cursor shown again" has_seq /tmp/ag.tty '[?25h'
g2=$(emu quad get in2.gain_db)
check "... the device has the gain it says ($g2 dB)" file_has /tmp/ag.txt "is set to $(printf '%.1f' "$g2") dB\."
check "autogain --json quad 4 --target -6 --listen 1" pc_ok --json autogain quad 4 --target -6 --listen 1
check "... one JSON object" jsonck <"$OUT"
check_eq "... result done, target -6" '"done" -6' "$(jv result) $(jv target)"
check_eq "... its gain is the device's" "$(emu quad get in4.gain_db)" "$(jv gain)"
check "autogain quad 3 on a pipe: progress lines, then the words" pc_ok autogain quad 3 --listen 1
check "... progress" out_has "^   listening  [0-9.]+ s  gain "
check "... the result" out_has "^Autogain done: Inst 3 \(input 3\) of Preamp Quad is set to"
check "Ctrl-C cancels autogain: exit 9" \
	sh -c 'ptyrun -w 3 -o /tmp/agc.tty -- preampctl autogain quad 1 --listen 20 >/tmp/agc.res; grep -qx exit=9 /tmp/agc.res'
check "... says the gain is back" file_has /tmp/agc.tty "Autogain cancelled; the gain is back to 0.0 dB\."
check_eq "... the device has 0 dB" 0 "$(emu quad get in1.gain_db)"

# ---- a second device: index 2, ambiguity, no meters
check "the duo emulator starts" emu_start duo duo-nometer --serial PD2-CTL1 || finish
check "it plugs in" emu_plug duo || finish
check "it appears on D-Bus" wait_until 30 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 2 ]'
check "list has two devices" pc_ok list
check "... the duo is 2" out_has "^ +2  1d6b-0104-PD2-CTL1 .* 2  Preamp Duo Lite$"
check "show 2 is the duo" pc_ok show 2
check "... Device 2: Preamp Duo Lite" out_has "^Device 2: Preamp Duo Lite"
check "'preamp' fits both: exit 4, lists them" \
	pc_fails 4 "device 'preamp' is ambiguous; it could be: 1 \(.*\), 2 \(.*\)" show preamp
check "meter on the duo: exit 6, no meters" pc_fails 6 "Preamp Duo Lite has no level meters" meter duo
check "gain duo 1 51: exit 5 with its own range" pc_fails 5 "51.0 dB is out of range for .* of Preamp Duo Lite: 0.0 to 50.0 dB" gain duo 1 51
check "status --json has both" pc_ok --json status
check_eq "... keys" "\"$KEY\" \"1d6b-0104-PD2-CTL1\"" "$(jv devices.0.key) $(jv devices.1.key)"

# ---- device unplugged: while metering, then by name
preampctl meter quad >/tmp/meter-unplug.txt 2>/tmp/meter-unplug.err &
mpid=$!
check "a meter runs on the quad" wait_until 20 test -s /tmp/meter-unplug.txt
check "the quad unplugs" emu_unplug quad
wait_until 20 sh -c "! kill -0 $mpid 2>/dev/null" || kill "$mpid"
mrc=0
wait "$mpid" || mrc=$?
check_eq "the meter ends with exit 7" 7 "$mrc"
check "... the device was unplugged" file_has /tmp/meter-unplug.err "the device was unplugged"
check "monitor saw it go" wait_until 10 grep -Eq "1 Preamp Quad: unplugged" /tmp/mon.txt
check "the quad's key afterwards: exit 4, lists what is present" \
	pc_fails 4 "no device matches '$KEY'; present: [0-9]+ \(.*Duo" gain "$KEY" 1 3
emu_stop quad

# ---- the daemon goes away
kill "$mon"
wait "$mon" 2>/dev/null
check "preampd stops" pd_stop
check "after it stopped: exit 2, how to start it" \
	pc_fails 2 "Start it with: systemctl start preampd" show duo
check "... --json too, with the message on stderr" pc_fails 2 "preampd is not running" --json status
emu_stop duo
pd_check_sanitizers
finish
