#!/bin/bash
# SPDX-License-Identifier: MIT
# `make check-preamp-gtk`: the desktop files validate, the API's XML matches
# what the real preampd introspects, and the app passes its UI test. Ends
# with "desktop: N passed, N failed".
#
# usage: tests/preamp-gtk/check.sh BUILD-DIR
set -uo pipefail
B=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
data=$top/daemon/preamp-gtk/data
ifaces=$top/daemon/interfaces
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }

# ---- desktop integration ----
if out=$(desktop-file-validate "$data/org.preampd.Preamp.desktop" 2>&1); then
	ok "desktop-file-validate org.preampd.Preamp.desktop"
else
	bad "desktop-file-validate org.preampd.Preamp.desktop" "$out"
fi
if out=$(appstreamcli validate --no-net --pedantic "$data/org.preampd.Preamp.metainfo.xml" 2>&1); then
	ok "appstreamcli validate --no-net org.preampd.Preamp.metainfo.xml"
else
	bad "appstreamcli validate org.preampd.Preamp.metainfo.xml" "$out"
fi
# with the web addresses a publisher gives at install time (example.org:
# nothing is fetched)
mkdir -p "$B/preamp-gtk"
web=$B/preamp-gtk/web.metainfo.xml
if out=$("$data/metainfo-web.sh" "$data/org.preampd.Preamp.metainfo.xml" \
		https://example.org/preamp https://example.org/preamp/screenshots/ 2>&1 >"$web") &&
	[ "$(grep -c '<image>' "$web")" -eq 4 ] &&
	out=$(appstreamcli validate --no-net --pedantic "$web" 2>&1); then
	ok "appstreamcli validate: the metainfo with a homepage and screenshots given at install"
else
	bad "appstreamcli validate: the metainfo with a homepage and screenshots given at install" "$out"
fi
for png in main autogain clip refused; do
	[ -s "$top/docs/screenshots/$png.png" ] && ok "docs/screenshots/$png.png is there" ||
		bad "docs/screenshots/$png.png is there"
done
for svg in "$data"/*.svg "$ifaces"/*.xml; do
	if out=$(/usr/bin/python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$svg" 2>&1); then
		ok "$(basename "$svg") is well-formed XML"
	else
		bad "$(basename "$svg") is well-formed XML" "$out"
	fi
done

# ---- the API's XML against the real preampd, on a private bus ----
work=$(mktemp -d /tmp/preamp-introspect.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/state" "$work/run"
printf '[preampd]\nstate_dir = %s\nruntime_dir = %s\nprofile_dir = %s\n' \
	"$work/state" "$work/run" "$top/daemon/profiles" >"$work/preampd.conf"
dbus-daemon --session --address="unix:path=$work/bus" --nofork >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$work/bus" ] && break; sleep 0.1; done
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
"$B/bin/preampd" -c "$work/preampd.conf" >"$work/preampd.log" 2>&1 &
pids+=($!)
"$B/bin/pa-dbus-introspect" org.preampd.Introspect >"$work/vt.log" 2>&1 &
pids+=($!)
owned() { busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" status "$1" >/dev/null 2>&1; }
for _ in $(seq 300); do owned org.preampd.Preamp1 && owned org.preampd.Introspect && break; sleep 0.1; done
intro() { busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" introspect --xml-interface "$1" "$2"; }
if intro org.preampd.Preamp1 /org/preampd/Preamp1 >"$work/root.xml" 2>&1; then
	ok "the real preampd runs on a private bus and introspects its root"
else
	bad "the real preampd introspects its root" "$(cat "$work/root.xml" "$work/preampd.log")"
fi
grep -q 'interface name="org.freedesktop.DBus.ObjectManager"' "$work/root.xml" &&
	ok "its root is an ObjectManager" || bad "its root is an ObjectManager"
intro org.preampd.Introspect /org/preampd/Preamp1/devices/d >"$work/dev.xml" 2>&1
intro org.preampd.Introspect /org/preampd/Preamp1/devices/d/inputs/1 >"$work/in.xml" 2>&1
for pair in Manager:root Device:dev Input:in; do
	name=org.preampd.Preamp1.${pair%%:*}
	if out=$(/usr/bin/python3 "$here/xmlcompare.py" "$ifaces/$name.xml" "$work/${pair##*:}.xml" "$name"); then
		ok "$name.xml is what preampd introspects"
	else
		bad "$name.xml is what preampd introspects" "$out"
	fi
done
# the comparison notices a difference: a type changed in a copy
sed 's/name="Gain" type="d"/name="Gain" type="i"/' "$ifaces/org.preampd.Preamp1.Input.xml" >"$work/wrong.xml"
if /usr/bin/python3 "$here/xmlcompare.py" "$work/wrong.xml" "$work/in.xml" org.preampd.Preamp1.Input >/dev/null; then
	bad "the comparison notices a property of the wrong type"
else
	ok "the comparison notices a property of the wrong type"
fi
cleanup
trap - EXIT
unset DBUS_SYSTEM_BUS_ADDRESS

# ---- the UI, under Xvfb, through AT-SPI ----
# each run in a folder of its own; the last one's logs and screenshots end
# up in $B/preamp-gtk-ui
ui=$(mktemp -d "$B/preamp-gtk-ui.XXXXXX")
"$here/ui-test.sh" "$B/bin/preamp-gtk" "$ui/out" >"$ui/ui.log" 2>&1
rm -rf "$B/preamp-gtk-ui" && mv "$ui/out" "$B/preamp-gtk-ui" &&
	mv "$ui/ui.log" "$B/preamp-gtk-ui/ui.log" && rmdir "$ui"
log=$B/preamp-gtk-ui/ui.log
[ -f "$log" ] || log=$ui/ui.log
grep -E '^(ok|FAIL|     )' "$log"
line=$(grep -Eo 'ui: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
if [ -z "$line" ]; then
	bad "the UI test ran to its end" "$(tail -20 "$log")"
else
	p=$(sed 's/ui: \([0-9]*\) passed.*/\1/' <<<"$line")
	f=$(sed 's/.*passed, \([0-9]*\) failed/\1/' <<<"$line")
	passed=$((passed + p)) failed=$((failed + f))
fi
echo "desktop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
