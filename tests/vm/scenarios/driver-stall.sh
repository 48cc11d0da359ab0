#!/bin/bash
# A slow or failing device stalls nothing. Our controls stand on
# snd-usb-audio's card: a control callback of ours runs under the card's
# controls lock (read for a get, write for a put), so a meter read that
# waits for the device makes every writer of the card wait, and every
# reader behind that writer, snd-usb-audio's controls included; and the
# device's endpoint 0 is one queue for our requests and snd-usb-audio's.
#
#  1. GET_METERS never answered, then answered 700 ms late (past the bound
#     of a control read, within the protocol's 1 s), with two clients
#     polling the meters at 100 Hz, a client writing a control of the card
#     (a user control: snd-usb-audio makes no writable one here) and one
#     reading snd-usb-audio's "Clock Source 3 Validity", each at 50 Hz.
#     Nothing may wait a full timeout per read: the meters back off after a
#     failure and wait 250 ms at most, so every median stays far below the
#     1 s a meter read cost before. The numbers are printed.
#  2. A write the device applies but answers too late: the put returns its
#     timeout after one timeout, not two (the re-read comes later, from a
#     work item), and a VALUE event then tells every client the device's
#     value.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

AUDIO_CTL="Clock Source 3 Validity"
USER_CTL="Stall Probe Switch"
GAIN3="Line In 3 Gain Capture Volume"
WINDOW=8

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p; s/^$1=\([^ ]*\).*/\1/p" <<<"$2" | head -n1; }

# lt A B: A < B for decimal numbers
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# One phase: the meter pollers for WINDOW+2 s, the writer and the reader of
# the card for WINDOW s meanwhile. Checks the medians.
measure() {
	local name=$1 m1 m2 w a gm
	traffic_mark quad
	ctlraw "$PAMP_CARD" time $((WINDOW + 2))/10 read "Level Meter" >/tmp/m1 2>&1 &
	m1=$!
	ctlraw "$PAMP_CARD" time $((WINDOW + 2))/10 read "Level Meter" >/tmp/m2 2>&1 &
	m2=$!
	sleep 1
	ctlraw "$PAMP_CARD" time "$WINDOW/20" write "$USER_CTL" 0 1 >/tmp/w 2>&1 &
	w=$!
	a=$(ctlraw "$PAMP_CARD" time "$WINDOW/20" read "$AUDIO_CTL")
	wait "$m1" "$m2" "$w"
	gm=$(traffic_count "$(traffic quad)" GET_METERS)
	echo "# $name: snd-usb-audio's control read: $a"
	echo "# $name: a control of the card written: $(cat /tmp/w)"
	echo "# $name: meter poller 1: $(cat /tmp/m1)"
	echo "# $name: meter poller 2: $(cat /tmp/m2)"
	echo "# $name: GET_METERS sent: $gm in $((WINDOW + 2)) s"
	check "$name: snd-usb-audio's control is read throughout, without an error" \
		test "$(field errors "$a")" = 0 -a "$(field ops "$a")" -gt 0
	check "$name: its median read waits less than half a timeout ($(field p50_ms "$a") ms)" \
		lt "$(field p50_ms "$a")" 500
	check "$name: the card's median write too ($(field p50_ms "$(cat /tmp/w)") ms)" \
		lt "$(field p50_ms "$(cat /tmp/w)")" 500
	check "$name: the median meter read too ($(field p50_ms "$(cat /tmp/m1)") ms)" \
		lt "$(field p50_ms "$(cat /tmp/m1)")" 500
	check "$name: the meters back off: at most 9 GET_METERS ($gm)" lt "$gm" 10
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad starts" emu_start quad quad || finish
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
check_eq "our controls stand on snd-usb-audio's card" "$(emu_card quad USB-Audio)" "$PAMP_CARD"
check "a user control on the card" ctlraw "$PAMP_CARD" add "$USER_CTL"
echo "# healthy device: snd-usb-audio's control read: $(ctlraw "$PAMP_CARD" time 2/20 read "$AUDIO_CTL")"
echo "# healthy device: meter read: $(ctlraw "$PAMP_CARD" time 2/10 read "Level Meter")"
check "the meters read" ctlraw "$PAMP_CARD" read "Level Meter"

# ---- 1. GET_METERS not answered
kmsg_mark
emu quad fault delay 60000 100000 GET_METERS >/dev/null
measure "no answer"
check "one log line says the meters failed" \
	test "$(kmsg_since | grep -c 'GET_METERS failed')" = 1
emu quad fault clear >/dev/null
check "the meters answer again once the device does" \
	wait_until 30 ctlraw "$PAMP_CARD" read "Level Meter"

# ---- ... answered 700 ms late
emu quad fault delay 700 100000 GET_METERS >/dev/null
measure "700 ms late"
emu quad fault clear >/dev/null
check "the meters answer again once the device does" \
	wait_until 30 ctlraw "$PAMP_CARD" read "Level Meter"

# ---- 2. a write applied, but answered too late
before=$(ctlraw "$PAMP_CARD" read "$GAIN3")
alsactl monitor "hw:$PAMP_CARD" >/tmp/events 2>&1 &
epid=$!
sleep 1
emu quad fault delay 2500 2 >/dev/null
w=$(ctlraw "$PAMP_CARD" time 0.001 write "$GAIN3" 90)
echo "# late write: $w"
check_eq "the write fails with its timeout" "ETIMEDOUT:1" "$(field errnos "$w")"
check "... after one timeout, not two ($(field max_ms "$w") ms)" lt "$(field max_ms "$w")" 1900
check_eq "the device applied it" 35 "$(emu_key quad in3.gain_db)"
check "the control shows the device's value soon after" \
	wait_until 15 sh -c "[ \"\$(ctlraw $PAMP_CARD read '$GAIN3')\" = 90 ]"
if wait_until 5 sh -c "grep '$GAIN3' /tmp/events | grep -q VALUE"; then
	ok "... with a VALUE event"
else
	fail "... with a VALUE event" "alsactl monitor: $(tail -n 5 /tmp/events)" \
		"kernel: $(dmesg | tail -n 8)"
fi
kill "$epid" 2>/dev/null
wait "$epid" 2>/dev/null
echo "# before: $before; events: $(grep "$GAIN3" /tmp/events | tr '\n' ' ')"
check "the card works on" ctlraw "$PAMP_CARD" write "$GAIN3" 20
check_eq "... the write reaches the device" 0 "$(emu_key quad in3.gain_db)"

check "quad unplugs" emu_unplug quad
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
