#!/bin/bash
# The 48 V promise on an interface whose driver has no plug-in guard: an
# emulated Focusrite Scarlett 2i2 4th Gen under Linux's own scarlett2
# driver, on a Debian system with stock alsa-utils and its
# 90-alsa-restore.rules active. `alsactl store` saved the card with 48 V
# on, as at shutdown. With preampd running (default policy "off"), 48 V is
# never switched on at plug-in: not for a moment, as the interface's own
# log of writes shows. With preampd stopped (masked, so that udev cannot
# start it), alsactl restores the card as it always did, 48 V included.
set -u
. /usr/local/lib/preamp-system/lib.sh

SERIAL=S2I2G4-SYSPLUG
KEY=1235-8219-$SERIAL
PHANTOM="Line In 1-2 Phantom Power Capture Switch"
MODEL=$EMU_MODELS/interfaces/scarlett-2i2-4th.ini
LOG=/tmp/emu-s2i2.log

check_eq "the boot is over" running "$(wait_boot_finished 900)"
check "alsa-utils' restore rule is installed" \
	test -f /usr/lib/udev/rules.d/90-alsa-restore.rules -o -f /lib/udev/rules.d/90-alsa-restore.rules
check "and not overridden in /etc" test ! -e /etc/udev/rules.d/90-alsa-restore.rules
check_eq "no file of alsa-utils is changed" "" "$(dpkg --verify alsa-utils 2>&1)"
check "systemctl enable --now preampd" systemctl enable --now preampd.service ||
	{ pd_journal; finish; }
check "usbip's vhci-hcd loads" load_usbip || finish

mark() { wc -l <"$LOG" >/run/scarlett-mark; }
since() { tail -n +"$(($(cat /run/scarlett-mark) + 1))" "$LOG"; }
ons() { since | grep '48V input .* on by' || true; }
ons_host() { since | grep -q '48V input 1-2 on by host'; }
card() { emu_card s2i2; }
start_emu() {
	check "the Scarlett 2i2 4th Gen emulator starts from its defaults" \
		emu_start s2i2 "$MODEL" --serial "$SERIAL" || finish
}
plug_in() {
	check "$1" emu_plug s2i2 || finish
	if ! wait_until 60 pd_plugged 1; then
		fail "preampd has the device" "$(pd_journal 30)"
		finish
	fi
	wait_until 30 card >/dev/null
	CARD=$(card) || { fail "the Scarlett has a card" "$(cat /proc/asound/cards)"; finish; }
}
unplug() {
	check "it unplugs" emu_unplug s2i2
	check "preampd lets it go" wait_until 30 pd_plugged 0
	emu_stop s2i2
}
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}
saved_gain_near() { near "$(pd_state "$KEY" 1 gain)" "$1" 1; }
gain_is_saved() { near "$(emu s2i2 get in1.gain_db)" "$SAVED" 0.01; }
state_has_48v() {
	grep -A4 "name '$PHANTOM'" /var/lib/alsa/asound.state | grep -qx '[[:space:]]*value true'
}

# --- the settings before: 20 dB and 48 V on, stored by alsactl
start_emu
plug_in "it plugs in"
check_eq "preampd drives it with scarlett2" '"scarlett2"' \
	"$(pd_get "$(pd_dev_path)" "$PD_BUS.Device" Driver | cut -d' ' -f2)"
check "SetGain 20 dB on input 1" pd_set_gain 1 20
check "SetPhantom on" pd_call "$(pd_in_path 1)" "$PD_BUS.Input" SetPhantom bb true false
check_eq "the interface has 48 V on" 1 "$(emu s2i2 get in1.phantom)"
check "alsactl stores the card as at shutdown" alsactl store "$CARD"
check "asound.state has the 48 V switch on" state_has_48v
check "preampd's state file has about 20 dB" wait_until 30 saved_gain_near 20
SAVED=$(pd_state "$KEY" 1 gain)
unplug

# --- plug-in with preampd running: 48 V never on
start_emu
mark
plug_in "it plugs in with preampd running"
check "preampd restores the saved gain ($SAVED dB)" wait_until 60 gain_is_saved
check "udev's rules are done" udevadm settle --timeout=120
# a late switch-on would show by now; a long listen, not a speed test
sleep 5
check_eq "48 V was never switched on (the interface's log)" "" "$(ons)"
note "the interface's log since plug-in: $(since | grep -c .) lines; 48 V on for 0 ms"
check_eq "preampd had no 48 V to switch off" "" \
	"$(pd_journal 80 | grep "$KEY: .*48 V was on at plug-in")"
check_eq "48 V is off at the interface" 0 "$(emu s2i2 get in1.phantom)"
check_eq "D-Bus shows 48 V off" false "$(pd_in_get 1 Phantom)"
check "asound.state still has the 48 V switch on" state_has_48v
unplug

# --- preampd stopped: alsa-utils works as before
# a crash: with restarts off for the test (a runtime drop-in), the unit
# stays down, and its ExecStopPost takes preampd's runtime file away;
# masked then (a unit's commands go with its mask), a plug-in cannot
# start it
NO_RESTART=/run/systemd/system/preampd.service.d/test-no-restart.conf
check "restarts are off for the test" sh -c "mkdir -p ${NO_RESTART%/*} &&
	printf '[Service]\nRestart=no\n' >$NO_RESTART && systemctl daemon-reload"
check "preampd is killed, as a crash would end it" \
	systemctl kill --signal=SIGKILL preampd.service
check "preampd has failed" wait_until 60 sh -c \
	'[ "$(systemctl show -P ActiveState preampd.service)" = failed ]'
check "its runtime file is gone after the crash (ExecStopPost)" \
	test ! -e /run/preampd/running
check "preampd is masked (a plug-in cannot start it)" \
	systemctl mask --runtime preampd.service
start_emu
mark
check "it plugs in without preampd" emu_plug s2i2 || finish
check "alsactl's restore switches 48 V on, as without preampd" wait_until 60 ons_host
check_eq "the interface has 48 V on" 1 "$(emu s2i2 get in1.phantom)"
check "preampd is unmasked and starts" \
	sh -c "rm -f $NO_RESTART && systemctl unmask --runtime preampd.service &&
		systemctl start preampd.service"
check "preampd has the device" wait_until 60 pd_plugged 1
check "and switches 48 V off (policy off)" wait_until 30 output_is 0 emu s2i2 get in1.phantom
unplug

pd_journal 80 | grep "$KEY" | sed 's/^/# preampd: /'
finish
