#!/bin/bash
# Scenario 6: the first sound card appears after preampd started. The
# system boots with no sound module loaded (no sound hardware); preampd,
# started by D-Bus activation, pulls in modprobe@snd.service, so that its
# DeviceAllow=char-alsa (resolved from /proc/devices when the unit starts)
# names the ALSA major. The interface plugged in later is a card that
# preampd can open (/dev/snd/controlC*): it sees it and sets its gain.
#
# The packages enable preampd, which then starts at boot and loads the
# ALSA core with it: installed from them, the first boot disables it, as
# an administrator may, and the scenario runs on the next boot.
set -u
. /usr/local/lib/preamp-system/lib.sh

if [ "$SYSTEM_INSTALL" = packages ] && [ "$SYSTEM_BOOT" = 1 ]; then
	check_eq "the boot is over" running "$(wait_boot_finished 900)"
	check "systemctl disable preampd (the packages enabled it)" \
		systemctl disable preampd.service
	reboot_and_continue
fi
check_eq "the boot is over" running "$(wait_boot_finished 900)"
loaded=$(lsmod | awk '$1 ~ /^snd/ { print $1 }' | tr '\n' ' ')
check_eq "no sound module is loaded after the boot" "" "$loaded"
check "there is no sound card (no /proc/asound)" test ! -e /proc/asound
# (kmod's static nodes, /dev/snd/seq and timer, are there from the boot on)
note "/dev/snd: $(ls /dev/snd 2>/dev/null | tr '\n' ' ')"
check_eq "preampd is not running yet" inactive "$(unit_state preampd.service)"

check "the first call starts preampd (D-Bus activation)" \
	pd_get "$PD_ROOT" "$PD_BUS.Manager" Version || { pd_journal; finish; }
check_eq "preampd.service is active" active "$(unit_state preampd.service)"
check "its unit loaded the ALSA core (modprobe@snd.service)" module_loaded snd
check "the ALSA major is in /proc/devices" grep -qw alsa /proc/devices
note "DevicePolicy=$(systemctl show -P DevicePolicy preampd.service) DeviceAllow=$(systemctl show -P DeviceAllow preampd.service | tr '\n' ' ')"
check_eq "preampd has no device yet" 0 "$(pd_ndevices)"

check "the driver is installed" prebuilt_module_install || finish
check "usbip's vhci-hcd loads" load_usbip || finish
check "the quad emulator starts" emu_start quad quad --serial PQ4-SYSLATE || finish
check "the quad plugs in: the first sound card" emu_plug quad || finish
wait_until 30 pd_card_of quad
card=$(pd_card_of quad)
note "cards: $(sed -n 's/^ *\([0-9]*\) \[\([^]]*\)\].*/\1 \2/p' /proc/asound/cards | tr '\n' ' ')"
if wait_until 60 pd_plugged 1; then
	ok "preampd sees the card"
else
	fail "preampd sees the card" "$(pd_journal 30)" "$(ls -l /dev/snd)"
	finish
fi
check "SetGain 15 on input 1" pd_set_gain 1 15
check_eq "the device has 15 dB" 15 "$(emu quad get in1.gain_db)"
check "a knob moves input 2 to 7 dB" emu quad knob 2 gain 7
check "preampd hears it (it reads the control device)" \
	wait_until 30 output_is 7 pd_in_get 2 Gain
pid=$(systemctl show -P MainPID preampd.service)
check "preampd holds /dev/snd/controlC$card open" \
	bash -c "ls -l /proc/$pid/fd | grep -q '/dev/snd/controlC$card\$'"
check_eq "no denied access in preampd's journal" "" \
	"$(journalctl -b --no-pager -u preampd.service | grep -iE 'permission denied|operation not permitted')"

check "the quad unplugs" emu_unplug quad
check "preampd lets it go" wait_until 30 pd_plugged 0
emu_stop quad
finish
