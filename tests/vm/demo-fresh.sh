#!/bin/bash
# make check-demo: `make demo` as a new user runs it, in a fresh copy of the
# tree: the files git tracks (as they are in the working tree), nothing
# built, nothing untracked. A demo target that lacks a prerequisite, or a
# file the demo needs that is not tracked, turns this red. Downloads stay
# cached in PREAMP_CACHE, so the copy builds but fetches nothing.
#
#   tests/vm/demo-fresh.sh BUILD_DIR
#
# The tally goes to BUILD_DIR/results/demo-fresh.txt, the copy's make
# output and the demo's logs to BUILD_DIR/demo-fresh/.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$(mkdir -p "${1:?usage: demo-fresh.sh BUILD_DIR}" && cd "$1" && pwd)
out=$B/demo-fresh
result=$B/results/demo-fresh.txt
mkdir -p "$B/results"
rm -rf "$out"
mkdir -p "$out"
echo "0 passed, 1 failed" >"$result"

tree=$(mktemp -d "${TMPDIR:-/tmp}/preamp-fresh.XXXXXX")
trap 'rm -rf "$tree"' EXIT

# the tracked files (one deleted but not yet committed is left out)
if ! git -C "$top" ls-files -z |
	(cd "$top" && tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
	tar -xf - -C "$tree"; then
	echo "demo-fresh: could not copy the tracked files" >&2
	exit 1
fi

echo "demo-fresh: make demo in a fresh copy ($tree); output in ${out#"$top"/}/make.log"
start=$(date +%s)
# the copy's own make, not the make that runs this one
(cd "$tree" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u PREAMP_BUILD \
	make -j"$(nproc)" demo) >"$out/make.log" 2>&1
rc=$?
cp "$tree"/build/vm/demo-*.log "$tree"/build/vm/demo-*.logs "$tree"/build/vm/demo-*.dmesg \
	"$out/" 2>/dev/null
elapsed=$(( $(date +%s) - start ))

tally=$(cat "$tree"/build/results/demo-*.txt 2>/dev/null | tail -n 1)
if [ "$rc" -eq 0 ] && [ -n "$tally" ]; then
	echo "$tally" >"$result"
	echo "demo-fresh: make demo passed in ${elapsed} s: $tally"
	exit 0
fi
# the demo's own tally when it has the failure, else one failure more
case "$tally" in
*" passed, "[1-9]*) echo "$tally" >"$result" ;;
*) echo "${tally:-0 passed, 0 failed}" | awk '{ print $1 " passed, " $3 + 1 " failed" }' >"$result" ;;
esac
echo "demo-fresh: make demo FAILED (exit status $rc) after ${elapsed} s; the end of its output:"
tail -n 30 "$out/make.log" | sed 's/^/  /'
exit 1
