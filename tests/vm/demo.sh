#!/bin/bash
# make demo: boots a throw-away VM on Debian's 6.12 kernel and runs the
# demo scenario in it (tests/vm/scenarios/demo.sh). Nothing on this
# machine is changed.
#
# The screen gets the story only. What the VM prints besides (the boot,
# the demo's own `ok` lines) stays in its console log; the checks are
# counted in one line at the end, and a failed one is listed there and
# fails the demo (exit status 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${PREAMP_BUILD:-$PWD/build}
kernel=${DEMO_KERNEL:-6.12}

fails=$(mktemp)
trap 'rm -f "$fails"' EXIT

# story: from the scenario's first line to its end marker, without the
# checks that passed; failed checks and their details go to $fails.
story() {
	local in=no detail=no line
	while IFS= read -r line; do
		case "$line" in
		'==== preamp-vm scenario '*) in=yes; continue ;;
		'==== preamp-vm end of '*) in=no; continue ;;
		'vm: error:'* | 'mkinitramfs: error:'*) printf '%s\n' "$line" >&2; continue ;;
		'vm: FAIL: not ok - '*) continue ;;
		'vm: FAIL:     '*) continue ;;	# the detail of one
		'vm: FAIL: '*) printf '%s\n' "${line#vm: FAIL: }" >>"$fails"; continue ;;
		esac
		[ "$in" = yes ] || continue
		if [ "$detail" = yes ]; then
			case "$line" in
			'    '*) printf '%s\n' "$line" >>"$fails"; continue ;;
			esac
			detail=no
		fi
		case "$line" in
		'ok - '* | 'guest: '*) ;;
		'not ok - '*) printf '%s\n' "$line" >>"$fails"; detail=yes ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
}

echo "make demo: booting a VM with Debian's $kernel kernel (about a minute)..."
tests/vm/run.sh --kernel "$kernel" --timeout 900 demo 2>&1 | story
rc=${PIPESTATUS[0]}

kver=$(tests/vm/kernels.sh resolve "$kernel" 2>/dev/null) || kver=$kernel
tally=$(cat "$B/results/demo-$kver.txt" 2>/dev/null) || tally="0 passed, 1 failed"
passed=${tally%% passed*}
echo
echo "----------------------------------------------------------------------"
if [ "$rc" -eq 0 ]; then
	echo "The demo's own checks: all $passed passed."
else
	echo "The demo's own checks: $tally. What went wrong:"
	cat "$fails"
fi
rel=${B#"$PWD"/}
echo "Behind the story, in $rel/vm/:"
echo "  demo-$kver.dmesg   the kernel's log"
echo "  demo-$kver.logs    preampd's, udevd's and the emulator's logs"
echo "  demo-$kver.log     the VM's whole console"
echo "Next: make vm-shell, then /tests/try-preamp in it."
exit "$rc"
