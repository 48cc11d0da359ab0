#!/bin/bash
# SPDX-License-Identifier: MIT
# End-to-end check of preampctl against fake-preampd.py, a stand-in for
# preampd's D-Bus API, on a private bus: every subcommand, its output, its
# exit code, the errors the daemon can give, and the live meter in a tmux
# pane (drawn in place, no screen clears, about 30 frames a second, the
# terminal put back). It proves the client only; the real daemon is tested
# in the VM test bed.
#
# usage: tests/fake-preampd/e2e.sh [path/to/preampctl]
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
P=$(realpath "${1:-build/bin/preampctl}")
PY=/usr/bin/python3	# the Debian one, with python3-dbus and python3-gi
[ -x "$P" ] || { echo "no preampctl at $P (make build/bin/preampctl)" >&2; exit 2; }
for need in dbus-daemon busctl tmux; do
	command -v "$need" >/dev/null || { echo "e2e needs $need" >&2; exit 2; }
done
"$PY" -c 'import dbus, gi' 2>/dev/null ||
	{ echo "e2e needs python3-dbus and python3-gi (apt-get install python3-dbus python3-gi)" >&2; exit 2; }

work=$(mktemp -d /tmp/preampctl-e2e.XXXXXX)
addr="unix:path=$work/bus"
tmux_sock="preampctl-e2e-$$"
bus_pid="" fake_pid=""
passed=0 failed=0

cleanup() {
	tmux -L "$tmux_sock" kill-server 2>/dev/null
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

export DBUS_SYSTEM_BUS_ADDRESS=$addr
export LC_ALL=C.UTF-8

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() {
	failed=$((failed + 1))
	printf 'FAIL %s\n' "$1"
	shift
	for line in "$@"; do printf '     %s\n' "$line"; done
}

# t NAME RC STDOUT-REGEX STDERR-REGEX -- COMMAND...  (stdin is /dev/null)
t() {
	local name=$1 want=$2 out_re=$3 err_re=$4
	shift 5
	"$@" </dev/null >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name" "exit $rc, expected $want" "stdout: $(head -c 600 "$work/out")" \
			"stderr: $(head -c 600 "$work/err")"
	elif [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$work/out"; then
		bad "$name" "stdout lacks /$out_re/" "stdout: $(head -c 800 "$work/out")"
	elif [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$work/err"; then
		bad "$name" "stderr lacks /$err_re/" "stderr: $(head -c 800 "$work/err")"
	else
		ok "$name"
	fi
}

# check NAME COMMAND... : passes when the command does
check() {
	local name=$1
	shift
	if "$@" >"$work/check" 2>&1; then
		ok "$name"
	else
		bad "$name" "$(head -c 800 "$work/check")"
	fi
}

fake() {	# fake METHOD SIGNATURE ARGS...
	busctl --address="$addr" call org.preampd.Preamp1 /org/preampd/Preamp1 \
		org.preampd.Fake "$@"
}
calls() {	# how many calls of a method the fake saw since ClearCalls
	fake Calls s "$1" | awk '{print $2}'
}
# the value of a jq-like path in status --json, through python
jget() {
	"$P" --json status </dev/null | "$PY" -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if k.isdigit() else v[k]
print(json.dumps(v))' "$1"
}
valid_json_lines() {	# every line of the file is one JSON value
	"$PY" -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line)
    n += 1
sys.exit(0 if n >= int(sys.argv[2]) else 1)' "$@"
}

start_fake() {
	"$PY" "$here/fake-preampd.py" "$@" >"$work/fake.log" 2>&1 &
	fake_pid=$!
	for _ in $(seq 50); do
		grep -q ready "$work/fake.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "fake-preampd did not start:" >&2
	cat "$work/fake.log" >&2
	exit 2
}
stop_fake() {
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=""
}

echo "== command line"
t "--help lists commands and exit codes" 0 "Exit status" "" -- "$P" --help
t "--version" 0 "^preampctl " "" -- "$P" --version
t "an unknown command is a usage error" 1 "" "unknown command 'frob'" -- "$P" frob
t "a malformed gain is a usage error" 1 "" "invalid gain 'loud'" -- "$P" gain 1 1 loud
t "NaN is not a gain" 1 "" "invalid gain 'nan'" -- "$P" gain 1 1 nan
t "an on/off typo is a usage error" 1 "" "expected on or off, not 'onn'" -- "$P" phantom 1 1 onn
t "a missing argument is named" 1 "" "missing VALUE" -- "$P" gain 1 1
t "an invalid preset name is an invalid value" 5 "" "invalid preset name" -- "$P" preset save 1 a/b

echo "== no daemon"
t "without a system bus: exit 2" 2 "" "cannot reach the system bus" -- \
	env DBUS_SYSTEM_BUS_ADDRESS=unix:path=$work/none "$P" status
dbus-daemon --session --address="$addr" --fork --print-pid=1 >"$work/bus.pid" ||
	{ echo "cannot start a private dbus-daemon" >&2; exit 2; }
bus_pid=$(cat "$work/bus.pid")
t "daemon not running: exit 2, how to start it" 2 "" \
	"preampd is not running.*" -- "$P" status
t "... says: systemctl start preampd" 2 "" "systemctl start preampd" -- "$P" list

start_fake quad duo hostile
quad=1d6b-0104-PAMP0001

echo "== reading"
t "status is the default" 0 "^1  Quad Mic Pre  \[$quad\]" "" -- "$P"
t "status shows the input table" 0 "^    1  Mic 1 +20.0 dB +off +off" "" -- "$P" status
t "status of one device" 0 "Duo Pre" "" -- "$P" status duo
check "status --json is valid JSON with every device" \
	test "$(jget daemon_version) $(jget devices.2.index)" = '"0.0-fake" 3'
t "list" 0 "^  1  $quad +1  Quad +4  Quad Mic Pre" "" -- "$P" list
list_json() {
	"$P" --json list </dev/null | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert [x["input_count"] for x in d["devices"]] == [4, 2, 2], d'
}
check "list --json is valid JSON" list_json
t "show by index" 0 "^Device 1: Quad Mic Pre" "" -- "$P" show 1
t "show by key" 0 "Key: +$quad" "" -- "$P" show "$quad"
t "show by card id" 0 "^Device 2: Duo Pre" "" -- "$P" show Duo_2
t "show by hw:N" 0 "^Device 2: Duo Pre" "" -- "$P" show hw:2
t "show by a part of the name, any case" 0 "^Device 1: Quad" "" -- "$P" show QUAD
t "show by a part of the key" 0 "^Device 2: Duo" "" -- "$P" show duo-0007
t "an ambiguous device lists the candidates" 4 "" \
	"ambiguous; it could be: 1 \(Quad Mic Pre, $quad\), 2 \(Duo Pre" -- "$P" show pre
t "no such device" 4 "" "no device matches 'zzz'" -- "$P" show zzz
t "no such device number" 4 "" "no device number 9" -- "$P" show 9
t "no such input" 4 "" "no input 9; inputs: 1 \(Mic 1\)" -- "$P" gain 1 9 10
t "an ambiguous input" 4 "" "input 'mic' is ambiguous" -- "$P" gain duo mic 10
show_json() {
	"$P" --json show 1 </dev/null | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["key"] == sys.argv[1] and d["inputs"][0]["phantom_group"] == [1, 2], d' "$quad"
}
check "show --json is one device" show_json

echo "== hostile strings from a device"
no_escapes() {
	{ "$P" status; "$P" list; "$P" show 3; "$P" gain 3 1 =-1; } </dev/null >"$work/h" 2>&1
	grep -q 'Evil "Pre"' "$work/h" && ! grep -q $'\e' "$work/h" && ! grep -q $'\a' "$work/h" &&
		! grep -q $'\r' "$work/h"
}
check "no terminal escape reaches the terminal" no_escapes
hostile_json() {
	"$P" --json show 3 </dev/null | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["name"] == "Evil \"Pre\"\\ \x1b[2J\x1b[31mred\x07\u202eoops\n\t\u4e2d\u6587 \U0001f3a4", repr(d["name"])
assert d["serial"] == "X\x1b]0;pwned\x07", repr(d["serial"])
assert d["inputs"][0]["label"] == "Mic\x1b[1;1H\r\"1\"", repr(d["inputs"][0]["label"])'
}
check "the hostile strings survive JSON intact" hostile_json
wrong_types() {
	"$P" --json show 3 </dev/null | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["card"] == 0 and d["persistent"] is False, d
assert d["inputs"][1]["gain"] is None and d["inputs"][1]["capabilities"] == ["gain"], d
assert d["inputs"][0]["level"] is None, d'
}
check "properties of the wrong type are ignored" wrong_types

echo "== changes"
fake ClearCalls >/dev/null
t "gain, absolute" 0 "^Mic 1 \(input 1\) of Quad Mic Pre: gain 30.0 dB$" "" -- "$P" gain quad 1 30
check "... the daemon has it" test "$(jget devices.0.inputs.0.gain)" = 30
t "gain, relative up" 0 "gain 33.0 dB" "" -- "$P" gain quad "mic 1" +3
t "gain, relative down, snapped by the daemon" 0 "gain 3[12].0 dB" "" -- "$P" gain quad 1 -1.5
t "gain, negative absolute" 0 "Line 4 \(input 4\) of Quad Mic Pre: gain -6.0 dB" "" -- "$P" gain 1 line =-6
t "gain, half steps" 0 "gain 12.5 dB" "" -- "$P" gain 1 inst 12.5
check "relative gain uses AdjustGain, absolute SetGain" \
	test "$(calls AdjustGain) $(calls SetGain)" = "2 3"
t "gain out of range names the range" 5 "" \
	"70.0 dB is out of range for Mic 1 \(input 1\) of Quad Mic Pre: 0.0 to 60.0 dB" -- "$P" gain 1 1 70
check "... and is refused before asking the daemon" test "$(calls SetGain)" = 3
fake FailNext sss SetGain org.preampd.Preamp1.Error.OutOfRange "above the maximum" >/dev/null
t "the daemon's OutOfRange also gives the range" 5 "" \
	"invalid value: above the maximum \(the range is 0.0 to 60.0 dB\)" -- "$P" gain 1 1 40
t "--json gain" 0 "^\{\"device\":\"$quad\",\"input\":1,\"gain\":40\}$" "" -- "$P" --json gain 1 1 40
t "48 V on names the shared switch" 0 \
	"Mic 1 \(input 1\) of Quad Mic Pre: 48 V on \(one switch for inputs 1, 2\)" "" -- "$P" phantom 1 1 on
check "... the whole group is on" test "$(jget devices.0.inputs.1.phantom)" = true
t "lock 48 V off" 0 "Mic 2 \(input 2\) of Quad Mic Pre: 48 V locked off" "" -- "$P" lock 1 2 on
check "... which switched the group off" test "$(jget devices.0.inputs.0.phantom)" = false
t "48 V on a locked group: exit 8" 8 "" "48 V is locked off for Mic 1.*sharing its switch" -- "$P" phantom 1 1 on
t "unlock" 0 "48 V unlocked" "" -- "$P" lock 1 2 off
fake FailNext sss SetPhantom org.preampd.Preamp1.Error.Locked "locked by another input" >/dev/null
t "the daemon's Locked: exit 8" 8 "" "48 V is locked off: locked by another input" -- "$P" phantom 1 3 on
t "--json phantom lists the inputs" 0 '"phantom":false,"inputs":\[1,2\]' "" -- "$P" --json phantom 1 2 off
for sw in pad phase highpass air; do
	t "$sw on" 0 "Mic 1 \(input 1\) of Quad Mic Pre: $sw on" "" -- "$P" "$sw" 1 1 on
	t "$sw off --json" 0 "\"$sw\":false" "" -- "$P" --json "$sw" 1 1 off
done
t "a missing capability: exit 6" 6 "" "Line 4 \(input 4\) of Quad Mic Pre has no pad" -- "$P" pad 1 4 on
fake FailNext sss SetSwitch org.preampd.Preamp1.Error.NotSupported "no air here" >/dev/null
t "the daemon's NotSupported: exit 6" 6 "" "not supported: no air here" -- "$P" air 1 2 on
t "level inst" 0 "Inst 3 \(input 3\) of Quad Mic Pre: instrument level" "" -- "$P" level 1 3 inst
t "level without the capability" 6 "" "has no line/instrument switch" -- "$P" level duo 1 line
t "policy restore" 0 "Quad Mic Pre: 48 V policy restore" "" -- "$P" policy 1 restore
check "... the daemon has it" test "$(jget devices.0.phantom_policy)" = '"restore"'
t "preset save" 0 "preset 'live set' saved" "" -- "$P" preset save 1 "live set"
t "preset list" 0 "^live set$" "" -- "$P" preset list 1
t "preset list --json" 0 '"presets":\["live set"\]' "" -- "$P" --json preset list 1
"$P" gain 1 1 10 >/dev/null
t "preset apply" 0 "preset 'live set' applied" "" -- "$P" preset apply 1 "live set"
check "... restored the gain" test "$(jget devices.0.inputs.0.gain)" = 40
t "apply a preset that does not exist" 4 "" "has no preset 'nope'; presets: live set" -- "$P" preset apply 1 nope
fake FailNext sss ApplyPreset org.preampd.Preamp1.Error.NoSuchPreset "deleted meanwhile" >/dev/null
t "the daemon's NoSuchPreset: exit 4" 4 "" "no such preset: deleted meanwhile" -- "$P" preset apply 1 "live set"
t "preset delete" 0 "preset 'live set' deleted" "" -- "$P" preset delete 1 "live set"
t "preset list, none" 0 "has no saved presets" "" -- "$P" preset list 1

echo "== failures"
fake SetAuth s deny >/dev/null
t "permission denied: exit 3" 3 "" "permission denied \(not authorized to change preamp settings\)" -- "$P" gain 1 1 20
check "... names polkit and the group" grep -q "needs polkit authorization .*'audio'" "$work/err"
fake SetAuth s interactive >/dev/null
t "no terminal: interactive=false, and the way out" 3 "" "without --no-ask-password" -- "$P" gain 1 1 20
check "... the call said interactive=false" \
	grep -q '"SetGain" false "[^"]*"$' <<<"$(fake Calls s SetGain)"
fake SetAuth s allow >/dev/null
fake FailNext sss SetGain org.preampd.Preamp1.Error.DeviceGone "unplugged during the call" >/dev/null
t "device unplugged during a call: exit 7" 7 "" "the device is gone \(unplugged\?\): unplugged during the call" -- "$P" gain 1 1 20
fake FailNext sss SetSwitch org.preampd.Preamp1.Error.IOError "STALL on SET_SWITCH" >/dev/null
t "the device refused: exit 7" 7 "" "the device refused the request: STALL" -- "$P" pad 1 1 on
fake FailNext sss StartAutoGain org.preampd.Preamp1.Error.Busy "autogain already runs" >/dev/null
t "busy: exit 8" 8 "" "busy: autogain already runs" -- "$P" autogain 1 1
fake FailNext sss SetLevel org.example.Weird "something odd" >/dev/null
t "an unknown error: exit 10, named" 10 "" "unexpected error from preampd \(org.example.Weird\): something odd" -- "$P" level 1 1 line
fake FailNext sss GetManagedObjects org.freedesktop.DBus.Error.NoReply "timed out" >/dev/null
t "a daemon that does not answer: exit 2" 2 "" "preampd did not answer" -- "$P" status

echo "== meter"
fake ClearCalls >/dev/null
t "meter into a pipe: one line per refresh" 0 "^[0-9]+\.[0-9]{3}  1:-?[0-9.inf]+  2:.*  4:" "" -- "$P" meter 1 --count 5
check "... exactly five lines" test "$(wc -l <"$work/out")" = 5
check "... one GetLevels call per refresh" test "$(calls GetLevels)" = 5
t "meter --json" 0 '^\{"time":[0-9.]+,"inputs":\[\{"number":1,"peak":' "" -- "$P" --json meter 1 --count 4 --rate 60
check "... every line is JSON" valid_json_lines "$work/out" 4
t "meter of one input" 0 "^[0-9.]+  4:[^ ]+$" "" -- "$P" meter 1 4 --count 2
fake SetMode ss "$quad" clip >/dev/null
t "meter shows clips" 0 "CLIP [0-9]+" "" -- "$P" meter 1 --count 3
fake SetMode ss "$quad" sine >/dev/null
t "meter on a device without meters: exit 6" 6 "" "Duo Pre has no level meters" -- "$P" meter duo
t "meter of an input without a meter: exit 6" 6 "" "has no level meter" -- "$P" meter 3 2
"$P" meter 1 >"$work/meter.out" 2>"$work/meter.err" </dev/null &
mpid=$!
sleep 0.5
fake RemoveDevice s "$quad" >/dev/null
wait "$mpid"
rc=$?
check "unplugged while metering: exit 7" test "$rc" = 7
check "... and says so" grep -q 'the device was unplugged' "$work/meter.err"
quad=$(fake AddDevice ss quad - | awk '{print $2}' | tr -d '"')

echo "== autogain"
t "autogain, done: the result in words" 0 \
	"Autogain done: Mic 1 \(input 1\) of Quad Mic Pre is set to 37.0 dB" "" -- "$P" autogain 3 1 --listen 1
check "... and the target window" grep -q "about -4.8 dBFS (target -5.5 to -4.0 dBFS)" "$work/out"
t "autogain --json" 0 '^\{"device":"[^"]+","input":2,"result":"done","gain":37,"peak":-6.8,"target":-6\}$' "" \
	-- "$P" --json autogain 3 2 --listen 1 --target -6
fake SetAutoGainResult sus "$quad" 1 max-gain >/dev/null
t "autogain, max-gain: exit 9" 9 "stopped at the highest gain, 60.0 dB.*-31.5 dBFS" "" -- "$P" autogain 3 1 --listen 1
fake SetAutoGainResult sus "$quad" 1 too-quiet >/dev/null
t "autogain, too-quiet: exit 9" 9 "heard nothing above -80 dBFS" "" -- "$P" autogain 3 1 --listen 1
fake SetAutoGainResult sus "$quad" 1 failed >/dev/null
t "autogain, failed: exit 7" 7 "Autogain failed" "" -- "$P" autogain 3 1 --listen 1
fake SetAutoGainResult sus "$quad" 1 no-signal >/dev/null
t "autogain without its signal still ends" 0 "Autogain done" "" -- "$P" autogain 3 1 --listen 1
fake SetAutoGainResult sus "$quad" 1 done >/dev/null
t "autogain without the capability: exit 6" 6 "" "has no autogain" -- "$P" autogain 3 4
t "autogain, bad --listen: exit 5" 5 "" "1 to 60 seconds" -- "$P" autogain 3 1 --listen 90

echo "== monitor"
"$P" --json monitor --count 6 >"$work/mon.json" 2>&1 </dev/null &
mpid=$!
sleep 0.7
"$P" gain 3 1 25 >/dev/null </dev/null
"$P" phantom 3 1 on >/dev/null </dev/null	# two inputs change, one line each
fake RemoveDevice s "$quad" >/dev/null
quad=$(fake AddDevice ss quad - | awk '{print $2}' | tr -d '"')
wait "$mpid"
rc=$?
check "monitor --json --count 6: exit 0" test "$rc" = 0
check "... six events" test "$(wc -l <"$work/mon.json")" = 6
check "... every line is JSON" valid_json_lines "$work/mon.json" 6
check "... a gain change names device, input, property, value" \
	grep -q "\"event\":\"changed\",\"path\":\"[^\"]*/inputs/1\",\"device\":\"$quad\",\"input\":1,\"interface\":\"org.preampd.Preamp1.Input\",\"property\":\"Gain\",\"value\":25" "$work/mon.json"
check "... 48 V on both inputs of the group" \
	test "$(grep -c '"property":"Phantom","value":true' "$work/mon.json")" = 2
check "... unplug" grep -q '"event":"device-removed"' "$work/mon.json"
check "... plug-in" grep -q '"event":"device-added".*"name":"Quad Mic Pre"' "$work/mon.json"
"$P" monitor --count 3 >"$work/mon.txt" 2>&1 </dev/null &
mpid=$!
sleep 0.7
fake SetMode ss "$quad" clip >/dev/null
"$P" meter 3 --count 2 >/dev/null </dev/null	# levels are made when asked for
"$P" autogain 3 1 --listen 1 >/dev/null </dev/null
wait "$mpid"
fake SetMode ss "$quad" sine >/dev/null
check "monitor in words: clips" grep -Eq "^[0-9:.]+  3 Quad Mic Pre, input 1 \(Mic 1\): CLIPPED \(clip count [0-9]+\)" "$work/mon.txt"
fake SetMode ss "$quad" silent >/dev/null	# no clips to interleave
"$P" monitor --count 2 >"$work/mon2.txt" 2>&1 </dev/null &
mpid=$!
sleep 0.7
"$P" autogain 3 2 --listen 1 >/dev/null </dev/null
wait "$mpid"
fake SetMode ss "$quad" sine >/dev/null
check "monitor in words: autogain listening" \
	grep -q 'input 2 (Mic 2): autogain listening' "$work/mon2.txt"
check "... and its end" \
	grep -Eq 'input 2 \(Mic 2\): (autogain done|gain 37.0 dB|autogain finished: done)' "$work/mon2.txt"

echo "== completion"
mkdir -p "$work/bin" && ln -sf "$P" "$work/bin/preampctl"	# as installed, by name
t "--complete devices: indices and keys" 0 "^$quad$" "" -- "$P" --complete devices
t "--complete inputs" 0 "^4$" "" -- "$P" --complete inputs quad
"$P" preset save quad "two words" >/dev/null </dev/null
t "--complete presets" 0 "^two words$" "" -- "$P" --complete presets quad
comp() {	# comp WORDS... : what bash completion offers for the last word, on one line
	PATH=$work/bin:$PATH bash -c '
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
_preampctl
echo "${COMPREPLY[*]}"' _ "$here/../../daemon/preampctl/preampctl.bash-completion" "$@" </dev/null
}
same() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }
check "bash completion: subcommands" same "$(comp preampctl ph)" "phantom phase"
check "bash completion: devices" same "$(comp preampctl gain 1d6b-0104)" "$quad"
check "bash completion: device indices" same "$(comp preampctl meter 2)" "2"
check "bash completion: inputs" same "$(comp preampctl pad quad '')" "1 2 3 4"
check "bash completion: on/off" same "$(comp preampctl phantom quad 1 o)" "on off"
check "bash completion: line/inst" same "$(comp preampctl level quad 1 '')" "line inst"
check "bash completion: policy words" same "$(comp preampctl --json policy quad r)" "restore"
check "bash completion: preset names, quoted" same "$(comp preampctl preset apply quad t)" 'two\ words'
check "bash completion: options of autogain" same "$(comp preampctl autogain 1 1 --t)" "--target"

echo "== the live meter in a terminal"
ESC=$'\e'
pane() { tmux -L "$tmux_sock" capture-pane -p -t e2e "$@"; }
count() { grep -aoF -- "$1" "$2" | wc -l; }	# occurrences of a string in a file
tmux -L "$tmux_sock" new-session -d -s e2e -x 100 -y 20 \
	"sleep 0.3; '$P' meter quad; echo EXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -x -- '-\\?echo'; sleep 60"
tmux -L "$tmux_sock" pipe-pane -t e2e -o "cat >>'$work/tty.raw'"
sleep 2.3
pane >"$work/pane1"
sleep 0.4
pane >"$work/pane2"
frames_before=$(count "$ESC[6A" "$work/tty.raw")
sleep 2
frames_after=$(count "$ESC[6A" "$work/tty.raw")
fps=$(((frames_after - frames_before) / 2))
meter_drawn() {
	grep -q '^Levels of Quad Mic Pre (dBFS)   q or Ctrl-C to quit' "$work/pane1" &&
	grep -Eq '^ +-60 .* -6 +0 +peak +hold$' "$work/pane1" &&
	[ "$(grep -Ec '^ [1-4] (Mic|Inst|Line) [1-4] +\[[-=#.|]+\] ' "$work/pane1")" = 4 ]
}
check "the meter shows title, scale and one bar per input" meter_drawn
in_place() {
	[ "$(grep -c . "$work/pane1")" = 6 ] && [ "$(grep -c . "$work/pane2")" = 6 ] &&
	! cmp -s "$work/pane1" "$work/pane2"
}
check "it redraws in place: six lines that change, nothing scrolls" in_place
# the rate itself (about 30 a second) is a benchmark, not a test: here it
# only has to keep redrawing
check "it keeps redrawing ($fps frames a second over 2 s)" test "$fps" -ge 1
no_clears() {
	[ "$(count "$ESC[2J" "$work/tty.raw")" = 0 ] && [ "$(count "$ESC[H" "$work/tty.raw")" = 0 ] &&
	[ "$(count "${ESC}c" "$work/tty.raw")" = 0 ] && [ "$(count "$ESC[J" "$work/tty.raw")" = 0 ] &&
	[ "$(count "$ESC[?25l" "$work/tty.raw")" = 1 ]
}
check "no screen clears, no jumps home, the cursor hidden" no_clears
check "each frame rewrites every line and clears its tail" \
	test "$(count "$ESC[K" "$work/tty.raw")" -ge $((6 * frames_after))
tmux -L "$tmux_sock" resize-window -t e2e -x 45
# the next frame after SIGWINCH: waited for, however slow the machine
narrower() {
	pane >"$work/pane3"
	[ "$(grep -c . "$work/pane3")" = 6 ] && ! grep -q '.\{45\}' "$work/pane3" &&
	grep -Eq '^ 1 \[[-=#.|]+\] ' "$work/pane3"
}
narrower_soon() {
	local i
	for i in $(seq 100); do
		narrower && return 0
		sleep 0.2
	done
	sed 's/^/     | /' "$work/pane3"	# what the pane showed instead
	return 1
}
check "a narrower terminal gets shorter lines, none wrapped" narrower_soon
tmux -L "$tmux_sock" send-keys -t e2e q
sleep 0.7
pane >"$work/pane4"
check "q quits with exit 0" grep -q '^EXIT=0$' "$work/pane4"
restored() {
	tail -c 100 "$work/tty.raw" | grep -aqF "$ESC[?25h" && grep -qx 'echo' "$work/pane4"
}
check "the cursor is shown again and echo is back on" restored
tmux -L "$tmux_sock" kill-session -t e2e

fake ClearCalls >/dev/null
fake SetAuth s interactive >/dev/null
tmux -L "$tmux_sock" new-session -d -s e2e -x 100 -y 20 \
	"'$P' gain quad 1 21; echo EXIT=\$?; '$P' --no-ask-password gain quad 1 22; echo EXIT=\$?; '$P' autogain quad 1 --listen 20; echo EXIT=\$?; sleep 60"
sleep 2
tmux -L "$tmux_sock" send-keys -t e2e C-c
sleep 1.5
pane -S -50 >"$work/pane5"
fake SetAuth s allow >/dev/null
check "on a terminal, a change asks with interactive=true" \
	grep -q '^a(sbs) 2 "SetGain" true .* "SetGain" false ' <<<"$(fake Calls s SetGain)"
check "... --no-ask-password with false, and says what to do" \
	grep -q 'without --no-ask-password' "$work/pane5"
check "autogain shows its progress live" \
	grep -q '^Autogain: Mic 1 (input 1) of Quad Mic Pre, target -5.5 to -4.0 dBFS' "$work/pane5"
cancelled() {
	grep -q '^Autogain cancelled; the gain is back to 21.0 dB.$' "$work/pane5" &&
	[ "$(grep '^EXIT=' "$work/pane5" | tr '\n' ' ')" = "EXIT=0 EXIT=3 EXIT=9 " ]
}
check "Ctrl-C cancels autogain: the gain is back, exit 9" cancelled
tmux -L "$tmux_sock" kill-session -t e2e

echo "== the daemon goes away"
"$P" meter quad >/dev/null 2>"$work/gone.err" </dev/null &
mpid=$!
sleep 0.5
stop_fake
wait "$mpid"
rc=$?
check "meter when preampd stops: exit 2, how to start it" \
	grep -q 'systemctl start preampd' "$work/gone.err"
check "... exit 2" test "$rc" = 2
"$P" --json monitor --count 2 >"$work/mon3.json" 2>"$work/mon3.err" </dev/null &
mpid=$!
sleep 0.5
start_fake solo
wait "$mpid"
rc=$?
check "monitor waits for preampd" grep -q "preampd is not running; waiting for it" "$work/mon3.err"
check "... and sees it start, with its device" sh -c "test $rc = 0 &&
	head -1 '$work/mon3.json' | grep -q '\"event\":\"daemon-started\"' &&
	tail -1 '$work/mon3.json' | grep -q '\"event\":\"device-added\".*\"name\":\"Solo Pre\"'"

echo "preampctl-e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
