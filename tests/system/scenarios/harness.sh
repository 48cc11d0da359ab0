#!/bin/bash
# The test bed itself (make system-selftest): a scenario's checks, notes and
# tally survive a clean reboot of the same disk, what the first boot wrote
# is still there, shutdown services ran, and the test files are fresh at
# every boot. With `fail` as its argument it ends with one failure, which the
# host must count.
set -u
. /usr/local/lib/preamp-system/lib.sh

case "$SYSTEM_BOOT" in
1)
	check_eq "the first boot is boot 1" 1 "$SYSTEM_BOOT"
	check "the installed-files list is there" test -f "$SYSTEM_DIR/installed-files"
	check "the kernel log goes to ttyS1" test "$(unit_state preamp-system-kmsg.service)" = active
	echo "written at boot 1" >/var/lib/preamp-system/harness
	# A file of the installed tree, removed: it must not come back.
	first=$(head -n1 "$SYSTEM_DIR/installed-files")
	if [ -n "$first" ]; then
		check "an installed file ($first) is there" test -e "$first"
		rm -f "$first"
		echo "$first" >/var/lib/preamp-system/harness-removed
	fi
	note "rebooting"
	reboot_and_continue
	;;
2)
	check_eq "after a reboot the scenario runs at boot 2" 2 "$SYSTEM_BOOT"
	n=3
	[ -s /var/lib/preamp-system/harness-removed ] && n=4
	check_eq "the tally of boot 1 is carried over" "$n 0" "$VM_PASS $VM_FAIL"
	check_eq "what boot 1 wrote is still there" "written at boot 1" \
		"$(cat /var/lib/preamp-system/harness 2>&1)"
	if [ -s /var/lib/preamp-system/harness-removed ]; then
		removed=$(cat /var/lib/preamp-system/harness-removed)
		check "the installed tree is not copied again ($removed stays removed)" \
			test ! -e "$removed"
	fi
	check "boot 1 shut down cleanly (its journal is kept)" \
		bash -c 'journalctl -b -1 -q --no-pager -n 1 >/dev/null 2>&1 && [ "$(journalctl --list-boots --no-pager | wc -l)" -ge 2 ]'
	note "$(journalctl --list-boots --no-pager 2>&1 | tr '\n' ';')"
	if [ "${1:-}" = fail ]; then
		fail "a failure the host must count"
	fi
	;;
*)
	fail "the scenario runs at boot 1 or 2" "SYSTEM_BOOT=$SYSTEM_BOOT"
	;;
esac
finish
