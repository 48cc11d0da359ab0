#!/bin/bash
# Runs every unit suite under ASan+UBSan, then its plain build under
# valgrind, and writes the tally to BUILD/results/unit.txt.
set -uo pipefail
build=$1
shift
mkdir -p "$build/results"
passed=0 failed=0

for suite in "$@"; do
	out=$("$build/unit/asan/test-$suite" 2>&1)
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out")
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, or a sanitizer stopped it
	fi
	passed=$((passed + p)) failed=$((failed + f))
	printf '%-12s %3d passed, %d failed (ASan+UBSan)\n' "$suite" "$p" "$f"
	[ "$f" -eq 0 ] || printf '%s\n' "$out" | grep -v '^\[ *\(RUN\|OK\) *\]'

	if valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$build/unit/plain/test-$suite" \
		>"$build/unit/valgrind-$suite.log" 2>&1; then
		passed=$((passed + 1))
		printf '%-12s valgrind clean\n' "$suite"
	else
		failed=$((failed + 1))
		printf '%-12s valgrind found errors:\n' "$suite"
		cat "$build/unit/valgrind-$suite.log"
	fi
done

echo "unit: $passed passed, $failed failed" | tee "$build/results/unit.txt"
[ "$failed" -eq 0 ]
