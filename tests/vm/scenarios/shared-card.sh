#!/bin/bash
# vm-append: slub_debug=FZPU
# snd-usb-preamp's controls on snd-usb-audio's card, the default, and every
# order of events around it, in one boot:
#  - they stand beside snd-usb-audio's own on the USB-Audio card and there
#    is no card of ours; amixer writes reach the device; a knob turn reaches
#    `alsactl monitor` on that card; the 48 V plug-in guard works there;
#  - rmmod and modprobe of ours while a client writes to the card and
#    another holds it open: the audio card keeps working (it records), our
#    controls leave it and come back; snd-usb-audio cannot be unloaded
#    under us;
#  - a name clash puts all our controls on a card of our own, and the log
#    says why; own_card=1 gives a card of our own, named like
#    snd-usb-audio's;
#  - snd-usb-audio loaded after us: our controls end up on its card, with
#    no card of our own in between; not loaded at all: a card of our own
#    after audio_card_wait_ms (an unplug and an rmmod of ours during the
#    wait too); unbound while our controls are on its card with clients on
#    it: the controls move to a card of our own; a device without audio
#    interfaces: a card of our own at once.
# Unplugs are in shared-unplug.sh, a USB reset (which rebinds snd-usb-audio)
# in driver-reset.sh.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

PH="Line In 1-2 Phantom Power Capture Switch"
GAIN3="Line In 3 Gain Capture Volume"
PAD2="Line In 2 Pad Capture Switch"
MON=/tmp/monitor.log
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

inactive() {
	amixer -c "$PAMP_CARD" --inactive contents | awk -v n="$PH" '
		/^numid=/ { want = index($0, "name=\047" n "\047") > 0; next }
		want && /^  ; type=/ { sub(/.*access=/, ""); sub(/,.*/, ""); print; exit }' |
		grep -q '^..i'
}
active() { ! inactive; }
no_ours_on() { ! pamp_on "$1"; }
has_card() { grep -q "^ *$1 \[" /proc/asound/cards; }

# The controls snd-usb-audio itself made (not ours), as a sorted name list.
audio_own() {
	amixer -c "$1" controls | grep -Ev "$PAMP_NAMES" | sed 's/^numid=[0-9]*,//' | sort
}

# record CARD: one second from snd-usb-audio's PCM.
record() {
	arecord -q -D "hw:$1,0" -d 1 -c 4 -f S16_LE -r 48000 \
		--buffer-time=1000000 /tmp/rec.wav &&
		[ "$(stat -c %s /tmp/rec.wav)" -gt 300000 ]
}

# A guard longer than the default for the checks meant to fall inside it:
# a VM beside others on a loaded host was seen to start them 10 s after
# the probe. That they did is measured too (inactive, before and after).
GUARD_MS=30000
check "snd-usb-preamp loads (48 V guard $GUARD_MS ms)" pamp_load phantom_guard_ms=$GUARD_MS || finish
check_eq "own_card defaults to N" N "$(cat /sys/module/snd_usb_preamp/parameters/own_card)"
check "quad emulator starts" emu_start quad quad || finish

# ---- Plug-in: one card, ours beside snd-usb-audio's controls.
check "quad plugs in" pamp_plug quad || finish
AUDIO=$(emu_card quad USB-Audio)
PAMP_CARD=$(pamp_card quad)
alsactl monitor "hw:$PAMP_CARD" >"$MON" 2>&1 &
monpid=$!
amixer -c "$PAMP_CARD" events >/tmp/amixer-events.log 2>&1 &
evpid=$!
check_eq "our controls are on snd-usb-audio's card" "$AUDIO" "$PAMP_CARD"
check "there is no card of our own" sh -c "! grep -q USB-Preamp /proc/asound/cards"

# The guard, while it lasts.
probe=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] snd-usb-preamp .*: controls on card.*/\1/p' | tail -n 1)
echo "# the guard checks start $(awk -v p="$probe" '{ printf "%d", ($1 - p) * 1000 }' /proc/uptime) ms after probe"
check "48 V: the phantom control is inactive during the guard" inactive
out=$(ctlraw "$PAMP_CARD" write "$PH" 1 2>&1)
case "$out" in
*EPERM*) ok "48 V on during the guard: EPERM" ;;
*) fail "48 V on during the guard: EPERM" "got: ${out:-success}" ;;
esac
check_eq "48 V stayed off on the device" "0 0" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
check "48 V: the guard still held after it" inactive

check "the log names the card" sh -c "dmesg | grep -q 'snd-usb-preamp .*: controls on card $AUDIO (.*), beside snd-usb-audio'"
audio_own "$AUDIO" >/tmp/audio-own
echo "# snd-usb-audio's own controls on card $AUDIO: $(tr '\n' ' ' </tmp/audio-own)"

# ---- Writes reach the device.
traffic_mark quad
check "amixer: gain 3 to index 77" amixer -q -c "$AUDIO" cset name="$GAIN3" 77
check "amixer: pad 2 on" amixer -q -c "$AUDIO" cset name="$PAD2" on
check "amixer: input 4 to Line" amixer -q -c "$AUDIO" cset name="Line In 4 Level Capture Enum" Line
check_eq "the device has gain 3 at 28.5 dB" 28.5 "$(emu_key quad in3.gain_db)"
check_eq "the device has pad 2 on" 1 "$(emu_key quad in2.pad)"
check_eq "the device has input 4 at Line" 0 "$(emu_key quad in4.inst)"
check_eq "three writes, three requests" "SET_GAIN=1 SET_SWITCH=2" "$(traffic quad)"

# ---- A knob turn reaches alsactl monitor on the shared card.
cp "$MON" "$MON.before"
check "knob: input 4 gain to 20 dB" emu quad knob 4 gain 20
if wait_until 10 sh -c "diff $MON.before $MON | grep -q 'Line In 4 Gain Capture Volume'"; then
	ok "alsactl monitor on card $AUDIO shows the knob turn: $(diff "$MON.before" "$MON" | grep 'Line In 4 Gain' | head -n 1 | sed 's/^> //')"
else
	fail "alsactl monitor on card $AUDIO shows the knob turn" "$(tail -n 5 "$MON")"
fi
check_eq "amixer reads the new gain" 60 "$(pamp_get 'Line In 4 Gain Capture Volume')"
if wait_until 5 sh -c "grep -i 'value' /tmp/amixer-events.log | grep -q 'Line In 4 Gain Capture Volume'"; then
	ok "amixer events on card $AUDIO shows it too"
else
	fail "amixer events on card $AUDIO shows it too" "$(tail -n 5 /tmp/amixer-events.log)"
fi
kill "$evpid" 2>/dev/null
wait "$evpid" 2>/dev/null

# ---- The guard lifts with an INFO event; then 48 V can be switched on.
check "the guard lifts on its own" wait_until $((GUARD_MS / 1000 + 30)) active
if wait_until 5 sh -c "grep '$PH' $MON | grep -qi info"; then
	ok "an INFO event announced it on card $AUDIO"
else
	fail "an INFO event announced it on card $AUDIO" "monitor: $(tail -n 8 "$MON")"
fi
check "48 V on after the guard" amixer -q -c "$AUDIO" cset name="$PH" on
check_eq "48 V is on on the device" "1 1" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"
kill "$monpid" 2>/dev/null
wait "$monpid" 2>/dev/null

# (After the guard: the table has the phantom control active.)
pamp_expected quad >/tmp/expected
pamp_actual "$AUDIO" >/tmp/actual
if diff /tmp/expected /tmp/actual >/tmp/diff; then
	ok "our controls on card $AUDIO match the model ($(wc -l </tmp/actual) controls)"
else
	fail "our controls on card $AUDIO match the model" "$(cat /tmp/diff)"
fi

check "snd-usb-audio's card records" record "$AUDIO"

# ---- snd-usb-audio is pinned while our controls are on its card.
out=$(modprobe -r snd-usb-audio 2>&1)
if [ $? -ne 0 ]; then
	ok "snd-usb-audio cannot be unloaded under our controls: $out"
else
	fail "snd-usb-audio cannot be unloaded under our controls" "it unloaded"
	finish
fi

# ---- rmmod and modprobe of ours while attached, with a client writing to
# the card and another holding it open.
rm -f /tmp/stop-writer
(
	i=0 okw=0
	while [ ! -e /tmp/stop-writer ]; do
		amixer -q -c "$AUDIO" cset name="$GAIN3" $((i % 141)) >/dev/null 2>&1 &&
			okw=$((okw + 1))
		i=$((i + 1))
	done
	echo "$i $okw" >/tmp/writer.count
) &
writer=$!
amixer -c "$AUDIO" events >/tmp/events.log 2>&1 &
holder=$!
sleep 1
fails=0
for i in 1 2 3 4 5; do
	if ! out=$(rmmod snd-usb-preamp 2>&1); then
		fails=$((fails + 1))
		echo "# cycle $i: rmmod failed: $out"
		continue
	fi
	wait_until 5 no_ours_on "$AUDIO" ||
		{ fails=$((fails + 1)); echo "# cycle $i: our controls stayed"; }
	has_card "$AUDIO" || { fails=$((fails + 1)); echo "# cycle $i: card $AUDIO went away"; }
	[ "$(audio_own "$AUDIO")" = "$(cat /tmp/audio-own)" ] ||
		{ fails=$((fails + 1)); echo "# cycle $i: snd-usb-audio's controls changed"; }
	sleep 0.$((RANDOM % 5))
	if ! out=$(pamp_load phantom_guard_ms=0 2>&1); then
		fails=$((fails + 1))
		echo "# cycle $i: modprobe failed: $out"
		continue
	fi
	wait_until 10 pamp_on "$AUDIO" ||
		{ fails=$((fails + 1)); echo "# cycle $i: our controls did not come back"; }
	sleep 0.$((RANDOM % 5))
done
touch /tmp/stop-writer
wait "$writer"
read -r n okw </tmp/writer.count
echo "# the writer ran $n amixer cset, $okw of them succeeded"
check_eq "5 x rmmod + modprobe of ours under a writing client and amixer events" 0 "$fails"
check "amixer events still holds the card" kill -0 "$holder"
check "amixer events saw our controls go and come" grep -q "event remove.*$GAIN3" /tmp/events.log
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
check "the card still records" record "$AUDIO"
pamp_actual "$AUDIO" >/tmp/actual
check_eq "our controls are all back" "$(cut -d'|' -f1 /tmp/expected)" "$(cut -d'|' -f1 /tmp/actual)"
check "a write after the reloads reaches the device" amixer -q -c "$AUDIO" cset name="$GAIN3" 100
check_eq "... the device has it" 40 "$(emu_key quad in3.gain_db)"

# ---- A name clash: snd-usb-audio's card already has one of our names.
check "rmmod of ours" rmmod snd-usb-preamp
check "a user control '$PAD2' on card $AUDIO" ctlraw "$AUDIO" add "$PAD2"
kmsg_mark
check "snd-usb-preamp loads" pamp_load phantom_guard_ms=0
check "a card of our own appears" wait_until 10 pamp_own_card quad
OWN=$(pamp_own_card quad)
pamp_actual "$OWN" >/tmp/actual
if diff /tmp/expected /tmp/actual >/tmp/diff; then
	ok "all our controls are on our card $OWN ($(wc -l </tmp/actual) controls)"
else
	fail "all our controls are on our card $OWN" "$(cat /tmp/diff)"
fi
check_eq "card $AUDIO has none of ours but the user control" "$PAD2" \
	"$(amixer -c "$AUDIO" controls | grep -E "$PAMP_NAMES" | sed "s/.*name='\(.*\)'/\1/")"
why=$(kmsg_since | grep 'snd-usb-preamp' | grep 'already has a control')
case "$why" in
*"\"$PAD2\""*) ok "the log says why: ${why#*: }" ;;
*) fail "the log says why" "$(kmsg_since | grep snd-usb-preamp)" ;;
esac
check "a write on our card reaches the device" amixer -q -c "$OWN" cset name="$PAD2" off
check_eq "... the device has it" 0 "$(emu_key quad in2.pad)"
check "rmmod of ours" rmmod snd-usb-preamp
check "our card goes away" wait_until 10 sh -c "! grep -q USB-Preamp /proc/asound/cards"
check "the user control is removed" ctlraw "$AUDIO" remove "$PAD2"

# ---- own_card=1: a card of our own beside snd-usb-audio's, named alike.
check "snd-usb-preamp loads with own_card=1" pamp_load phantom_guard_ms=0 own_card=1
check "a card of our own appears" wait_until 10 pamp_own_card quad
OWN=$(pamp_own_card quad)
check "none of our controls on card $AUDIO" no_ours_on "$AUDIO"
product=$(emu_key quad device.name)
check_eq "our card: driver and short name" "USB-Preamp - $product" \
	"$(sed -n "s/^ *$OWN \[[^]]*\]: //p" /proc/asound/cards)"
check_eq "our card: the long name is snd-usb-audio's" \
	"$(sed -n "/^ *$AUDIO \[/{n;s/^ *//p}" /proc/asound/cards)" \
	"$(sed -n "/^ *$OWN \[/{n;s/^ *//p}" /proc/asound/cards)"
check_eq "our card: mixer name" "$product" \
	"$(amixer -c "$OWN" info | sed -n "s/^[[:space:]]*Mixer name[[:space:]]*: '\(.*\)'/\1/p")"
check_eq "our card: component" "USB$(emu_key quad device.vendor_id | sed 's/^0x//'):$(emu_key quad device.product_id | sed 's/^0x//')" \
	"$(amixer -c "$OWN" info | sed -n "s/^[[:space:]]*Components[[:space:]]*: '\(.*\)'/\1/p")"

check "quad unplugs" emu_unplug quad
check "every card goes away" wait_until 20 no_cards
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp

check "snd-usb-preamp loads with the defaults" pamp_load phantom_guard_ms=0 || finish
check_eq "audio_card_wait_ms defaults to 5000" 5000 "$(cat "$WAIT")"
for i in 1 2 3 4; do
	emu quad source "$i" silence -90 >/dev/null
done

# ---- snd-usb-audio loaded a moment after the device is plugged in: well
# within our wait for its card, made long (60 s) so that a slow VM's
# modprobe falls inside it too.
check "snd-usb-audio unloads (no device yet)" modprobe -r snd-usb-audio
echo 60000 >"$WAIT"
kmsg_mark
check "quad plugs in (no snd-usb-audio)" emu_plug quad || finish
t0=$(_uptime_cs)
sleep 1
check "snd-usb-audio loads a moment later" modprobe snd-usb-audio
check "our controls appear" wait_until 20 pamp_card quad
echo "# modprobe snd-usb-audio done $(ms_since "$t0") ms after plug-in; our controls placed $(placed_after) ms after the device was found"
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

# ---- No snd-usb-audio: a card of our own after the wait. (How long after
# is measured, not checked: a loaded host runs the work late.)
check "snd-usb-audio unloads" modprobe -r snd-usb-audio
echo 2000 >"$WAIT"
kmsg_mark
check "quad plugs in (no snd-usb-audio, audio_card_wait_ms=2000)" emu_plug quad || finish
check "a card of our own appears" wait_until 20 pamp_own_card quad
after=$(placed_after)
echo "# plug-in to our card: $after ms"
check "... not before the wait ($after ms)" test "${after:-0}" -ge 2000
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

# ... an unplug, and an rmmod of ours, during the wait: a wait of 10 s, so
# that they fall inside it on a slow VM too (measured from the probe's
# kernel time stamp), and then past its end, when a card would have come.
echo 10000 >"$WAIT"
probe_ms_ago() {
	kmsg_since | awk '
		function ts(s) { sub(/^\[ */, "", s); sub(/\].*/, "", s); return s + 0 }
		/snd-usb-preamp .*: Preamp Quad: 4 inputs/ { p = ts($0) }
		END { if (p) { getline up < "/proc/uptime"; printf "%d", (up - p) * 1000 } else print 99999 }'
}
past_the_wait() { [ "$(probe_ms_ago)" -gt 11000 ]; }
for how in unplug rmmod; do
	kmsg_mark
	check "quad plugs in (no snd-usb-audio)" emu_plug quad || finish
	check "our probe ran" wait_until 10 probed
	check "$how during the wait: no card yet" no_cards
	if [ "$how" = unplug ]; then
		check "unplug during the wait" emu_unplug quad
	else
		check "rmmod of ours during the wait" rmmod snd-usb-preamp
	fi
	ms=$(probe_ms_ago)
	check "... $ms ms after the probe, within the 10000 ms wait" test "$ms" -lt 10000
	wait_until 30 past_the_wait
	check "no card is left, past the wait's end" no_cards
done
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
