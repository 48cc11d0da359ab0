#!/bin/bash
# vm-append: slub_debug=FZPU
# Orders of events around snd-usb-audio: loaded after us (our controls end
# up on its card, with no card of our own in between); not loaded at all (a
# card of our own after audio_card_wait_ms; an unplug and an rmmod of ours
# during the wait); unbound while our controls are on its card with clients
# on it (the controls move to a card of our own); a device without audio
# interfaces (a card of our own at once). A USB reset, which rebinds
# snd-usb-audio, is in driver-reset.sh.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

GAIN3="Line In 3 Gain Capture Volume"
WAIT=/sys/module/snd_usb_preamp/parameters/audio_card_wait_ms

usb_gone() { ! emu_usb "$1" >/dev/null 2>&1; }
no_cards() { ! grep -q 'USB-Preamp\|USB-Audio' /proc/asound/cards; }
our_log() { kmsg_since | grep 'snd-usb-preamp'; }
ms_since() { echo $(( ($(_uptime_cs) - $1) * 10 )); }
never_own() { ! our_log | grep -q 'card of their own'; }
no_wait() { ! our_log | grep -q 'no card of snd-usb-audio'; }
probed() { our_log | grep -q 'Preamp Quad: 4 inputs'; }

# The plug-in of emulator $1 to the first line of ours that places the
# controls, in ms from the kernel's time stamps.
placed_after() {
	kmsg_since | awk '
		function ts(s) { sub(/^\[ */, "", s); sub(/\].*/, "", s); return s + 0 }
		/usb .*: New USB device found/ { u = ts($0) }
		/snd-usb-preamp .*: controls on card/ { if (!c) c = ts($0) }
		END { if (u && c) printf "%d", (c - u) * 1000 }'
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0 || finish
check_eq "audio_card_wait_ms defaults to 5000" 5000 "$(cat "$WAIT")"
check "quad emulator starts" emu_start quad quad || finish
for i in 1 2 3 4; do
	emu quad source "$i" silence -90 >/dev/null
done

# ---- snd-usb-audio loaded a moment after the device is plugged in.
check "snd-usb-audio unloads (no device yet)" modprobe -r snd-usb-audio
kmsg_mark
check "quad plugs in (no snd-usb-audio)" emu_plug quad || finish
t0=$(_uptime_cs)
sleep 1
check "snd-usb-audio loads a moment later" modprobe snd-usb-audio
check "our controls appear" wait_until 20 pamp_card quad
echo "# snd-usb-audio loaded $(ms_since "$t0") ms after plug-in; our controls $(placed_after) ms after"
PAMP_CARD=$(pamp_card quad)
check_eq "they are on snd-usb-audio's card" "$(emu_card quad USB-Audio)" "$PAMP_CARD"
check "there never was a card of our own" never_own
pamp_expected quad >/tmp/expected
pamp_actual "$PAMP_CARD" >/tmp/actual
check_eq "our controls are all there" "$(cut -d'|' -f1 /tmp/expected)" "$(cut -d'|' -f1 /tmp/actual)"
check "a write reaches the device" amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 60
check_eq "... the device has it" 20 "$(emu_key quad in3.gain_db)"
check "quad unplugs" emu_unplug quad
check "the card goes away" wait_until 20 no_cards

# ---- No snd-usb-audio: a card of our own after the wait.
check "snd-usb-audio unloads" modprobe -r snd-usb-audio
echo 2000 >"$WAIT"
kmsg_mark
check "quad plugs in (no snd-usb-audio, audio_card_wait_ms=2000)" emu_plug quad || finish
check "a card of our own appears" wait_until 20 pamp_own_card quad
after=$(placed_after)
echo "# plug-in to our card: $after ms"
check "... not before the wait ($after ms)" test "${after:-0}" -ge 2000
check "... and not much later ($after ms)" test "${after:-99999}" -lt 4000
why=$(our_log | grep 'no card of snd-usb-audio')
case "$why" in
*"after 2000 ms"*) ok "the log says why: ${why#*: }" ;;
*) fail "the log says why" "$(our_log)" ;;
esac
PAMP_CARD=$(pamp_own_card quad)
check "our card has our controls" pamp_on "$PAMP_CARD"
check "a write reaches the device" amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 70
check_eq "... the device has it" 25 "$(emu_key quad in3.gain_db)"
check "quad unplugs" emu_unplug quad
check "our card goes away" wait_until 20 no_cards

# ... an unplug, and an rmmod of ours, during the wait.
kmsg_mark
check "quad plugs in (no snd-usb-audio)" emu_plug quad || finish
check "our probe ran" wait_until 10 probed
sleep 0.5
check "unplug during the wait" emu_unplug quad
sleep 2.5
check "no card is left" no_cards
kmsg_mark
check "quad plugs in (no snd-usb-audio)" emu_plug quad || finish
check "our probe ran" wait_until 10 probed
sleep 0.5
check "rmmod of ours during the wait" rmmod snd-usb-preamp
sleep 2.5
check "no card is left" no_cards
check "snd-usb-preamp loads (audio_card_wait_ms=2000)" pamp_load phantom_guard_ms=0 audio_card_wait_ms=2000
check "it binds the plugged device: a card of our own after the wait" wait_until 10 pamp_own_card quad
check "quad unplugs" emu_unplug quad
check "our card goes away" wait_until 20 no_cards
echo 5000 >"$WAIT"

# ---- snd-usb-audio unbound while our controls are on its card, with
# clients on it: they move to a card of our own.
check "snd-usb-audio loads" modprobe snd-usb-audio
check "quad plugs in" pamp_plug quad || finish
AUDIO=$(emu_card quad USB-Audio)
check_eq "our controls are on snd-usb-audio's card" "$AUDIO" "$(pamp_card quad)"
rm -f /tmp/stop-writer
(
	while [ ! -e /tmp/stop-writer ]; do
		amixer -q -c "$AUDIO" cset name="$GAIN3" 10 >/dev/null 2>&1
	done
) &
writer=$!
amixer -c "$AUDIO" events >/tmp/events.log 2>&1 &
holder=$!
sleep 1
intf=$(basename "$(readlink -f "/sys/class/sound/card$AUDIO/device")")
kmsg_mark
t0=$(_uptime_cs)
check "snd-usb-audio is unbound from $intf" sh -c "echo $intf >/sys/bus/usb/drivers/snd-usb-audio/unbind"
check "our controls move to a card of our own" wait_until 10 pamp_own_card quad
echo "# unbind to our own card: $(ms_since "$t0") ms"
touch /tmp/stop-writer
wait "$writer"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
PAMP_CARD=$(pamp_own_card quad)
check "snd-usb-audio's card is gone" sh -c "! grep -q USB-Audio /proc/asound/cards"
check "our card has our controls" pamp_on "$PAMP_CARD"
moved=$(our_log | grep 'let go of card')
case "$moved" in
*"card $AUDIO"*) ok "the log says so: ${moved#*: }" ;;
*) fail "the log says so" "$(our_log)" ;;
esac
check_eq "the settings came along (the writer's)" "10 -5" \
	"$(ctlraw "$PAMP_CARD" read "$GAIN3") $(emu_key quad in3.gain_db)"
check "a write on our card reaches the device" amixer -q -c "$PAMP_CARD" cset name="$GAIN3" 100
check_eq "... the device has it" 40 "$(emu_key quad in3.gain_db)"
check "quad unplugs" emu_unplug quad
check "every card goes away" wait_until 20 no_cards

# ---- A device without audio interfaces: no wait.
check "remote emulator starts" emu_start remote remote || finish
kmsg_mark
check "remote plugs in" pamp_plug remote || finish
echo "# remote: plug-in to our card: $(placed_after) ms"
check "remote: a card of our own" pamp_own_card remote
check "remote: with no wait for snd-usb-audio" no_wait
check "remote unplugs" emu_unplug remote
emu_stop remote

emu_stop quad

check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "snd-usb-audio unloads: nothing of ours pins it" modprobe -r snd-usb-audio
check "no kernel warning" no_kernel_trouble
finish
