#!/bin/bash
# The demo: an emulated four-input USB audio interface is plugged into a
# throw-away VM running Debian's kernel; we look at it the way a user would.
set -u
. /tests/lib.sh

# Shows a command, then runs it.
show() {
	printf '\n$ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/  /'
}

chapter() {
	printf '\n\n=== %s ===\n' "$*"
}

say() {
	printf '%s\n' "$*" | fold -s -w 78
}

load_usbip >/dev/null && load_sound >/dev/null || { fail "modules load"; finish; }

chapter "1. Plug in an emulated USB audio interface"
say "preamp-emu serves a whole USB audio interface (UAC2 capture, four inputs, plus the Preamp Control interface) over USB/IP; 'usbip attach' plugs it into this kernel, which enumerates it like hardware."
emu_start quad quad >/dev/null || { fail "the emulator starts"; finish; }
emu_plug quad || { fail "the interface plugs in"; finish; }
wait_until 20 emu_card quad || { fail "snd-usb-audio makes a card"; finish; }
card=$(emu_card quad)
dev=$(emu_devnode quad)
show lsusb -t
show sh -c "lsusb -v -d 1d6b:0104 2>/dev/null | grep -E 'idVendor|idProduct|iProduct|iSerial|bInterfaceClass|bInterfaceSubClass|iInterface|bEndpointAddress|Transfer Type'"
say "snd-usb-audio bound the audio interfaces and made card $card:"
show cat /proc/asound/cards

chapter "2. What the preamps say about themselves"
say "pamp-show reads the Preamp Control interface with the protocol's own requests (GET_INFO, GET_INPUT_INFO, GET_ALL_STATE, GET_METERS):"
show pamp-show "$dev"

chapter "3. Record a second and measure it"
say "Each input has a simulated source in front of its preamp (a speech-like signal on 1 and 4, a steady sine on 2 and 3). The emulator says where the peaks should be:"
show sh -c "preamp-emu-ctl /run/emu-quad.sock state | grep -E 'in[1-4]\.(label|source|level_dbfs|gain_db|expected_peak_dbfs)='"
show arecord -q -D "hw:$card,0" -d 1 -c 4 -f S16_LE -r 48000 --buffer-time=1000000 /tmp/demo.wav
show pamp-level /tmp/demo.wav
say "The recorded peaks are where the emulator put them: audio and meters come from the same samples."

chapter "4. Turn a knob on the device"
say "Someone turns input 2's gain knob to +20 dB; the device notifies the host on its interrupt endpoint:"
pamp-show "$dev" --watch 4 >/tmp/watch.txt 2>&1 &
watcher=$!
sleep 1.5
show preamp-emu-ctl /run/emu-quad.sock knob 2 gain 20
wait "$watcher"
sed -n '/watching/,$p' /tmp/watch.txt | sed 's/^/  /'
grep -q "input 2 changed" /tmp/watch.txt && ok "the knob turn arrived as a notification" ||
	fail "the knob turn arrived as a notification" "$(cat /tmp/watch.txt)"

chapter "5. The preamps as ALSA mixer controls"
say "snd-usb-preamp binds the Preamp Control interface and makes every preamp an ALSA control, live in both directions. preampd, the system service, runs on the system bus beside a real dbus-daemon and systemd-udevd."
. /tests/scenarios/daemon-lib.sh
pd_setup
check "preampd starts" pd_start || { pd_log; finish; }
emu_unplug quad >/dev/null; emu_plug quad >/dev/null
wait_until 20 pd_card_of quad || { fail "the preamp controls appear"; finish; }
pcard=$(pd_card_of quad)
show cat /proc/asound/cards
show amixer -c "$pcard" scontrols
say "Set input 1's gain to +24 dB from amixer; the device follows:"
show amixer -c "$pcard" sset 'Line In 1 Gain' 24dB
show preamp-emu-ctl /run/emu-quad.sock get in1.gain_db
check_eq "the device has input 1 at +24 dB" 24 \
	"$(preamp-emu-ctl /run/emu-quad.sock get in1.gain_db)"

chapter "6. preampctl: the same preamps over D-Bus"
show preampctl
say "Any desktop program can do this through preampd's D-Bus API; preampctl is its command-line client. Input 2 up by 6 dB, 48 V on for the microphones (once the driver's plug-in guard of 3 s has lifted: no restore at plug-in can switch 48 V on), the pad on input 1:"
show preampctl gain quad 2 +6
wait_until 20 pd_guard_lifted "$pcard" || fail "the 48 V plug-in guard lifts"
show preampctl phantom quad 1 on
show preampctl pad quad 1 on
show preampctl show quad
# saved half a second after the last change
wait_until 20 grep -q "gain = 26" /var/lib/preampd/1d6b-0104-PQ4-000001.state
show cat /var/lib/preampd/1d6b-0104-PQ4-000001.state
say "(preampd keeps each interface's settings in a file of its own, keyed by its USB serial.)"

chapter "7. AutoGain: staging a singer"
say "A singer steps up to the microphone on input 1: a speech-like source whose loudest peaks reach -50 dBFS at 0 dB gain. AutoGain listens while they sing and sets the gain so the loudest peak lands just under the -4 dBFS target, inside the studio's -6..0 window:"
show preamp-emu-ctl /run/emu-quad.sock source 1 speech -50
show preampctl pad quad 1 off
show preampctl autogain quad 1 --target -4 --listen 2
say "The proof is a recording from the interface's audio card:"
show arecord -q -D "hw:$pcard,0" -d 2 -c 4 -f S16_LE -r 48000 --buffer-time=1000000 /tmp/staged.wav
show pamp-level /tmp/staged.wav
peak=$(pamp-level /tmp/staged.wav | awk '$1 == "ch1" { sub("peak=", "", $2); print $2 }')
if awk -v p="$peak" 'BEGIN { exit !(p >= -5.5 && p <= -4.0) }'; then
	ok "input 1's peaks land in [-5.5, -4] dBFS ($peak)"
else
	fail "input 1's peaks land in [-5.5, -4] dBFS" "measured $peak"
fi
say "Save it as a preset, to come back to for this singer:"
show preampctl preset save quad vocals
show preampctl preset list quad

chapter "8. Unplug and plug in again"
staged=$(preamp-emu-ctl /run/emu-quad.sock get in1.gain_db)
say "A non-persistent interface forgets everything at power-off: plugged in again, it comes up at its defaults. preampd restores the saved settings, and keeps 48 V off (its default policy), so a ribbon microphone is never surprised:"
emu_unplug quad && ok "the interface is unplugged" || fail "the interface unplugs"
show cat /proc/asound/cards
emu_plug quad >/dev/null || { fail "the interface plugs in again"; finish; }
wait_until 20 pd_card_of quad || { fail "the preamp controls appear again"; finish; }
wait_until 20 test "$(preamp-emu-ctl /run/emu-quad.sock get in2.gain_db)" = 26
show preampctl show quad
check_eq "input 1's gain is restored" "$staged" "$(preamp-emu-ctl /run/emu-quad.sock get in1.gain_db)"
check_eq "input 2's gain is restored" 26 "$(preamp-emu-ctl /run/emu-quad.sock get in2.gain_db)"
check_eq "48 V stays off" 0 "$(preamp-emu-ctl /run/emu-quad.sock get in1.phantom)"
say "To bring 48 V back as saved instead: preampctl policy quad restore."

emu_unplug quad >/dev/null
pd_stop >/dev/null
emu_stop quad
finish
