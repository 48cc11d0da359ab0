#!/bin/bash
# Debian kernels for the VM tests: the 6.1 LTS of bookworm and the 6.12 of
# bookworm-backports, cached outside the repository.
#
#   kernels.sh fetch [--refresh] obtain both (image + modules in the cache,
#                                headers installed); a second run downloads
#                                nothing; --refresh updates the apt lists
#                                first, to pick up a newer kernel ABI
#   kernels.sh list              the cached kernel versions, 6.1 first
#   kernels.sh resolve SERIES    6.1, 6.12 or a full version -> full version
#   kernels.sh kdir KVER         the headers' build directory for KVER
#
# Cache layout under ${PREAMP_CACHE:-/var/cache/preamp}:
#   kernels/<kver>/vmlinuz, config, System.map, lib/modules/<kver>/
#   kernels/current              the versions the last fetch resolved
#   apt/                         a private apt configuration (sources list,
#                                lists, archives) for bookworm-backports; the
#                                system's /etc/apt is never changed
set -euo pipefail

CACHE=${PREAMP_CACHE:-/var/cache/preamp}
KCACHE=$CACHE/kernels
APTDIR=$CACHE/apt
MIRROR=http://deb.debian.org/debian
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

msg() { printf 'kernels: %s\n' "$*" >&2; }
die() { printf 'kernels: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,11s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# apt options that make apt-get/apt-cache use only the private configuration
# for sources, lists and downloaded archives. The dpkg database stays the
# system's, so packages installed this way are ordinary installed packages.
APT_PRIVATE=(
	-o "Dir::Etc::SourceList=$APTDIR/sources.list"
	-o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
	-o "Dir::State::Lists=$APTDIR/lists"
	-o "Dir::Cache=$APTDIR/cache"
	-o "Dir::Cache::Archives=$APTDIR/archives"
)

private_apt_setup() {
	mkdir -p "$APTDIR/sources.list.d" "$APTDIR/lists/partial" \
		"$APTDIR/cache" "$APTDIR/archives/partial"
	# bookworm's suites so that dependencies resolve against what the
	# system has installed (security updates included), plus backports.
	cat >"$APTDIR/sources.list.new" <<-EOF
	deb [signed-by=$KEYRING] $MIRROR bookworm main
	deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
	deb [signed-by=$KEYRING] http://deb.debian.org/debian-security bookworm-security main
	deb [signed-by=$KEYRING] $MIRROR bookworm-backports main
	EOF
	mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
	# apt downloads as the unprivileged _apt user where it can.
	if id _apt >/dev/null 2>&1; then
		chown _apt "$APTDIR/lists/partial" "$APTDIR/archives/partial"
	fi
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
# apt lists as they are (no download). Extra arguments select the private
# configuration and a target release.
resolve_meta() {
	apt-cache "$@" depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' |
		sort -V | tail -n1
}

resolve_61() { resolve_meta; }
resolve_612() {
	[ -s "$APTDIR/sources.list" ] || return 0
	resolve_meta "${APT_PRIVATE[@]}" -t bookworm-backports |
		grep '^6\.12\.' || true
}

image_cached() {
	[ -f "$KCACHE/$1/.complete" ]
}

headers_installed() {
	[ -f "/usr/src/linux-headers-$1/Makefile" ] &&
		dpkg-query -W -f='${Status}\n' "linux-headers-$1" 2>/dev/null |
		grep -q '^install ok installed$'
}

# Download the image package of KVER into a new temporary directory under
# the cache, whose name is printed. Extra arguments are apt options (the
# private configuration). Fails only when apt does.
download_image() {
	local kver=$1; shift
	local tmp
	tmp=$(mktemp -d "$KCACHE/.fetch.XXXXXX")
	# apt downloads as the unprivileged _apt user where it can.
	if id _apt >/dev/null 2>&1; then
		chmod 755 "$tmp"
		chown _apt "$tmp"
	fi
	msg "downloading linux-image-$kver"
	# linux-image-<kver> is the signed image; the kernel is the same as
	# the -unsigned one's.
	if ! (cd "$tmp" && apt_retry apt-get "$@" download "linux-image-$kver" >&2); then
		rm -rf "$tmp"
		return 1
	fi
	echo "$tmp"
}

# Unpack vmlinuz and the modules of the downloaded package into the cache.
unpack_image() {
	local kver=$1 tmp=$2
	local dest=$KCACHE/$kver deb
	deb=$(ls "$tmp"/*.deb)
	msg "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp/root"
	[ -f "$tmp/root/boot/vmlinuz-$kver" ] || die "no boot/vmlinuz-$kver in $deb"
	[ -d "$tmp/root/lib/modules/$kver" ] || die "no lib/modules/$kver in $deb"
	rm -rf "$dest"
	mkdir -p "$dest/lib/modules"
	mv "$tmp/root/boot/vmlinuz-$kver" "$dest/vmlinuz"
	if [ -f "$tmp/root/boot/config-$kver" ]; then
		mv "$tmp/root/boot/config-$kver" "$dest/config"
	fi
	if [ -f "$tmp/root/boot/System.map-$kver" ]; then
		mv "$tmp/root/boot/System.map-$kver" "$dest/System.map"
	fi
	mv "$tmp/root/lib/modules/$kver" "$dest/lib/modules/$kver"
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
	private_apt_setup
	msg "apt-get update (private sources with bookworm-backports)"
	apt_retry apt-get "${APT_PRIVATE[@]}" update -qq
}

do_fetch() {
	[ "$(id -u)" -eq 0 ] || die "fetch needs root (apt-get install of headers)"
	command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
	command -v depmod >/dev/null || die "depmod not found (package kmod)"
	mkdir -p "$KCACHE"
	# One fetch at a time: several builds may share the cache.
	exec 9>"$CACHE/.kernels.lock"
	flock 9

	local k61 k612 tmp updated61=no updated612=no
	if [ "${1:-}" = --refresh ]; then
		system_update; updated61=yes
		private_update; updated612=yes
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

	printf '%s\n%s\n' "$k61" "$k612" >"$KCACHE/current.new"
	mv "$KCACHE/current.new" "$KCACHE/current"
	msg "ready: $k61 $k612"
}

# Cached kernels, 6.1 first: the ones the last fetch resolved, or else
# whatever complete ones the cache holds.
do_list() {
	local k
	if [ -f "$KCACHE/current" ]; then
		while read -r k; do
			[ -n "$k" ] && image_cached "$k" && echo "$k"
		done <"$KCACHE/current"
	elif [ -d "$KCACHE" ]; then
		for k in "$KCACHE"/*/.complete; do
			[ -f "$k" ] && basename "$(dirname "$k")"
		done | sort -V
	fi
	return 0
}

do_resolve() {
	local want=$1 k
	case "$want" in
	*-amd64)
		image_cached "$want" || die "$want is not in $KCACHE (run: $0 fetch)"
		echo "$want"
		return 0 ;;
	esac
	k=$(do_list | grep -E "^${want//./\\.}\.[0-9]" | sort -V | tail -n1 || true)
	[ -n "$k" ] || die "no $want kernel in $KCACHE (run: $0 fetch)"
	echo "$k"
}

cmd=${1:-}
case "$cmd" in
fetch)
	[ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$2" = --refresh ]; } || usage
	shift; do_fetch "$@" ;;
list)    do_list ;;
resolve) [ $# -eq 2 ] || usage; do_resolve "$2" ;;
kdir)    [ $# -eq 2 ] || usage; echo "/usr/src/linux-headers-$2" ;;
*)       usage ;;
esac
