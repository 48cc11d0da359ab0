#!/bin/bash
# Lifetime: 50 unplug/replug cycles while a client keeps writing; rmmod is
# refused while a client holds the card open and works after, also with a
# device bound; an unplug with a client holding the card, during a write,
# during probe and during a notification storm; the alsactl store/restore
# round trip; the probe time. All of it on a card of our own (own_card=1):
# the lifetime of our controls on snd-usb-audio's card is in shared-*.sh.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN3="Line In 3 Gain Capture Volume"

has_card() { pamp_own_card "$1" >/dev/null; }
no_card() { ! pamp_own_card "$1" >/dev/null; }
no_preamp_card() { ! grep -q USB-Preamp /proc/asound/cards; }
usb_gone() { ! emu_usb "$1" >/dev/null 2>&1; }

check "snd-usb-preamp loads (own_card=1)" pamp_load phantom_guard_ms=0 own_card=1 || finish
check "quad emulator starts" emu_start quad quad || finish

# ---- Probe time: from the driver core's "probing" to "bound".
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo 'file drivers/base/dd.c +p' >/sys/kernel/debug/dynamic_debug/control 2>/dev/null
kmsg_mark
check "quad plugs in" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
probe=$(kmsg_since | awk '
	function ts(s) { sub(/^\[ */, "", s); sub(/\].*/, "", s); return s + 0 }
	/probing driver snd-usb-preamp/ { a = ts($0) }
	/snd-usb-preamp.*bound to device/ { b = ts($0) }
	/usb .*: New USB device found/ { u = ts($0) }
	/snd-usb-preamp .*: Preamp Quad:/ { c = ts($0) }
	END { if (a && b) printf "%.1f ms (probe), %.1f ms (USB device found to card)\n", (b - a) * 1000, (c - u) * 1000 }')
echo 'file drivers/base/dd.c -p' >/sys/kernel/debug/dynamic_debug/control 2>/dev/null
if [ -n "$probe" ]; then
	ok "probe time measured: $probe"
else
	echo "# (no dynamic debug lines: $(kmsg_since | grep -c .) kernel lines)"
	ok "probe time not measured (no dynamic debug)"
fi

# ---- alsactl store / restore round trip.
amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 99
amixer -q -c "$PAMP_CARD" cset name="Line In 4 High Pass Filter Capture Switch" on
amixer -q -c "$PAMP_CARD" cset name="Line In 3 Level Capture Enum" Line
amixer -q -c "$PAMP_CARD" cset name="Line In 1-2 Phantom Power Capture Switch" on
check "alsactl store" alsactl -f /tmp/rt.state store "$PAMP_CARD"
amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 5
amixer -q -c "$PAMP_CARD" cset name="Line In 4 High Pass Filter Capture Switch" off
amixer -q -c "$PAMP_CARD" cset name="Line In 3 Level Capture Enum" Inst
amixer -q -c "$PAMP_CARD" cset name="Line In 1-2 Phantom Power Capture Switch" off
check "alsactl restore" alsactl -f /tmp/rt.state restore "$PAMP_CARD"
check_eq "round trip: gain" 99 "$(pamp_get "$GAIN3")"
check_eq "round trip: gain on the device" 39.5 "$(emu_key quad in3.gain_db)"
check_eq "round trip: high-pass" "1 1" "$(pamp_get 'Line In 4 High Pass Filter Capture Switch') $(emu_key quad in4.hpf)"
check_eq "round trip: level" "0 0" "$(pamp_get 'Line In 3 Level Capture Enum') $(emu_key quad in3.inst)"
check_eq "round trip: 48 V (no guard in this scenario)" "1 1" \
	"$(pamp_get 'Line In 1-2 Phantom Power Capture Switch') $(emu_key quad in2.phantom)"

# ---- rmmod while a client holds the card: refused by the ALSA core.
amixer -c "$PAMP_CARD" events >/dev/null 2>&1 &
holder=$!
sleep 1
out=$(rmmod snd-usb-preamp 2>&1)
rc=$?
case "$rc:$out" in
0:*) fail "rmmod is refused while amixer events holds the card" "rmmod succeeded" ;;
*"in use"*) ok "rmmod is refused while amixer events holds the card: $out" ;;
*) fail "rmmod is refused while amixer events holds the card" "$out" ;;
esac
check "the card is still there" has_card quad
check "and works" ctlraw "$PAMP_CARD" write "$GAIN3" 50
kill "$holder"
wait "$holder" 2>/dev/null
check "rmmod works once the client is gone, with the device bound" rmmod snd-usb-preamp
check "the card went away" wait_until 10 no_preamp_card
check "modprobe binds the plugged device again" pamp_load phantom_guard_ms=0 own_card=1
check "a card again" wait_until 20 has_card quad
PAMP_CARD=$(pamp_card quad)

# ---- Unplug while a client holds the card open: the client keeps a dead
# card, nothing breaks, rmmod works once it lets go.
amixer -c "$PAMP_CARD" events >/tmp/events.log 2>&1 &
holder=$!
sleep 1
check "unplug with amixer events holding the card" emu_unplug quad
check "our card is gone from the list" wait_until 10 no_preamp_card
sleep 1
if kill -0 "$holder" 2>/dev/null; then
	echo "# amixer events still runs on the dead card"
	kill "$holder"
else
	echo "# amixer events ended: $(tail -n 2 /tmp/events.log | tr '\n' ' ')"
fi
wait "$holder" 2>/dev/null
check "quad plugs in again" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)

# ---- Unplug during a write (the device answers late).
emu quad fault delay 800 1 >/dev/null
ctlraw "$PAMP_CARD" write "$GAIN3" 60 >/tmp/write.log 2>&1 &
writer=$!
sleep 0.3
check "unplug (device side) during a write" emu quad unplug
if wait_until 10 sh -c "! kill -0 $writer 2>/dev/null"; then
	wait "$writer"
	echo "# the write returned: $(cat /tmp/write.log)"
	case "$(cat /tmp/write.log)" in
	*ENODEV*|*ESHUTDOWN*|*EPROTO*|*ETIMEDOUT*|"") ok "the pending write returned: $(cat /tmp/write.log)" ;;
	*) fail "the pending write returned an error" "$(cat /tmp/write.log)" ;;
	esac
else
	fail "the pending write returned within 10 s"
fi
check "the card goes away" wait_until 20 no_preamp_card
wait_until 20 usb_gone quad
emu quad fault clear >/dev/null

# ---- Unplug during probe: the device answers slowly, the host detaches.
emu quad fault delay 400 8 >/dev/null
usbip --tcp-port "$(cat /run/emu-quad.port)" attach -r 127.0.0.1 -b "$(cat /run/emu-quad.busid)" >/dev/null 2>&1
wait_until 20 sh -c "dmesg | tail -n 5 | grep -q 'New USB device found'"
sleep 1.5
check "unplug (host side) during probe" emu_unplug quad
check "no card is left behind" wait_until 10 no_preamp_card
emu quad fault clear >/dev/null

# ---- Unplug during a notification storm.
check "quad plugs in again" pamp_plug quad || finish
PAMP_CARD=$(pamp_card quad)
emu quad fault storm 2000 1 >/dev/null
sleep 0.5
check "unplug during a notification storm" emu_unplug quad
check "the card goes away" wait_until 20 no_preamp_card
emu quad fault clear >/dev/null

# ---- 50 unplug/replug cycles while a client keeps writing (on
# snd-usb-audio's card, the default, shared-unplug.sh does 80 more).
(
	i=0
	while [ ! -e /tmp/stop-writer ]; do
		c=$(pamp_own_card quad 2>/dev/null) &&
			amixer -q -c "$c" cset name="$GAIN3" $((i % 141)) >/dev/null 2>&1
		i=$((i + 1))
	done
) &
writer=$!
fails=0
t0=$(_uptime_cs)
for i in $(seq 50); do
	if ! pamp_plug quad >/tmp/cycle.log 2>&1; then
		fails=$((fails + 1))
		echo "# cycle $i: plug failed: $(tail -n 3 /tmp/cycle.log | tr '\n' ' ')"
		emu_unplug quad >/dev/null 2>&1
		continue
	fi
	sleep 0.$((RANDOM % 10))
	if [ $((i % 2)) = 0 ]; then
		emu_unplug quad >/tmp/cycle.log 2>&1
	else
		emu quad unplug >/tmp/cycle.log 2>&1 && wait_until 20 usb_gone quad
	fi || { fails=$((fails + 1)); echo "# cycle $i: unplug failed"; }
	wait_until 20 no_preamp_card || { fails=$((fails + 1)); echo "# cycle $i: card stayed"; }
done
touch /tmp/stop-writer
wait "$writer"
echo "# 50 cycles in $(( ($(_uptime_cs) - t0) / 100 )) s"
check_eq "50 unplug/replug cycles with a writing client" 0 "$fails"
check "after the cycles: plugs in" pamp_plug quad
PAMP_CARD=$(pamp_card quad)
check "after the cycles: a write reaches the device" ctlraw "$PAMP_CARD" write "$GAIN3" 80
check_eq "after the cycles: the device has it" 30 "$(emu_key quad in3.gain_db)"
check "quad unplugs" emu_unplug quad
emu_stop quad

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
