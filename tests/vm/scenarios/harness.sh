#!/bin/bash
# A scenario that misbehaves on purpose, for tests/vm/selftest.sh: it
# proves that run.sh counts what it must. MODE is one of
#   pass      two passing checks
#   fail      a passing and a failing check (with details)
#   early     a passing check, then the script exits without finish
#   kernel    passing checks, but the kernel log gets a warning with a
#             call trace and an Oops (written through /dev/kmsg) and the
#             harmless vhci lines that must not count
#   hang      never finishes (run with a short --timeout)
#   emulators the library's emulator helpers with two devices at once
set -u
. /tests/lib.sh

mode=${1:-pass}
ok "the harness scenario runs ($mode)"
case "$mode" in
pass)
	check "true succeeds" true
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
	sleep 0.5
	check "true succeeds" true
	;;
hang)
	sleep 100000
	;;
emulators)
	check "quad starts" emu_start quad quad || finish
	check "solo starts" emu_start solo solo --serial HARNESS-SOLO || finish
	check "quad plugs in" emu_plug quad || finish
	check "solo plugs in" emu_plug solo || finish
	check "quad has a card" wait_until 20 emu_card quad
	check "solo has a card" wait_until 20 emu_card solo
	qc=$(emu_card quad) sc=$(emu_card solo)
	check "two different cards ($qc, $sc)" test "$qc" != "$sc"
	check_eq "solo's USB device is solo" HARNESS-SOLO \
		"$(cat "$(emu_usb solo)/serial" 2>/dev/null)"
	check "quad's device node exists" test -c "$(emu_devnode quad)"
	check "quad's control socket answers" emu quad state
	check "solo unplugs" emu_unplug solo
	check "solo's card goes away" wait_until 20 test ! -e "/proc/asound/card$sc"
	check_eq "quad keeps its card" "$qc" "$(emu_card quad)"
	check "solo plugs in again" emu_plug solo
	check "solo has a card again" wait_until 20 emu_card solo
	check "quad stops (unplugging first)" emu_stop quad
	check "quad's card goes away" wait_until 20 test ! -e "/proc/asound/card$qc"
	check "solo stops" emu_stop solo
	check "no emulator is left attached" sh -c '! usbip port | grep -q "^Port"'
	;;
*)
	fail "unknown mode $mode"
	;;
esac
finish
