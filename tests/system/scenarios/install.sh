#!/bin/bash
# Scenario: installing the Debian packages. In a fresh system, with the
# .debs of tests/debian/debs.sh and nothing else, `apt install ./*.deb` as
# a user types it, offline (the image has every dependency), and nothing
# typed after it: the packages' own scripts create the user, enable and
# start the service, and DKMS builds and installs the driver for the
# running kernel. The system is then powered off cleanly, and its disk is
# the one the other package scenarios start from (run.sh --debs).
set -u
. /usr/local/lib/preamp-system/lib.sh

[ "$SYSTEM_INSTALL" = packages ] ||
	{ fail "the install scenario runs with the packages (run.sh --debs)"; finish; }
kver=$(uname -r)

check_eq "the boot is over" running "$(wait_boot_finished 900)"
note "Debian $(cat /etc/debian_version), kernel $kver, $(dkms --version 2>&1 | head -n1), $(systemctl --version | head -n1)"
cd "$SYSTEM_DIR/debs" || finish
note "packages: $(echo *.deb)"

t0=$SECONDS
out=$(DEBIAN_FRONTEND=noninteractive apt install -y ./*.deb 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "apt install ./*.deb ($((SECONDS - t0)) s, DKMS's build included)"
else
	fail "apt install ./*.deb" "exit status $rc" "$(printf '%s\n' "$out" | tail -n 40)" \
		"$(tail -n 30 /var/lib/dkms/snd-usb-preamp/*/build/make.log 2>/dev/null)"
	layer_finish
fi
printf '%s\n' "$out" | grep -iE 'dkms|sign|mok|warn|error' | sed 's/^/# apt: /'

# nothing typed since: what the packages did by themselves
for p in snd-usb-preamp-dkms preampd preampctl; do
	check_eq "$p is installed" "install ok installed" \
		"$(dpkg-query -W -f='${Status}' "$p" 2>&1)"
done
check "the system user preampd exists, in group audio" \
	bash -c 'id -nG preampd | tr " " "\n" | grep -qx audio'
check_eq "preampd.service is enabled" enabled "$(systemctl is-enabled preampd.service 2>&1)"
check "preampd.service is running" wait_until 60 output_is active unit_state preampd.service
check "preampd answers on the system bus" pd_get "$PD_ROOT" "$PD_BUS.Manager" Version
check "DKMS built and installed snd-usb-preamp for $kver" \
	bash -c "dkms status snd-usb-preamp -k $kver | grep -q ': installed'"
path=$(modinfo -n snd-usb-preamp 2>&1)
if [[ $path == */modules/$kver/updates/dkms/* ]]; then
	ok "modprobe finds DKMS's build ($path)"
else
	fail "modprobe finds DKMS's build" "modinfo -n: $path"
fi
check "the polkit actions are known" pkaction --action-id org.preampd.preamp1.set-gain
check "the udev rule is in place" test -f /usr/lib/udev/rules.d/89-preampd.rules
check_eq "no unit failed" "" "$(systemctl --failed --no-legend --plain 2>&1)"

layer_finish
