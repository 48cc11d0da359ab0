#!/bin/bash
# Scenario 1: a Debian system with the project installed (from its
# packages, or by `make install`) boots cleanly. systemd reaches `running`
# (no failed unit),
# polkitd and alsa-utils are in place, and, when the tree has preampd, its
# system user exists, the service runs or D-Bus activates it on the first
# call, and its hardening is measured.
set -u
. /usr/local/lib/preamp-system/lib.sh

# ---------------------------------------------------------------- system

state=$(wait_boot_finished 900)
case "$state" in
running) ok "systemd: the system is running" ;;
*)       fail "systemd: the system is running" "is-system-running: $state" \
		"$(failed_units_report)" ;;
esac
note "$(systemd-analyze time 2>&1 | head -n1)"
systemd-analyze blame --no-pager 2>/dev/null | head -n 5 | sed 's/^ */# blame: /'

check "dbus: the system bus is active" test "$(unit_state dbus.service)" = active
check "udev: systemd-udevd is active" test "$(unit_state systemd-udevd.service)" = active
check "logind is active" test "$(unit_state systemd-logind.service)" = active

# polkitd is D-Bus activated: nothing starts it at boot.
note "polkit.service before the first call: $(unit_state polkit.service)"
check "polkitd: the first call on org.freedesktop.PolicyKit1 activates it" \
	busctl --timeout=120 call org.freedesktop.PolicyKit1 \
	/org/freedesktop/PolicyKit1/Authority org.freedesktop.DBus.Properties \
	Get ss org.freedesktop.PolicyKit1.Authority BackendName
check_eq "polkitd: polkit.service is active" active "$(unit_state polkit.service)"
check "pkexec is installed, setuid root" test -u /usr/bin/pkexec

check "alsa-utils: alsactl and amixer are installed" \
	command -v alsactl amixer
check "alsa-utils: alsa-restore.service and alsa-state.service exist" \
	systemctl cat alsa-restore.service alsa-state.service
check "alsa-utils: udev restores cards at plug-in (90-alsa-restore.rules)" \
	test -f /usr/lib/udev/rules.d/90-alsa-restore.rules
check "alsa-ucm-conf and alsa-topology-conf are installed" \
	test -d /usr/share/alsa/ucm2 -a -d /usr/share/alsa/topology

# --------------------------------------------------------------- preampd

if [ "$SYSTEM_INSTALL" != packages ] &&
	! installed /usr/local/sbin/preampd && ! installed /usr/sbin/preampd; then
	note "the installed tree has no preampd: nothing more to check"
	finish
fi

pw=$(getent passwd preampd)
if [ -n "$pw" ]; then
	ok "sysusers: the preampd system user exists"
	note "passwd: $pw"
	check "sysusers: preampd is a system user (uid < 1000)" \
		test "$(id -u preampd)" -lt 1000
	check "sysusers: preampd is in group audio" \
		bash -c 'id -nG preampd | tr " " "\n" | grep -qx audio'
else
	fail "sysusers: the preampd system user exists" \
		"sysusers files: $(grep -rl preampd /etc/sysusers.d /run/sysusers.d /usr/local/lib/sysusers.d /usr/lib/sysusers.d 2>/dev/null | tr '\n' ' ')" \
		"$(unit_journal systemd-sysusers.service 10)"
fi

check "systemd knows preampd.service" systemctl cat preampd.service
check "systemd-analyze verify preampd.service finds nothing" \
	systemd-analyze verify --man=no "$(systemctl show -P FragmentPath preampd.service)"

enabled=$(systemctl is-enabled preampd.service 2>&1)
note "preampd.service is-enabled: $enabled; state after boot: $(unit_state preampd.service)"
if [ "$enabled" = enabled ]; then
	check "preampd.service, enabled, is running after boot" \
		wait_until 60 output_is active unit_state preampd.service
fi

reply=$(busctl --timeout=120 call org.preampd.Preamp1 /org/preampd/Preamp1 \
	org.freedesktop.DBus.Properties Get ss org.preampd.Preamp1.Manager Version 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "D-Bus: org.preampd.Preamp1 answers (Manager.Version: $reply)"
else
	fail "D-Bus: org.preampd.Preamp1 answers (activated on the first call if need be)" \
		"busctl: $reply" "preampd.service: $(unit_state preampd.service)" \
		"$(unit_journal preampd.service 20)" "$(unit_journal dbus.service 10)"
fi
check_eq "preampd.service is active" active "$(unit_state preampd.service)"
pid=$(systemctl show -P MainPID preampd.service)
if [ -n "$pid" ] && [ "$pid" != 0 ]; then
	check_eq "preampd runs as user preampd" preampd "$(ps -o user= -p "$pid" | tr -d ' ')"
fi

# The polkit actions must be where polkitd reads them.
while read -r a; do
	check "polkit knows the action $a" pkaction --action-id "$a"
done < <(cat /usr/share/polkit-1/actions/*.policy \
	/usr/local/share/polkit-1/actions/*.policy 2>/dev/null |
	sed -n 's/.*<action id="\(org\.preampd\.[^"]*\)".*/\1/p' | sort -u)

note "$(systemd-analyze security --no-pager preampd.service 2>&1 | tail -n 1)"

finish
