#!/bin/bash
# preampd's restore: a replug brings the settings back, sending only what
# differs from the device's, with 48 V off under
# the default policy although alsactl's restore rule had a state with it
# on; "restore" brings 48 V back after the driver's plug-in guard; a
# restart of the daemon changes nothing; a reboot-like start (empty /run)
# restores; two devices with different serials keep separate states; a
# kill -9 in a burst of changes leaves a whole state file, restored; a
# persistent device gets only what differs from its saved state; the
# inputs carry the labels the devices gave them. A restart adopts when its
# marker cannot be trusted (no initialization time, no runtime directory);
# 48 V waiting for the plug-in guard stays off when its group was locked
# meanwhile; serials that differ only after byte 255 are two devices;
# state files are private, a killed save's temporary file goes at the next
# start, and a damaged file kept aside is never replaced by the next one.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

KEY=1d6b-0104-PQ4-RESTORE1
GUARD=/sys/module/snd_usb_preamp/parameters/phantom_guard_ms

pd_setup
pd_config "debounce_ms = 200"
check "preampd starts" pd_start || { pd_log; finish; }
check "the quad emulator starts" emu_start quad quad --serial PQ4-RESTORE1 || finish

plugged() { [ "$(pd_ndevices)" = "$1" ]; }
plug() {
	emu_plug quad && wait_until 30 plugged 1
}
# (check runs its command in a subshell: the card is looked up here)
plug_in() {
	check "$1" plug || { pd_log; finish; }
	wait_until 10 pd_card_of quad
	PD_CARD=$(pd_card_of quad)
	[ -n "$PD_CARD" ] || fail "the preamp card of the quad is found" "$(cat /proc/asound/cards)"
}
unplug() {
	emu_unplug quad && wait_until 15 plugged 0
}
guard_lifted() { pd_guard_lifted "$PD_CARD"; }
# the SET_GAIN, SET_SWITCH and SET_ALL_STATE requests the device had
set_counts_of() {
	emu "$1" counters | awk -F= '/^req.SET_GAIN=/ { g = $2 } /^req.SET_SWITCH=/ { s = $2 } /^req.SET_ALL_STATE=/ { a = $2 } END { print g + 0, s + 0, a + 0 }'
}
quad_set_counts() { set_counts_of quad; }
# the key of the Nth device in plug-in order
dev_key() {
	pd_get "$(pd_devices | awk -v i="$1" '{ gsub(/"/, ""); print $(i + 2) }')" \
		"$PD_BUS.Device" Key | cut -d' ' -f2
}
set_gain() { pd_call "$(pd_in_path "$1")" "$PD_BUS.Input" SetGain db "$2" false; }
saved() { sed -n "/^\[input $1\]/,/^\$/p" "$PD_STATE/$KEY.state" | sed -n "s/^$2 = //p"; }

plug_in "it plugs in"
check "SetGain 20 on input 1" set_gain 1 20
check "the plug-in guard lifts" wait_until 10 guard_lifted
check "SetPhantom on" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" SetPhantom bb true false
check_eq "48 V is on" 1 "$(emu quad get in1.phantom)"
check "the state file says so" wait_until 5 sh -c "[ \"\$(sed -n '/^\[input 1\]/,/^\$/p' $PD_STATE/$KEY.state | sed -n 's/^phantom = //p')\" = on ]"
check "alsactl stores the card (48 V on) as at shutdown" alsactl store "$PD_CARD"
check "asound.state has the switch on" grep -A3 "Phantom Power" /var/lib/alsa/asound.state

# --- default policy "off": alsactl's rule restores, the guard refuses
#     48 V, preampd restores the rest and leaves 48 V off
check "it unplugs" unplug
plug_in "it plugs in again"
check_eq "the gain came back" 20 "$(emu quad get in1.gain_db)"
check_eq "48 V stayed off (policy off)" 0 "$(emu quad get in1.phantom)"
check_eq "D-Bus agrees" false "$(pd_in_get 1 Phantom)"

# --- preampd alone (alsactl's state aside): only what differs from the
#     device's power-on defaults is sent, input 1's gain, not a switch
check "it unplugs" unplug
mv /var/lib/alsa/asound.state /tmp/asound.state.aside
check "the counters start again" emu quad reset-counters
plug_in "it plugs in again"
check_eq "the gain came back" 20 "$(emu quad get in1.gain_db)"
check "the restore is logged" wait_until 10 sh -c "[ \"\$(grep -c '$KEY: restoring the saved settings' $PD_LOG)\" -ge 2 ]"
sleep 1
check_eq "one SET_GAIN was sent, no switch, no SET_ALL_STATE" "1 0 0" "$(quad_set_counts)"
mv /tmp/asound.state.aside /var/lib/alsa/asound.state

# --- a driver without a guard (as scarlett2): alsactl switches 48 V on
#     before preampd sees the card; preampd switches it off at once
echo 0 >"$GUARD"
check "it unplugs" unplug
check "SetPhantom is still saved on in asound.state" grep -q . /var/lib/alsa/asound.state
plug_in "it plugs in without a guard"
check_eq "48 V is off all the same" 0 "$(emu quad get in1.phantom)"
if grep -q "48 V was on at plug-in" "$PD_LOG"; then
	ok "alsactl had switched it on; preampd logged for how long"
	grep "48 V was on at plug-in" "$PD_LOG" | tail -n 1 | sed 's/^/# /'
else
	# alsactl restores only what its state file holds for this card id
	ok "alsactl did not switch it on this time (nothing to measure)"
fi
echo 3000 >"$GUARD"

# --- policy "restore": 48 V comes back once the guard lifts (a long
#     guard: enumeration under emulation can take seconds)
echo 10000 >"$GUARD"
check "SetPhantomPolicy restore" pd_call "$(pd_dev_path)" "$PD_BUS.Device" SetPhantomPolicy sb restore false
check "SetPhantom on again" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" SetPhantom bb true false
check "the state file keeps the policy" wait_until 5 grep -qx 'phantom_policy = restore' "$PD_STATE/$KEY.state"
check "it unplugs" unplug
plug_in "it plugs in"
check_eq "48 V is off during the guard" 0 "$(emu quad get in1.phantom)"
check "preampd waits for the guard" grep -q "48 V comes back when the device's plug-in guard lifts" "$PD_LOG"
check "48 V comes back when the guard lifts" wait_until 15 sh -c '[ "$(preamp-emu-ctl /run/emu-quad.sock get in1.phantom)" = 1 ]'
check_eq "D-Bus shows it" true "$(pd_in_get 1 Phantom)"
echo 3000 >"$GUARD"

# --- a restart of the daemon touches nothing
check "a knob moves input 2 to 9 dB" emu quad knob 2 gain 9
check "preampd follows" wait_until 5 sh -c "[ \"\$(busctl --system get-property $PD_BUS $(pd_in_path 2) $PD_BUS.Input Gain)\" = 'd 9' ]"
check "preampd stops" pd_stop TERM
check "the knob moves input 2 to 4 dB while it is away" emu quad knob 2 gain 4
emu quad reset-counters >/dev/null
check "preampd starts again" pd_start || { pd_log; finish; }
check "it adopts the device" wait_until 30 plugged 1
sleep 1
check_eq "no setting was sent to the device" "0 0 0" \
	"$(emu quad counters | awk -F= '/^req.SET_GAIN=/ { g = $2 } /^req.SET_SWITCH=/ { s = $2 } /^req.SET_ALL_STATE=/ { a = $2 } END { print g + 0, s + 0, a + 0 }')"
check_eq "48 V is still on" 1 "$(emu quad get in1.phantom)"
check_eq "input 2 keeps what the knob did" 4 "$(emu quad get in2.gain_db)"
check "the log says it adopted" grep -q "adopting it as it is" "$PD_LOG"

# --- a reboot-like start: /run is empty, the saved state goes back
check "preampd stops" pd_stop TERM
check_eq "the state file has input 2 at 4 dB" 4 "$(saved 2 gain)"
rm -f "$PD_RUN"/*
check "a knob moves input 1 to 0 dB" emu quad knob 1 gain 0
check "preampd starts with an empty /run" pd_start || { pd_log; finish; }
check "it restores" wait_until 30 sh -c '[ "$(preamp-emu-ctl /run/emu-quad.sock get in1.gain_db)" = 20 ]'
check_eq "48 V stays on (policy restore, no guard now)" 1 "$(emu quad get in1.phantom)"

# --- a marker whose initialization time is 0 (udev gave none): a restart
#     cannot tell this plug-in from another, and adopts
counts() {
	emu quad counters | awk -F= '/^req.SET_GAIN=/ { g = $2 } /^req.SET_SWITCH=/ { s = $2 } /^req.SET_ALL_STATE=/ { a = $2 } END { print g + 0, s + 0, a + 0 }'
}
check "preampd stops" pd_stop TERM
check "its marker loses the initialization time" sed -i 's/^usec=.*/usec=0/' "$PD_RUN"/card*.instance
check "the knob moves input 2 to 7 dB while it is away" emu quad knob 2 gain 7
emu quad reset-counters >/dev/null
check "preampd starts again" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1
sleep 1
check_eq "it adopted: no setting was sent to the device" "0 0 0" "$(counts)"
check_eq "input 2 keeps what the knob did" 7 "$(emu quad get in2.gain_db)"
check_eq "48 V is still on" 1 "$(emu quad get in1.phantom)"

# --- no runtime directory at start: the cards found are adopted
check "preampd stops" pd_stop TERM
printf '[preampd]\nstate_dir = %s\nruntime_dir = /nonexistent/preampd\nprofile_dir = /usr/share/preampd/profiles\ndebounce_ms = 200\n' \
	"$PD_STATE" >"$PD_CONF"
check "the knob moves input 2 to 5 dB while it is away" emu quad knob 2 gain 5
emu quad reset-counters >/dev/null
check "preampd starts without a runtime directory" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1
sleep 1
check_eq "it adopted: no setting was sent to the device" "0 0 0" "$(counts)"
check_eq "input 2 keeps what the knob did" 5 "$(emu quad get in2.gain_db)"
check_eq "48 V is still on" 1 "$(emu quad get in1.phantom)"
check "the log says why" grep -q "no runtime directory to tell whether this preampd restarted" "$PD_LOG"
check "preampd stops" pd_stop TERM
pd_config "debounce_ms = 200"
check "preampd starts again" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1

# --- 48 V that waits for the plug-in guard (policy restore) stays off
#     when an input of its group is locked meanwhile: here a restart
#     inside a long guard, with input 2 locked in the state file
echo 60000 >"$GUARD"
check "it unplugs" unplug
plug_in "it plugs in again (a 60 s guard)"
pending_on() { grep -q '^pending=[13]$' "$PD_RUN"/card*.instance; }
check "48 V waits for the guard" wait_until 10 pending_on
check "preampd stops" pd_stop TERM
check "the state file locks input 2 (1 and 2 share a switch)" \
	sed -i '/^\[input 2\]/,/^$/ s/^phantom_locked = no$/phantom_locked = yes/' "$PD_STATE/$KEY.state"
check_eq "... it does" yes "$(saved 2 phantom_locked)"
check "preampd starts again" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1
guard_holds() { ! pd_guard_lifted "$PD_CARD"; }
check "the guard still holds (this is the case to prove)" guard_holds
check "the guard lifts" wait_until 90 guard_lifted
sleep 2
check_eq "48 V stayed off" 0 "$(emu quad get in1.phantom)"
check_eq "input 2 is locked" true "$(pd_in_get 2 PhantomLocked)"
check "unlock input 2" pd_call "$(pd_in_path 2)" "$PD_BUS.Input" SetPhantomLock bb false false
echo 3000 >"$GUARD"

# --- serials that differ only at their end (126 characters of 3 bytes:
#     the kernel gives 378 bytes) are two devices, one at a time
e3=$(printf '\342\202\254%.0s' $(seq 125))
second_dev() { pd_devices | awk '{ gsub(/"/, ""); print $4 }'; }
check "a quad with a long serial starts" emu_start long1 quad --serial "${e3}A" || finish
check "it plugs in" emu_plug long1
check "preampd has two devices" wait_until 30 plugged 2
long1_key=$(dev_key 2)
serial=$(busctl --system --json=short get-property "$PD_BUS" "$(second_dev)" "$PD_BUS.Device" Serial)
check "preampd has its whole serial, 378 bytes" sh -c "printf '%s' '$serial' | grep -q 'A\"}\$'"
check "it unplugs" emu_unplug long1
emu_stop long1
check "preampd has one device" wait_until 15 plugged 1
check "a quad whose serial differs in its last character starts" emu_start long2 quad --serial "${e3}B" || finish
check "it plugs in" emu_plug long2
check "preampd has two devices" wait_until 30 plugged 2
long2_key=$(dev_key 2)
echo "# keys: $long1_key $long2_key"
check "the two have different keys" test "$long1_key" != "$long2_key"
check "it unplugs" emu_unplug long2
emu_stop long2
check "preampd has one device" wait_until 15 plugged 1

# --- two devices with different serials
check "a second quad starts" emu_start quad2 quad --serial PQ4-RESTORE2 || finish
check "it plugs in" emu_plug quad2
check "preampd has two devices" wait_until 30 plugged 2
check "two state files" wait_until 5 test -s "$PD_STATE/1d6b-0104-PQ4-RESTORE2.state"
dev2=$(pd_devices | awk '{ gsub(/"/, ""); print $4 }')
check "SetGain 33 on the second" pd_call "$dev2/inputs/1" "$PD_BUS.Input" SetGain db 33 false
check_eq "the second has 33 dB" 33 "$(emu quad2 get in1.gain_db)"
check_eq "the first kept 20 dB" 20 "$(emu quad get in1.gain_db)"
check "the second's state has 33" wait_until 5 grep -qx 'gain = 33' "$PD_STATE/1d6b-0104-PQ4-RESTORE2.state"
check_eq "the first's state has 20" 20 "$(saved 1 gain)"
check "the second unplugs" emu_unplug quad2
emu_stop quad2

# --- two devices that share a serial: the later one gets its USB path
check "a quad with the first one's serial starts" emu_start twin quad --serial PQ4-RESTORE1 || finish
check "it plugs in" emu_plug twin
check "preampd has two devices" wait_until 30 plugged 2
twin_key=$(dev_key 2)
case "$twin_key" in
'"1d6b-0104-PQ4-RESTORE1-path-'*) ok "the twin's key ends in its USB path: $twin_key" ;;
*) fail "the twin's key ends in its USB path" "key: $twin_key" ;;
esac
check_eq "the first keeps its key" "\"$KEY\"" "$(dev_key 1)"
check "the twin unplugs" emu_unplug twin
emu_stop twin

# --- kill -9 in a burst of 1000 changes: a whole file, restored
pd_stop TERM
pd_config "debounce_ms = 0"
check "preampd starts, saving every change" pd_start || finish
check "it has the device" wait_until 30 plugged 1
# the kill comes from the generator, half-way through the burst
pid=$(cat /run/preampd.pid)
for i in $(seq 1000); do
	echo "cset name='Line In 3 Gain Capture Volume' $((i % 140))"
	if [ "$i" = 500 ]; then
		sleep 0.3
		kill -9 "$pid"
	fi
done | amixer -q -c "$PD_CARD" -s
rm -f /run/preampd.pid
check "the daemon was killed mid-burst" wait_until 5 _pd_gone "$pid"
check_eq "the device went on to the end of the burst" 0 "$(emu quad get in3.gain_db)"
check_eq "the state file is whole" "1" "$(grep -c '^# end of state$' "$PD_STATE/$KEY.state")"
check "no temporary file is left but the one being written" sh -c "[ \$(ls -A $PD_STATE | grep -c tmp) -le 1 ]"
last=$(saved 3 gain)
echo "# the state file holds input 3 at $last dB"
rm -f "$PD_RUN"/*
check "a knob moves input 3 elsewhere" emu quad knob 3 gain -10
check "preampd starts again (reboot-like)" pd_start || { pd_log; finish; }
check "input 3 is back at the saved $last dB" wait_until 30 sh -c "[ \"\$(preamp-emu-ctl /run/emu-quad.sock get in3.gain_db)\" = '$last' ]"
check "the file was not taken as damaged" sh -c "! grep -q damaged $PD_LOG"

# --- state files: private to preampd; SIGTERM loses nothing; what a
#     killed save left is removed at start; a damaged file is kept aside,
#     and the next damaged one beside it
check_eq "the state file is private" 600 "$(stat -c %a "$PD_STATE/$KEY.state")"
check "SetGain 17 on input 4" set_gain 4 17
check "preampd stops at once" pd_stop TERM
check_eq "the state file has it (SIGTERM wrote what was pending)" 17 "$(saved 4 gain)"
stale="$PD_STATE/.$KEY.state.tmp-99999"
[ ! -d /proc/99999 ] || echo "# pid 99999 runs: the stale file may stay"
echo "[device]" >"$stale"
echo "damaged one" >"$PD_STATE/$KEY.state"
check "preampd starts" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1
check "the stale temporary file is gone" test ! -e "$stale"
check "the damaged file is kept aside" grep -qx 'damaged one' "$PD_STATE/$KEY.state.corrupt"
check "a new state file is written" wait_until 10 grep -qx '# end of state' "$PD_STATE/$KEY.state"
check_eq "it is private too" 600 "$(stat -c %a "$PD_STATE/$KEY.state")"
check "preampd stops" pd_stop TERM
echo "damaged two" >"$PD_STATE/$KEY.state"
check "preampd starts" pd_start || { pd_log; finish; }
check "it has the device" wait_until 30 plugged 1
check "the first one kept stays as it was" grep -qx 'damaged one' "$PD_STATE/$KEY.state.corrupt"
check "the second is kept beside it" grep -qx 'damaged two' "$PD_STATE/$KEY.state.corrupt-2"

# --- a persistent device (the octo keeps its own settings): only what
#     differs from the saved state is written at plug-in
OKEY=1d6b-0104-PO8-PERSIST1
odev() { pd_devices | awk '{ gsub(/"/, ""); print $4 }'; }
# "product persistent" for each interface the driver is bound to
driver_says() {
	local i
	for i in /sys/bus/usb/drivers/snd-usb-preamp/*:*; do
		echo "$(cat "$i/../product") $(cat "$i/persistent")"
	done
}
check "the octo emulator starts" emu_start octo octo --serial PO8-PERSIST1 || finish
check "it plugs in" emu_plug octo
check "preampd has two devices" wait_until 30 plugged 2
check "the driver says the octo is persistent" sh -c "$(declare -f driver_says); driver_says | grep -qx 'Preamp Octo 1'"
check "and the quad is not" sh -c "$(declare -f driver_says); driver_says | grep -qx 'Preamp Quad 0'"
check_eq "D-Bus: Persistent" "b true" "$(pd_get "$(odev)" "$PD_BUS.Device" Persistent)"
# the labels the devices gave their inputs: the driver's attributes, then D-Bus
quad_intf() {
	local i
	for i in /sys/bus/usb/drivers/snd-usb-preamp/*:*; do
		[ "$(cat "$i/../product")" = "Preamp Quad" ] && echo "$i"
	done
}
qi=$(quad_intf)
check_eq "the quad's input3_label" "Inst 3" "$(cat "$qi/input3_label")"
check "the quad has no input5_label" test ! -e "$qi/input5_label"
check_eq "D-Bus: the quad's input 3 is labelled as the device says" 's "Inst 3"' "$(pd_get "$(pd_in_path 3)" "$PD_BUS.Input" Label)"
check_eq "D-Bus: the octo's input 8 too" 's "Mic 8"' "$(pd_get "$(odev)/inputs/8" "$PD_BUS.Input" Label)"
check_eq "D-Bus: the quad is not Persistent" "b false" "$(pd_get "$(pd_dev_path)" "$PD_BUS.Device" Persistent)"
check "SetGain 30 on octo input 1" pd_call "$(odev)/inputs/1" "$PD_BUS.Input" SetGain db 30 false
check "SetGain 12 on octo input 2" pd_call "$(odev)/inputs/2" "$PD_BUS.Input" SetGain db 12 false
check "the octo's state file has both" wait_until 5 sh -c "grep -qx 'gain = 30' $PD_STATE/$OKEY.state && grep -qx 'gain = 12' $PD_STATE/$OKEY.state"
check "the octo unplugs" emu_unplug octo
check "preampd has one device" wait_until 15 plugged 1
check "while away, a knob moves octo input 2 to 5 dB" emu octo knob 2 gain 5
emu octo reset-counters >/dev/null
check "the octo plugs in again" emu_plug octo
check "preampd has two devices again" wait_until 30 plugged 2
check "input 2 is back at 12 dB" wait_until 30 sh -c '[ "$(preamp-emu-ctl /run/emu-octo.sock get in2.gain_db)" = 12 ]'
check "the log says it is a persistent device" wait_until 5 grep -q "restoring the saved settings at plug-in (48 V policy '[a-z]*', a persistent device)" "$PD_LOG"
check_eq "input 1 kept its 30 dB" 30 "$(emu octo get in1.gain_db)"
sleep 1
check_eq "one SET_GAIN was sent, no switch, no SET_ALL_STATE" "1 0 0" "$(set_counts_of octo)"
check "the octo unplugs" emu_unplug octo
emu_stop octo

check "preampd stops" pd_stop TERM
emu_stop quad
finish
