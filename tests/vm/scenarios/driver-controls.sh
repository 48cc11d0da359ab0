#!/bin/bash
# snd-usb-preamp against every emulator model: the controls stand on
# snd-usb-audio's card of the device (a device with no audio interfaces gets
# a card of our own, named like snd-usb-audio's), `amixer contents` shows
# exactly the controls the model calls for (names, types, ranges, dB), the
# meters show the device's peaks, and reading every control costs no state
# request (meters: one GET_METERS per read of both meter controls at most).
# Also measures the time from plug-in to our controls. Writes are in
# driver-writes.sh; our own card beside snd-usb-audio's (own_card=1) in
# shared-card.sh.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

check "snd-usb-preamp loads (no 48 V guard here)" pamp_load phantom_guard_ms=0 || finish

for model in "$EMU_MODELS"/*.ini; do
	m=$(basename "$model" .ini)
	echo "# ---- model $m"
	check "$m: emulator starts" emu_start "$m" "$m" || continue
	t0=$(_uptime_cs)
	if ! check "$m: plugs in, our controls appear" pamp_plug "$m"; then
		emu_stop "$m"
		continue
	fi
	PAMP_CARD=$(pamp_card "$m")
	echo "# $m: plug-in to our controls: $(( ($(_uptime_cs) - t0) * 10 )) ms (usbip attach, enumeration, probe)"

	if audio=$(emu_card "$m" USB-Audio); then
		check_eq "$m: our controls are on snd-usb-audio's card" "$audio" "$PAMP_CARD"
		check "$m: no card of our own" sh -c "! grep -q USB-Preamp /proc/asound/cards"
	else
		# No audio interfaces: a card of our own, named as snd-usb-audio
		# names its cards.
		product=$(emu_key "$m" device.name)
		cards_line=$(sed -n "s/^ *$PAMP_CARD \[[^]]*\]: //p" /proc/asound/cards)
		check_eq "$m: card driver and short name" "USB-Preamp - $product" "$cards_line"
		longname=$(sed -n "/^ *$PAMP_CARD \[/{n;s/^ *//p}" /proc/asound/cards)
		case "$longname" in
		"preamp project $product at usb-"*", high speed") ok "$m: long name '$longname'" ;;
		*) fail "$m: long name" "got: $longname" ;;
		esac
		check_eq "$m: component" "USB$(emu_key "$m" device.vendor_id | sed 's/^0x//'):$(emu_key "$m" device.product_id | sed 's/^0x//')" \
			"$(amixer -c "$PAMP_CARD" info | sed -n "s/^[[:space:]]*Components[[:space:]]*: '\(.*\)'/\1/p")"
		check_eq "$m: mixer name" "$product" \
			"$(amixer -c "$PAMP_CARD" info | sed -n "s/^[[:space:]]*Mixer name[[:space:]]*: '\(.*\)'/\1/p")"
	fi

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
	check "$m: its cards go away" wait_until 20 sh -c "! grep -q 'USB-Preamp\|USB-Audio' /proc/asound/cards"
	emu_stop "$m"
done

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
