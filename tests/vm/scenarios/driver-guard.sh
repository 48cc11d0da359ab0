#!/bin/bash
# The 48 V plug-in guard: a state restore that runs right at plug-in (as
# alsactl's udev rule does) cannot switch 48 V on; the phantom controls are
# inactive meanwhile; switching off always works; when the guard lifts an
# INFO event tells the mixers, and 48 V can be switched on.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

PH="Line In 1-2 Phantom Power Capture Switch"
GAIN="Line In 3 Gain Capture Volume"
MON=/tmp/monitor.log

# The access flags amixer shows for a control ("rw------"; i: inactive).
access_of() {
	amixer -c "$PAMP_CARD" --inactive contents | awk -v n="$1" '
		/^numid=/ { want = index($0, "name=\047" n "\047") > 0; next }
		want && /^  ; type=/ { sub(/.*access=/, ""); sub(/,.*/, ""); print; exit }'
}

inactive() {
	case "$(access_of "$PH")" in
	??i*) return 0 ;;
	*) return 1 ;;
	esac
}

active() {
	! inactive
}

phantom_reads() {
	[ "$(pamp_get "$PH")" = "$1" ]
}

check "snd-usb-preamp loads (guard 3000 ms by default)" pamp_load || finish
check_eq "phantom_guard_ms defaults to 3000" 3000 \
	"$(cat /sys/module/snd_usb_preamp/parameters/phantom_guard_ms)"
check "quad emulator starts" emu_start quad quad || finish
# The steps meant to fall inside the guard get a 30 s one: a VM beside
# others on a loaded host was seen to start them 10 s after the probe.
# Whether they did fall inside is measured, not assumed (inactive, before
# and after). The guard still lifts on its own.
GUARD_MS=30000
echo "$GUARD_MS" >/sys/module/snd_usb_preamp/parameters/phantom_guard_ms

# ms since the last "controls on card" line of ours (the probe)
since_probe() {
	local p
	p=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] snd-usb-preamp .*: controls on card.*/\1/p' | tail -n 1)
	awk -v p="$p" '{ printf "%d", ($1 - p) * 1000 }' /proc/uptime
}

# First session: after the guard, 48 V on and a gain, stored as alsactl
# stores at shutdown.
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
alsactl monitor "hw:$PAMP_CARD" >"$MON" 2>&1 &
monpid=$!
echo "# the guard checks start $(since_probe) ms after the probe (guard $GUARD_MS ms)"
check "the phantom control is inactive during the guard" inactive
out=$(ctlraw "$PAMP_CARD" write "$PH" 1 2>&1)
case "$out" in
*EPERM*) ok "48 V on during the guard: EPERM" ;;
*) fail "48 V on during the guard: EPERM" "got: ${out:-success}" ;;
esac
check_eq "48 V stayed off on the device" "0 0" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
check "... and the guard still held after it ($(since_probe) ms)" inactive
check "the guard lifts on its own" wait_until $((GUARD_MS / 1000 + 30)) active
if wait_until 5 sh -c "grep '$PH' $MON | grep -qi info"; then
	ok "an INFO event announced it: $(grep "$PH" "$MON" | grep -i info | head -n 1)"
else
	fail "an INFO event announced it" "monitor: $(cat "$MON")"
fi
kill "$monpid" 2>/dev/null
wait "$monpid" 2>/dev/null
check "48 V on after the guard" amixer -q -c "$PAMP_CARD" cset name="$PH" on
check_eq "48 V is on on the device" "1 1" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
check "gain 3 to index 77" amixer -q -c "$PAMP_CARD" cset name="$GAIN" 77
check "alsactl store" alsactl -f /tmp/asound.state store "$PAMP_CARD"
check "the state file has 48 V on" grep -A8 "$PH" /tmp/asound.state
check "quad unplugs" emu_unplug quad

# Second session: the device comes back powered down (48 V off, gain 0 dB);
# the restore at plug-in brings the gain back but not 48 V.
check "quad plugs in again" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
check "the guard holds when the restore starts" inactive
t0=$(_uptime_cs)
traffic_mark quad
alsactl -f /tmp/asound.state restore "$PAMP_CARD" >/tmp/restore.log 2>&1
echo "# alsactl restore exit status $?, $(( ($(_uptime_cs) - t0) * 10 )) ms after the card appeared: $(tr '\n' ' ' </tmp/restore.log)"
# (alsactl leaves inactive controls alone; the driver refuses 48 V on with
# EPERM anyway, as the ctlraw writes here show.)
check "the restore ran within the guard" inactive
check_eq "48 V stays off after the restore" "0 0" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
check_eq "the control says off" 0 "$(pamp_get "$PH")"
check_eq "the gain was restored" 77 "$(pamp_get "$GAIN")"
check_eq "the gain reached the device" 28.5 "$(emu_key quad in3.gain_db)"
t=$(traffic quad)
echo "# restore traffic: $t"

# Switching off is always allowed, even during the guard (a long one, so
# that it cannot lift under a slow VM between the steps).
check "quad unplugs" emu_unplug quad
echo 120000 >/sys/module/snd_usb_preamp/parameters/phantom_guard_ms
check "quad plugs in a third time" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
emu quad knob 1 phantom on >/dev/null
check "48 V from the front panel shows" wait_until 10 phantom_reads 1
if inactive; then
	traffic_mark quad
	out=$(ctlraw "$PAMP_CARD" write "$PH" 1 2>&1)
	check_eq "48 V 'on' while already on during the guard: no error" "" "$out"
	check_eq "... and no request" none "$(traffic quad)"
	check "48 V off during the guard works" amixer -q -c "$PAMP_CARD" cset name="$PH" off
	check_eq "48 V is off on the device" "0 0" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
	out=$(ctlraw "$PAMP_CARD" write "$PH" 1 2>&1)
	case "$out" in
	*EPERM*) ok "48 V on again during the guard: EPERM" ;;
	*) fail "48 V on again during the guard: EPERM" "got: ${out:-success}" ;;
	esac
else
	fail "still within the guard for the off test" "the guard had already lifted"
fi
check "quad unplugs" emu_unplug quad
emu_stop quad

# phantom_guard_ms=0: no guard at all.
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "snd-usb-preamp loads with phantom_guard_ms=0" pamp_load phantom_guard_ms=0
check "quad emulator starts" emu_start quad2 quad
check "quad plugs in" pamp_plug quad2 || finish
PAMP_CARD=$(pamp_card quad2)
check "without guard the phantom control is active" active
check "48 V on at once" amixer -q -c "$PAMP_CARD" cset name="$PH" on
check_eq "48 V is on on the device" "1 1" "$(emu_key quad2 in1.phantom) $(emu_key quad2 in2.phantom)"
check "quad unplugs" emu_unplug quad2
emu_stop quad2

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
