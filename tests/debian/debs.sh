#!/bin/bash
# Builds the project's Debian packages (debian/) for a Debian release and
# checks them with that release's lintian, for the full-system tests and
# for anyone who wants the .debs of a release the machine does not run.
#
#   debs.sh [--suite SUITE] OUTDIR
#
# Without --suite, or with the host's own codename, the packages are built
# on the host (its build dependencies must be installed: `make deps`);
# otherwise in that release's build environment (buildenv.sh), whose build
# dependencies `apt-get build-dep` installs there. The build runs
# `dpkg-buildpackage -us -uc -b` in a copy of the files git knows (so the
# work tree's build/ is left alone), without -dbgsym packages. Then
# `lintian --fail-on error,warning`: a warning passes only when
# debian/*.lintian-overrides explains it.
#
# OUTDIR gets the .debs, lintian.txt and build.log; a key of the sources
# and the release makes a second run with nothing changed a no-op. The
# .debs' paths are printed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

msg() { printf 'debs: %s\n' "$*" >&2; }
die() { printf 'debs: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,18s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
suite=$host_suite
while [ $# -gt 0 ]; do
	case "$1" in
	--suite) [ $# -ge 2 ] || usage; suite=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The sources: the files git knows, as they are in the work tree.
files() {
	(cd "$TOP" && git ls-files -co --exclude-standard |
		while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done)
}
key=$({ echo "$suite"; files | (cd "$TOP" && xargs -d '\n' sha256sum); } |
	sha256sum | cut -c1-16)
if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ] &&
	compgen -G "$out/*.deb" >/dev/null; then
	ls "$out"/*.deb
	exit 0
fi

version=$(cd "$TOP" && dpkg-parsechangelog -S Version)
src=$out/src/preamp-$version
rm -rf "$out/src" "$out"/*.deb "$out/.key"
mkdir -p "$src"
files | (cd "$TOP" && tar -cf - -T -) | tar -C "$src" -xf -

t0=$SECONDS
build_cmd="cd '$src' && DEB_BUILD_OPTIONS=noautodbgsym dpkg-buildpackage -us -uc -b"
# lintian as an unprivileged user, as it wants to be run.
lintian_cmd="cd '$out/src' && runuser -u nobody -- env HOME=/tmp lintian --fail-on error,warning --info --display-info *.changes"
if [ "$suite" = "$host_suite" ]; then
	msg "building the packages for $suite on the host"
	(cd "$src" && dpkg-checkbuilddeps) ||
		die "the build dependencies above are missing (make deps installs them)"
	run() { bash -c "$1"; }
else
	msg "building the packages for $suite in its build environment"
	"$HERE/buildenv.sh" ensure "$suite"
	"$HERE/buildenv.sh" install "$suite" lintian
	# apt-get build-dep reads debian/control from the copy.
	"$HERE/buildenv.sh" run "$suite" --bind "$out" -- \
		apt-get -o APT::Sandbox::User=root -o DPkg::Lock::Timeout=120 \
		build-dep -y -q --no-install-recommends "$src" >"$out/build.log" 2>&1 || {
		tail -n 20 "$out/build.log" >&2
		die "apt-get build-dep in $suite failed (log: $out/build.log)"
	}
	run() { "$HERE/buildenv.sh" run "$suite" --bind "$out" -- bash -c "$1"; }
fi
if ! run "$build_cmd" >>"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "dpkg-buildpackage failed (log: $out/build.log)"
fi
msg "built in $((SECONDS - t0)) s"
rc=0
run "$lintian_cmd" >"$out/lintian.txt" 2>&1 || rc=$?
grep -v '^N:' "$out/lintian.txt" | sed 's/^/lintian: /' >&2 || true
[ "$rc" -eq 0 ] || die "lintian found errors or unexplained warnings ($out/lintian.txt)"
mv "$out"/src/*.deb "$out/"
echo "$key" >"$out/.key"
ls "$out"/*.deb
