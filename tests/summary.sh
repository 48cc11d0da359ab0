#!/bin/bash
# Adds up the result files of every stage of `make check` into one closing
# line. A stage that left no result file failed before it could count.
set -uo pipefail
dir=$1
shift
passed=0 failed=0
failed_names=()
echo
echo "== make check summary =="
for stage in "$@"; do
	# SCENARIO-KVER.txt: a kernel version starts with a digit (so that
	# real-scarlett2 does not count real-scarlett2-models-KVER.txt)
	files=$(ls "$dir"/"$stage".txt "$dir"/"$stage"-[0-9]*.txt 2>/dev/null)
	if [ -z "$files" ]; then
		echo "$stage: no result (the stage did not run to its end)"
		failed=$((failed + 1))
		failed_names+=("$stage")
		continue
	fi
	for f in $files; do
		line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$f" | tail -n 1)
		if [ -z "$line" ]; then
			echo "$(basename "$f" .txt): unreadable result"
			failed=$((failed + 1))
			failed_names+=("$(basename "$f" .txt)")
			continue
		fi
		echo "$(basename "$f" .txt): $line"
		passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
		failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
		[ "$(cut -d' ' -f3 <<<"$line")" = 0 ] || failed_names+=("$(basename "$f" .txt)")
	done
done
# What failed, last, where a log's tail shows it: the failed checks of
# each run, with their details, from its result file or its console log.
for name in "${failed_names[@]}"; do
	echo "failed: $name"
	for log in "$dir/$name.txt" "$dir/../vm/$name.out" "$dir/../system/${name#system-}.out"; do
		[ -f "$log" ] && "$(dirname "$0")"/failures.sh "$log" 12 |
			awk '/^not ok/ && ++n > 5 { exit } { print }' | sed 's/^/    /'
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
