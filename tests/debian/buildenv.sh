#!/bin/bash
# Cached Debian build environments: one debootstrap chroot per suite, for
# what must be built with another release's compiler and libraries than the
# host's: a 7.x kernel's module wants the gcc-14 that kernel was built with,
# Debian 13's packages want Debian 13's libraries. Nothing is installed on
# the host, and the host's apt configuration is only read (archive.sh).
#
#   buildenv.sh ensure SUITE             make it unless it is there
#   buildenv.sh install SUITE PKG...     apt-get install in it (an update
#                                        first when the lists lack them)
#   buildenv.sh purge SUITE PKG...       apt-get purge in it
#   buildenv.sh run SUITE [--bind DIR]... [--] CMD...
#                                        CMD as root in it; each host DIR is
#                                        mounted at the same path inside
#   buildenv.sh path SUITE               its root directory
#
# SUITE is a Debian codename (trixie). The chroot is debootstrap's buildd
# variant (build-essential) with the suite, its -updates, -security and
# -backports in its sources (backports at apt's default priority 100: used
# only for what is asked of it by name). Mounts live in a private mount
# namespace, so nothing stays mounted when a command ends or is killed.
#
# Cache layout under ${PREAMP_CACHE:-/var/cache/preamp}/buildenv:
#   SUITE/        the chroot (SUITE/.complete once debootstrap finished)
#   debs-SUITE/   every .deb it downloaded
#   SUITE.lock    run takes it shared, ensure/install/purge exclusive
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PREAMP_CACHE:-/var/cache/preamp}
BASE=$CACHE/buildenv

msg() { printf 'buildenv: %s\n' "$*" >&2; }
die() { printf 'buildenv: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,22s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

check_suite() {
	case "$1" in
	''|*[!a-z]*) die "SUITE is a Debian codename, not '$1'" ;;
	esac
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "$1 needs root (debootstrap, chroot, mounts)"
}

lock() {	# shared|exclusive SUITE
	mkdir -p "$BASE"
	exec 7>"$BASE/$2.lock"
	if [ "$1" = shared ]; then flock -s 7; else flock -x 7; fi
}

proxy_env() {
	local p
	p=$("$HERE/archive.sh" proxy)
	[ -z "$p" ] || echo "http_proxy=$p"
}

# in_ns ROOT BINDS -- CMD...: CMD chrooted into ROOT in a new mount
# namespace with /proc, /sys, /dev and the BINDS (host paths, mounted at
# the same path inside; DEBS as the apt archive cache).
in_ns() {
	local root=$1 debs=$2
	shift 2
	local binds=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do binds+=("$1"); shift; done
	shift
	local env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8
		DEBIAN_FRONTEND=noninteractive TERM=dumb)
	local p
	p=$(proxy_env)
	[ -z "$p" ] || env+=("$p")
	# The script reads its arguments as "$@": ROOT DEBS NBINDS BINDS... CMD...
	unshare --mount --propagation private -- bash -euc '
		root=$1 debs=$2 n=$3; shift 3
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		mount --bind "$debs" "$root/var/cache/apt/archives"
		while [ "$n" -gt 0 ]; do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			shift; n=$((n - 1))
		done
		exec chroot "$root" "$@"
	' bash "$root" "$debs" "${#binds[@]}" "${binds[@]}" \
		/usr/bin/env -i "${env[@]}" "$@"
}

APT_OPTS=(-o APT::Sandbox::User=root -o Acquire::Retries=3
	-o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confold)

in_env_apt() {
	local suite=$1
	shift
	in_ns "$BASE/$suite" "$BASE/debs-$suite" -- apt-get "${APT_OPTS[@]}" "$@"
}

do_ensure() {
	local suite=$1 root main security keyring work t0=$SECONDS
	need_root "ensure"
	root=$BASE/$suite
	[ -f "$root/.complete" ] && return 0
	lock exclusive "$suite"
	[ -f "$root/.complete" ] && return 0
	command -v debootstrap >/dev/null || die "debootstrap not found (package debootstrap)"
	[ -f "/usr/share/debootstrap/scripts/$suite" ] ||
		die "this debootstrap does not know $suite"
	main=$("$HERE/archive.sh" main)
	security=$("$HERE/archive.sh" security)
	keyring=$("$HERE/archive.sh" keyring)
	mkdir -p "$BASE/debs-$suite/partial"
	work=$BASE/.new-$suite
	rm -rf "$work"
	msg "making the $suite build environment in $root (debootstrap from $main)"
	# shellcheck disable=SC2046
	if ! env $(proxy_env) debootstrap --variant=buildd --components=main \
		--keyring="$keyring" --cache-dir="$BASE/debs-$suite" \
		"$suite" "$work" "$main" >"$BASE/$suite.log" 2>&1; then
		tail -n 20 "$BASE/$suite.log" >&2
		die "debootstrap $suite failed (log: $BASE/$suite.log)"
	fi
	cat >"$work/etc/apt/sources.list" <<-EOF
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main $suite main
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main $suite-updates main
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $security $suite-security main
	deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main $suite-backports main
	EOF
	# No service may start inside the chroot; no documentation needed.
	printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
	chmod 755 "$work/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$work/etc/resolv.conf"
	rm -rf "$root"
	mv "$work" "$root"
	in_env_apt "$suite" update -qq >>"$BASE/$suite.log" 2>&1 ||
		die "apt-get update in $suite failed (log: $BASE/$suite.log)"
	touch "$root/.complete"
	msg "$suite ready in $((SECONDS - t0)) s"
}

do_install() {
	local suite=$1
	shift
	need_root "install"
	do_ensure "$suite"
	lock exclusive "$suite"
	if ! in_env_apt "$suite" install -y -q --no-install-recommends "$@" \
		>>"$BASE/$suite.log" 2>&1; then
		msg "apt-get update in $suite"
		in_env_apt "$suite" update -qq >>"$BASE/$suite.log" 2>&1 ||
			die "apt-get update in $suite failed (log: $BASE/$suite.log)"
		in_env_apt "$suite" install -y -q --no-install-recommends "$@" \
			>>"$BASE/$suite.log" 2>&1 || {
			tail -n 20 "$BASE/$suite.log" >&2
			die "apt-get install $* in $suite failed (log: $BASE/$suite.log)"
		}
	fi
	# Installed: the downloaded packages are of no further use.
	rm -f "$BASE/debs-$suite"/*.deb
}

do_purge() {
	local suite=$1
	shift
	need_root "purge"
	[ -f "$BASE/$suite/.complete" ] || return 0
	lock exclusive "$suite"
	in_env_apt "$suite" purge -y -q "$@" >>"$BASE/$suite.log" 2>&1 ||
		die "apt-get purge $* in $suite failed (log: $BASE/$suite.log)"
}

do_run() {
	local suite=$1
	shift
	need_root "run"
	local binds=() d
	while [ $# -gt 0 ]; do
		case "$1" in
		--bind) [ $# -ge 2 ] || usage
			d=$(cd "$2" && pwd) || die "--bind $2: no such directory"
			binds+=("$d"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || usage
	[ -f "$BASE/$suite/.complete" ] || die "no $suite build environment (run: $0 ensure $suite)"
	lock shared "$suite"
	in_ns "$BASE/$suite" "$BASE/debs-$suite" "${binds[@]}" -- "$@"
}

cmd=${1:-}
[ $# -ge 2 ] || usage
suite=$2
check_suite "$suite"
shift 2
case "$cmd" in
ensure)  [ $# -eq 0 ] || usage; do_ensure "$suite" ;;
install) [ $# -gt 0 ] || usage; do_install "$suite" "$@" ;;
purge)   [ $# -gt 0 ] || usage; do_purge "$suite" "$@" ;;
run)     do_run "$suite" "$@" ;;
path)    [ -f "$BASE/$suite/.complete" ] || die "no $suite build environment"
	 echo "$BASE/$suite" ;;
*)       usage ;;
esac
