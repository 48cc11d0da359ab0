#!/bin/bash
# make bench: preampd's speed and memory against the ALSA tools, measured
# side by side in one VM and printed as one table. The numbers are not
# pass/fail thresholds (the goals are printed beside them); a measurement
# that could not be taken is a failure. Under TCG on a shared machine the
# numbers are noisy: compare runs on the same machine only.
#
#   1. plug-in to restored (the driver's own cards, own_card=1; see
#      below): from the kernel's first "add" uevent of a card
#      (udevadm monitor's timestamp) to the first poll of the emulator,
#      every 2 ms, that has every saved value (six differ from the
#      device's power-on defaults), median of 3; against stock Debian in
#      the same run: preampd stopped, alsa-utils' udev rule restoring the
#      same values with alsactl at the same uevent (median of 3); and
#      preampd's own account of each plug-in (its log): its own work
#      (the CPU time from udev's event to the device restored; a write
#      waits for the device, it takes no CPU), and how many writes it sent
#   2. SetGain round trip p50/p99 over 1000 sd-bus calls
#      (setgain-bench); against its reference measured just after it: an
#      empty method call to preampd (Peer.Ping, 1000 calls) plus one raw
#      snd_ctl_elem_write on the same control (ctl-write-bench, 1000
#      writes), p50 with p50 and p99 with p99; 4 clients at once, 250
#      calls each on inputs 1 to 4: their p50, and the wall time per call
#      (elapsed / 1000), against one client's p50; and 200 `amixer cset`
#      invocations. A call that takes the driver's 1000 ms host timeout (a
#      slow device on a busy host) is counted apart, not in the
#      percentiles, and does not stop the measurement
#   3. the daemon's context switches (all threads) in 10 idle seconds
#      with two devices, their sources playing below full scale
#   4. its private memory: smaps_rollup's Anonymous, the pages preampd
#      itself wrote (heap, stacks, the libraries' relocated data), not
#      the libraries' pages (the VM's root is a tmpfs, whose file pages
#      smaps counts as Private_Dirty when no other process maps them);
#      with no device (at its first start) and with four; the growth per
#      device in one process, from one device (after the calls of 2.) to
#      four; and its VmRSS
#   5. state-file renames (inotify) during a 5 s amixer sweep, default
#      debounce (500 ms)
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

KEY=1d6b-0104-PQ4-BENCH1
SOCK=/run/emu-quad.sock
GAIN="Line In 1 Gain Capture Volume"

declare -A R                    # the table's cells
R[plug]="not measured"; R[alsactl]="not measured"
R[plugu]="not measured"; R[alsactlu]="not measured"
R[rt]="not measured"; R[amixer]="not measured"
R[rt_to]="not measured"; R[amixer_to]="not measured"
R[wake]="not measured"; R[rss]="not measured"; R[writes]="not measured"
R[ref]="not measured"; R[ping]="not measured"; R[ctl]="not measured"
R[priv0]="not measured"; R[priv4]="not measured"; R[perdev]="not measured"
R[privn]="not measured"
R[own]="not measured"; R[four]="not measured"; R[cpu]="not measured"

ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
ndev() { [ "$(pd_ndevices)" = "$1" ]; }
plug() { emu_plug "$1" && wait_until 60 ndev "$2"; }
# context switches of every thread of PID
ctxt() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches:/ { s += $2 } END { print s + 0 }'
}

table() {
	echo
	echo "preamp benchmark (Linux $(uname -r), QEMU $( [ -e /dev/kvm ] && echo KVM || echo TCG))"
	printf '%-40s %-18s %s\n' "what" "preampd" "reference"
	printf '%-40s %-18s %s\n' "plug-in to restored" "${R[plug]}" "stock Debian (alsactl's rule): ${R[alsactl]}"
	printf '%-40s %-18s %s\n' "  after udev reached the card" "${R[plugu]}" "stock Debian: ${R[alsactlu]}"
	printf '%-40s %-18s %s\n' "  preampd's own work, its writes" "${R[own]}" "goal: under 10 ms, only what differs (6)"
	printf '%-40s %-18s %s\n' "SetGain round trip p50 / p99" "${R[rt]}" "empty call + raw write: ${R[ref]}"
	printf '%-40s %-18s %s\n' "  the reference's parts" "" "empty call ${R[ping]}; raw write ${R[ctl]}"
	printf '%-40s %s\n' "  CPU per call" "${R[cpu]}"
	printf '%-40s %-18s %s\n' "  4 clients: p50 / p99; per call" "${R[four]}" "goal: per call no more than one client's p50"
	printf '%-40s %-18s %s\n' "  a process per write" "" "amixer cset: ${R[amixer]}"
	printf '%-40s %-18s %s\n' "  calls that hit the 1000 ms timeout" "${R[rt_to]}" "amixer cset: ${R[amixer_to]}"
	printf '%-40s %s\n' "wakeups in 10 idle s, 2 devices" "${R[wake]}"
	printf '%-40s %-18s %s\n' "private memory, no device" "${R[priv0]}" "goal: 4 devices at most 512 kB"
	printf '%-40s %-18s %s\n' "private memory, 4 devices" "${R[priv4]}" "goal: at most 512 kB"
	printf '%-40s %-18s %s\n' "  growth per device, 1 to 4" "${R[perdev]}" "goal: at most 32 kB"
	printf '%-40s %-18s %s\n' "  no device, after 20 more plug-ins" "${R[privn]}" "no device at start: ${R[priv0]}"
	printf '%-40s %s\n' "RSS with 4 devices" "${R[rss]}"
	printf '%-40s %s\n' "state-file writes in a 5 s sweep" "${R[writes]}"
	echo
}

# private memory of PID in kB: the anonymous pages it wrote
private_kb() {
	awk '/^Anonymous:/ { print $2 }' /proc/"$1"/smaps_rollup 2>/dev/null
}
# where the private memory of PID is: the mappings with anonymous pages
anon_map() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 ? $6 : "[anon " $2 "]"; size = 0 }
		/^Size:/ { size = $2 }
		/^Anonymous:/ && $2 > 0 { printf "# %6d kB of %7d kB %s\n", $2, size, name }' \
		/proc/"$1"/smaps | sort -rn -k2 | head -n 12
}
# field F (p50_ms, p99_ms) of a line of setgain-bench or ctl-write-bench
field() { echo "$1" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | tail -n 1; }

pd_setup
# Cards of the driver's own: on snd-usb-audio's card (the default) the
# driver's controls join after the card is announced, so that alsactl's
# restore at plug-in may run before they are there and stock Debian's
# figure below would be a race, not a restore
check "snd-usb-preamp makes cards of its own (own_card=1)" \
	sh -c 'echo 1 >/sys/module/snd_usb_preamp/parameters/own_card'
check "preampd starts" pd_start || { pd_log; finish; }
pid=$(cat /run/preampd.pid)
wait_until 10 ndev 0
priv0=$(private_kb "$pid")
if [ -n "$priv0" ]; then
	R[priv0]="$priv0 kB"
	ok "private memory with no device: $priv0 kB"
else
	fail "smaps_rollup is read (no device)"
fi
# setpriv execs preampd: the pid is the daemon's
check "the quad emulator starts" emu_start quad quad --serial PQ4-BENCH1 || finish
check "it plugs in" plug quad 1 || { pd_log; finish; }
wait_until 10 pd_card_of quad
PD_CARD=$(pd_card_of quad)

# --- 1. plug-in to restored
sg() { pd_call "$(pd_in_path "$1")" "$PD_BUS.Input" SetGain db "$2" false >/dev/null; }
settings() {
	sg 1 20 && sg 2 9.5 && sg 3 33 && sg 4 -6 &&
		pd_call "$(pd_in_path 1)" "$PD_BUS.Input" SetSwitch sbb pad true false >/dev/null &&
		pd_call "$(pd_in_path 3)" "$PD_BUS.Input" SetSwitch sbb phase true false >/dev/null
}
check "six non-default settings through D-Bus" settings
want=(in1.gain_db=20 in2.gain_db=9.5 in3.gain_db=33 in4.gain_db=-6 in1.pad=1 in3.phase=1)
for kv in "${want[@]}"; do
	[ "$(emu quad get "${kv%%=*}")" = "${kv#*=}" ] || fail "the device has $kv" "$(emu quad get "${kv%%=*}")"
done
check "they are saved" wait_until 10 grep -qx 'gain = 33' "$PD_STATE/$KEY.state"
# a Debian machine's alsactl state, with the same values: stock Debian's
# restore at plug-in reads it; preampd's rule keeps alsactl off the card
# while preampd runs
check "alsactl stores the card" alsactl store "$PD_CARD"

# plug_round NAME: unplug (the device powers up at its defaults again),
# then plug in; PLUG_MS gets the milliseconds from the card's "add"
# uevent (udevadm monitor's timestamp, CLOCK_MONOTONIC) to the first poll
# of the emulator, every 2 ms, that has every saved value; UDEV_MS the
# milliseconds from udev's end of that card's "add" (the first moment
# udev would run anything for its control device, alsactl's rule
# included: udev handles a USB device's events in order, the earlier
# ones of its other interfaces, their cards' alsactl restores included,
# first) to the same restored poll. The round's udev timeline is printed
plug_round() {
	local mon waiter t_add t_udev t_done
	PLUG_MS= UDEV_MS=
	check "$1: the quad unplugs" emu_unplug quad || return 1
	check "$1: its card goes" wait_until 30 sh -c '! grep -q "Preamp Quad" /proc/asound/cards' || return 1
	udevadm monitor --kernel --udev --subsystem-match=sound \
		--subsystem-match=usb >/tmp/uevents 2>&1 &
	mon=$!
	sleep 1
	# (the unplugged emulator keeps its values until its power-on)
	bench-util wait-state --fresh "$SOCK" 60 "${want[@]}" >/tmp/restored 2>&1 &
	waiter=$!
	if ! check "$1: the quad plugs in" emu_plug quad; then
		kill "$mon" "$waiter"
		return 1
	fi
	if ! wait "$waiter"; then
		kill "$mon"
		fail "$1: the settings come back after the replug" "$(cat /tmp/restored)" \
			"$(emu quad state | grep -E 'gain_db|pad|phase')"
		return 1
	fi
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	# the preamp card: the last card of the device (the driver's own
	# card comes after snd-usb-audio's)
	local cardpath
	cardpath=$(sed -n 's|^KERNEL\[[0-9.]*\] add *\(/.*/sound/card[0-9]*\) (sound)$|\1|p' /tmp/uevents | tail -n 1)
	t_add=$(grep -F " $cardpath (sound)" /tmp/uevents | sed -n 's|^KERNEL\[\([0-9.]*\)\] add .*|\1|p' | head -n 1)
	t_udev=$(grep -F " $cardpath (sound)" /tmp/uevents | sed -n 's|^UDEV *\[\([0-9.]*\)\] add .*|\1|p' | head -n 1)
	t_done=$(cat /tmp/restored)
	if [ -z "$cardpath" ] || [ -z "$t_add" ] || [ -z "$t_udev" ] || [ -z "$t_done" ]; then
		fail "$1: plug-in to restored is measured" "$(cat /tmp/uevents /tmp/restored)"
		return 1
	fi
	PLUG_MS=$(ms_between "$t_add" "$t_done")
	UDEV_MS=$(ms_between "$t_udev" "$t_done")
	if [ "$PLUG_MS" -le 0 ]; then
		fail "$1: the settings come back after the card appears" "$t_add, $t_done"
		return 1
	fi
	ok "plug-in to restored by $1: $PLUG_MS ms; after udev reached the card: $UDEV_MS ms"
	# the timeline, in ms from the card's "add" uevent
	awk -v t0="$t_add" -v t1="$t_done" '
		/^(KERNEL|UDEV) *\[/ {
			src = $0 ~ /^KERNEL/ ? "kernel" : "udev"
			t = $0; sub(/^[A-Z]* *\[/, "", t); sub(/\].*/, "", t)
			rest = $0; sub(/^[^]]*\] */, "", rest)
			split(rest, f, " +")
			printf "#   %+6.0f ms %-6s %-7s %s %s\n", (t - t0) * 1000, src, f[1], f[2], f[3]
		}
		END { printf "#   %+6.0f ms restored\n", (t1 - t0) * 1000 }' /tmp/uevents |
		sed 's|/devices/platform/vhci_hcd.0/usb[0-9]*/||'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# preampd, three times
pt=() pu=()
for i in 1 2 3; do
	plug_round preampd && pt+=("$PLUG_MS") && pu+=("$UDEV_MS")
	wait_until 30 ndev 1
done
wait_until 10 pd_card_of quad
PD_CARD=$(pd_card_of quad)
if [ "${#pt[@]}" = 3 ]; then
	R[plug]="$(median3 "${pt[@]}") ms"
	R[plugu]="$(median3 "${pu[@]}") ms"
fi
# preampd's own account of each plug-in: its work, and its writes
own=() writes=()
while read -r o w; do own+=("$o"); writes+=("$w"); done < <(
	sed -n "s/.*set up in [0-9.]* ms: \([0-9.]*\) ms of CPU (preampd's own work), [0-9.]* ms in \([0-9]*\) control writes.*/\1 \2/p" "$PD_LOG" | tail -n 3)
if [ "${#own[@]}" = 3 ]; then
	R[own]="$(median3 "${own[@]}") ms, ${writes[*]} writes"
	ok "preampd's own work per plug-in (its CPU time): ${own[*]} ms; control writes: ${writes[*]}"
	grep 'set up in' "$PD_LOG" | tail -n 3 | sed 's/^/# /'
	# six settings differ from the power-on defaults: six writes, no more
	for w in "${writes[@]}"; do
		[ "$w" -le 6 ] || fail "preampd sends only what differs (6 settings)" "${writes[*]} writes"
	done
else
	fail "preampd logs what each plug-in cost it" "$(grep 'set up in' "$PD_LOG")"
fi

# stock Debian: preampd stopped, alsa-utils' 90-alsa-restore.rules runs
# alsactl restore at the same uevent, three times
if check "preampd stops for stock Debian's turn" pd_stop TERM; then
	st=() su=()
	for i in 1 2 3; do
		plug_round "alsactl's udev rule" && st+=("$PLUG_MS") && su+=("$UDEV_MS")
	done
	if [ "${#st[@]}" = 3 ]; then
		R[alsactl]="$(median3 "${st[@]}") ms"
		R[alsactlu]="$(median3 "${su[@]}") ms"
		if [ "${#pt[@]}" = 3 ]; then
			R[alsactl]+=" (goal: preampd within 1/3; $(ratio "$(median3 "${pt[@]}")" "$(median3 "${st[@]}")") now)"
			R[alsactlu]+=" ($(ratio "$(median3 "${pu[@]}")" "$(median3 "${su[@]}")") now)"
		fi
	fi
	check "preampd starts again" pd_start || { pd_log; finish; }
	pid=$(cat /run/preampd.pid)
	wait_until 30 ndev 1
	wait_until 10 pd_card_of quad
	PD_CARD=$(pd_card_of quad)
fi

# --- 2. SetGain round trip, against amixer cset
# CPU time of PID, all its threads, in ms: the first field of each
# thread's schedstat (nanoseconds on a CPU). Where a call's time goes:
# preampd's share against the bus's
cpu_ms() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.3f", s / 1e6 }'
}
bus_pid=
for d in /proc/[0-9]*; do
	[ "$(cat "$d/comm" 2>/dev/null)" = dbus-daemon ] && { bus_pid=${d#/proc/}; break; }
done
p0=$(cpu_ms "$pid") b0=$(cpu_ms "$bus_pid")
out=$(setgain-bench "$(pd_in_path 1)" 1000 2>&1)
rc=$?
p1=$(cpu_ms "$pid") b1=$(cpu_ms "$bus_pid")
echo "# CPU during the SetGain calls: preampd $p0 -> $p1 ms, dbus-daemon (pid $bus_pid) $b0 -> $b1 ms"
R[cpu]="SetGain: preampd $(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') ms, dbus-daemon $(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') ms"
case "$out" in
*p50_ms=*)
	R[rt]="$(echo "$out" | sed -n 's/.*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \/ \2 ms/p')"
	R[rt_to]="$(echo "$out" | sed -n 's/.*timeouts=\([0-9]*\).*/\1 of 1000/p')" ;;
esac
if [ "$rc" = 0 ]; then
	ok "SetGain round trip: $(echo "$out" | tail -n 1)"
else
	fail "1000 SetGain calls, every one answered (timeouts aside)" "$out"
fi
sg_out=$out
# four clients at once, 250 calls each, one input each
if out=$(setgain-bench --clients 4 "$(pd_in_path 1)" 250 2>&1); then
	per=$(field "$out" per_call_ms)
	R[four]="$(field "$out" p50_ms) / $(field "$out" p99_ms) ms; $per ms"
	sg1=$(field "$sg_out" p50_ms)
	[ -n "$sg1" ] && [ -n "$per" ] &&
		R[four]+=" ($(awk -v p="$per" -v s="$sg1" 'BEGIN { printf "%+.2f ms", p - s }') vs one client)"
	ok "4 clients at once: $(echo "$out" | tr '\n' ' ')"
else
	fail "4 clients, 250 SetGain calls each, every one answered" "$out"
fi
# its reference, in the same run: the bus's part, then the driver's
p0=$(cpu_ms "$pid") b0=$(cpu_ms "$bus_pid")
if out=$(setgain-bench --ping "$(pd_in_path 1)" 1000 2>&1); then
	p1=$(cpu_ms "$pid") b1=$(cpu_ms "$bus_pid")
	R[cpu]+="; empty call: preampd $(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') ms, dbus-daemon $(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') ms"
	R[ping]="$(field "$out" p50_ms) / $(field "$out" p99_ms) ms"
	ok "empty method call: $(echo "$out" | tail -n 1)"
else
	fail "1000 empty method calls to preampd" "$out"
fi
ping_out=$out
if out=$(ctl-write-bench "$PD_CARD" "$GAIN" 1000 2>&1); then
	R[ctl]="$(field "$out" p50_ms) / $(field "$out" p99_ms) ms"
	ok "raw snd_ctl_elem_write: $(echo "$out" | tail -n 1)"
else
	fail "1000 raw snd_ctl_elem_write" "$out"
fi
ctl_out=$out
ref50=$(awk -v a="$(field "$ping_out" p50_ms)" -v b="$(field "$ctl_out" p50_ms)" \
	'BEGIN { if (a != "" && b != "") printf "%.2f", a + b }')
ref99=$(awk -v a="$(field "$ping_out" p99_ms)" -v b="$(field "$ctl_out" p99_ms)" \
	'BEGIN { if (a != "" && b != "") printf "%.2f", a + b }')
sg50=$(field "$sg_out" p50_ms)
if [ -n "$ref50" ] && [ -n "$ref99" ] && [ -n "$sg50" ]; then
	R[ref]="$ref50 / $ref99 ms (goal: p50 within 1 ms, $(awk -v s="$sg50" -v r="$ref50" 'BEGIN { printf "%+.2f ms", s - r }') now)"
fi
bad=0 slow=0
: >/tmp/amixer-ms
for i in $(seq 200); do
	t0=${EPOCHREALTIME/./}
	amixer -q -c "$PD_CARD" cset name="$GAIN" $(( i % 2 ? 60 : 80 )) >/dev/null 2>&1
	rc=$?
	t1=${EPOCHREALTIME/./}
	if (( t1 - t0 >= 1000000 )); then
		slow=$((slow + 1))	# the driver's timeout: counted apart
	elif [ "$rc" != 0 ]; then
		bad=$((bad + 1))
	else
		echo "$(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 ))" >>/tmp/amixer-ms
	fi
done
R[amixer_to]="$slow of 200"
if [ "$bad" = 0 ]; then
	out=$(bench-util ms-stats </tmp/amixer-ms 2>&1)
else
	out="$bad of 200 amixer cset failed"
fi
case "$out" in
n=*)
	R[amixer]="$(echo "$out" | sed 's/.*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \/ \2 ms (200 calls)/')"
	ok "amixer cset, 200 invocations ($slow hit the timeout): $out" ;;
*) fail "200 amixer cset invocations" "$out" ;;
esac

# --- 3. wakeups in 10 idle seconds with two devices: the sources play on,
#     below full scale (input 3's sine at 33 dB clipped: every clip is an
#     event preampd must answer with a Clipped signal, not idleness)
priv1=$(private_kb "$pid")
anon_map "$pid" >/tmp/anon-map-1
if [ -n "$priv1" ]; then
	ok "private memory with one device: $priv1 kB"
else
	fail "smaps_rollup is read (one device)"
fi
check "quad input 3's source drops below clipping" emu quad source 3 sine -45
check "the solo emulator starts" emu_start solo solo || finish
if check "it plugs in" plug solo 2; then
	sleep 3                          # the plug-in's restore and save
	c0=$(ctxt "$pid")
	sleep 10
	c1=$(ctxt "$pid")
	if [ -n "$c0" ] && [ -n "$c1" ]; then
		R[wake]="$((c1 - c0)) (goal 0)"
		ok "wakeups in 10 idle s: $((c1 - c0)) ($c0 -> $c1 context switches)"
	else
		fail "the daemon's context switches are read"
	fi
fi

# --- 4. RSS with four devices
check "the duo-nometer emulator starts" emu_start duo duo-nometer || finish
check "a second quad starts" emu_start quad2 quad --serial PQ4-BENCH2 || finish
if plug duo 3 && plug quad2 4; then
	ok "preampd has four devices"
	sleep 3
	priv4=$(private_kb "$pid")
	if [ -n "$priv4" ]; then
		R[priv4]="$priv4 kB"
		ok "private memory with four devices: $priv4 kB"
		if [ -n "$priv1" ]; then
			R[perdev]="$(( (priv4 - priv1) / 3 )) kB"
			ok "growth per device: $(( (priv4 - priv1) / 3 )) kB (($priv4 - $priv1) / 3)"
		fi
		grep -E '^(Private|Shared)_|^Anonymous' /proc/"$pid"/smaps_rollup | tr -s ' \t' ' ' | sed 's/^/# /'
		anon_map "$pid"
		echo "# (with one device:)"
		cat /tmp/anon-map-1
	else
		fail "smaps_rollup is read (four devices)"
	fi
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status)
	if [ -n "$rss" ]; then
		anon=$(awk '/^RssAnon:/ { print $2 }' /proc/"$pid"/status)
		R[rss]="$(awk -v k="$rss" -v a="${anon:-0}" 'BEGIN { printf "%.1f MiB, own heap %.1f MiB", k / 1024, a / 1024 }') (goal < 4)"
		ok "RSS with four devices: $rss kB"
		# where it goes: the heap, and the libraries' pages
		grep -E '^Rss(Anon|File|Shmem):' /proc/"$pid"/status | tr -s ' \t' ' ' | sed 's/^/# /'
		awk '$6 ~ /\.so/ { lib = $6 } /^Rss:/ && lib { r[lib] += $2; lib = "" }
			END { for (l in r) printf "# %6d kB %s\n", r[l], l }' /proc/"$pid"/smaps | sort -k2 -rn | head -n 8
	else
		fail "VmRSS is read"
	fi
else
	fail "four devices plug in" "$(pd_devices)"
fi

# --- 5. state-file writes in a 5 s sweep (debounce 500 ms)
sleep 2                                  # the plug-ins' saves are done
# counted over the sweep and the 1.5 s after it (the last save)
bench-util count-renames "$PD_STATE" 6.5 >/tmp/renames 2>&1 &
watcher=$!
wait_until 5 grep -q watching /tmp/renames
# one amixer fed a change every 5 ms or so for 5 s (a fifo nobody writes
# paces the loop without a fork per change)
mkfifo /tmp/pace
exec 3<>/tmp/pace
sweep() {
	local n=0 end=$(( ${EPOCHREALTIME/./} + 5000000 ))
	while (( ${EPOCHREALTIME/./} < end )); do
		echo "cset name='$GAIN' $(( 20 + n % 100 ))"
		n=$((n + 1))
		read -r -t 0.005 -u 3 _
	done
	echo "$n" >/tmp/sweep-n
}
sweep | amixer -q -c "$PD_CARD" -s
exec 3<&-
wait "$watcher"
w=$(tail -n 1 /tmp/renames)
case "$w" in
[0-9]*)
	R[writes]="$w (goal <= 10)"
	ok "state-file writes during a 5 s sweep of $(cat /tmp/sweep-n) changes and 1.5 s after: $w" ;;
*) fail "the state file's writes are counted" "$(cat /tmp/renames)" ;;
esac

# --- 6. private memory with no device after 20 more plug-ins: what the
#     heap keeps of them (the unit's environment: glibc's per-thread cache
#     off, so that malloc_trim() gives their pages back)
for e in quad solo duo quad2; do emu_unplug "$e"; done
if wait_until 60 ndev 0; then
	n=0
	for i in $(seq 1 20); do
		plug solo 1 && emu_unplug solo && wait_until 60 ndev 0 && n=$((n + 1))
	done
	sleep 1
	privn=$(private_kb "$pid")
	if [ "$n" = 20 ] && [ -n "$privn" ]; then
		R[privn]="$privn kB"
		ok "private memory with no device after 20 more plug-ins: $privn kB (at start: $priv0 kB)"
		anon_map "$pid"
	else
		fail "20 plug-ins of the solo, then its memory" "$n of 20 plug-ins; private: ${privn:-unread}"
	fi
else
	fail "every device unplugs" "$(pd_devices)"
fi

table
check "preampd stops" pd_stop TERM
for e in quad solo duo quad2; do emu_stop "$e"; done
finish
