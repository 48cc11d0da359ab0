#!/bin/bash
# Scenario: `systemctl disable preampd` is obeyed. In the first boot
# preampd (enabled by its package) is disabled and stopped; the system
# boots again, with no sound card, and preampd stays off. It is enabled,
# then disabled again; the quad is plugged in:
# its card appears, systemd pulls in sound.target for it and finishes
# every job, and preampd was never started. Then it is enabled again
# (without --now) and the quad is plugged in again: preampd starts with
# sound.target and takes the card. No D-Bus call to preampd is made
# while it is disabled (one would start it by activation).
set -u
. /usr/local/lib/preamp-system/lib.sh

# The card of the emulated interface: this VM has no other sound card.
has_card() { grep -q '^ *[0-9]* \[' /proc/asound/cards 2>/dev/null; }
no_card() { ! has_card; }
# systemd has a device unit for a control device (the tag of 99-systemd.rules)
control_device_unit() {
	systemctl list-units --type=device --plain --no-legend --no-pager 2>/dev/null |
		grep -q 'controlC[0-9]*\.device'
}
no_jobs() { [ -z "$(systemctl list-jobs --no-legend --no-pager 2>/dev/null)" ]; }
# when preampd's main process last started this boot, 0 if never
started_at() { systemctl show -P ExecMainStartTimestampMonotonic preampd.service; }

if [ "$SYSTEM_BOOT" = 1 ]; then
	check_eq "the boot is over" running "$(wait_boot_finished 900)"
	check "systemctl disable --now preampd" systemctl disable --now preampd.service
	check_eq "preampd.service is disabled" disabled "$(systemctl is-enabled preampd.service 2>&1)"
	check_eq "preampd is stopped" inactive "$(unit_state preampd.service)"
	reboot_and_continue
fi
check_eq "the boot is over" running "$(wait_boot_finished 900)"
check_eq "preampd, disabled, did not start at boot" 0 "$(started_at)"
check "there is no sound card" no_card
check_eq "preampd is not running" inactive "$(unit_state preampd.service)"
check "the driver is installed" prebuilt_module_install || finish
check "usbip's vhci-hcd loads" load_usbip || finish
check "the quad emulator starts" emu_start quad quad --serial PQ4-SYSOFF || finish

check "systemctl enable preampd" systemctl enable preampd.service
check "its unit is linked into sound.target.wants" \
	test -L /etc/systemd/system/sound.target.wants/preampd.service
check "systemctl disable preampd" systemctl disable preampd.service
check_eq "preampd.service is disabled" disabled "$(systemctl is-enabled preampd.service 2>&1)"
check "sound.target.wants has no preampd any more" \
	test ! -e /etc/systemd/system/sound.target.wants/preampd.service

check "the quad plugs in" emu_plug quad || finish
check "its card appears" wait_until 60 has_card
check "systemd has its control device" wait_until 60 control_device_unit
# systemd starts sound.target for the device unit a moment after it
check "the card pulled in sound.target" wait_until 60 output_is active unit_state sound.target
check "udev has handled every event" udevadm settle --timeout=120
check "systemd has no job left" wait_until 60 no_jobs
note "cards: $(sed -n 's/^ *\([0-9]*\) \[\([^]]*\)\].*/\1 \2/p' /proc/asound/cards | tr '\n' ' ')"
check_eq "preampd, disabled, did not start at the plug-in" inactive \
	"$(unit_state preampd.service)"
check_eq "preampd never started in this boot" 0 "$(started_at)"
check "the quad unplugs" emu_unplug quad
check "its card goes" wait_until 60 no_card

check "systemctl enable preampd (not --now)" systemctl enable preampd.service
check_eq "preampd is still not running" inactive "$(unit_state preampd.service)"
check "the quad plugs in again" emu_plug quad || finish
if wait_until 60 output_is active unit_state preampd.service; then
	ok "preampd, enabled, starts with the card"
else
	fail "preampd, enabled, starts with the card" \
		"$(systemctl status --no-pager preampd.service sound.target 2>&1 | head -20)"
	finish
fi
if wait_until 60 pd_plugged 1; then
	ok "preampd takes the card"
else
	fail "preampd takes the card" "$(pd_journal 30)"
fi
check "the quad unplugs" emu_unplug quad
check "preampd lets it go" wait_until 30 pd_plugged 0
emu_stop quad
finish
