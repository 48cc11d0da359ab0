#!/bin/bash
# make demo: boots a throw-away VM on Debian's 6.12 kernel and runs the
# demo scenario in it. Nothing on this machine is changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec tests/vm/run.sh --kernel "${DEMO_KERNEL:-6.12}" --timeout 900 demo
