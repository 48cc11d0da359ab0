#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs ui_test.py: an X server of its own (Xvfb), a session bus for AT-SPI,
# a private "system" bus for the stand-in preampd, and the app. Logs and
# screenshots go to OUTDIR, which must be new or empty: each run has its
# own (made with mktemp when not given). Prints its path at the end.
#
# usage: tests/preamp-gtk/ui-test.sh path/to/preamp-gtk [OUTDIR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app=$(realpath "$1")
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/preamp-gtk-ui.XXXXXX")}
mkdir -p "$out" && out=$(cd "$out" && pwd)
if [ -n "$(ls -A "$out")" ]; then
	echo "ui: 0 passed, 1 failed ($out is not empty: each run needs a directory of its own)"
	exit 1
fi
for need in Xvfb xprop dbus-run-session dbus-daemon import; do
	command -v "$need" >/dev/null ||
		{ echo "ui: 0 passed, 1 failed ($need is missing: make deps)"; exit 1; }
done
/usr/bin/python3 -c 'import pyatspi, dbus' 2>/dev/null ||
	{ echo "ui: 0 passed, 1 failed (python3-pyatspi and python3-dbus are missing: make deps)"; exit 1; }

# what this script starts, and stops on the way out
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -f "$out/bus"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a generous deadline: under load the servers are slow to come up, not absent
ready() {
	local end=$((SECONDS + ${UI_WAIT:-60}))
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# Xvfb picks a free display itself and writes its number when it is ready.
# -noreset: by default it resets when its last client leaves (xprop below,
# then each helper that comes and goes), and a client that connects during
# the reset is turned away ("cannot open display").
Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp -noreset 3>"$out/display" \
	>"$out/xvfb.log" 2>&1 &
pids+=($!)
if ! ready grep -qs '[0-9]' "$out/display"; then
	echo "ui: 0 passed, 1 failed (Xvfb did not start: $(tail -3 "$out/xvfb.log"))"
	exit 1
fi
export DISPLAY=":$(tr -dc 0-9 <"$out/display")"
if ! xprop -root >/dev/null 2>>"$out/xvfb.log"; then
	echo "ui: 0 passed, 1 failed (Xvfb on $DISPLAY does not answer: $(tail -3 "$out/xvfb.log"))"
	exit 1
fi

dbus-daemon --session --address="unix:path=$out/bus" --nofork >"$out/bus.log" 2>&1 &
pids+=($!)
if ! ready test -S "$out/bus"; then
	echo "ui: 0 passed, 1 failed (the private bus did not start: $(tail -3 "$out/bus.log"))"
	exit 1
fi

# the app's settings and names stay in OUTDIR, never in the user's home
export LC_ALL=C.UTF-8 NO_AT_BRIDGE=0 GTK_A11Y=atspi GDK_BACKEND=x11 GSETTINGS_BACKEND=memory
export XDG_CONFIG_HOME=$out/config XDG_CACHE_HOME=$out/cache XDG_STATE_HOME=$out/state
dbus-run-session -- /usr/bin/python3 "$here/ui_test.py" "$app" "$out" \
	2>"$out/stderr.log"
rc=$?
grep -v -e 'fd limit' -e 'ctivat' -e 'SpiRegistry' -e 'dbind-WARNING' \
	-e 'atspi/cache' -e '^$' "$out/stderr.log" >&2
echo "ui: logs and screenshots in $out"
exit "$rc"
