#!/bin/bash
# AutoGain's test matrix: from the lowest, the middle and the highest
# starting gain, for the emulator's steady sine and speech-like sources, at
# levels that need from below the lowest gain (the pad, then min-gain) to
# beyond the highest (max-gain), and silence (too-quiet). Through the
# meters on the octo (eight inputs at once) and through the capture stream
# on the duo without meters (one input at a time: each run opens the
# stream). The expected result word, gain and pad come from the model's
# range and the source's level. The proof of each run is a recording:
# arecord from the interface's audio card after AutoGain, its peaks
# measured with pamp-level, and the emulator's clip count across it. The
# passes are counted from the daemon's log (a line as each pass starts,
# and the count in the line of the result). A `# case:` line per case and
# a table at the end. The daemon runs under ASan+UBSan.
#
# Under load the VM can fall behind the capture stream. What comes late
# (up to half a second: the emulator keeps a second of history) the daemon
# places by its position in the stream, not by when it arrived, so a pass
# never takes audio from before its gain change. What is lost (a VM more
# than half a second behind) makes a round prove nothing: it runs again.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

TARGET=-4		# dBFS, the usual target of dbus-api.md
WINDOW=1.5		# the loudest peak lands in [TARGET - WINDOW, TARGET]
LISTEN_MS=1500		# per pass; the speech source's loudest syllable comes once a second
MAX_PASSES=3
QUIET_DBFS=-80		# at most this at the highest gain: nothing was heard
REC_SECONDS=4		# holds three of the speech source's loudest syllables, should the stream skip
REC_TOL_DB=0.05		# the recording against the daemon's and the emulator's peak
RECORD_TRIES=5

# ---------------------------------------------------------------- helpers

model_pad_db() {
	sed -n 's/^pad_db *= *//p' "$EMU_MODELS/$1.ini"
}

# the gain grid point in the middle of [lo, hi]
mid_gain() {
	awk -v lo="$1" -v hi="$2" -v st="$3" \
		'BEGIN { printf "%g\n", lo + int((hi - lo) / 2 / st) * st }'
}

# ag_expect SHAPE LEVEL START LO HI STEP PAD_DB: what the spec gives:
# "WORD GAIN PAD PEAK". gain = (target - peak) rounded down to the step
# grid; below the range the pad first, then min-gain; above it max-gain;
# nothing heard at the highest gain: too-quiet, the start gain back.
# PEAK is the loudest peak at the final setting (0: it clips; -inf: silence).
ag_expect() {
	awk -v shape="$1" -v l="$2" -v s="$3" -v lo="$4" -v hi="$5" -v st="$6" \
		-v pad="$7" -v t="$TARGET" -v w="$WINDOW" -v q="$QUIET_DBFS" '
	function grid(x,  k, g) {
		k = int((x - lo) / st + 1e-9); if ((x - lo) / st + 1e-9 < 0) k = -1
		g = lo + k * st
		return g < lo ? lo : (g > hi ? hi : g)
	}
	function out(word, g, p, peak) {
		if (peak >= 0) peak = 0
		printf "%s %g %s %s\n", word, g, p ? "true" : "false",
			peak == "-inf" ? "-inf" : sprintf("%.2f", peak)
		exit
	}
	BEGIN {
		if (shape == "silence" || l + hi <= q) out("too-quiet", s, 0, "-inf")
		need = t - l
		if (need >= lo) {
			g = grid(need)
			out(g == hi && l + g < t - w ? "max-gain" : "done", g, 0, l + g)
		}
		if (pad > 0 && need + pad >= lo)
			out("done", grid(need + pad), 1, l - pad + grid(need + pad))
		if (pad > 0) out("min-gain", lo, 1, l - pad + lo)
		out("min-gain", lo, 0, l + lo)
	}'
}

# in_range X LO HI
in_range() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }'
}

# near X Y [AT]: X and Y (dBFS) agree within REC_TOL_DB plus what S16
# rounding can make of a peak measured at AT dBFS (default the lower of
# the two): half a step of 32767 is 0.13 dB at -60 dBFS. (busybox awk has
# no exp or log: 10^(AT/20) by halving and squaring, and ln(1 + u) <= u.)
near() {
	case "$1 $2" in
	*-inf*) [ "$1" = "$2" ]; return ;;
	esac
	awk -v x="$1" -v y="$2" -v at="${3:-}" -v d="$REC_TOL_DB" '
	function exp_(z,  k, s, t, n) {
		for (k = 0; z < -0.5 || z > 0.5; k++) z /= 2
		s = 1; t = 1
		for (n = 1; n < 20; n++) { t *= z / n; s += t }
		for (; k > 0; k--) s *= s
		return s
	}
	BEGIN {
		if (x == "" || y == "") exit 1
		if (at == "") at = x < y ? x : y
		d += 8.6859 * 0.5 / (32767 * exp_(at / 20 * 2.302585))
		e = x - y; if (e < 0) e = -e; exit !(e <= d) }'
}

num() { awk -v x="$1" 'BEGIN { printf "%g\n", x }'; }

# ends_logged MARK N: N runs have ended since line MARK of the daemon's
# log (one process a poll: the VM is slow enough)
ends_logged() {
	awk -v m="$1" -v n="$2" 'NR > m && /: AutoGain [a-z-]*, gain .* passes$/ { c++ }
		END { exit !(c >= n) }' "$PD_LOG"
}

# in_props IN: "STATE GAIN PAD" from D-Bus in one call
in_props() {
	pd_get "$DEV_PATH/inputs/$1" "$PD_BUS.Input" AutoGainState Gain Pad |
		awk '{ v = $2; gsub(/"/, "", v); if (NR == 2) v = sprintf("%g", v)
			printf "%s%s", (NR > 1 ? " " : ""), v }
			END { print "" }'
}

# st KEY: a value of the emulator's state saved in $STATE_FILE
st() {
	sed -n "s/^$1=//p" "$STATE_FILE"
}

# record NAME FILE: REC_SECONDS of every input of NAME's audio card, with a
# large buffer (the VM stalls under emulation) and up to RECORD_TRIES tries
# (a stream that breaks with EIO under load); the levels into FILE.
record() {
	local name=$1 lvl=$2 card n try
	card=$(emu_card "$name") || { echo "no USB-Audio card for $name"; return 1; }
	n=$(emu "$name" get device.num_inputs) || return 1
	for try in $(seq 1 "$RECORD_TRIES"); do
		rm -f "/tmp/rec-$name.wav" "$lvl"
		if arecord -q -D "hw:$card,0" -f S16_LE -r 48000 -c "$n" \
			-d "$REC_SECONDS" --buffer-time=1000000 "/tmp/rec-$name.wav" \
			>"/tmp/arecord-$name.log" 2>&1 &&
			! grep -qi 'overrun\|xrun' "/tmp/arecord-$name.log"; then
			# the first 100 ms may hold what was rendered before
			pamp-level --skip-ms 100 "/tmp/rec-$name.wav" >"$lvl"
			return
		fi
		echo "# $name: recording attempt $try of $RECORD_TRIES failed: $(tr '\n' ' ' <"/tmp/arecord-$name.log")" >&2
		sleep 1
	done
	echo "arecord -D hw:$card,0 -c $n failed $RECORD_TRIES times; the last time:"
	cat "/tmp/arecord-$name.log"
	return 1
}

rec_peak() {
	sed -n "s/^ch$2 peak=\([^ ]*\) .*/\1/p" "$1"
}

# ---------------------------------------------------------------- cases
#
# A case is "IN SHAPE LEVEL START". A round sets its cases up (pad off,
# the start gain, the source), lets the meter window pass, runs AutoGain
# on each (all at once on the meter path, one after the other on the
# capture path), records, and checks every case.

TABLE=/tmp/matrix.table
: >"$TABLE"
NCASES=0

# setup_case EMU IN SHAPE LEVEL START
setup_case() {
	local path=$DEV_PATH/inputs/$2
	pd_call "$path" "$PD_BUS.Input" SetSwitch sbb pad false false >/dev/null &&
		pd_call "$path" "$PD_BUS.Input" SetGain db "$5" false >/dev/null &&
		emu "$1" source "$2" "$3" "$4"
}

start_ag() {
	pd_call "$DEV_PATH/inputs/$1" "$PD_BUS.Input" StartAutoGain dub "$TARGET" "$LISTEN_MS" false
}

# judge EMU PATHNAME PAD_DB LVLFILE BEFORE AFTER IN SHAPE LEVEL START, with
# the daemon's log of the round in /tmp/round.log and BEFORE, AFTER the
# emulator's state before and after the recording
judge() {
	local emu=$1 via=$2 pad=$3 lvl=$4 before=$5 after=$6
	local in=$7 shape=$8 level=$9 start=${10}
	local lo hi st clipped epeak ew eg ep epk word gain padnow dpeak passes plines pg pp at rpeak name line
	read -r lo hi st clipped epeak <<<"$(awk -v k="in$in." '
		FNR == 1 { f++ }
		index($0, k) == 1 { split(substr($0, length(k) + 1), kv, "="); v[f, kv[1]] = kv[2] }
		END { printf "%s %s %s %d %s\n", v[1, "gain_min_db"], v[1, "gain_max_db"],
			v[1, "gain_step_db"], (v[2, "clip_count"] - v[1, "clip_count"] + 65536) % 65536,
			v[2, "expected_peak_dbfs"] }' "$before" "$after")"
	read -r ew eg ep epk <<<"$(ag_expect "$shape" "$level" "$start" "$lo" "$hi" "$st" "$pad")"
	read -r word gain padnow <<<"$(in_props "$in")"
	# the finish line; the passes logged; the gain and pad of the last
	# pass (the daemon's peak was measured there, at AT dBFS)
	line=$(grep "inputs/$in: AutoGain [a-z-]*, gain" /tmp/round.log | tail -n 1)
	read -r dpeak passes plines at <<<"$(awk -v in_="inputs/$in: AutoGain " -v g="$gain" \
		-v pad="$pad" -v on="$padnow" '
		index($0, in_) && / pass [0-9]+ listens at gain / {
			n++; pg = $0; sub(/.* at gain /, "", pg); sub(/ dB.*/, "", pg)
			pon = ($0 ~ /pad on$/)
		}
		index($0, in_) && /, gain .* passes$/ {
			dp = $0; sub(/.*loudest peak /, "", dp); sub(/ dBFS.*/, "", dp)
			ps = $0; sub(/.*, /, "", ps); sub(/ passes$/, "", ps)
		}
		END { printf "%s %s %d %s\n", dp == "" ? "-" : dp, ps == "" ? "-" : ps, n,
			dp - g + pg + ((on == "true") - pon) * pad }' /tmp/round.log)"
	rpeak=$(rec_peak "$lvl" "$in")
	name="$via in$in from $start dB, $shape at $level dBFS"
	NCASES=$((NCASES + 1))

	check_eq "$name: $ew at $eg dB, pad $ep" "$ew $eg $ep" "$word $gain $padnow" ||
		grep "inputs/$in: AutoGain" /tmp/round.log | sed 's/^/    /'
	if [ "$passes" != - ] && [ "$passes" -le "$MAX_PASSES" ] && [ "$passes" = "$plines" ]; then
		ok "$name: $passes of at most $MAX_PASSES listening passes"
	else
		fail "$name: at most $MAX_PASSES listening passes" \
			"finish line: $line" "passes logged: $plines"
	fi
	case "$ew" in
	done)
		check "$name: the recording's peak $rpeak dBFS is in [$TARGET - $WINDOW, $TARGET]" \
			in_range "$rpeak" "$(awk -v t="$TARGET" -v w="$WINDOW" 'BEGIN { print t - w }')" "$TARGET"
		;;
	*)
		check "$name: the recording's peak $rpeak dBFS is the expected $epk" near "$rpeak" "$epk"
		;;
	esac
	if [ "$ew" != too-quiet ] || [ "$dpeak" = - ]; then
		check "$name: the daemon's loudest peak $dpeak dBFS is the recording's" near "$dpeak" "$rpeak" "$at" ||
			grep "inputs/$in: AutoGain" /tmp/round.log | sed 's/^/    /'
	fi
	if [ "$epk" = 0.00 ]; then
		check "$name: it clips even there ($clipped clips while recording)" test "$clipped" -gt 0
	else
		check_eq "$name: no clip at the final gain" 0 "$clipped"
	fi
	echo "# case: $via in$in start=$start shape=$shape level=$level expected=$ew result=$word gain=$gain pad=$padnow daemon_peak=$dpeak rec_peak=$rpeak emu_peak=$epeak passes=$passes clips=$clipped"
	printf '%-7s %-3s %5s %-7s %6s  %-9s %-9s %5s %-5s %7s %7s %6s\n' \
		"$via" "$in" "$start" "$shape" "$level" "$ew" "$word" "$gain" "$padnow" \
		"${dpeak:--}" "${rpeak:--}" "${passes:--}" >>"$TABLE"
}

# meter_round CASE... (CASE: "START SHAPE LEVEL", one per input from 1):
# AutoGain on every input at once
meter_round() {
	local i n mark c start shape level pad
	n=0
	for c in "$@"; do
		n=$((n + 1))
		read -r start shape level <<<"$c"
		check "octo in$n: $shape at $level dBFS from $start dB" setup_case octo "$n" "$shape" "$level" "$start"
	done
	echo "# round at ${SECONDS}s"
	# a peak or a clip of the setting before stays in the meter for a window
	sleep 1
	mark=$(wc -l <"$PD_LOG")
	for i in $(seq 1 "$n"); do
		check "octo in$i: StartAutoGain replies at once" start_ag "$i"
	done
	if ! check "octo: AutoGain ends on inputs 1-$n" wait_until 120 ends_logged "$mark" "$n"; then
		pd_log 60
		return 1
	fi
	tail -n +$((mark + 1)) "$PD_LOG" >/tmp/round.log
	emu octo state >/tmp/state-before
	check "octo: a recording of every input after AutoGain" record octo /tmp/rec-octo.lvl || return 1
	emu octo state >/tmp/state-after
	pad=$(model_pad_db octo)
	n=0
	for c in "$@"; do
		n=$((n + 1))
		read -r start shape level <<<"$c"
		judge octo meter "$pad" /tmp/rec-octo.lvl /tmp/state-before /tmp/state-after \
			"$n" "$shape" "$level" "$start"
	done
}

# capture_round START CASE... (CASE: "SHAPE LEVEL", input 1, then 2):
# one input after the other, each run opens the capture stream. A VM that
# falls more than half a second behind the stream loses audio (the
# emulator resumes at the present and counts the frames lost): AutoGain
# then measured part of what played, and the round proves nothing, so it
# runs again (up to LOST_TRIES times; it says so).
LOST_TRIES=5
skipped() { emu duo counters | sed -n 's/^audio.skipped_frames=//p'; }
capture_round() {
	local start=$1 i n mark c shape level pad try lost
	shift
	for try in $(seq 1 "$LOST_TRIES"); do
		n=0
		for c in "$@"; do
			n=$((n + 1))
			read -r shape level <<<"$c"
			check "duo in$n: $shape at $level dBFS from $start dB" setup_case duo "$n" "$shape" "$level" "$start"
		done
		echo "# round at ${SECONDS}s"
		mark=$(wc -l <"$PD_LOG")
		lost=$(skipped)
		for i in $(seq 1 "$n"); do
			check "duo in$i: StartAutoGain replies at once" start_ag "$i"
			check "duo in$i: AutoGain ends" wait_until 60 ends_logged "$mark" "$i" || { pd_log 40; return 1; }
		done
		lost=$(( $(skipped) - lost ))
		[ "$lost" -gt 0 ] || break
		echo "# the stream lost $lost frames while AutoGain listened (the VM fell behind): the round again"
	done
	check_eq "duo: the stream lost no audio while AutoGain listened (in $try tries)" 0 "$lost"
	tail -n +$((mark + 1)) "$PD_LOG" >/tmp/round.log
	emu duo state >/tmp/state-before
	check "duo: a recording of both inputs after AutoGain" record duo /tmp/rec-duo.lvl || return 1
	emu duo state >/tmp/state-after
	pad=$(model_pad_db duo-nometer)
	n=0
	for c in "$@"; do
		n=$((n + 1))
		read -r shape level <<<"$c"
		judge duo capture "$pad" /tmp/rec-duo.lvl /tmp/state-before /tmp/state-after \
			"$n" "$shape" "$level" "$start"
	done
}

devices_one() {
	[ "$(pd_ndevices)" = 1 ]
}

# ---------------------------------------------------------------- the run

PD_BIN=preampd-asan
pd_setup
check "preampd starts" pd_start || { pd_log; finish; }
busctl --system monitor "$PD_BUS" >/tmp/monitor.log 2>&1 &

# through the meters: the octo, 0..60 dB in 1 dB steps, a 20 dB pad
check "the octo emulator starts" emu_start octo octo --serial PO8-AGM1 || finish
check "it plugs in" emu_plug octo || finish
check "it appears on D-Bus" wait_until 30 devices_one || { pd_log; finish; }
check "its audio card appears" wait_until 20 emu_card octo || finish
DEV_PATH=$(pd_dev_path)
lo=$(emu octo get in1.gain_min_db) hi=$(emu octo get in1.gain_max_db) st=$(emu octo get in1.gain_step_db)
mid=$(mid_gain "$lo" "$hi" "$st")
echo "# octo: gain $lo..$hi dB in $st dB steps, pad $(model_pad_db octo) dB, starts $lo $mid $hi"
check_eq "octo input 1 autogains through its meter" 'as 7 "gain" "phantom" "pad" "phase" "highpass" "meter" "autogain"' \
	"$(pd_get "$(pd_in_path 1)" "$PD_BUS.Input" Capabilities)"
# levels: clips even at the lowest gain with the pad; above the target
# there; the pad, then inside; the lowest gain; the middle; near the
# highest gain (measured at 0 dB it needs a second, finer pass); beyond the
# highest; far beyond it; silence. Sine and speech from each start; 32
# cases, eight at a time.
set --
for l in 18 6.4 -4.7 -33.6 -62.95 -75; do set -- "$@" "$lo sine $l" "$lo speech $l"; done
for l in 18 6.4 -33.6 -75; do set -- "$@" "$mid sine $l" "$mid speech $l"; done
for l in 6.4 -4.7 -33.6 -62.95; do set -- "$@" "$hi sine $l" "$hi speech $l"; done
set -- "$@" "$mid silence -20" "$hi silence -20" "$hi sine 25" "$lo sine -120"
while [ $# -gt 0 ]; do
	n=$(( $# < 8 ? $# : 8 ))
	meter_round "${@:1:n}"
	shift "$n"
done
check "the octo unplugs" emu_unplug octo
emu_stop octo
wait_until 20 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 0 ]'

# through the capture stream: the duo without meters, 0..50 dB, a 20 dB pad
check "the duo emulator starts" emu_start duo duo-nometer --serial PD2-AGM1 || finish
check "it plugs in" emu_plug duo || finish
check "it appears on D-Bus" wait_until 30 devices_one || { pd_log; finish; }
check "its audio card appears" wait_until 20 emu_card duo || finish
DEV_PATH=$(pd_dev_path)
sleep 1
lo=$(emu duo get in1.gain_min_db) hi=$(emu duo get in1.gain_max_db) st=$(emu duo get in1.gain_step_db)
mid=$(mid_gain "$lo" "$hi" "$st")
echo "# duo: gain $lo..$hi dB in $st dB steps, pad $(model_pad_db duo-nometer) dB, starts $lo $mid $hi"
check "duo: GetLevels is NotSupported (no meters)" sh -c "! busctl --system -- call $PD_BUS $(pd_dev_path) $PD_BUS.Device GetLevels"
# sine on input 1, speech on input 2: every start, every result word
capture_round "$lo" "sine 6.4" "speech -65"		# the pad, then inside; beyond the highest gain
capture_round "$lo" "sine -65" "speech 6.4"
capture_round "$mid" "sine -28.6" "speech 18"		# inside; above the target with the pad at the lowest gain
capture_round "$mid" "silence -20" "speech -4.7"	# silence; the lowest gain
capture_round "$hi" "sine 18" "speech -53.8"		# clips, the pad; near the highest gain
capture_round "$hi" "sine -52.99" "speech -28.6"
check "the duo unplugs" emu_unplug duo
emu_stop duo

check "every run sent AutoGainFinished" wait_until 10 sh -c \
	"[ \"\$(grep -c 'Member=AutoGainFinished' /tmp/monitor.log)\" -ge $NCASES ]"
pd_stop
pd_check_sanitizers

echo "# $NCASES cases; target $TARGET dBFS, window [$TARGET - $WINDOW, $TARGET], listen_ms $LISTEN_MS"
{
	printf '%-7s %-3s %5s %-7s %6s  %-9s %-9s %5s %-5s %7s %7s %6s\n' \
		path in start shape level expected result gain pad daemon rec passes
	cat "$TABLE"
} | sed 's/^/# /'
finish
