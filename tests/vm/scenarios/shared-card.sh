#!/bin/bash
# vm-append: slub_debug=FZPU
# snd-usb-preamp's controls on snd-usb-audio's card, the default: they stand
# beside snd-usb-audio's own on the USB-Audio card and there is no card of
# ours; amixer writes reach the device; a knob turn reaches `alsactl
# monitor` on that card; the 48 V plug-in guard works there. rmmod and
# modprobe of ours while a client writes to the card and another holds it
# open: the audio card keeps working (it records), our controls leave it
# and come back; snd-usb-audio cannot be unloaded under us. A name clash
# puts all our controls on a card of our own, and the log says why.
# own_card=1 gives a card of our own beside snd-usb-audio's, named alike.
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

PH="Line In 1-2 Phantom Power Capture Switch"
GAIN3="Line In 3 Gain Capture Volume"
PAD2="Line In 2 Pad Capture Switch"
MON=/tmp/monitor.log

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

# A guard longer than the default: the checks before it lifts need time
# under emulation.
check "snd-usb-preamp loads (48 V guard 8000 ms)" pamp_load phantom_guard_ms=8000 || finish
check_eq "own_card defaults to N" N "$(cat /sys/module/snd_usb_preamp/parameters/own_card)"
check "quad emulator starts" emu_start quad quad || finish

# ---- Plug-in: one card, ours beside snd-usb-audio's controls.
check "quad plugs in" pamp_plug quad || finish
AUDIO=$(emu_card quad USB-Audio)
PAMP_CARD=$(pamp_card quad)
alsactl monitor "hw:$PAMP_CARD" >"$MON" 2>&1 &
monpid=$!
check_eq "our controls are on snd-usb-audio's card" "$AUDIO" "$PAMP_CARD"
check "there is no card of our own" sh -c "! grep -q USB-Preamp /proc/asound/cards"

# The guard, while it lasts.
echo "# $(awk '{ printf "%d", $1 * 1000 }' /proc/uptime) ms since boot, probe at $(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] snd-usb-preamp .*: controls on card.*/\1/p' | tail -n 1) s"
check "48 V: the phantom control is inactive during the guard" inactive
out=$(ctlraw "$PAMP_CARD" write "$PH" 1 2>&1)
case "$out" in
*EPERM*) ok "48 V on during the guard: EPERM" ;;
*) fail "48 V on during the guard: EPERM" "got: ${out:-success}" ;;
esac
check_eq "48 V stayed off on the device" "0 0" "$(emu_key quad in1.phantom) $(emu_key quad in2.phantom)"

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

# ---- The guard lifts with an INFO event; then 48 V can be switched on.
check "the guard lifts within 15 s" wait_until 15 active
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
check "every card goes away" wait_until 20 sh -c "! grep -q 'USB-Preamp\|USB-Audio' /proc/asound/cards"
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "snd-usb-audio unloads: nothing of ours pins it any more" modprobe -r snd-usb-audio
check "no kernel warning" no_kernel_trouble
finish
