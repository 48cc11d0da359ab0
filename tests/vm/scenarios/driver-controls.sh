#!/bin/bash
# snd-usb-preamp against every emulator model: the card is named like
# snd-usb-audio's, `amixer contents` shows exactly the controls the model
# calls for (names, types, ranges, dB), every writable control reaches the
# device with exactly one request, out-of-range writes are refused before
# they reach it, the meters show the device's peaks, and reading every
# control costs no state request. Also measures the time from plug-in to
# our card.
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
	t0=$(_uptime_cs)
	if ! check "$m: plugs in and gets a USB-Preamp card" pamp_plug "$m"; then
		emu_stop "$m"
		continue
	fi
	PAMP_CARD=$(pamp_card "$m")
	echo "# $m: plug-in to our card: $(( ($(_uptime_cs) - t0) * 10 )) ms (usbip attach, enumeration, probe)"

	# The card's names, as snd-usb-audio gives them.
	product=$(emu_key "$m" device.name)
	cards_line=$(sed -n "s/^ *$PAMP_CARD \[[^]]*\]: //p" /proc/asound/cards)
	check_eq "$m: card driver and short name" "USB-Preamp - $product" "$cards_line"
	longname=$(sed -n "/^ *$PAMP_CARD \[/{n;s/^ *//p}" /proc/asound/cards)
	case "$longname" in
	"preamp project $product at usb-"*", high speed") ok "$m: long name '$longname'" ;;
	*) fail "$m: long name" "got: $longname" ;;
	esac
	if audio=$(emu_card "$m" USB-Audio); then
		check_eq "$m: long name is snd-usb-audio's" \
			"$(sed -n "/^ *$audio \[/{n;s/^ *//p}" /proc/asound/cards)" "$longname"
	fi
	check_eq "$m: component" "USB$(emu_key "$m" device.vendor_id | sed 's/^0x//'):$(emu_key "$m" device.product_id | sed 's/^0x//')" \
		"$(amixer -c "$PAMP_CARD" info | sed -n "s/^[[:space:]]*Components[[:space:]]*: '\(.*\)'/\1/p")"
	check_eq "$m: mixer name" "$product" \
		"$(amixer -c "$PAMP_CARD" info | sed -n "s/^[[:space:]]*Mixer name[[:space:]]*: '\(.*\)'/\1/p")"

	# The control table.
	pamp_expected "$m" >/tmp/expected
	pamp_actual "$PAMP_CARD" >/tmp/actual
	if diff /tmp/expected /tmp/actual >/tmp/diff; then
		ok "$m: amixer contents matches the model ($(wc -l </tmp/actual) controls)"
	else
		fail "$m: amixer contents matches the model" "$(cat /tmp/diff)"
	fi

	# Reading: 100 times every control costs no state request.
	traffic_mark "$m"
	for i in $(seq 100); do
		amixer -c "$PAMP_CARD" contents >/dev/null || break
	done
	t=$(traffic "$m")
	echo "# $m: 100 x amixer contents: $t"
	others=$(echo "$t" | tr ' ' '\n' | grep -v '^GET_METERS=\|^none$' | tr '\n' ' ')
	others=${others% }
	check_eq "$m: reading every control 100 times sends no other request" none "${others:-none}"
	if grep -q '^Level Meter|' /tmp/expected; then
		n=$(traffic_count "$t" GET_METERS)
		check "$m: ... and at most one GET_METERS per read of both meters ($n)" \
			test "$n" -ge 1 -a "$n" -le 200
		# A meter client at 30 Hz reading both meter controls.
		traffic_mark "$m"
		ctlraw "$PAMP_CARD" poll 60 30 "Level Meter" "Clip Count"
		n=$(traffic_count "$(traffic "$m")" GET_METERS)
		echo "# $m: 60 reads of Level Meter + Clip Count at 30 Hz: $n GET_METERS"
		check "$m: a 30 Hz meter client costs one GET_METERS per frame, not one per control ($n for 60 frames)" \
			test "$n" -le 66
	fi

	# Writing every writable control.
	while IFS='|' read -r name type access count min max items db; do
		case "$access" in rw*) ;; *) continue ;; esac
		case "$type" in ENUMERATED|BOOLEAN) max=1 ;; esac
		write_one "$m" "$name" "$type" "$max"
		refuse_one "$m" "$name" "$type" "$max"
	done </tmp/expected

	# The meters show the device's own peaks: a steady sine on every
	# metered input, silence on the others.
	if grep -q '^Level Meter|' /tmp/expected; then
		n=$(emu_key "$m" device.num_inputs)
		for i in $(seq "$n"); do
			emu "$m" source "$i" sine -30 >/dev/null
		done
		sleep 1
		want=
		for i in $(seq "$n"); do
			caps=$(emu_key "$m" "in$i.caps")
			if [ $(( caps & 0x200 )) -ne 0 ]; then
				p=$(emu_key "$m" "in$i.meter_peak")
				want="$want $(awk -v p="$p" 'BEGIN {
					c = p * 100 / 256; c = c < 0 ? int(c - 0.5) : int(c + 0.5)
					if (c < -9600) c = -9600; if (c > 0) c = 0; print c }')"
			else
				want="$want -9600"
			fi
		done
		check_eq "$m: Level Meter shows the device's peaks" "${want# }" "$(pamp_get "Level Meter")"
		clips=
		for i in $(seq "$n"); do
			caps=$(emu_key "$m" "in$i.caps")
			if [ $(( caps & 0x200 )) -ne 0 ]; then
				clips="$clips $(emu_key "$m" "in$i.clip_count")"
			else
				clips="$clips 0"
			fi
		done
		check_eq "$m: Clip Count shows the device's counters" "${clips# }" "$(pamp_get "Clip Count")"
	fi

	check "$m: unplugs" emu_unplug "$m"
	check "$m: our card goes away" wait_until 20 sh -c "! grep -q USB-Preamp /proc/asound/cards"
	emu_stop "$m"
done

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
