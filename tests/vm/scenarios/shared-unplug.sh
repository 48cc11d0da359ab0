#!/bin/bash
# vm-append: slub_debug=FZPU
# Unplugs while our controls are on snd-usb-audio's card, 20 of each: idle;
# with an `amixer cset` loop on the card (an unplug during puts); with
# `amixer events` holding the card open; both. Every other unplug is from
# the device side (the emulator drops the connection), the others from the
# host side (usbip detach). Afterwards the device works as new, and
# snd-usb-audio can be unloaded (nothing of ours pins it).
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN3="Line In 3 Gain Capture Volume"
CYCLES=20

usb_gone() { ! emu_usb "$1" >/dev/null 2>&1; }

# Sets AUDIO: snd-usb-audio's card of quad, once our controls are on it.
ours_on_audio() {
	AUDIO=$(emu_card quad USB-Audio) && pamp_on "$AUDIO"
}
no_cards() { ! grep -q 'USB-Preamp\|USB-Audio' /proc/asound/cards; }

# writer CARD: amixer cset on our control until /tmp/stop-writer; the
# number of successful writes goes to /tmp/writer.count.
writer() {
	local i=0 okw=0
	while [ ! -e /tmp/stop-writer ]; do
		amixer -q -c "$1" cset name="$GAIN3" $((i % 141)) >/dev/null 2>&1 &&
			okw=$((okw + 1))
		i=$((i + 1))
	done
	echo "$okw" >/tmp/writer.count
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad emulator starts" emu_start quad quad || finish
# Silent sources: nothing here needs the emulator to render audio.
for i in 1 2 3 4; do
	emu quad source "$i" silence -90 >/dev/null
done

for mode in idle cset events both; do
	fails=0 writes=0 held=0
	t0=$(_uptime_cs)
	for i in $(seq "$CYCLES"); do
		if ! emu_plug quad >/tmp/cycle.log 2>&1 ||
		   ! wait_until 20 ours_on_audio; then
			fails=$((fails + 1))
			echo "# $mode $i: no controls of ours on snd-usb-audio's card: $(tail -n 3 /tmp/cycle.log | tr '\n' ' ') $(cat /proc/asound/cards)"
			emu_unplug quad >/dev/null 2>&1
			wait_until 20 usb_gone quad
			continue
		fi
		card=$AUDIO
		wpid='' hpid=''
		case "$mode" in
		cset|both)
			rm -f /tmp/stop-writer /tmp/writer.count
			writer "$card" &
			wpid=$!
			;;
		esac
		case "$mode" in
		events|both)
			amixer -c "$card" events >/dev/null 2>&1 &
			hpid=$!
			;;
		esac
		sleep 0.$((2 + RANDOM % 5))
		if [ $((i % 2)) = 0 ]; then
			emu_unplug quad >/tmp/cycle.log 2>&1
		else
			emu quad unplug >/tmp/cycle.log 2>&1 && wait_until 20 usb_gone quad
		fi || { fails=$((fails + 1)); echo "# $mode $i: unplug failed: $(tr '\n' ' ' </tmp/cycle.log)"; }
		wait_until 20 no_cards ||
			{ fails=$((fails + 1)); echo "# $mode $i: a card stayed: $(cat /proc/asound/cards)"; }
		if [ -n "$wpid" ]; then
			touch /tmp/stop-writer
			wait "$wpid"
			writes=$((writes + $(cat /tmp/writer.count)))
		fi
		if [ -n "$hpid" ]; then
			# amixer events may still wait on the dead card
			kill -0 "$hpid" 2>/dev/null && held=$((held + 1))
			kill "$hpid" 2>/dev/null
			wait "$hpid" 2>/dev/null
		fi
	done
	echo "# $mode: $CYCLES cycles in $(( ($(_uptime_cs) - t0) / 100 )) s; $writes writes went through; amixer events still held the dead card $held times"
	check_eq "$CYCLES unplugs, $mode" 0 "$fails"
	case "$mode" in
	cset|both) check "$mode: the writer was writing ($writes writes)" test "$writes" -gt 0 ;;
	esac
done

check "after the unplugs: plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
check_eq "after the unplugs: on snd-usb-audio's card" "$(emu_card quad USB-Audio)" "$PAMP_CARD"
check "after the unplugs: a write reaches the device" ctlraw "$PAMP_CARD" write "$GAIN3" 80
check_eq "after the unplugs: the device has it" 30 "$(emu_key quad in3.gain_db)"
check "quad unplugs" emu_unplug quad
emu_stop quad

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "snd-usb-audio unloads: nothing of ours pins it" modprobe -r snd-usb-audio
check "no kernel warning" no_kernel_trouble
finish
