#!/bin/bash
# A scenario that misbehaves on purpose, for tests/system/selftest.sh: it
# proves that the test bed carries a scenario across reboots and that
# run.sh counts what it must. MODE is one of
#   reboot    checks on two boots of the same disk: the tally, what the
#             first boot wrote and removed, the journal of a clean shutdown
#   fail      a passing and a failing check (with details)
#   early     a passing check, then the script exits without finish
#   kernel    passing checks, but the kernel log gets a warning with a call
#             trace and an Oops (written through /dev/kmsg) and the harmless
#             vhci lines that must not count
#   hang      never finishes (run with a short --timeout)
#   session   a user logged in on tty1: polkit's allow_active applies to a
#             command run in that session, not to one run outside it
set -u
. /usr/local/lib/preamp-system/lib.sh

mode=${1:-reboot}
[ "$SYSTEM_BOOT" = 1 ] && ok "the harness scenario runs ($mode)"
case "$mode" in
reboot)
	case "$SYSTEM_BOOT" in
	1)
		check "the kernel log goes to ttyS1" \
			test "$(unit_state preamp-system-kmsg.service)" = active
		echo "written at boot 1" >"$SYSTEM_STATE/harness"
		# A file of the installed tree, removed: it must not come back.
		first=$(head -n1 "$SYSTEM_DIR/installed-files")
		if [ -n "$first" ]; then
			check "an installed file ($first) is there" test -e "$first"
			rm -f "$first"
			echo "$first" >"$SYSTEM_STATE/harness-removed"
		fi
		note "rebooting"
		reboot_and_continue
		;;
	2)
		tally="$VM_PASS $VM_FAIL"
		n=2
		[ -s "$SYSTEM_STATE/harness-removed" ] && n=3
		check_eq "the tally of boot 1 is carried over" "$n 0" "$tally"
		check_eq "after a reboot the scenario runs at boot 2" 2 "$SYSTEM_BOOT"
		check_eq "what boot 1 wrote is still there" "written at boot 1" \
			"$(cat "$SYSTEM_STATE/harness" 2>&1)"
		if [ -s "$SYSTEM_STATE/harness-removed" ]; then
			removed=$(cat "$SYSTEM_STATE/harness-removed")
			check "the installed tree is not copied again ($removed stays removed)" \
				test ! -e "$removed"
		fi
		check_eq "the journal kept both boots" 2 \
			"$(journalctl --list-boots --no-pager -q 2>/dev/null | grep -c '^ *-\{0,1\}[0-9]')"
		;;
	*)
		fail "the scenario runs at boot 1 or 2" "SYSTEM_BOOT=$SYSTEM_BOOT"
		;;
	esac
	;;
fail)
	check "false fails" sh -c 'echo "what went wrong"; false'
	;;
early)
	exit 3
	;;
kernel)
	echo "<4>usb usb1: Not yet implemented" >/dev/kmsg
	echo "<3>vhci_hcd: unlink->seqnum 42 status -104" >/dev/kmsg
	echo "<4>WARNING: CPU: 0 PID: 1 at harness.c:1 fake_warning" >/dev/kmsg
	echo "<4>Call Trace:" >/dev/kmsg
	echo "<1>Oops: 0000 [#1] PREEMPT SMP NOPTI" >/dev/kmsg
	sleep 1
	check "true succeeds" true
	;;
hang)
	sleep 100000
	;;
session)
	check "tester logs in on tty1" autologin_session tester || finish
	check_eq "a command runs in the session, as tester" tester \
		"$(session_run tester id -un)"
	session_run tester sh -c 'exit 3'
	check_eq "session_run returns the command's status" 3 "$?"
	# org.freedesktop.login1.reboot is allow_active=yes.
	check "polkit: the active session may reboot (login1.reboot)" \
		session_run tester bash -c 'pkcheck --action-id org.freedesktop.login1.reboot --process $$'
	check "polkit: tester outside the session may not" \
		bash -c '! runuser -u tester -- bash -c "pkcheck --action-id org.freedesktop.login1.reboot --process \$\$"'
	;;
*)
	fail "unknown mode $mode"
	;;
esac
finish
