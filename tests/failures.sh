#!/bin/bash
# failures.sh LOG [MAX]: the failed checks of a scenario's log, each with
# the indented lines under it (command, exit status, output), at most MAX
# of them per check (20 unless told). A run's closing lines show them, so
# that a failure in CI tells its cause without the console log.
set -u
awk -v max="${2:-20}" '
{ sub(/\r$/, "") }
/^not ok - / { print; n = 0; inside = 1; next }
inside && /^    / { if (n++ < max) print; next }
{ inside = 0 }' "$1"
