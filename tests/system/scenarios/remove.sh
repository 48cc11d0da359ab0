#!/bin/bash
# Scenario: removing and purging the Debian packages, on the system the
# install scenario left (`apt install ./*.deb`). preampd is used once, so
# that it has saved settings; then `apt remove` of the three packages stops
# the service and takes away everything but the configuration (the
# conffile /etc/preampd/preampd.conf) and the saved settings, DKMS's
# module included; `apt purge` takes those too, as Debian policy says. The
# system user stays (Debian leaves system users), and the system boots
# cleanly again.
set -u
. /usr/local/lib/preamp-system/lib.sh

PKGS="snd-usb-preamp-dkms preampd preampctl"
SERIAL=PQ4-SYSREMOVE
KEY=1d6b-0104-$SERIAL

apt_get() {	# VERB: apt VERB of the packages, timed
	local t0=$SECONDS out rc
	out=$(DEBIAN_FRONTEND=noninteractive apt "$1" -y $PKGS 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "apt $1 $PKGS ($((SECONDS - t0)) s)"
	else
		fail "apt $1 $PKGS" "exit status $rc" "$(printf '%s\n' "$out" | tail -n 30)"
	fi
}

gone() {	# PKG: dpkg has no trace of it
	[ -z "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -v '^unknown ok not-installed$')" ]
}

case $SYSTEM_BOOT in
1)
	[ "$SYSTEM_INSTALL" = packages ] ||
		{ fail "the remove scenario runs on the installed packages (run.sh --debs)"; finish; }
	check_eq "the boot is over" running "$(wait_boot_finished 900)"
	check_eq "preampd.service runs after the boot" active "$(unit_state preampd.service)"

	# --- used once: a saved setting
	check "usbip's vhci-hcd loads" load_usbip || finish
	check "the quad emulator starts" emu_start quad quad --serial "$SERIAL" || finish
	check "the quad plugs in" emu_plug quad || finish
	check "preampd has it" wait_until 60 pd_plugged 1 || { pd_journal; finish; }
	check "SetGain 12 on input 1" pd_set_gain 1 12
	check "preampd saved it" wait_until 30 output_is 12 pd_state "$KEY" 1 gain
	check "the quad unplugs" emu_unplug quad
	emu_stop quad
	check "preampctl answers" preampctl list

	# --- apt remove
	apt_get remove
	for p in $PKGS; do
		check_eq "$p is removed" "" "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -v -e '^deinstall ok config-files$' -e '^unknown ok not-installed$')"
	done
	check_eq "preampd.service is stopped" inactive "$(unit_state preampd.service)"
	check "no preampd process is left" bash -c '! pgrep -x preampd'
	check "systemd no longer has preampd.service" bash -c '! systemctl cat preampd.service'
	check "D-Bus no longer activates org.preampd.Preamp1" \
		wait_until 30 bash -c '! busctl --system list --activatable --no-legend | grep -q org.preampd'
	check "polkit no longer has the actions" \
		bash -c '! pkaction --action-id org.preampd.preamp1.set-gain'
	check "no program is left" bash -c '! command -v preampd preampctl'
	check_eq "DKMS has no snd-usb-preamp" "" "$(dkms status snd-usb-preamp 2>&1)"
	check "no snd-usb-preamp module is left for $(uname -r)" bash -c '! modinfo -n snd-usb-preamp'
	check "no DKMS sources are left" bash -c '! ls -d /usr/src/snd-usb-preamp-*'
	check "the configuration stays (a conffile)" test -f /etc/preampd/preampd.conf
	check "the saved settings stay" test -f "$PD_STATE/$KEY.state"

	# --- apt purge
	apt_get purge
	for p in $PKGS; do
		check "dpkg has no trace of $p" gone "$p"
	done
	check "the configuration is gone (/etc/preampd)" test ! -e /etc/preampd
	check "the saved settings are gone ($PD_STATE)" test ! -e "$PD_STATE"
	check_eq "no unit link is left in /etc/systemd/system" "" \
		"$(find /etc/systemd/system -name 'preampd*' -o -name 'dbus-org.preampd*')"
	note "the system user stays, as Debian leaves system users: $(getent passwd preampd)"
	reboot_and_continue
	;;
2)
	check_boots_clean_without_preampd
	finish
	;;
*)
	fail "no more than two boots" "boot $SYSTEM_BOOT"
	finish
	;;
esac
