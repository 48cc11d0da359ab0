#!/bin/bash
# Self-test of the VM harness: runs scenarios/harness.sh in each of its
# modes through run.sh and checks the verdict (exit status and closing
# line) of each. About a minute of VM boots.
#
#   selftest.sh [--kernel 6.1|6.12|KVER]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
kernel=6.12
if [ "${1:-}" = --kernel ] && [ $# -ge 2 ]; then
	kernel=$2
fi

# Its deliberate failures must not land among the project's results.
TOP=$(cd "$HERE/../.." && pwd)
export PREAMP_VM_RESULTS=${PREAMP_BUILD:-$TOP/build}/vm/selftest-results

pass=0
fail=0
# expect MODE EXIT_STATUS CLOSING_LINE [run.sh options]
expect() {
	local mode=$1 want_rc=$2 want_line=$3 rc=0 out line
	shift 3
	out=$("$HERE/run.sh" --kernel "$kernel" "$@" harness "$mode" 2>&1) || rc=$?
	line=$(printf '%s\n' "$out" | tail -n 1)
	if [ "$rc" = "$want_rc" ] && [ "$line" = "$want_line" ]; then
		echo "ok - mode $mode: exit $rc, \"$line\""
		pass=$((pass + 1))
	else
		echo "not ok - mode $mode: exit $rc, \"$line\" (expected exit $want_rc, \"$want_line\")"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

# One `ok` line from the scenario plus its own checks; failures are the
# `not ok` lines plus every problem run.sh found.
expect pass 0 "2 passed, 0 failed"
expect fail 1 "1 passed, 1 failed"
# The scenario's early exit is reported by /init as a `not ok`.
expect early 1 "1 passed, 1 failed"
# The WARNING and the Oops count; their Call Trace and the vhci lines
# do not.
expect kernel 1 "2 passed, 2 failed"
# No end marker.
expect hang 1 "1 passed, 1 failed" --timeout 40
# The emulator helpers, two devices at once.
expect emulators 0 "20 passed, 0 failed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
