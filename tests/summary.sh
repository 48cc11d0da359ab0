#!/bin/bash
# Adds up the result files of every stage of `make check` into one closing
# line. A stage that left no result file failed before it could count.
set -uo pipefail
dir=$1
shift
passed=0 failed=0
echo
echo "== make check summary =="
for stage in "$@"; do
	# SCENARIO-KVER.txt: a kernel version starts with a digit (so that
	# real-scarlett2 does not count real-scarlett2-models-KVER.txt)
	files=$(ls "$dir"/"$stage".txt "$dir"/"$stage"-[0-9]*.txt 2>/dev/null)
	if [ -z "$files" ]; then
		echo "$stage: no result (the stage did not run to its end)"
		failed=$((failed + 1))
		continue
	fi
	for f in $files; do
		line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$f" | tail -n 1)
		if [ -z "$line" ]; then
			echo "$(basename "$f" .txt): unreadable result"
			failed=$((failed + 1))
			continue
		fi
		echo "$(basename "$f" .txt): $line"
		passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
		failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
