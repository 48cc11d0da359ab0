#!/bin/bash
# Self-test of the full-system test bed: runs scenarios/harness.sh in each
# of its modes through run.sh and checks the verdict (exit status and
# closing line) of each. About ten minutes of VM boots.
#
#   selftest.sh [--root DIR | --no-root]     (default: build/system/root)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# Its deliberate failures must not land among the project's results.
export PREAMP_SYSTEM_RESULTS=${PREAMP_BUILD:-$TOP/build}/system/selftest-results

pass=0
fail=0
# expect MODE EXIT_STATUS CLOSING_LINE [run.sh options]
expect() {
	local mode=$1 want_rc=$2 want_line=$3 rc=0 out line
	shift 3
	out=$("$HERE/run.sh" "$@" "${root_opts[@]}" harness "$mode" 2>&1) || rc=$?
	line=$(printf '%s\n' "$out" | tail -n 1)
	if [ "$rc" = "$want_rc" ] && [ "$line" = "$want_line" ]; then
		echo "ok - mode $mode: exit $rc, \"$line\""
		pass=$((pass + 1))
	else
		echo "not ok - mode $mode: exit $rc, \"$line\" (expected exit $want_rc, \"$want_line\")"
		printf '%s\n' "$out" | grep -v '^\[' | tail -n 20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

root_opts=("$@")
[ -n "$(ls -A "${PREAMP_BUILD:-$TOP/build}/system/root" 2>/dev/null)" ] || [ $# -gt 0 ] ||
	root_opts=(--no-root)
removes=0
[ "${root_opts[0]:-}" = --no-root ] || removes=2

# Two boots: the harness line, the kmsg check, the removed file and its
# check on both sides of the reboot, the tally, the boot number, the
# written file, the journal.
expect reboot 0 "$((6 + removes)) passed, 0 failed"
expect fail 1 "1 passed, 1 failed"
# The scenario's early exit is reported by the test unit as a `not ok`.
expect early 1 "1 passed, 1 failed"
# The WARNING and the Oops count once each (console and kernel log
# together); their Call Trace and the vhci lines do not.
expect kernel 1 "2 passed, 2 failed"
# A user's session on tty1 and polkit's view of it.
expect session 0 "6 passed, 0 failed"
# No end marker.
expect hang 1 "1 passed, 1 failed" --timeout 150

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
