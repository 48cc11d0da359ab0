#!/bin/bash
# Every writable control of every emulator model: a write with amixer
# reaches the device (the emulator's state) with exactly one request, a
# 48 V group switch sets every member, and out-of-range values (which
# amixer would clamp, so they go through ctlraw) fail with EINVAL, send
# nothing and change nothing.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

# write_one EMU NAME TYPE MAX: change the control to another valid value
# with amixer and check the device and the traffic.
write_one() {
	local m=$1 name=$2 type=$3 max=$4 cur new arg key ins i want got t
	cur=$(pamp_get "$name") || { fail "$m: read $name"; return; }
	case "$type" in
	INTEGER)
		if [ "$cur" -lt "$max" ]; then new=$((cur + 1)); else new=$((cur - 1)); fi
		arg=$new ;;
	BOOLEAN)
		new=$((1 - cur))
		if [ "$new" = 1 ]; then arg=on; else arg=off; fi ;;
	ENUMERATED)
		new=$((1 - cur))
		if [ "$new" = 1 ]; then arg=Inst; else arg=Line; fi ;;
	esac
	key=$(ctl_key "$name")
	ins=$(ctl_inputs "$name")
	traffic_mark "$m"
	if ! amixer -q -c "$PAMP_CARD" cset name="$name" "$arg"; then
		fail "$m: amixer cset '$name' $arg"
		return
	fi
	t=$(traffic "$m")
	if [ "$(echo $ins | wc -w)" -gt 1 ]; then
		# The device tells of the other members of the group (spec 5);
		# that costs one re-read, done before the next test starts.
		wait_until 5 sh -c "emu $m counters | grep -q '^notify.sent=[1-9]'" || true
		sleep 0.5
		t=$(traffic "$m")
		t2=$(echo "$t" | tr ' ' '\n' | grep -v '^GET_\(INPUT\|ALL\)_STATE=1$' | tr '\n' ' ')
		echo "# $m: '$name' = $arg with the group's notification: $t"
		t=${t2% }
	fi
	check_eq "$m: '$name' = $arg reads back" "$new" "$(pamp_get "$name")"
	for i in $ins; do
		got=$(emu_key "$m" "in$i.$key")
		if [ "$key" = gain_db ]; then
			want=$(awk -v lo="$(emu_key "$m" "in$i.gain_min_db")" \
				-v st="$(emu_key "$m" "in$i.gain_step_db")" -v n="$new" \
				'BEGIN { printf "%g", lo + n * st }')
			got=$(awk -v g="$got" 'BEGIN { printf "%g", g }')
		else
			want=$new
		fi
		check_eq "$m: '$name' = $arg reached input $i ($key)" "$want" "$got"
	done
	if [ "$key" = gain_db ]; then want=SET_GAIN=1; else want=SET_SWITCH=1; fi
	check_eq "$m: '$name' = $arg is one request" "$want" "$t"
}

# refuse_one EMU NAME TYPE MAX: out-of-range writes fail with EINVAL and
# reach nothing.
refuse_one() {
	local m=$1 name=$2 type=$3 max=$4 before v out
	before=$(emu "$m" state | grep '^in[0-9]*\.\(gain\|switches\)=')
	traffic_mark "$m"
	for v in -1 $((max + 1)); do
		out=$(ctlraw "$PAMP_CARD" write "$name" "$v" 2>&1)
		case "$out" in
		*EINVAL*) ok "$m: '$name' = $v refused with EINVAL" ;;
		*) fail "$m: '$name' = $v refused with EINVAL" "got: ${out:-success}" ;;
		esac
	done
	check_eq "$m: refused writes to '$name' sent nothing" none "$(traffic "$m")"
	check_eq "$m: refused writes to '$name' changed nothing" "$before" \
		"$(emu "$m" state | grep '^in[0-9]*\.\(gain\|switches\)=')"
}

check "snd-usb-preamp loads (no 48 V guard here)" pamp_load phantom_guard_ms=0 || finish

for model in "$EMU_MODELS"/*.ini; do
	m=$(basename "$model" .ini)
	echo "# ---- model $m"
	check "$m: emulator starts" emu_start "$m" "$m" || continue
	if ! check "$m: plugs in and gets a USB-Preamp card" pamp_plug "$m"; then
		emu_stop "$m"
		continue
	fi
	PAMP_CARD=$(pamp_card "$m")
	# Silent sources: the emulator renders every input's audio in real
	# time, which is slow under emulation, and this test needs none.
	for i in $(seq "$(emu_key "$m" device.num_inputs)"); do
		emu "$m" source "$i" silence -90 >/dev/null
	done
	pamp_expected "$m" >/tmp/expected
	while IFS='|' read -r name type access count min max items db; do
		case "$access" in rw*) ;; *) continue ;; esac
		case "$type" in ENUMERATED|BOOLEAN) max=1 ;; esac
		write_one "$m" "$name" "$type" "$max"
		refuse_one "$m" "$name" "$type" "$max"
	done </tmp/expected
	check "$m: unplugs" emu_unplug "$m"
	emu_stop "$m"
done

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
