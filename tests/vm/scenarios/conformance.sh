#!/bin/bash
# The emulator against the protocol, as the first user-space client sees it.
# For every shipped model: start it, plug it in, run pamp-conform (every
# request, STALL rule, phantom group, notification, meter and injected
# fault, through usbfs), then the capture check: a recording of every input
# peaks where the emulator says (inN.expected_peak_dbfs, within 0.5 dB) and
# follows a gain change. Then the disconnects (the device vanishing in the
# middle of each request, a device-side unplug; each followed by a replug),
# and several interfaces at once.
#
# Our kernel driver is not loaded here: the Preamp Control interface is
# unbound, and pamp-conform detaches whatever would be bound to it.
#
#   conformance.sh [MODEL...]            default: every model shipped
#   conformance.sh --capture N MODEL     only the capture check, N times
#                                        (isochronous capture on a kernel)
#   conformance.sh --with-driver MODEL   snd-usb-preamp bound first: the
#                                        conformance test detaches it
set -u
. /tests/lib.sh

TOL_DB=0.5
# The host's timeout for ordinary requests. The spec's is 1000 ms, but a
# busy machine emulating the VM can hold the emulator up longer than that;
# pamp-conform still checks the 1000 ms timeout itself with fault delay.
CONFORM_TIMEOUT_MS=5000

# ini_value FILE KEY: a key of the model file's [device] section.
ini_value() {
	awk -v key="$2" '
		/^\[/ { dev = ($0 ~ /^\[device\]/) }
		dev {
			line = $0
			sub(/;.*/, "", line)
			if (match(line, "^[ \t]*" key "[ \t]*=")) {
				v = substr(line, RLENGTH + 1)
				gsub(/^[ \t]+|[ \t]+$/, "", v)
				print v
				exit
			}
		}' "$1"
}

# within TOL A B: |A - B| <= TOL (A and B may be -inf: equal only to -inf).
within() {
	awk -v t="$1" -v a="$2" -v b="$3" 'BEGIN {
		if (a == "-inf" || b == "-inf") exit !(a == b)
		d = a - b; if (d < 0) d = -d
		exit !(d <= t)
	}'
}

# conform NAME MODEL_FILE [ARGS...]: pamp-conform on emulator NAME. Its
# ok / not ok lines go to the console as they come; one line sums it up.
conform() {
	local name=$1 model=$2 dev pad rc=0 out what
	shift 2
	what="pamp-conform${*:+ $*} on $name"
	dev=$(emu_devnode "$name") || { fail "$what: no device node"; return 1; }
	pad=$(ini_value "$model" pad_db)
	out=/tmp/conform-$name.log
	pamp-conform --ctl "/run/emu-$name.sock" --device "$dev" \
		--timeout "$CONFORM_TIMEOUT_MS" ${pad:+--pad-db "$pad"} "$@" 2>&1 |
		tee "$out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		ok "$what ($dev): $(sed -n 's/^# \(.* checks, .*\)/\1/p' "$out")"
	else
		fail "$what ($dev) exits $rc" \
			"$(grep '^not ok' "$out" | head -n 20)" \
			"$(sed -n 's/^# \(.* checks, .*\)/\1/p' "$out")"
	fi
}

# record NAME: 2 s of every input of NAME's card into /tmp/cap-NAME.wav,
# then its levels into /tmp/cap-NAME.lvl. Prints arecord's complaint on
# failure. The buffer is large (1 s): under emulation the VM can stall for
# a few hundred ms, longer than ALSA waits with a default buffer. A stream
# that still breaks (EIO) is tried again, up to RECORD_TRIES times, and
# each retry is noted.
RECORD_TRIES=3
record() {
	local name=$1 card n try
	card=$(emu_card "$name") || { echo "no USB-Audio card for $name"; return 1; }
	n=$(emu "$name" get device.num_inputs) || return 1
	for try in $(seq 1 "$RECORD_TRIES"); do
		rm -f "/tmp/cap-$name.wav" "/tmp/cap-$name.lvl"
		if arecord -q -D "hw:$card,0" -f S16_LE -r 48000 -c "$n" -d 2 \
			--buffer-time=1000000 "/tmp/cap-$name.wav" \
			>"/tmp/arecord-$name.log" 2>&1 &&
			! grep -qi 'overrun\|xrun' "/tmp/arecord-$name.log"; then
			# The first 100 ms may hold what the device rendered before.
			pamp-level --skip-ms 100 "/tmp/cap-$name.wav" >"/tmp/cap-$name.lvl"
			return
		fi
		echo "# $name: recording attempt $try of $RECORD_TRIES failed: $(tr '\n' ' ' <"/tmp/arecord-$name.log")" >&2
	done
	echo "arecord -D hw:$card,0 -c $n failed $RECORD_TRIES times; the last time:"
	cat "/tmp/arecord-$name.log"
	return 1
}

# channel_peak NAME CH: channel CH's peak in the last recording of NAME.
channel_peak() {
	sed -n "s/^ch$2 peak=\([^ ]*\) .*/\1/p" "/tmp/cap-$1.lvl"
}

# levels_match NAME WHAT: every channel of the last recording peaks where
# the emulator says, within TOL_DB.
levels_match() {
	local name=$1 what=$2 n i exp got bad= table= line
	n=$(emu "$name" get device.num_inputs)
	for i in $(seq 1 "$n"); do
		exp=$(emu "$name" get "in$i.expected_peak_dbfs")
		got=$(channel_peak "$name" "$i")
		line="input $i: expected $exp dBFS, recorded ${got:-nothing} dBFS"
		table="${table:+$table
}$line"
		within "$TOL_DB" "${got:-x}" "$exp" || bad=1
	done
	echo "# $name $what: $(printf '%s' "$table" | tr '\n' ';' | sed 's/;/; /g')"
	if [ -z "$bad" ]; then
		ok "capture $name $what: all $n inputs peak where the emulator says (+-$TOL_DB dB)"
	else
		fail "capture $name $what: every input peaks where the emulator says (+-$TOL_DB dB)" \
			"$table"
	fi
}

# sines NAME: a sine on every input, -24 dBFS after the gain and pad, a
# little lower on each input so that crossed channels show.
sines() {
	local name=$1 n i g lvl
	n=$(emu "$name" get device.num_inputs)
	for i in $(seq 1 "$n"); do
		g=$(emu "$name" get "in$i.gain_db")
		lvl=$(awk -v g="$g" -v i="$i" -v pad="$(emu "$name" get "in$i.pad")" \
			-v pd="${PAD_DB:-0}" \
			'BEGIN { printf "%.2f", -24 - i - g + (pad == 1 ? pd : 0) }')
		emu "$name" source "$i" sine "$lvl" >/dev/null || return 1
	done
}

# move_gains NAME: every input with software gain 6 dB up (down if there
# is no room); prints the moves as "IN DELTA" lines.
move_gains() {
	local name=$1 n i caps g max new
	n=$(emu "$name" get device.num_inputs)
	for i in $(seq 1 "$n"); do
		caps=$(emu "$name" get "in$i.caps")
		[ $(( caps & 0x100 )) -ne 0 ] || continue
		g=$(emu "$name" get "in$i.gain_db")
		max=$(emu "$name" get "in$i.gain_max_db")
		new=$(awk -v g="$g" -v m="$max" 'BEGIN { print (g + 6 <= m) ? g + 6 : g - 6 }')
		emu "$name" knob "$i" gain "$new" >/dev/null || return 1
		echo "$i $(awk -v a="$new" -v b="$g" 'BEGIN { print a - b }')"
	done
}

# capture_check NAME: the recording against the emulator, then again after
# the gains moved (the knob), each channel moving by as much as its gain.
capture_check() {
	local name=$1 out moves i d before after
	if ! wait_until 20 emu_card "$name"; then
		fail "capture $name: snd-usb-audio made a card" "$(cat /proc/asound/cards)"
		return 1
	fi
	check "capture $name: a sine on every input" sines "$name" || return 1
	out=$(record "$name") || { fail "capture $name: 2 s recorded" "$out"; return 1; }
	ok "capture $name: 2 s of every input recorded (card $(emu_card "$name"))"
	levels_match "$name" "at the model's gains"
	cp "/tmp/cap-$name.lvl" "/tmp/cap-$name.before"

	moves=$(move_gains "$name") || { fail "capture $name: knob gains move"; return 1; }
	[ -n "$moves" ] || return 0
	out=$(record "$name") || { fail "capture $name: recorded after the knob" "$out"; return 1; }
	levels_match "$name" "after the knob moved the gains"
	while read -r i d; do
		before=$(sed -n "s/^ch$i peak=\([^ ]*\) .*/\1/p" "/tmp/cap-$name.before")
		after=$(channel_peak "$name" "$i")
		if within "$TOL_DB" "$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" "$d"; then
			ok "capture $name: input $i moved $d dB with its gain ($before -> $after dBFS)"
		else
			fail "capture $name: input $i moves with its gain" \
				"expected a move of $d dB, seen $before -> $after dBFS"
		fi
	done <<<"$moves"
}

# plug_again NAME: after a disconnect, wait until the old device is gone,
# then attach again.
_vhci_free() { ! _emu_vhci "$1" >/dev/null 2>&1; }
plug_again() {
	wait_until 20 _vhci_free "$1" || { echo "the old attachment of $1 is still there"; return 1; }
	emu_plug "$1"
}

check "usbip and sound modules load" load_modules usbip-core vhci-hcd snd-usb-audio || finish

# --capture N MODEL: the capture check alone, N times in a row, with the
# emulator's log shown when a recording fails.
if [ "${1:-}" = --capture ]; then
	count=${2:-10}
	m=${3:-quad}
	RECORD_TRIES=1		# every failure counts here
	file=$EMU_MODELS/$m.ini
	check "$m: the emulator starts" emu_start "k-$m" "$file" --verbose || finish
	check "$m: it plugs in" emu_plug "k-$m" || finish
	wait_until 20 emu_card "k-$m" || { fail "$m: a card" "$(cat /proc/asound/cards)"; finish; }
	PAD_DB=$(ini_value "$file" pad_db) sines "k-$m"
	good=0
	for i in $(seq 1 "$count"); do
		urbs0=$(emu "k-$m" counters | sed -n 's/^iso.urbs=//p')
		t0=$(_uptime_cs)
		if out=$(record "k-$m"); then
			good=$((good + 1))
			levels_match "k-$m" "recording $i of $count"
		else
			fail "capture k-$m: recording $i of $count" "$out" \
				"it took $(( ($(_uptime_cs) - t0) / 100 )) s; the emulator completed $(( $(emu "k-$m" counters | sed -n 's/^iso.urbs=//p') - urbs0 )) iso URBs meanwhile" \
				"the emulator's log, last lines:" \
				"$(grep -v 'notification' "/tmp/emu-k-$m.log" | tail -n 30)"
		fi
	done
	echo "# $good of $count recordings of $m succeeded on $(uname -r)"
	echo "# $(emu "k-$m" counters | grep -E '^(iso|connections)' | tr '\n' ' ')"
	check "$m: it unplugs" emu_unplug "k-$m"
	emu_stop "k-$m"
	finish
fi

# --with-driver MODEL: our kernel driver binds the Preamp Control interface
# first; pamp-conform must detach it (usbfs) and then find the device as
# the driver left it.
_bound_to() {
	[ "$(basename "$(readlink "$1/driver" 2>/dev/null)")" = "$2" ]
}
_pc_intf() {
	local d
	for d in "$1":1.*; do
		[ "$(cat "$d/bInterfaceClass" 2>/dev/null)" = ff ] && { echo "$d"; return 0; }
	done
	return 1
}
if [ "${1:-}" = --with-driver ]; then
	m=${2:-quad}
	file=$EMU_MODELS/$m.ini
	check "snd-usb-preamp loads" load_module snd-usb-preamp || finish
	check "$m: the emulator starts" emu_start "w-$m" "$file" || finish
	check "$m: it plugs in" emu_plug "w-$m" || finish
	intf=$(_pc_intf "$(emu_usb "w-$m")")
	check "$m: snd-usb-preamp binds the Preamp Control interface" \
		wait_until 20 _bound_to "$intf" snd-usb-preamp
	conform "w-$m" "$file" --only requests,stall
	if _bound_to "$intf" snd-usb-preamp; then
		fail "$m: pamp-conform detached snd-usb-preamp" "still bound: $intf"
	else
		now=$(readlink "$intf/driver" 2>/dev/null)
		ok "$m: pamp-conform detached snd-usb-preamp (the interface is now ${now:+bound to }$(basename "${now:-unbound}"))"
	fi
	check "$m: it unplugs" emu_unplug "w-$m"
	emu_stop "w-$m"
	finish
fi

if module_loaded snd_usb_preamp; then
	echo "# snd-usb-preamp is loaded: pamp-conform will detach it from the interface"
fi

if [ $# -gt 0 ]; then
	models=("$@")
else
	models=()
	for f in "$EMU_MODELS"/*.ini; do
		models+=("$(basename "$f" .ini)")
	done
fi
[ ${#models[@]} -gt 0 ] || { fail "models shipped in $EMU_MODELS"; finish; }

# ------------------------------------------------------- every model --

for m in "${models[@]}"; do
	file=$EMU_MODELS/$m.ini
	name=c-$m
	echo "# ---- model $m ($(ini_value "$file" name))"
	check "$m: the emulator starts" emu_start "$name" "$file" || continue
	if ! check "$m: it plugs in" emu_plug "$name"; then
		emu_stop "$name"
		continue
	fi
	conform "$name" "$file"
	if [ "$(ini_value "$file" audio)" = yes ]; then
		PAD_DB=$(ini_value "$file" pad_db) capture_check "$name"
	else
		echo "# $m has no audio function: no capture check"
	fi
	check "$m: it unplugs" emu_unplug "$name"
	emu_stop "$name"
done

# ------------------------------------------------------ disconnects --
# The device vanishes in the middle of each request in turn, then on a
# device-side unplug; each time it comes back with a replug, and a
# persistent model keeps the gain it had.

dm=quad
for m in octo quad "${models[0]}"; do
	[ -f "$EMU_MODELS/$m.ini" ] && { dm=$m; break; }
done
file=$EMU_MODELS/$dm.ini
name=d-$dm
echo "# ---- disconnects ($dm)"
if check "$dm: the emulator starts" emu_start "$name" "$file" &&
	check "$dm: it plugs in" emu_plug "$name"; then
	persistent=no
	case " $(ini_value "$file" flags) " in *" persistent "*) persistent=yes ;; esac
	for req in GET_INFO GET_INPUT_INFO GET_INPUT_STATE SET_GAIN SET_SWITCH \
		GET_METERS GET_ALL_STATE SET_ALL_STATE any unplug; do
		# A gain to look for after the power cycle.
		emu "$name" knob 1 gain 12 >/dev/null 2>&1
		if [ "$req" = unplug ]; then
			conform "$name" "$file" --only unplug
		else
			conform "$name" "$file" --only disconnect --disconnect-on "$req"
		fi
		check "$dm: replugged after the $req disconnect" plug_again "$name" || break
		if [ "$persistent" = yes ]; then
			check_eq "$dm: the persistent device kept input 1 at 12 dB across the power cycle" \
				12 "$(emu "$name" get in1.gain_db)"
		fi
	done
	conform "$name" "$file" --only requests
	check "$dm: it unplugs" emu_unplug "$name"
fi
emu_stop "$name" 2>/dev/null

# ------------------------------------------- several interfaces at once --

# Three at once: two with audio and a control-only one. (Each emulator
# renders its audio all the time; under emulation the eight-channel one
# with two others and their tests is more than two virtual CPUs keep up
# with, so it is left out here: its turn is the first section.)
multi=()
for m in quad solo remote duo-nometer octo; do
	[ -f "$EMU_MODELS/$m.ini" ] && multi+=("$m")
	[ ${#multi[@]} -lt 3 ] || break
done
echo "# ---- several interfaces at once: ${multi[*]}"
up=()
for m in "${multi[@]}"; do
	check "multi $m: the emulator starts" emu_start "m-$m" "$EMU_MODELS/$m.ini" \
		--serial "MULTI-$m" || continue
	check "multi $m: it plugs in" emu_plug "m-$m" && up+=("$m")
done
if [ ${#up[@]} -ge 2 ]; then
	# pamp-conform on all at once; each output is shown whole afterwards.
	pids=()
	for m in "${up[@]}"; do
		dev=$(emu_devnode "m-$m")
		pad=$(ini_value "$EMU_MODELS/$m.ini" pad_db)
		pamp-conform --ctl "/run/emu-m-$m.sock" --device "$dev" \
			--timeout "$CONFORM_TIMEOUT_MS" ${pad:+--pad-db "$pad"} \
			--only requests,stall,phantom,meters \
			>"/tmp/multi-$m.log" 2>&1 &
		pids+=($!)
	done
	i=0
	for m in "${up[@]}"; do
		wait "${pids[$i]}"
		rc=$?
		i=$((i + 1))
		sed "s/^\(\(not \)\{0,1\}ok - \)/\1multi $m: /" "/tmp/multi-$m.log"
		if [ "$rc" -eq 0 ]; then
			ok "multi $m: pamp-conform passes while the others run"
		else
			fail "multi $m: pamp-conform passes while the others run" "exit status $rc"
		fi
	done

	# Every card records at once; each holds its own device's levels.
	for m in "${up[@]}"; do
		[ "$(ini_value "$EMU_MODELS/$m.ini" audio)" = yes ] || continue
		wait_until 20 emu_card "m-$m" || { fail "multi $m: a card"; continue; }
		PAD_DB=$(ini_value "$EMU_MODELS/$m.ini" pad_db) sines "m-$m"
	done
	pids=()
	rec=()
	for m in "${up[@]}"; do
		[ "$(ini_value "$EMU_MODELS/$m.ini" audio)" = yes ] || continue
		emu_card "m-$m" >/dev/null || continue
		record "m-$m" >"/tmp/multi-rec-$m.log" 2>&1 &
		pids+=($!)
		rec+=("$m")
	done
	i=0
	for m in "${rec[@]}"; do
		if wait "${pids[$i]}"; then
			levels_match "m-$m" "recorded alongside the others"
		else
			fail "multi $m: recorded alongside the others" "$(cat "/tmp/multi-rec-$m.log")"
		fi
		i=$((i + 1))
	done
	check "multi: distinct serials seen by the host" test "$(
		for m in "${up[@]}"; do cat "$(emu_usb "m-$m")/serial"; done | sort -u | wc -l)" -eq ${#up[@]}
fi
for m in "${up[@]}"; do
	check "multi $m: it unplugs" emu_unplug "m-$m"
done
for m in "${multi[@]}"; do
	emu_stop "m-$m" 2>/dev/null
done

finish
