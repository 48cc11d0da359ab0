#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs ui_test.py: an X server (Xvfb), a session bus for AT-SPI, a private
# "system" bus for the stand-in preampd, the app; screenshots go to OUTDIR.
#
# usage: tests/preamp-gtk/ui-test.sh path/to/preamp-gtk OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app=$(realpath "$1")
out=$(mkdir -p "$2" && cd "$2" && pwd)
rm -f "$out"/*.png "$out"/*.log "$out/bus"
for need in xvfb-run dbus-run-session dbus-daemon import; do
	command -v "$need" >/dev/null || { echo "ui: 0 passed, 1 failed ($need is missing: make deps)"; exit 1; }
done
/usr/bin/python3 -c 'import pyatspi, dbus' 2>/dev/null ||
	{ echo "ui: 0 passed, 1 failed (python3-pyatspi and python3-dbus are missing: make deps)"; exit 1; }

dbus-daemon --session --address="unix:path=$out/bus" --nofork >/dev/null 2>&1 &
bus=$!
trap 'kill $bus 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do [ -S "$out/bus" ] && break; sleep 0.1; done

export LC_ALL=C.UTF-8 NO_AT_BRIDGE=0 GTK_A11Y=atspi
xvfb-run -a -s "-screen 0 1400x1000x24" \
	dbus-run-session -- /usr/bin/python3 "$here/ui_test.py" "$app" "$out" 2> >(grep -v -e 'fd limit' -e 'Activat' -e 'SpiRegistry' >&2)
