#!/bin/bash
# A short, reproducible run of each fuzz harness over its seed corpus
# (a fixed seed and number of runs: the same inputs every time), for
# `make check`. Writes the tally to BUILD/results/fuzz.txt.
#   tests/fuzz/run.sh BUILD RUNS NAME...
set -uo pipefail
build=$1 runs=$2
shift 2
mkdir -p "$build/results" "$build/fuzz"
passed=0 failed=0
for n in "$@"; do
	work=$(mktemp -d "$build/fuzz/check-$n.XXXXXX")
	start=$(awk '{ print $1 }' /proc/uptime)
	if out=$("$build/fuzz/fuzz-$n" -seed=1 -runs="$runs" -timeout=10 \
		-artifact_prefix="$build/fuzz/crash-$n-" "$work" \
		"tests/fuzz/corpus/$n" 2>&1); then
		passed=$((passed + 1))
		printf '%-12s %s runs clean in %s s\n' "$n" "$runs" \
			"$(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime)"
	else
		failed=$((failed + 1))
		printf '%-12s failed:\n' "$n"
		printf '%s\n' "$out" | grep -v '^#' | tail -n 40
	fi
	rm -rf "$work"
done
echo "fuzz: $passed passed, $failed failed" | tee "$build/results/fuzz.txt"
[ "$failed" -eq 0 ]
