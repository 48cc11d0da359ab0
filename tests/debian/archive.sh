#!/bin/bash
# The Debian archive this machine's apt uses, for the test beds' own
# downloads (kernels, debootstrap, build chroots). It comes from apt's own
# configuration (/etc/apt/sources.list, /etc/apt/sources.list.d/*, read by
# `apt-get indextargets`), so that a local mirror or an apt proxy written
# there is the one used; every download is still checked against the
# archive keyring by apt or debootstrap.
#
#   archive.sh main       the archive of the release itself (bookworm, ...)
#   archive.sh security   the security archive; when apt has none, the one
#                         beside the main archive (.../debian-security)
#   archive.sh proxy      apt's Acquire::http::Proxy, if any (for debootstrap,
#                         which reads http_proxy, not apt's configuration)
#   archive.sh keyring    the archive keyring downloads are checked against
set -euo pipefail

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { printf 'archive: error: %s\n' "$*" >&2; exit 1; }

# "URI SUITE" of every deb source apt knows, URIs without a trailing slash.
sources() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' 2>/dev/null |
		awk '$3 == "deb" { sub(/\/+$/, "", $1); print $1, $2 }' | sort -u
}

# The first URI whose suite matches the pattern (an awk regex).
uri_of() {
	sources | awk -v re="$1" '$2 ~ re { print $1; exit }'
}

main_uri() {
	local u
	# A release's own suite has no -updates/-security/-backports suffix.
	u=$(uri_of '^[a-z]+$')
	[ -n "$u" ] || u=$(uri_of '^[a-z]+-(updates|backports)$')
	[ -n "$u" ] || die "apt knows no Debian archive (no deb line in /etc/apt/sources.list{,.d})"
	echo "$u"
}

security_uri() {
	local u
	u=$(uri_of '^[a-z]+-security$')
	if [ -z "$u" ]; then
		u=$(main_uri)
		u=${u%/debian}-security
		case "$u" in */debian-security) ;; *) u=$(main_uri)-security ;; esac
	fi
	echo "$u"
}

proxy() {
	local P=
	eval "$(apt-config shell P Acquire::http::Proxy)"
	case "$P" in DIRECT|false) P= ;; esac
	echo "$P"
}

case "${1:-}" in
main)     main_uri ;;
security) security_uri ;;
proxy)    proxy ;;
keyring)  [ -f "$KEYRING" ] || die "no $KEYRING (package debian-archive-keyring)"
	  echo "$KEYRING" ;;
*) sed -n '2,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
