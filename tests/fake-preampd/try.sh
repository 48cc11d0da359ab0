#!/bin/bash
# SPDX-License-Identifier: MIT
# Try preamp-gtk and preampctl without hardware: a private D-Bus bus, the
# simulation of preampd on it (fake-preampd.py --simulate: two identical
# "Quad Mic Pre" interfaces told apart by their serials, and a
# Scarlett-like one), and the app. Nothing touches the real system bus.
#
# usage: tests/fake-preampd/try.sh [path/to/preamp-gtk | --no-app]
#   (`make try` builds the app first). With --no-app it only runs the
#   simulation, until Ctrl-C, for preampctl.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
app=${1:-build/bin/preamp-gtk}
PY=/usr/bin/python3	# the Debian one, with python3-dbus and python3-gi

"$PY" -c 'import dbus, gi' 2>/dev/null ||
	{ echo "the simulation needs python3-dbus and python3-gi (make deps)" >&2; exit 2; }
if [ "$app" != --no-app ]; then
	[ -x "$app" ] || { echo "no app at $app: run make first" >&2; exit 2; }
	[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] ||
		{ echo "no display: run this from a desktop session (or use --no-app)" >&2; exit 2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/preamp-try.XXXXXX")
bus_pid="" sim_pid=""
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dbus-daemon --session --address="unix:path=$work/bus" --nofork --print-pid=3 3>"$work/bus.pid" \
	>/dev/null 2>&1 &
bus_pid=$!
for _ in $(seq 100); do [ -S "$work/bus" ] && break; sleep 0.1; done
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
"$PY" "$here/fake-preampd.py" --simulate quad:PAMP0001 quad:PAMP0002 scarlett \
	>"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do grep -q ready "$work/sim.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/sim.log" || { cat "$work/sim.log" >&2; exit 1; }

cat <<MSG
The simulation of preampd runs on a private bus. In another terminal:

  export DBUS_SYSTEM_BUS_ADDRESS=$DBUS_SYSTEM_BUS_ADDRESS
  build/bin/preampctl
  busctl --address=\$DBUS_SYSTEM_BUS_ADDRESS tree org.preampd.Preamp1

Plug and unplug with:
  busctl --address=\$DBUS_SYSTEM_BUS_ADDRESS call org.preampd.Preamp1 \\
    /org/preampd/Preamp1 org.preampd.Fake RemoveDevice s 1d6b-0104-PAMP0002
  busctl --address=\$DBUS_SYSTEM_BUS_ADDRESS call org.preampd.Preamp1 \\
    /org/preampd/Preamp1 org.preampd.Fake AddDevice ss quad PAMP0002
MSG

if [ "$app" = --no-app ]; then
	echo "Ctrl-C ends it."
	wait "$sim_pid"
else
	echo "Close the window to end it."
	"$app"
fi
