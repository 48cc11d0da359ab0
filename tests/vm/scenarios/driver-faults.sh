#!/bin/bash
# Every fault the emulator can inject: a lying GET_INFO refuses the device
# with one clear log line; a lying GET_INPUT_INFO degrades that input;
# STALLs, late and short replies give errors and the card recovers; a
# disconnect in the middle of any request leaves no oops and no hang.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN3="Line In 3 Gain Capture Volume"

no_card() { ! pamp_card "$1" >/dev/null 2>&1; }
no_preamp_card() { no_card quad && ! grep -q USB-Preamp /proc/asound/cards; }
usb_gone() { ! emu_usb "$1" >/dev/null 2>&1; }
our_log() { kmsg_since | grep 'snd-usb-preamp'; }
refused() { our_log | grep -q 'device refused'; }

# replug EMU: plug in again after a device-side disconnect.
replug() {
	wait_until 20 usb_gone "$1"
	emu "$1" fault clear >/dev/null
	pamp_plug "$1"
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check "quad emulator starts" emu_start quad quad || finish

# ---- GET_INFO lies: the device is refused, with one log line.
for kind in magic major inputs0 inputs33; do
	kmsg_mark
	emu quad fault info "$kind" >/dev/null
	check "info $kind: plugs in" emu_plug quad || continue
	wait_until 20 refused
	sleep 2
	check "info $kind: no controls of ours" no_card quad
	lines=$(our_log)
	check_eq "info $kind: one log line" 1 "$(echo "$lines" | grep -c .)"
	case "$lines" in
	*"device refused"*) ok "info $kind: it says why: ${lines#*: }" ;;
	*) fail "info $kind: it says why" "$lines" ;;
	esac
	check "info $kind: snd-usb-audio's card is still there" emu_card quad USB-Audio
	check "info $kind: unplugs" emu_unplug quad
	emu quad fault clear >/dev/null
done

# ---- GET_INFO with a meter window out of range: no meters.
for kind in window-low window-high; do
	kmsg_mark
	emu quad fault info "$kind" >/dev/null
	check "info $kind: a card" pamp_plug quad || continue
	PAMP_CARD=$(pamp_card quad)
	check "info $kind: no Level Meter" sh -c "! amixer -c $PAMP_CARD contents | grep -q 'Level Meter'"
	check "info $kind: the gains are there" amixer -c "$PAMP_CARD" cget name="$GAIN3"
	check "info $kind: logged" sh -c "dmesg | tail -n 20 | grep -q 'meter window of .* ms is out of range'"
	check "info $kind: unplugs" emu_unplug quad
	emu quad fault clear >/dev/null
done

# ---- GET_INPUT_INFO lies about input 1: only what is wrong is left out.
for kind in range-inverted step-zero step-indivisible too-many-steps; do
	kmsg_mark
	emu quad fault input-info 1 "$kind" >/dev/null
	check "input-info $kind: a card" pamp_plug quad || continue
	PAMP_CARD=$(pamp_card quad)
	check "input-info $kind: no gain control for input 1" \
		sh -c "! amixer -c $PAMP_CARD contents | grep -q 'Line In 1 Gain'"
	check "input-info $kind: input 1 keeps its switches" \
		amixer -c "$PAMP_CARD" cget name="Line In 1 Pad Capture Switch"
	check "input-info $kind: input 2 keeps its gain" \
		amixer -c "$PAMP_CARD" cget name="Line In 2 Gain Capture Volume"
	check "input-info $kind: logged: input 1, invalid gain range" \
		sh -c "dmesg | tail -n 20 | grep -q 'input 1: invalid gain range'"
	check "input-info $kind: unplugs" emu_unplug quad
	emu quad fault clear >/dev/null
done
for kind in label-no-nul label-utf8; do
	kmsg_mark
	emu quad fault input-info 1 "$kind" >/dev/null
	check "input-info $kind: a card with every control" pamp_plug quad || continue
	PAMP_CARD=$(pamp_card quad)
	check "input-info $kind: input 1's gain is there" \
		amixer -c "$PAMP_CARD" cget name="Line In 1 Gain Capture Volume"
	check "input-info $kind: logged with the fallback label" \
		sh -c "dmesg | tail -n 20 | grep -q 'input 1: label .*using \"Line In 1\"'"
	check "input-info $kind: unplugs" emu_unplug quad
	emu quad fault clear >/dev/null
done

# A phantom group number that the neighbours do not share: on the octo
# model (group 1 = inputs 1-4, group 2 = inputs 5-8) input 2 claims group 2,
# so group 1 is 1, 3, 4 and group 2 is 2, 5-8: neither is consecutive, and
# no input gets a 48 V control.
check "octo emulator starts" emu_start octo octo || finish
kmsg_mark
emu octo fault input-info 2 group-split >/dev/null
if check "group-split: a card" pamp_plug octo; then
	PAMP_CARD=$(pamp_card octo)
	names=$(amixer -c "$PAMP_CARD" contents | sed -n "s/.*name='\(.*Phantom.*\)'/\1/p" | tr '\n' ',')
	check_eq "group-split: no 48 V control" "" "$names"
	check "group-split: logged for inputs 1, 3 and 4" \
		sh -c "[ \$(dmesg | tail -n 20 | grep -c 'phantom group 1 is not consecutive') = 3 ]"
	check "group-split: logged for inputs 2 and 5-8" \
		sh -c "[ \$(dmesg | tail -n 20 | grep -c 'phantom group 2 is not consecutive') = 5 ]"
	check "group-split: unplugs" emu_unplug octo
fi
emu_stop octo

# ---- Faults while bound.
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)

# A STALL: the write fails, the input is re-read, the next write works.
traffic_mark quad
emu quad fault stall 1 >/dev/null
out=$(ctlraw "$PAMP_CARD" write "$GAIN3" 30 2>&1)
case "$out" in
*EIO*) ok "stall: the write fails with EIO" ;;
*) fail "stall: the write fails with EIO" "got: ${out:-success}" ;;
esac
check_eq "stall: one SET_GAIN, then one re-read" "GET_INPUT_STATE=1 SET_GAIN=1" "$(traffic quad)"
check_eq "stall: the control shows what the device has" 20 "$(pamp_get "$GAIN3")"
check_eq "stall: the device is unchanged" 0 "$(emu_key quad in3.gain_db)"
check "stall: the next write works" ctlraw "$PAMP_CARD" write "$GAIN3" 30
check_eq "stall: ... and reaches the device" 5 "$(emu_key quad in3.gain_db)"

# A late reply past the host's 1000 ms: ETIMEDOUT, then recovery.
emu quad fault delay 1500 1 >/dev/null
t0=$(_uptime_cs)
out=$(ctlraw "$PAMP_CARD" write "$GAIN3" 40 2>&1)
dt=$(( ($(_uptime_cs) - t0) * 10 ))
case "$out" in
*ETIMEDOUT*) ok "delay 1500 ms: the write times out ($dt ms)" ;;
*) fail "delay 1500 ms: the write times out" "got: ${out:-success} after $dt ms" ;;
esac
sleep 1
check "delay: the card recovers" ctlraw "$PAMP_CARD" write "$GAIN3" 42
check_eq "delay: ... and the write reaches the device" 11 "$(emu_key quad in3.gain_db)"

# A slow reply within the timeout is fine.
emu quad fault delay 300 1 >/dev/null
check "delay 300 ms: the write works" ctlraw "$PAMP_CARD" write "$GAIN3" 44
check_eq "delay 300 ms: ... and reaches the device" 12 "$(emu_key quad in3.gain_db)"

# A short reply: the read fails, nothing half-used; the meters back off
# for a moment (driver-stall counts that) and then work again.
sleep 0.1
emu quad fault short 2 1 >/dev/null
out=$(ctlraw "$PAMP_CARD" read "Level Meter" 2>&1)
case "$out" in
*EREMOTEIO*) ok "short reply: the meter read fails with EREMOTEIO" ;;
*) fail "short reply: the meter read fails with EREMOTEIO" "got: $out" ;;
esac
check "short reply: the meters read again after their back-off" \
	wait_until 10 ctlraw "$PAMP_CARD" read "Level Meter"
# ... and a short reply to the re-read after a knob turn: retried with the
# next notification.
emu quad fault short 1 1 >/dev/null
emu quad knob 3 gain 20 >/dev/null
sleep 1
emu quad knob 3 gain 21 >/dev/null
check "short reply to a re-read: the next notification brings the value" \
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read '$GAIN3')\" = 62 ]"

# Many STALLs in a row: every write fails, the card stays.
emu quad fault stall 20 >/dev/null
for i in $(seq 10); do ctlraw "$PAMP_CARD" write "$GAIN3" $((i + 50)) 2>/dev/null; done
emu quad fault clear >/dev/null
check "after 20 STALLs the card works" ctlraw "$PAMP_CARD" write "$GAIN3" 70
check_eq "... and the device has it" 25 "$(emu_key quad in3.gain_db)"

# ---- A disconnect in the middle of each request.
for req in SET_GAIN SET_SWITCH GET_METERS GET_INPUT_STATE GET_ALL_STATE GET_INFO GET_INPUT_INFO SET_ALL_STATE; do
	kmsg_mark
	emu quad fault disconnect-on "$req" >/dev/null
	case "$req" in
	SET_GAIN) ctlraw "$PAMP_CARD" write "$GAIN3" 10 >/tmp/out 2>&1 ;;
	SET_SWITCH) ctlraw "$PAMP_CARD" write "Line In 3 Phase Invert Capture Switch" 1 >/tmp/out 2>&1 ;;
	GET_METERS) ctlraw "$PAMP_CARD" read "Level Meter" >/tmp/out 2>&1 ;;
	GET_INPUT_STATE) emu quad knob 3 gain 0 >/tmp/out 2>&1 ;;
	GET_ALL_STATE) emu quad reset >/tmp/out 2>&1 ;;
	SET_ALL_STATE) usbreset "$(emu_devnode quad)" >/tmp/out 2>&1 ;;
	*) echo "(at the next plug-in)" >/tmp/out ;;
	esac
	echo "# disconnect-on $req: $(tr '\n' ' ' </tmp/out)"
	case "$req" in
	GET_INFO|GET_INPUT_INFO)
		# These come at probe: unplug, plug in, the probe meets them.
		emu_unplug quad
		emu quad fault disconnect-on "$req" >/dev/null
		usbip --tcp-port "$(cat /run/emu-quad.port)" attach -r 127.0.0.1 \
			-b "$(cat /run/emu-quad.busid)" >/dev/null 2>&1
		sleep 3
		check "disconnect-on $req during probe: no card" no_preamp_card
		;;
	*)
		check "disconnect-on $req: the device is gone" wait_until 20 usb_gone quad
		check "disconnect-on $req: our controls are gone" wait_until 20 no_preamp_card
		;;
	esac
	check "disconnect-on $req: plugs in again" replug quad || break
	PAMP_CARD=$(pamp_card quad)
	check "disconnect-on $req: the new card works" ctlraw "$PAMP_CARD" write "$GAIN3" 33
done

check "quad unplugs" emu_unplug quad
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
