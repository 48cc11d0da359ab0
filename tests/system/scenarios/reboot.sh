#!/bin/bash
# Scenario 4: a reboot. At the first boot preampd is set up as README.md's
# "Installing" says (by the packages, or after `make install` with
# systemd-sysusers, daemon-reload, enable --now) and an
# interface is set to 20 dB and 9 dB. After a clean reboot of the same
# disk preampd runs without being asked, and the interface, powered up
# from its defaults, gets its settings back when it appears. Then a
# `systemctl restart preampd` sends nothing to the device: what the
# restarted daemon finds was restored at this plug-in already, and it
# adopts it as it is (a knob moved while it was away stays where it is).
set -u
. /usr/local/lib/preamp-system/lib.sh

SERIAL=PQ4-SYSBOOT
KEY=1d6b-0104-$SERIAL

check_eq "the boot is over (boot $SYSTEM_BOOT)" running "$(wait_boot_finished 900)"

plug_in() {
	check "the quad emulator starts (serial $SERIAL)" \
		emu_start quad quad --serial "$SERIAL" || finish
	check "the quad plugs in" emu_plug quad || finish
	if ! wait_until 60 pd_plugged 1; then
		fail "preampd has the device" "$(pd_journal 30)"
		finish
	fi
	ok "preampd has the device"
}
saved() {
	echo "$(pd_state "$KEY" 1 gain) $(pd_state "$KEY" 2 gain)"
}
# the requests that write settings, received by the device
writes() {
	emu quad counters | awk -F= '
		/^req.SET_GAIN=/ { g = $2 } /^req.SET_SWITCH=/ { s = $2 }
		/^req.SET_ALL_STATE=/ { a = $2 } END { print g + 0, s + 0, a + 0 }'
}

case $SYSTEM_BOOT in
1)
	check "the driver is installed" prebuilt_module_install || finish
	if [ "$SYSTEM_INSTALL" = packages ]; then
		note "installed from the packages: their scripts made the user and enabled the service"
		check_eq "preampd.service is enabled" enabled "$(systemctl is-enabled preampd.service 2>&1)"
	else
		check "systemd-sysusers" systemd-sysusers
		check "systemctl daemon-reload" systemctl daemon-reload
		check "systemctl enable --now preampd" systemctl enable --now preampd.service ||
			{ pd_journal; finish; }
	fi
	check "usbip's vhci-hcd loads" load_usbip || finish
	plug_in
	check "SetGain 20 on input 1" pd_set_gain 1 20
	check "SetGain 9 on input 2" pd_set_gain 2 9
	check_eq "the device has 20 dB on input 1" 20 "$(emu quad get in1.gain_db)"
	check "preampd saved both" wait_until 30 output_is "20 9" saved
	reboot_and_continue
	;;
2)
	check_eq "preampd runs after the boot, enabled" active "$(unit_state preampd.service)"
	check "nothing is marked restored after a reboot (no restore marker in /run/preampd)" \
		test -z "$(ls -A /run/preampd 2>/dev/null | grep -v '^running$')"
	check "usbip's vhci-hcd loads" load_usbip || finish
	plug_in
	check "input 1 is back at 20 dB" wait_until 30 output_is 20 emu quad get in1.gain_db
	check "input 2 is back at 9 dB" wait_until 30 output_is 9 emu quad get in2.gain_db
	check_eq "D-Bus shows 20 and 9 dB" "20 9" "$(pd_in_get 1 Gain) $(pd_in_get 2 Gain)"
	pd_journal 60 | grep "$KEY" | sed 's/^/# preampd: /'

	# --- a restart in between changes nothing on the device
	check "a knob moves input 2 to 4 dB" emu quad knob 2 gain 4
	check "preampd follows" wait_until 30 output_is 4 pd_in_get 2 Gain
	emu quad reset-counters >/dev/null
	pid=$(systemctl show -P MainPID preampd.service)
	check "systemctl restart preampd" systemctl restart preampd.service
	check "a new preampd runs" test "$(systemctl show -P MainPID preampd.service)" != "$pid"
	check "it has the device" wait_until 60 pd_plugged 1
	check "it says it adopted the device as it is" wait_until 30 \
		bash -c "journalctl -b --no-pager -u preampd.service | grep -q 'already restored at this plug-in'"
	sleep 2
	check_eq "no setting was sent to the device (gain, switch, all-state writes)" \
		"0 0 0" "$(writes)"
	check_eq "input 1 is still at 20 dB" 20 "$(emu quad get in1.gain_db)"
	check_eq "input 2 keeps what the knob did" 4 "$(emu quad get in2.gain_db)"
	check "the quad unplugs" emu_unplug quad
	emu_stop quad
	finish
	;;
*)
	fail "no more than two boots" "boot $SYSTEM_BOOT"
	finish
	;;
esac
