#!/bin/bash
# Debian kernels for the VM tests, cached outside the repository: the 6.1
# LTS of bookworm, the 6.12 of bookworm-backports, and the newest kernel
# Debian ships for its stable release (trixie or trixie-backports; 7.3 at
# the time of writing), each resolved when fetched.
#
#   kernels.sh fetch [--refresh] obtain them (image + modules in the cache,
#                                headers where the module is built); a
#                                second run downloads nothing; --refresh
#                                updates the apt lists first, to pick up a
#                                newer kernel
#   kernels.sh list              the cached kernel versions, 6.1 first
#   kernels.sh resolve SERIES    6.1, 6.12, 7.3, newest or a full version
#                                -> full version
#   kernels.sh kdir KVER         the headers' build directory for KVER, as
#                                its build environment sees it
#   kernels.sh env KVER          where KVER's module is built: "host", or
#                                the suite of its build environment
#   kernels.sh source KVER       "TARBALL COMMON" of KVER's series: the
#                                linux-source tarball (checkpatch) and the
#                                headers' common tree, host paths; nothing
#                                when that source is not installed
#   kernels.sh stable            the kernel of the stable release itself
#                                (trixie and its security updates, not
#                                backports), from the same apt lists: the
#                                Debian 13 system image's kernel
#
# 6.1 and 6.12 are built with bookworm's gcc-12 on the host, their headers
# installed on it. The newest kernel is built with the compiler it was built
# with (trixie's gcc-14) in a cached trixie chroot (tests/debian/buildenv.sh),
# with its headers, its linux-source (checkpatch) and a sparse that knows
# its headers installed there; nothing of trixie is installed on the host.
# Downloads come from the archive the machine's apt uses
# (tests/debian/archive.sh) and are checked against the archive keyring.
#
# Cache layout under ${PREAMP_CACHE:-/var/cache/preamp}:
#   kernels/<kver>/vmlinuz, config, System.map, lib/modules/<kver>/,
#                  buildenv (the suite of its build environment, if any)
#   kernels/current              the versions the last fetch resolved
#   kernels/newest               the newest kernel's version
#   apt/                         a private apt configuration (sources list,
#                                lists, archives) for bookworm-backports; the
#                                system's /etc/apt is never changed
#   apt-newest/                  the same for trixie and trixie-backports
#                                (and sid's sources, for sparse)
#   buildenv/trixie/             the trixie build environment
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DEBIAN_TOOLS=$(cd "$HERE/../debian" && pwd)
CACHE=${PREAMP_CACHE:-/var/cache/preamp}
KCACHE=$CACHE/kernels
APTDIR=$CACHE/apt
NEWDIR=$CACHE/apt-newest
# The stable release whose newest kernel is tested, and whose compiler
# builds its module. sid is not searched: its kernels want sid's compiler.
NEWEST_SUITE=trixie
# Where a sparse new enough for the newest kernel's headers comes from.
SPARSE_SUITE=sid

msg() { printf 'kernels: %s\n' "$*" >&2; }
die() { printf 'kernels: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,29s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

archive() { "$DEBIAN_TOOLS/archive.sh" "$1"; }
buildenv() { "$DEBIAN_TOOLS/buildenv.sh" "$@"; }

# apt options that make apt-get/apt-cache use only a private configuration
# for sources, lists and downloaded archives. The dpkg database stays the
# system's, so packages installed this way are ordinary installed packages.
apt_private_opts() {
	printf '%s\n' -o "Dir::Etc::SourceList=$1/sources.list" \
		-o "Dir::Etc::SourceParts=$1/sources.list.d" \
		-o "Dir::State::Lists=$1/lists" -o "Dir::Cache=$1/cache" \
		-o "Dir::Cache::Archives=$1/archives"
}
mapfile -t APT_PRIVATE < <(apt_private_opts "$APTDIR")
mapfile -t APT_NEWEST < <(apt_private_opts "$NEWDIR")

# private_apt_setup DIR: DIR's sources.list from stdin, its directories.
private_apt_setup() {
	local dir=$1
	mkdir -p "$dir/sources.list.d" "$dir/lists/partial" \
		"$dir/cache" "$dir/archives/partial"
	cat >"$dir/sources.list.new"
	mv "$dir/sources.list.new" "$dir/sources.list"
	# apt downloads as the unprivileged _apt user where it can.
	if id _apt >/dev/null 2>&1; then
		chown _apt "$dir/lists/partial" "$dir/archives/partial"
	fi
}

# bookworm's suites so that dependencies resolve against what the system
# has installed (security updates included), plus backports.
bookworm_sources() {
	local main security key
	main=$(archive main)
	security=$(archive security)
	key=$(archive keyring)
	cat <<-EOS
	deb [signed-by=$key] $main bookworm main
	deb [signed-by=$key] $main bookworm-updates main
	deb [signed-by=$key] $security bookworm-security main
	deb [signed-by=$key] $main bookworm-backports main
	EOS
}

# The stable release and its backports, where the newest kernel is looked
# for; sid's sources, for sparse.
newest_sources() {
	local main security key
	main=$(archive main)
	security=$(archive security)
	key=$(archive keyring)
	cat <<-EOS
	deb [signed-by=$key] $main $NEWEST_SUITE main
	deb [signed-by=$key] $security $NEWEST_SUITE-security main
	deb [signed-by=$key] $main $NEWEST_SUITE-backports main
	deb-src [signed-by=$key] $main $SPARSE_SUITE main
	EOS
}

# Run an apt command, waiting while another apt or dpkg holds a lock.
apt_retry() {
	local try out rc
	for try in $(seq 1 60); do
		out=$(mktemp)
		rc=0
		"$@" -o DPkg::Lock::Timeout=120 2>"$out" || rc=$?
		if [ "$rc" -eq 0 ]; then
			grep -v '^$' "$out" >&2 || true
			rm -f "$out"
			return 0
		fi
		if grep -qiE 'Could not get lock|Unable to acquire|Unable to lock' "$out"; then
			rm -f "$out"
			msg "apt is busy (lock held by another process), waiting ($try/60)"
			sleep 10
			continue
		fi
		cat "$out" >&2
		rm -f "$out"
		return "$rc"
	done
	die "apt stayed locked for 10 minutes: $*"
}

# The kernel version a linux-image-amd64 metapackage points at, from the
# apt lists as they are (no download). Extra arguments select a private
# configuration and a target release, or a version (=VERSION) of the
# metapackage.
resolve_meta() {
	local ver=
	case "${1:-}" in =*) ver=$1; shift ;; esac
	apt-cache "$@" depends "linux-image-amd64$ver" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' |
		sort -V | tail -n1
}

resolve_61() { resolve_meta; }
resolve_612() {
	[ -s "$APTDIR/sources.list" ] || return 0
	resolve_meta "${APT_PRIVATE[@]}" -t bookworm-backports |
		grep '^6\.12\.' || true
}
# The highest linux-image-amd64 of the stable release and its backports.
resolve_newest() {
	[ -s "$NEWDIR/sources.list" ] || return 0
	local v best=
	for v in $(apt-cache "${APT_NEWEST[@]}" madison linux-image-amd64 2>/dev/null |
		awk -F'|' '$3 ~ /Packages/ { gsub(/ /, "", $2); print $2 }'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	[ -n "$best" ] || return 0
	resolve_meta "=$best" "${APT_NEWEST[@]}"
}

# The stable release's own kernel: the metapackage's candidate, which
# backports (priority 100) do not win.
resolve_stable() {
	[ -s "$NEWDIR/sources.list" ] || return 0
	resolve_meta "${APT_NEWEST[@]}"
}

image_cached() {
	[ -f "$KCACHE/$1/.complete" ]
}

headers_installed() {
	[ -f "/usr/src/linux-headers-$1/Makefile" ] &&
		dpkg-query -W -f='${Status}\n' "linux-headers-$1" 2>/dev/null |
		grep -q '^install ok installed$'
}

# The build environment's root, if it has been made.
env_root() {
	buildenv path "$NEWEST_SUITE" 2>/dev/null || true
}

env_installed() {	# PKG...: all installed in the build environment
	local root p
	root=$(env_root)
	[ -n "$root" ] || return 1
	for p in "$@"; do
		dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}\n' "$p" \
			2>/dev/null | grep -q '^install ok installed$' || return 1
	done
}

# linux-image-KVER and the packages of the same kernel it depends on: 7.x
# splits the kernel into linux-binary- (vmlinuz), linux-modules- and
# linux-base- (config, System.map, modules.builtin); 6.x has all in one.
# Extra arguments are apt options (a private configuration).
image_packages() {
	local kver=$1; shift
	echo "linux-image-$kver"
	apt-cache "$@" depends "linux-image-$kver" 2>/dev/null |
		awk -v k="-$kver" '$1 == "Depends:" && $2 ~ /^linux-/ &&
			substr($2, length($2) - length(k) + 1) == k { print $2 }' |
		sort -u
}

# Download the image packages of KVER into a new temporary directory under
# the cache, whose name is printed. Extra arguments are apt options (the
# private configuration). Fails only when apt does.
download_image() {
	local kver=$1; shift
	local tmp pkgs
	tmp=$(mktemp -d "$KCACHE/.fetch.XXXXXX")
	# apt downloads as the unprivileged _apt user where it can.
	if id _apt >/dev/null 2>&1; then
		chmod 755 "$tmp"
		chown _apt "$tmp"
	fi
	mapfile -t pkgs < <(image_packages "$kver" "$@")
	msg "downloading ${pkgs[*]}"
	# linux-image-<kver> is the signed image; the kernel is the same as
	# the -unsigned one's.
	if ! (cd "$tmp" && apt_retry apt-get "$@" download "${pkgs[@]}" >&2); then
		rm -rf "$tmp"
		return 1
	fi
	echo "$tmp"
}

# first_file PATH...: the first of PATHs that is a file.
first_file() {
	local f
	for f in "$@"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# Unpack vmlinuz and the modules of the downloaded packages into the cache,
# laid out the same for every kernel: vmlinuz, config, System.map and
# lib/modules/KVER. 6.x has /boot/vmlinuz-KVER and /lib/modules; 7.x has
# everything under /usr/lib/modules/KVER.
unpack_image() {
	local kver=$1 tmp=$2
	local dest=$KCACHE/$kver deb r mods f
	for deb in "$tmp"/*.deb; do
		msg "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$tmp/root"
	done
	r=$tmp/root
	mods=
	for f in "$r/usr/lib/modules/$kver" "$r/lib/modules/$kver"; do
		[ -d "$f/kernel" ] && { mods=$f; break; }
	done
	[ -n "$mods" ] || die "no lib/modules/$kver/kernel in $(cd "$tmp" && echo *.deb)"
	f=$(first_file "$r/boot/vmlinuz-$kver" "$mods/vmlinuz") ||
		die "no vmlinuz in $(cd "$tmp" && echo *.deb)"
	rm -rf "$dest"
	mkdir -p "$dest/lib/modules"
	mv "$f" "$dest/vmlinuz"
	if f=$(first_file "$r/boot/config-$kver" "$mods/config"); then
		mv "$f" "$dest/config"
	fi
	if f=$(first_file "$r/boot/System.map-$kver" "$mods/System.map"); then
		mv "$f" "$dest/System.map"
	fi
	mv "$mods" "$dest/lib/modules/$kver"
	rm -rf "$tmp"
	# The package's postinst would run depmod; nothing installs it, so
	# run it here.
	depmod -b "$dest" "$kver"
	touch "$dest/.complete"
	msg "cached $kver in $dest"
}

install_headers() {
	local kver=$1; shift
	headers_installed "$kver" && return 0
	msg "installing linux-headers-$kver"
	# 6.12's headers depend on its image package, whose postinst would
	# build an initramfs for it that nothing uses: INITRD=No skips that.
	INITRD=No DEBIAN_FRONTEND=noninteractive apt_retry apt-get "$@" install -y \
		--no-install-recommends "linux-headers-$kver"
	headers_installed "$kver"
}

system_update() {
	msg "apt-get update (system sources)"
	apt_retry apt-get update -qq
}

private_update() {
	bookworm_sources | private_apt_setup "$APTDIR"
	msg "apt-get update (private sources with bookworm-backports)"
	apt_retry apt-get "${APT_PRIVATE[@]}" update -qq
}

newest_update() {
	newest_sources | private_apt_setup "$NEWDIR"
	msg "apt-get update (private sources: $NEWEST_SUITE, $NEWEST_SUITE-backports)"
	apt_retry apt-get "${APT_NEWEST[@]}" update -qq
}

series_of() {	# 7.3.4+deb13-amd64 -> 7.3
	echo "$1" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p'
}

# The headers' common tree, from their Makefile's include line.
common_of() {	# ROOT KDIR
	sed -n 's|^include \(/.*\)/Makefile$|\1|p' "$1$2/Makefile" | head -n1
}

# A kernel whose module is built in the build environment: its headers,
# its linux-source (checkpatch, and kbuild scripts the headers lack) and a
# sparse that its kbuild accepts.
env_prepare() {
	local kver=$1 series root common
	series=$(series_of "$kver")
	if ! env_installed "linux-headers-$kver" "linux-source-$series"; then
		msg "installing linux-headers-$kver and linux-source-$series in the $NEWEST_SUITE build environment"
		buildenv install "$NEWEST_SUITE" "linux-headers-$kver" "linux-source-$series" ||
			return 1
	fi
	root=$(env_root)
	common=$(common_of "$root" "/usr/src/linux-headers-$kver")
	[ -n "$common" ] || die "cannot find the common headers of $kver"
	# kbuild checks sparse with scripts/checker-valid.sh (7.x) and turns
	# C=2 off, with one warning line, when the script is missing or says
	# no. Debian's headers lack the script: take it from the same
	# kernel's source.
	if grep -q 'scripts/checker-valid.sh' "$root$common/Makefile" &&
		[ ! -f "$root$common/scripts/checker-valid.sh" ]; then
		msg "adding scripts/checker-valid.sh from linux-source-$series to the headers"
		tar -xJf "$root/usr/src/linux-source-$series.tar.xz" -O \
			"linux-source-$series/scripts/checker-valid.sh" \
			>"$root$common/scripts/checker-valid.sh" ||
			die "no scripts/checker-valid.sh in linux-source-$series"
		chmod 755 "$root$common/scripts/checker-valid.sh"
	fi
	[ -f "$root$common/scripts/checker-valid.sh" ] || return 0
	sparse_valid "$common" && return 0
	env_build_sparse
	sparse_valid "$common" ||
		die "the sparse built from $SPARSE_SUITE's source does not pass $kver's checker-valid.sh"
}

sparse_valid() {	# COMMON: kbuild's own test of `sparse` says yes
	[ "$(buildenv run "$NEWEST_SUITE" -- sh "$1/scripts/checker-valid.sh" sparse 2>/dev/null)" = 1 ]
}

# The 7.x headers use __typeof_unqual__, which the stable release's sparse
# (0.6.4) does not know; sid's does. Build sid's source in the environment
# (sparse needs only gcc and make) into /usr/local/bin, which comes first
# on the environment's PATH. apt-get source checks the files against the
# signed Sources index.
env_build_sparse() {
	local root src
	root=$(env_root)
	src=$NEWDIR/source
	rm -rf "$src"
	mkdir -p "$src"
	id _apt >/dev/null 2>&1 && chown _apt "$src"
	msg "building sparse from $SPARSE_SUITE's source in the $NEWEST_SUITE build environment"
	(cd "$src" && apt_retry apt-get "${APT_NEWEST[@]}" source --download-only sparse >&2) ||
		die "cannot download the source of sparse"
	rm -rf "$root/usr/local/src/sparse"
	mkdir -p "$root/usr/local/src"
	dpkg-source -x "$src"/sparse_*.dsc "$root/usr/local/src/sparse" >/dev/null 2>&1 ||
		die "cannot unpack $(cd "$src" && echo sparse_*.dsc)"
	rm -rf "$src"
	# Debian's patches name sid's compiler; the environment's is gcc.
	buildenv run "$NEWEST_SUITE" -- sh -c 'cd /usr/local/src/sparse &&
		make -j"$(nproc)" CC=gcc sparse >build.log 2>&1 &&
		install -m 0755 sparse /usr/local/bin/sparse' ||
		die "building sparse failed (log: $root/usr/local/src/sparse/build.log)"
}

do_fetch() {
	[ "$(id -u)" -eq 0 ] || die "fetch needs root (apt-get install of headers)"
	command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
	command -v depmod >/dev/null || die "depmod not found (package kmod)"
	mkdir -p "$KCACHE"
	# One fetch at a time: several builds may share the cache.
	exec 9>"$CACHE/.kernels.lock"
	flock 9

	local k61 k612 knew tmp updated61=no updated612=no updatednew=no
	if [ "${1:-}" = --refresh ]; then
		system_update; updated61=yes
		private_update; updated612=yes
		newest_update; updatednew=yes
	fi
	# 6.1 through the system's apt.
	k61=$(resolve_61)
	if [ -z "$k61" ]; then
		system_update; updated61=yes
		k61=$(resolve_61)
		[ -n "$k61" ] || die "apt-cache finds no linux-image-amd64"
	fi
	msg "6.1: $k61"
	if ! image_cached "$k61"; then
		if ! tmp=$(download_image "$k61"); then
			# The lists may name a version the archive no longer has.
			[ "$updated61" = no ] || die "cannot download linux-image-$k61"
			system_update; updated61=yes
			k61=$(resolve_61)
			tmp=$(download_image "$k61") || die "cannot download linux-image-$k61"
		fi
		unpack_image "$k61" "$tmp"
	fi
	if ! headers_installed "$k61"; then
		if ! install_headers "$k61"; then
			[ "$updated61" = no ] || die "cannot install linux-headers-$k61"
			system_update
			install_headers "$k61" || die "cannot install linux-headers-$k61"
		fi
	fi

	# 6.12 through the private configuration with bookworm-backports.
	k612=$(resolve_612)
	if [ -z "$k612" ]; then
		private_update; updated612=yes
		k612=$(resolve_612)
		[ -n "$k612" ] || die "bookworm-backports has no 6.12 linux-image-amd64"
	fi
	msg "6.12: $k612"
	if ! image_cached "$k612"; then
		if ! tmp=$(download_image "$k612" "${APT_PRIVATE[@]}"); then
			[ "$updated612" = no ] || die "cannot download linux-image-$k612"
			private_update; updated612=yes
			k612=$(resolve_612)
			tmp=$(download_image "$k612" "${APT_PRIVATE[@]}") ||
				die "cannot download linux-image-$k612"
		fi
		unpack_image "$k612" "$tmp"
	fi
	if ! headers_installed "$k612"; then
		if ! install_headers "$k612" "${APT_PRIVATE[@]}"; then
			[ "$updated612" = no ] || die "cannot install linux-headers-$k612"
			private_update
			install_headers "$k612" "${APT_PRIVATE[@]}" ||
				die "cannot install linux-headers-$k612"
		fi
		# Installed now: the downloaded packages are of no further use.
		rm -f "$APTDIR"/archives/*.deb
	fi

	# The newest through the private configuration of the stable
	# release; its module is built in the build environment.
	knew=$(resolve_newest)
	if [ -z "$knew" ]; then
		newest_update; updatednew=yes
		knew=$(resolve_newest)
		[ -n "$knew" ] || die "$NEWEST_SUITE has no linux-image-amd64"
	fi
	msg "newest: $knew"
	if ! image_cached "$knew"; then
		if ! tmp=$(download_image "$knew" "${APT_NEWEST[@]}"); then
			[ "$updatednew" = no ] || die "cannot download linux-image-$knew"
			newest_update; updatednew=yes
			knew=$(resolve_newest)
			tmp=$(download_image "$knew" "${APT_NEWEST[@]}") ||
				die "cannot download linux-image-$knew"
		fi
		unpack_image "$knew" "$tmp"
	fi
	echo "$NEWEST_SUITE" >"$KCACHE/$knew/buildenv"
	if ! env_prepare "$knew"; then
		die "cannot prepare the $NEWEST_SUITE build environment for $knew"
	fi
	prune_env_headers "$knew"

	printf '%s\n%s\n%s\n' "$k61" "$k612" "$knew" >"$KCACHE/current.new"
	mv "$KCACHE/current.new" "$KCACHE/current"
	echo "$knew" >"$KCACHE/newest"
	msg "ready: $k61 $k612 $knew"
}

# The headers of an earlier newest kernel go when a newer one came.
prune_env_headers() {
	local keep=$1 root p old=()
	root=$(env_root)
	for p in $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${Status}\n' \
		'linux-headers-*' 'linux-kbuild-*' 'linux-source-*' 2>/dev/null |
		awk '/ installed$/ { print $1 }'); do
		case "$p" in
		"linux-headers-$keep"|"linux-headers-${keep%-amd64}-common"|\
		"linux-kbuild-${keep%-amd64}"|"linux-source-$(series_of "$keep")") ;;
		*) old+=("$p") ;;
		esac
	done
	[ ${#old[@]} -eq 0 ] && return 0
	msg "removing ${old[*]} from the build environment"
	buildenv purge "$NEWEST_SUITE" "${old[@]}" || true
}

# Cached kernels, 6.1 first: the ones the last fetch resolved, or else
# whatever complete ones the cache holds; the newest last. (It has its own
# file, which a fetch that does not know it leaves alone.)
do_list() {
	local k
	{
		if [ -f "$KCACHE/current" ]; then
			while read -r k; do
				[ -n "$k" ] && image_cached "$k" && echo "$k"
			done <"$KCACHE/current"
		elif [ -d "$KCACHE" ]; then
			for k in "$KCACHE"/*/.complete; do
				[ -f "$k" ] && basename "$(dirname "$k")"
			done | sort -V
		fi
		k=$(cat "$KCACHE/newest" 2>/dev/null || true)
		[ -n "$k" ] && image_cached "$k" && echo "$k"
	} | awk '!seen[$0]++'
	return 0
}

do_resolve() {
	local want=$1 k
	case "$want" in
	*-amd64)
		image_cached "$want" || die "$want is not in $KCACHE (run: $0 fetch)"
		echo "$want"
		return 0 ;;
	newest)
		k=$(cat "$KCACHE/newest" 2>/dev/null || true)
		if [ -z "$k" ] || ! image_cached "$k"; then
			die "no newest kernel in $KCACHE (run: $0 fetch)"
		fi
		echo "$k"
		return 0 ;;
	esac
	k=$(do_list | grep -E "^${want//./\\.}\.[0-9]" | sort -V | tail -n1 || true)
	[ -n "$k" ] || die "no $want kernel in $KCACHE (run: $0 fetch)"
	echo "$k"
}

do_env() {
	local e
	e=$(cat "$KCACHE/$1/buildenv" 2>/dev/null || true)
	echo "${e:-host}"
}

do_source() {
	local kver=$1 root='' common series tarball
	if [ "$(do_env "$kver")" != host ]; then
		root=$(env_root)
		[ -n "$root" ] || return 0
	fi
	[ -f "$root/usr/src/linux-headers-$kver/Makefile" ] || return 0
	common=$(common_of "$root" "/usr/src/linux-headers-$kver")
	series=$(series_of "$kver")
	tarball=$root/usr/src/linux-source-$series.tar.xz
	[ -f "$tarball" ] && [ -n "$common" ] || return 0
	echo "$tarball $root$common"
}

cmd=${1:-}
case "$cmd" in
fetch)
	[ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$2" = --refresh ]; } || usage
	shift; do_fetch "$@" ;;
list)    do_list ;;
resolve) [ $# -eq 2 ] || usage; do_resolve "$2" ;;
kdir)    [ $# -eq 2 ] || usage; echo "/usr/src/linux-headers-$2" ;;
env)     [ $# -eq 2 ] || usage; do_env "$2" ;;
source)  [ $# -eq 2 ] || usage; do_source "$2" ;;
stable)
	[ $# -eq 1 ] || usage
	k=$(resolve_stable)
	if [ -z "$k" ]; then
		[ "$(id -u)" -eq 0 ] || die "no apt lists of $NEWEST_SUITE yet (run: $0 fetch)"
		newest_update
		k=$(resolve_stable)
	fi
	[ -n "$k" ] || die "$NEWEST_SUITE has no linux-image-amd64"
	echo "$k" ;;
*)       usage ;;
esac
