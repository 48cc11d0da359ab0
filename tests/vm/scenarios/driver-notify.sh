#!/bin/bash
# Changes made on the device reach ALSA clients live: a knob turn, a button,
# a clip, a device reset each raise events that `alsactl monitor` shows, and
# `amixer cget` sees the new value, at the cost of one re-read. Storms,
# garbage and short notifications are survived and coalesced.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

MON=/tmp/monitor.log

monitor_has() {
	grep -q "$1" "$MON"
}

# knob EMU IN WHAT VALUE CONTROL EXPECTED: turn a knob on the device and
# wait for the event and the new value.
knob() {
	local m=$1 in=$2 what=$3 value=$4 ctl=$5 want=$6 t
	: >"$MON.before"
	cp "$MON" "$MON.before"
	traffic_mark "$m"
	check "$m: knob $in $what $value" emu "$m" knob "$in" "$what" "$value" || return
	if wait_until 10 sh -c "diff $MON.before $MON | grep -q \"$ctl\""; then
		ok "$m: alsactl monitor shows an event on '$ctl'"
	else
		fail "$m: alsactl monitor shows an event on '$ctl'" "$(tail -n 5 "$MON")"
	fi
	if wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read '$ctl')\" = '$want' ]"; then
		ok "$m: '$ctl' reads $want"
	else
		fail "$m: '$ctl' reads $want" "got: $(pamp_get "$ctl")"
	fi
	sleep 0.3
	t=$(traffic "$m")
	case "$t" in
	GET_INPUT_STATE=1|GET_ALL_STATE=1) ok "$m: the change cost one re-read ($t)" ;;
	*) fail "$m: the change cost one re-read" "traffic: $t" ;;
	esac
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad emulator starts" emu_start quad quad || finish
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)

alsactl monitor "hw:$PAMP_CARD" >"$MON" 2>&1 &
monpid=$!
sleep 1

# Gain 20 dB on a -10..60 dB range in 0.5 dB steps is index 60.
knob quad 3 gain 20 "Line In 3 Gain Capture Volume" 60
knob quad 4 gain -10 "Line In 4 Gain Capture Volume" 0
knob quad 3 inst off "Line In 3 Level Capture Enum" 0
knob quad 4 hpf on "Line In 4 High Pass Filter Capture Switch" 1
knob quad 1 pad on "Line In 1 Pad Capture Switch" 1
# 48 V from the front panel switches the group: one event on the group's
# control; both inputs changed, so one GET_ALL_STATE.
knob quad 2 phantom on "Line In 1-2 Phantom Power Capture Switch" 1

# A clip: an event on Clip Count and a new count, without polling. The
# source of input 2 is driven past full scale.
before=$(pamp_get "Clip Count")
cp "$MON" "$MON.before"
check "quad: input 2 clips (a 0 dBFS sine at +20 dB)" emu quad source 2 sine 0
emu quad knob 2 gain 20 >/dev/null
if wait_until 10 sh -c "diff $MON.before $MON | grep -q 'Clip Count'"; then
	ok "quad: EVT_CLIP raises an event on Clip Count"
else
	fail "quad: EVT_CLIP raises an event on Clip Count" "$(tail -n 5 "$MON")"
fi
emu quad source 2 silence -90 >/dev/null
sleep 0.5
after=$(pamp_get "Clip Count")
c2b=$(echo "$before" | awk '{ print $2 }')
c2a=$(echo "$after" | awk '{ print $2 }')
check "quad: input 2's clip count went up ($c2b -> $c2a)" test "$c2a" -gt "$c2b"
check_eq "quad: Clip Count is the device's" "$(emu_key quad in2.clip_count)" "$c2a"

# A device reset: defaults come back, one GET_ALL_STATE tells the driver.
traffic_mark quad
cp "$MON" "$MON.before"
check "quad: the device resets itself" emu quad reset
if wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 3 Gain Capture Volume')\" = 20 ]"; then
	ok "quad: after EVT_RESET the gain is the default again"
else
	fail "quad: after EVT_RESET the gain is the default again" \
		"got: $(pamp_get 'Line In 3 Gain Capture Volume')"
fi
sleep 0.3
t=$(traffic quad)
check_eq "quad: EVT_RESET costs one GET_ALL_STATE" GET_ALL_STATE=1 "$t"
check_eq "quad: 48 V is off again" 0 "$(pamp_get 'Line In 1-2 Phantom Power Capture Switch')"
check_eq "quad: the level is Inst again" 1 "$(pamp_get 'Line In 3 Level Capture Enum')"
check "quad: events for what the reset changed" \
	sh -c "diff $MON.before $MON | grep -q 'Line In 3 Gain Capture Volume'"

# A storm: notifications every millisecond, far above the spec's rate.
kmsg_mark
traffic_mark quad
check "quad: a storm of 500 notifications at 1 ms" emu quad fault storm 500 1
sleep 3
emu quad knob 3 gain 10 >/dev/null
check "quad: after the storm, a knob turn still arrives" \
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 3 Gain Capture Volume')\" = 40 ]"
t=$(traffic quad)
reads=$(( $(traffic_count "$t" GET_INPUT_STATE) + $(traffic_count "$t" GET_ALL_STATE) ))
sent=$(emu quad counters | sed -n 's/^notify.sent=//p')
echo "# storm: $t; notifications sent in all: $sent"
check "quad: the storm was coalesced ($reads re-reads for 500 notifications)" test "$reads" -lt 250

# Garbage: bits of inputs that do not exist, unknown events.
kmsg_mark
for i in 1 2 3 4 5; do
	emu quad fault notify-garbage >/dev/null
	emu quad knob 4 gain $((i * 2)) >/dev/null
	sleep 0.2
done
check "quad: garbage notifications are logged" \
	wait_until 5 sh -c "dmesg | grep -q 'snd-usb-preamp.*unknown bits'"
check "quad: after garbage, a knob turn still arrives" \
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 4 Gain Capture Volume')\" = 40 ]"

# Short notifications: re-read everything.
for len in 0 3 7; do
	emu quad fault notify-short "$len" >/dev/null
	traffic_mark quad
	emu quad knob 3 gain $((len + 1)) >/dev/null
	want=$(( (len + 1 + 10) * 2 ))
	check "quad: a $len-byte notification still brings the knob turn" \
		wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 3 Gain Capture Volume')\" = $want ]"
done
check "quad: short notifications are logged" \
	sh -c "dmesg | grep -q 'snd-usb-preamp.*short notification'"
n=$(dmesg | grep -c 'snd-usb-preamp' || true)
echo "# kernel log lines of snd-usb-preamp so far: $n"
check "quad: device-triggered logging stays rate-limited (< 100 lines)" test "$n" -lt 100

kill "$monpid" 2>/dev/null
wait "$monpid" 2>/dev/null
check "quad unplugs" emu_unplug quad
emu_stop quad

# Without FLAG_NOTIFY (the remote model) a front-panel change is not seen
# until something re-reads; nothing breaks.
check "remote emulator starts" emu_start remote remote || finish
check "remote plugs in" pamp_plug remote || finish
PAMP_CARD=$(pamp_card remote)
check "remote: the driver listens to no interrupt endpoint" \
	sh -c "! dmesg | grep 'snd-usb-preamp.*Preamp Remote.*notifications'"
traffic_mark remote
emu remote knob 1 gain 40 >/dev/null
sleep 1
check_eq "remote: reading costs nothing even so" none "$(pamp_get 'Line In 1 Gain Capture Volume' >/dev/null; traffic remote)"
check "remote unplugs" emu_unplug remote
emu_stop remote

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
