#!/bin/bash
# Builds and checks snd-usb-preamp; called by kernel/kernel.mk from the
# project root.
#
#   check.sh --build B KVER          build B/kernel/KVER/src/snd-usb-preamp.ko
#   check.sh --check B KVER...       checkpatch --strict of the oldest and
#                                    the newest kernel, then a sparse (C=2)
#                                    and a W=1 build per kernel; writes
#                                    B/results/kernel-checks.txt
#
# A check passes when its tool exits 0 and reports nothing: no checkpatch
# ERROR/WARNING/CHECK, no compiler or sparse "warning:"/"error:" line, and
# no kbuild note that the checker was turned off.
#
# Each kernel builds where tests/vm/kernels.sh says (`kernels.sh env`): on
# the host, or in the build environment of its release, with the compiler
# that kernel was built with (tests/debian/buildenv.sh; needs root).
set -uo pipefail

die() { printf 'kernel: error: %s\n' "$*" >&2; exit 1; }

kdir_of() {
	local kdir
	kdir=$(tests/vm/kernels.sh kdir "$1" 2>/dev/null) ||
		kdir=/usr/src/linux-headers-$1
	echo "$kdir"
}

# "host", or the suite of the build environment KVER's module builds in.
env_of() {
	tests/vm/kernels.sh env "$1" 2>/dev/null || echo host
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
	local kver=$1 dir=$2 kdir env abs
	shift 2
	kdir=$(kdir_of "$kver")
	env=$(env_of "$kver")
	copy_sources "$dir"
	abs=$(cd "$dir" && pwd)
	if [ "$env" = host ]; then
		[ -f "$kdir/Makefile" ] || die "no kernel headers for $kver in $kdir"
		env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL \
			make -C "$kdir" M="$abs" "$@" modules >"$dir.log" 2>&1
	else
		[ "$(id -u)" -eq 0 ] ||
			die "building for $kver needs root: it builds in the $env build environment (a chroot)"
		tests/debian/buildenv.sh run "$env" --bind "$abs" -- \
			make -C "$kdir" M="$abs" "$@" modules >"$dir.log" 2>&1
	fi
}

# Compiler and sparse findings, and kbuild's note that it turned the
# checker off (C=2 with a sparse it does not accept checks nothing).
findings() {
	grep -E '(warning|error):|specified, but .* is not available' "$1"
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

# The tools checkpatch.pl needs, from a kernel source tarball, in DEST.
checkpatch_tools() {
	local dest=$1 tarball=$2 top
	[ -f "$dest/checkpatch.pl" ] && [ -f "$dest/spelling.txt" ] &&
		[ -f "$dest/const_structs.checkpatch" ] &&
		[ "$dest/.from" -nt "$tarball" ] && [ "$(cat "$dest/.from")" = "$tarball" ] &&
		return 0
	rm -rf "$dest"
	mkdir -p "$dest"
	top=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dest" --strip-components=2 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" ||
		die "cannot extract checkpatch.pl from $tarball"
	echo "$tarball" >"$dest/.from"
}

# "SERIES TARBALL COMMON" of the kernel sources checkpatch comes from: the
# oldest and the newest kernel whose linux-source is installed (older
# checkpatch knows what older kernels lack; newer, what they deprecate).
# Without kernels.sh, the host's newest linux-source.
checkpatch_sources() {
	local kver src found=()
	for kver in "$@"; do
		src=$(tests/vm/kernels.sh source "$kver" 2>/dev/null) || continue
		[ -n "$src" ] && found+=("$(echo "$kver" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/') $src")
	done
	if [ ${#found[@]} -eq 0 ]; then
		src=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
		[ -n "$src" ] || die "checkpatch.pl: no /usr/src/linux-source-*.tar.xz (package linux-source)"
		found=("$(basename "$src" .tar.xz | sed 's/^linux-source-//') $src $(ls -d /usr/src/linux-headers-*-common 2>/dev/null | sort -V | tail -n1)")
	fi
	printf '%s\n' "${found[@]}" | sort -V -k1,1 | awk 'NR == 1 { print } { last = $0 } END { if (NR > 1) print last }'
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
	local log status series tarball
	while read -r series tarball root; do
		log=$b/kernel/checks/checkpatch-$series.log
		status=0
		checkpatch_tools "$b/checkpatch/$series" "$tarball"
		(cd "$b/checkpatch/$series" && perl ./checkpatch.pl --strict --no-tree \
			${root:+--root="$root"} --no-summary --terse -f \
			"$top"/kernel/*.c "$top"/kernel/*.h) >"$log" 2>&1 || status=1
		[ -s "$log" ] && status=1
		[ "$status" = 0 ] || cat "$log"
		record "checkpatch --strict ($series)" "$log" "$status"
	done < <(checkpatch_sources "$@")

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
