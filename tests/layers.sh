#!/bin/bash
# tests/layers.sh [--check DIR]: preampd's layers point one way.
#
#   core/  pure: neither alsa-lib, nor sd-bus, sd-event, sd-device or
#          libudev; no header of hw/, bus/ or the top level
#   hw/    alsa-lib, udev, files: never sd-bus; no header of bus/
#   bus/   one file per D-Bus object type: never alsa-lib
#
# Each file's includes are followed through the project's own headers
# (quoted includes found in the layers, the top level, daemon/common), so
# a header of another layer that brings in sd-bus.h counts as including
# it. The top level (manager.c wiring the layers, main.c, and what is not
# yet split into them) is not checked.
#
# Without arguments: the real tree must pass, and copies of it each made
# wrong in one way must fail, so that the check is known to be able to.
set -u

SELF=$(readlink -f "$0")
ROOT=$(cd "$(dirname "$SELF")/.." && pwd)

# The headers FILE includes, directly or through project headers: one line
# each, "<system.h>" or "LAYER:path" for a project header (LAYER one of
# core, hw, bus, top, common).
closure() {
	local dir=$1 file=$2
	local -A seen=()
	local queue=("$file") f inc d found
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		while read -r inc; do
			case $inc in
			'<'*)
				echo "$inc"
				;;
			'"'*)
				inc=${inc//\"/}
				found=
				for d in "$(dirname "$f")" "$dir/core" "$dir/hw" "$dir/bus" \
					"$dir" "$dir/../common"; do
					if [ -f "$d/$inc" ]; then
						found=$(readlink -f "$d/$inc")
						break
					fi
				done
				# generated headers (preampd-paths.h) hold only paths
				[ -n "$found" ] || continue
				echo "$(layer_of "$dir" "$found"):$found"
				if [ -z "${seen[$found]:-}" ]; then
					seen[$found]=1
					queue+=("$found")
				fi
				;;
			esac
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$f")
	done
}

layer_of() {
	local dir rel
	dir=$(readlink -f "$1")
	case $2 in
	"$dir"/core/*) echo core ;;
	"$dir"/hw/*) echo hw ;;
	"$dir"/bus/*) echo bus ;;
	"$dir"/*/*) echo other ;;
	"$dir"/*) echo top ;;
	*) rel=$(readlink -f "$dir/../common"); case $2 in "$rel"/*) echo common ;; *) echo other ;; esac ;;
	esac
}

SD_BUS='^<(systemd/)?sd-bus(-vtable|-protocol)?\.h>$'
ALSA='^<(alsa/.*|asoundlib\.h)>$'
SYSTEMD='^<(systemd/)?sd-[a-z-]*\.h>$|^<libudev\.h>$'

# check DIR: 0 when DIR's layers hold; each breach printed.
check() {
	local dir=$1 layer file bad=0 inc
	for layer in core hw bus; do
		for file in "$dir/$layer"/*.[ch]; do
			[ -f "$file" ] || continue
			while read -r inc; do
				case $layer:$inc in
				core:top:* | core:hw:* | core:bus:* | core:other:* | hw:bus:* | hw:top:*)
					echo "layers: $file includes ${inc#*:} (${inc%%:*}), outside what $layer/ may use"
					bad=1
					;;
				esac
				if [[ $layer != bus && $inc =~ $SD_BUS ]] ||
					[[ $layer != hw && $inc =~ $ALSA ]] ||
					[[ $layer == core && $inc =~ $SYSTEMD ]]; then
					echo "layers: $file includes $inc, which $layer/ must not"
					bad=1
				fi
			done < <(closure "$dir" "$file" | sort -u)
		done
	done
	return $bad
}

if [ "${1:-}" = --check ]; then
	check "$2"
	exit
fi

fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
real=$ROOT/daemon/preampd
if check "$real"; then
	echo "ok - preampd's layers point one way ($real)"
else
	echo "not ok - preampd's layers point one way ($real)"
	fails=1
fi

# broken NAME FILE LINE: a copy with LINE added at the top of FILE fails.
broken() {
	local name=$1 file=$2 line=$3 copy out
	n=$((n + 1))
	copy=$tmp/$n/daemon/preampd
	mkdir -p "$copy"
	cp -r "$real/." "$copy/"
	cp -r "$ROOT/daemon/common" "$tmp/$n/daemon/common"
	mkdir -p "$(dirname "$copy/$file")"
	{ echo "$line"; cat "$copy/$file" 2>/dev/null; } >"$copy/$file.new"
	mv "$copy/$file.new" "$copy/$file"
	if out=$(check "$copy"); then
		echo "not ok - the check finds $name"
		fails=1
	else
		echo "ok - the check finds $name: ${out%%$'\n'*}"
	fi
}

n=0
hw=$(cd "$real/hw" && ls ./*.c | head -1)
bus=$(cd "$real/bus" && ls ./*.c | head -1)
core=$(cd "$real/core" && ls ./*.c | head -1)
broken "sd-bus.h in hw/" "hw/$hw" '#include <systemd/sd-bus.h>'
broken "sd-bus.h in hw/ through a header" "hw/$hw" '#include "preampd.h"'
broken "asoundlib.h in bus/" "bus/$bus" '#include <alsa/asoundlib.h>'
broken "asoundlib.h in core/" "core/$core" '#include <alsa/asoundlib.h>'
broken "sd-bus.h in core/" "core/$core" '#include <systemd/sd-bus.h>'
broken "libudev.h in core/" "core/$core" '#include <libudev.h>'
exit $fails
