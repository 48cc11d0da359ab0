#!/bin/bash
# Builds and checks snd-usb-preamp; called by kernel/kernel.mk from the
# project root.
#
#   check.sh --build B KVER          build B/kernel/KVER/src/snd-usb-preamp.ko
#   check.sh --check B KVER...       checkpatch --strict once, then a sparse
#                                    (C=2) and a W=1 build per kernel; writes
#                                    B/results/kernel-checks.txt
#
# A check passes when its tool exits 0 and reports nothing: no checkpatch
# ERROR/WARNING/CHECK, no compiler or sparse "warning:"/"error:" line.
set -uo pipefail

die() { printf 'kernel: error: %s\n' "$*" >&2; exit 1; }

kdir_of() {
	local kdir
	kdir=$(tests/vm/kernels.sh kdir "$1" 2>/dev/null) ||
		kdir=/usr/src/linux-headers-$1
	[ -f "$kdir/Makefile" ] || die "no kernel headers for $1 in $kdir"
	echo "$kdir"
}

# A fresh copy of the sources in DIR, laid out as DKMS builds them.
copy_sources() {
	local dir=$1
	rm -rf "$dir"
	mkdir -p "$dir/include"
	cp kernel/*.c kernel/*.h kernel/Kbuild kernel/Makefile kernel/dkms.conf "$dir/"
	cp include/preamp-protocol.h "$dir/include/"
}

# kbuild KVER DIR ARGS...: build the module in DIR; the log is DIR.log.
kbuild() {
	local kver=$1 dir=$2 kdir
	shift 2
	kdir=$(kdir_of "$kver") || return 1
	copy_sources "$dir"
	env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL \
		make -C "$kdir" M="$(cd "$dir" && pwd)" "$@" modules >"$dir.log" 2>&1
}

findings() {
	grep -E '(warning|error):' "$1"
}

do_build() {
	local b=$1 kver=$2 dir
	dir=$b/kernel/$kver/src
	echo "  KBUILD  $kver"
	if ! kbuild "$kver" "$dir"; then
		cat "$dir.log" >&2
		die "build for $kver failed"
	fi
	findings "$dir.log" >&2 || true
}

# The tools checkpatch.pl needs, from the kernel source package.
checkpatch_tools() {
	local dest=$1 tarball
	[ -f "$dest/checkpatch.pl" ] && [ -f "$dest/spelling.txt" ] &&
		[ -f "$dest/const_structs.checkpatch" ] && return 0
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
	[ -n "$tarball" ] || die "checkpatch.pl: no /usr/src/linux-source-*.tar.xz (package linux-source)"
	mkdir -p "$dest"
	local top
	top=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dest" --strip-components=2 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" ||
		die "cannot extract checkpatch.pl from $tarball"
}

do_check() {
	local b=$1 kver top passed=0 failed=0 out root
	shift
	top=$(pwd)
	out=$b/results/kernel-checks.txt
	mkdir -p "$b/results" "$b/kernel/checks"
	: >"$out.new"

	record() {	# NAME LOG STATUS
		if [ "$3" = 0 ]; then
			passed=$((passed + 1))
			echo "ok - $1" | tee -a "$out.new"
		else
			failed=$((failed + 1))
			echo "not ok - $1 (see $2)" | tee -a "$out.new"
		fi
	}

	# checkpatch --strict; --root lends it the kernel's include/ so that
	# the USB descriptor field names are known, not flagged as CamelCase.
	local log=$b/kernel/checks/checkpatch.log status=0
	checkpatch_tools "$b/checkpatch"
	root=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | sort -V | tail -n1)
	(cd "$b/checkpatch" && perl ./checkpatch.pl --strict --no-tree \
		${root:+--root="$root"} --no-summary --terse -f \
		"$top"/kernel/*.c "$top"/kernel/*.h) >"$log" 2>&1 || status=1
	[ -s "$log" ] && status=1
	[ "$status" = 0 ] || cat "$log"
	record "checkpatch --strict" "$log" "$status"

	[ $# -gt 0 ] || { echo "kernel: no kernel to build for" >&2; failed=$((failed + 1)); }
	for kver in "$@"; do
		local name args
		for name in sparse W=1; do
			case "$name" in
			sparse) args="C=2" ;;
			*) args="W=1" ;;
			esac
			local dir=$b/kernel/checks/$kver-${name//=/}
			status=0
			kbuild "$kver" "$dir" $args || status=1
			findings "$dir.log" && status=1
			[ "$status" = 0 ] || tail -n 30 "$dir.log"
			record "$name $kver" "$dir.log" "$status"
		done
	done

	echo "$passed passed, $failed failed" | tee -a "$out.new"
	mv "$out.new" "$out"
	[ "$failed" -eq 0 ]
}

case "${1:-}" in
--build) [ $# -eq 3 ] || die "usage: $0 --build B KVER"; do_build "$2" "$3" ;;
--check) [ $# -ge 2 ] || die "usage: $0 --check B KVER..."; shift; do_check "$@" ;;
*) die "usage: $0 --build B KVER | --check B KVER..." ;;
esac
