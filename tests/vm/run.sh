#!/bin/bash
# Runs one VM scenario on one of Debian's kernels under QEMU.
#
#   run.sh [--kernel 6.1|6.12|KVER] [--timeout SECONDS] [--append "ARGS"]
#          SCENARIO [ARGS...]
#   run.sh [--kernel ...] [--append "ARGS"] --shell
#
# SCENARIO is the name of tests/vm/scenarios/SCENARIO.sh; ARGS are passed
# to it. The console is shown and saved in build/vm/SCENARIO-KVER.log, the
# whole kernel log in build/vm/SCENARIO-KVER.dmesg, what the scenario
# writes to /dev/ttyS2 in build/vm/SCENARIO-KVER.logs. The run fails on any
# `not ok` line, on kernel trouble in the console (Oops, BUG:, WARNING:,
# Call Trace, refcount, use-after-free, slub_debug reports, ...) and when the
# guest never reaches its end marker (a hang: killed after --timeout, 600 s).
# The closing line `N passed, N failed` is also written to
# build/results/SCENARIO-KVER.txt (or $PREAMP_VM_RESULTS/...).
#
# --shell boots the same VM with an interactive shell instead of a
# scenario (no timeout; Ctrl-A X quits QEMU).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
B=${PREAMP_BUILD:-$TOP/build}
export PREAMP_BUILD=$B

msg() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,19s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

kernel=${PREAMP_VM_KERNEL:-6.12}
timeout_s=600
extra_append=
shell=no
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)  [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
	--append)  [ $# -ge 2 ] || usage; extra_append=$2; shift 2 ;;
	--shell)   shell=yes; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
case "$timeout_s" in
''|*[!0-9]*) die "--timeout wants a number of seconds" ;;
esac

if [ "$shell" = yes ]; then
	name=shell
else
	[ $# -ge 1 ] || usage
	name=${1##*/}
	name=${name%.sh}
	shift
	[ -f "$HERE/scenarios/$name.sh" ] || die "no scenario $HERE/scenarios/$name.sh"
fi

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (package qemu-system-x86)"
kver=$("$HERE/kernels.sh" resolve "$kernel")
vmlinuz=${PREAMP_CACHE:-/var/cache/preamp}/kernels/$kver/vmlinuz

results=${PREAMP_VM_RESULTS:-$B/results}
mkdir -p "$B/vm" "$results"
initrd=$B/vm/$name-$kver.initrd
log=$B/vm/$name-$kver.log
kmsg=$B/vm/$name-$kver.dmesg
guest_logs=$B/vm/$name-$kver.logs
result=$results/$name-$kver.txt

# Until the scan below has written the real result, a run that stops
# early counts as a failure.
[ "$shell" = yes ] || echo "0 passed, 1 failed" >"$result"

if [ "$shell" = yes ]; then
	"$HERE/mkinitramfs.sh" --shell -o "$initrd" "$kver"
else
	"$HERE/mkinitramfs.sh" -o "$initrd" "$kver" "$name" "$@"
fi

# quiet keeps the boot short on the slow serial console; /init raises the
# console log level again so that kernel warnings are seen. The lockup
# detectors, the RCU stall warnings and the boot-time timer check are off:
# under emulation on a busy host they fire falsely (a hang is still caught
# by each scenario's deadlines).
append="console=ttyS0 quiet panic=-1 printk.time=1 nowatchdog no_timer_check rcupdate.rcu_cpu_stall_suppress=1 preamp.dmesg=ttyS1"
# A scenario may ask for kernel arguments of its own with a header line
# "# vm-append: ARGS" (slub_debug=FZPU, for instance).
if [ "$shell" = no ]; then
	scenario_append=$(sed -n 's/^# vm-append: *//p' "$HERE/scenarios/$name.sh" | tr '\n' ' ')
	[ -z "${scenario_append// /}" ] || append="$append ${scenario_append% }"
fi
[ -z "$extra_append" ] || append="$append $extra_append"

: >"$kmsg"
: >"$guest_logs"
# Two vCPUs on one TCG thread: multi-threaded TCG can run a stale copy of
# code the kernel is patching (text_poke's int3 outlives the patch: an
# "Oops: int3" in whatever code a static key guards, seen in inet_ehashfn).
qemu=(qemu-system-x86_64 -accel tcg,thread=single -m 1024 -smp 2 -nographic -no-reboot
	-nic none -kernel "$vmlinuz" -initrd "$initrd" -append "$append"
	-serial mon:stdio -serial "file:$kmsg" -serial "file:$guest_logs")

if [ "$shell" = yes ]; then
	exec "${qemu[@]}"
fi

msg "booting $kver for scenario $name (timeout ${timeout_s} s)"
start=$(date +%s)
rc=0
# --foreground keeps QEMU in this process group, so Ctrl-C stops it too.
# The firmware's terminal resets and escape sequences are dropped, so that
# neither the log nor the terminal gets them.
timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>&1 |
	sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' |
	tee "$log" || rc=${PIPESTATUS[0]}
elapsed=$(( $(date +%s) - start ))
sed -i 's/\r$//' "$kmsg" "$guest_logs"

# ------------------------------------------------------------------ scan --

problems=()
# Kernel messages only (they carry a [ seconds.micro ] stamp), not the
# scenario's own lines or their indented details. A Call Trace close after
# a report it belongs to is not counted again. A scenario that keeps the
# kernel off its console (loglevel=N: the demo) is judged by its whole
# kernel log, which /init writes at the end.
scanned=("$log")
case " $append " in
*" loglevel="*) scanned+=("$kmsg") ;;
esac
while IFS= read -r line; do
	problems+=("kernel: $line")
done < <(awk '
	/^(not )?ok - / || /^[ \t]/ { next }
	!/\[ *[0-9]+\.[0-9]+\]/ { next }
	# vhci-hcd: its get_frame_number is missing, and unlinks at capture
	# stop report -ECONNRESET: both harmless.
	/Not yet implemented/ || /unlink.*status -104/ { next }
	# refcount_t and slub_debug (slub_debug=FZPU) reports: "BUG
	# kmalloc-64 (Not tainted): Poison overwritten", use-after-free.
	/Oops|BUG:|WARNING:|general protection|Kernel panic|UBSAN:|KASAN:|blocked for more than/ ||
	/refcount|use-after-free|BUG [^ ]+ \((Not t|T)ainted|Poison overwritten|Redzone overwritten|Object already free/ {
		print; last = NR; next
	}
	/Call Trace/ { if (!last || NR - last > 60) print; last = NR }
' "${scanned[@]}")

passed=$(grep -c '^ok - ' "$log" || true)
failed_lines=$(grep -c '^not ok - ' "$log" || true)

if ! grep -q '^==== preamp-vm end of ' "$log"; then
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		problems+=("the guest did not finish within ${timeout_s} s: QEMU was killed")
	else
		problems+=("the guest never printed its end marker (QEMU exit status $rc)")
	fi
elif [ "$rc" -ne 0 ]; then
	problems+=("QEMU exit status $rc")
fi

failed=$((failed_lines + ${#problems[@]}))
echo
msg "$name on $kver: ${elapsed} s; console in ${log#"$TOP"/}, kernel log in ${kmsg#"$TOP"/}"
"$TOP"/tests/failures.sh "$log" | sed 's/^/vm: FAIL: /'
for p in "${problems[@]}"; do
	printf 'vm: FAIL: %s\n' "$p"
done
summary="$passed passed, $failed failed"
echo "$summary" >"$result"
echo "$summary"
[ "$failed" -eq 0 ]
