# Library of the VM scenarios, sourced by each of them (`. /tests/lib.sh`).
# Scenarios run under bash inside the test VM (see ../init).
#
# Results: every check prints `ok - DESC` or `not ok - DESC` followed by
# indented details; the host counts these lines. A scenario ends with
# `finish`. Scenarios should use `set -u` but not `set -e`: check and
# check_eq return non-zero on failure so that a scenario can skip what
# depends on them (`check "plugged" emu_plug quad || finish`).
#
# Emulated devices (preamp-emu over USB/IP, see tests/emulator/README.md):
#   emu_start NAME MODEL [ARGS]   start one (MODEL: a file, or a name in
#                                 /usr/share/preamp-emu/models)
#   emu NAME WORDS...             a command on its control socket
#   emu_plug NAME / emu_unplug NAME
#   emu_usb NAME                  its sysfs USB device directory
#   emu_devnode NAME              its /dev/bus/usb/BBB/DDD
#   emu_card NAME [DRIVER]        the number of the ALSA card of DRIVER
#                                 (default USB-Audio) on it
#   emu_stop NAME

VM_PASS=0
VM_FAIL=0
VM_SCENARIO=${VM_SCENARIO:-${0##*/}}
VM_SCENARIO=${VM_SCENARIO%.sh}

# ---------------------------------------------------------------- results

ok() {
	VM_PASS=$((VM_PASS + 1))
	printf 'ok - %s\n' "$*"
}

# fail DESC [DETAIL...]: each DETAIL may have several lines.
fail() {
	local desc=$1 text
	shift
	VM_FAIL=$((VM_FAIL + 1))
	text="not ok - $desc"
	if [ $# -gt 0 ]; then
		text="$text
$(printf '%s\n' "$@" | sed 's/^/    /')"
	fi
	# One write, so that kernel messages do not split the report.
	printf '%s\n' "$text"
	return 1
}

# check DESC CMD [ARGS...]: ok when CMD exits 0, else fail with its output.
check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
		return 0
	fi
	if [ -n "$out" ]; then
		out="output:
$(printf '%s\n' "$out" | tail -n 40)"
	else
		out="output: (none)"
	fi
	fail "$desc" "command: $*" "exit status: $rc" "$out"
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
		return 0
	fi
	fail "$1" "expected: $2" "actual:   $3"
}

# The time since boot in hundredths of a second.
_uptime_cs() {
	local up rest
	read -r up rest </proc/uptime
	echo "${up%.*}${up#*.}"
}

# wait_until TIMEOUT_S CMD [ARGS...]: run CMD (output discarded) every
# 0.1 s until it succeeds (status 0) or TIMEOUT_S seconds (may be
# fractional) times VM_PATIENCE have passed (status 1). A deadline is for
# something that must come, never a speed requirement: the VM is slow,
# and slower still with other VMs beside it on the same cores (VM_JOBS),
# so every deadline gets VM_PATIENCE (default 3) times what it says.
VM_PATIENCE=${VM_PATIENCE:-3}
wait_until() {
	local deadline
	deadline=$(( $(_uptime_cs) + $(awk -v t="$1" -v p="$VM_PATIENCE" 'BEGIN { printf "%d", t * p * 100 }') ))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(_uptime_cs)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# Prints the guest's tally and the end marker, and ends the scenario.
finish() {
	printf 'guest: %d passed, %d failed\n' "$VM_PASS" "$VM_FAIL"
	: >/run/preamp-vm-finished
	printf '==== preamp-vm end of %s (status %d) ====\n' "$VM_SCENARIO" \
		$((VM_FAIL > 0))
	exit $((VM_FAIL > 0))
}

# ---------------------------------------------------------------- modules

module_loaded() {
	[ -d "/sys/module/$(printf '%s' "$1" | tr - _)" ]
}

# load_module NAME [PARAM=VALUE...]: modprobe, so dependencies come along
# (our own modules are in /lib/modules/KVER/extra).
load_module() {
	modprobe "$@"
}

load_modules() {
	modprobe -a "$@"
}

unload_module() {
	modprobe -r "$1"
}

load_usbip() { load_modules usbip-core vhci-hcd; }
load_sound() { load_modules snd snd-pcm snd-usb-audio; }

# kmsg_mark, then kmsg_since: the kernel log lines printed in between.
kmsg_mark() {
	VM_KMSG_MARK=$(dmesg | wc -l)
}

kmsg_since() {
	dmesg | tail -n +$((${VM_KMSG_MARK:-0} + 1))
}

# -------------------------------------------------------------- emulator

EMU_MODELS=/usr/share/preamp-emu/models
# Each emulator gets a TCP port of its own from here on; usbipd's own
# 3240 stays free for scenarios that use it.
EMU_PORT_BASE=3300

_emu_get() {
	local f=/run/emu-$1.$2
	[ -f "$f" ] || { echo "emulator $1 is not running" >&2; return 1; }
	cat "$f"
}

emu_start() {
	local name=$1 model=$2 port n busid=1-1 prev='' arg pid sock log
	shift 2
	sock=/run/emu-$name.sock
	log=/tmp/emu-$name.log
	if [ -f "/run/emu-$name.pid" ]; then
		echo "emu_start: emulator $name is already running" >&2
		return 1
	fi
	case "$model" in
	*/*) ;;
	*) model=$EMU_MODELS/${model%.ini}.ini ;;
	esac
	for arg in "$@"; do
		[ "$prev" = --busid ] && busid=$arg
		prev=$arg
	done
	n=$(cat /run/emu-next 2>/dev/null || echo 0)
	echo $((n + 1)) >/run/emu-next
	port=$((EMU_PORT_BASE + n))
	rm -f "$sock"
	preamp-emu --model "$model" --port "$port" --ctl "$sock" "$@" \
		>"$log" 2>&1 &
	pid=$!
	echo "$pid" >"/run/emu-$name.pid"
	echo "$port" >"/run/emu-$name.port"
	echo "$busid" >"/run/emu-$name.busid"
	if ! wait_until 20 _emu_up "$pid" "$sock"; then
		echo "emu_start: $name (preamp-emu --model $model --port $port) did not come up; its log:" >&2
		sed 's/^/  /' "$log" >&2
		kill "$pid" 2>/dev/null
		rm -f "/run/emu-$name".*
		return 1
	fi
}

_emu_up() {
	kill -0 "$1" 2>/dev/null && [ -S "$2" ]
}

emu() {
	local name=$1
	shift
	preamp-emu-ctl "/run/emu-$name.sock" "$@"
}

# The vhci port and local bus id ("0-0" until enumerated) of an attached
# emulator, from `usbip port`.
_emu_vhci() {
	local port busid
	port=$(_emu_get "$1" port) || return 1
	busid=$(_emu_get "$1" busid) || return 1
	usbip port 2>/dev/null | awk -v url="usbip://127.0.0.1:$port/$busid" '
		/^Port [0-9]+:/ { p = $2; sub(":", "", p); p += 0 }
		$2 == "->" && $3 == url { print p, $1; found = 1; exit }
		END { exit !found }'
}

_emu_configured() {
	local v vport dev
	v=$(_emu_vhci "$1") || return 1
	read -r vport dev <<<"$v"
	[ "$dev" != 0-0 ] &&
		[ -n "$(cat "/sys/bus/usb/devices/$dev/bConfigurationValue" 2>/dev/null)" ]
}

# emu_plug NAME: attach over USB/IP and wait until the host has enumerated
# and configured the device (its drivers may still be binding).
emu_plug() {
	local name=$1 port busid out
	port=$(_emu_get "$name" port) || return 1
	busid=$(_emu_get "$name" busid) || return 1
	if ! out=$(usbip --tcp-port "$port" attach -r 127.0.0.1 -b "$busid" 2>&1); then
		echo "emu_plug: usbip attach of $name failed: $out" >&2
		return 1
	fi
	if ! wait_until 30 _emu_configured "$name"; then
		echo "emu_plug: $name was attached but not configured within 30 s" >&2
		usbip port >&2 2>&1
		return 1
	fi
}

# emu_unplug NAME: host-side detach; waits until the USB device is gone.
emu_unplug() {
	local name=$1 v vport dev out
	v=$(_emu_vhci "$name") || { echo "emu_unplug: $name is not attached" >&2; return 1; }
	read -r vport dev <<<"$v"
	if ! out=$(usbip detach -p "$vport" 2>&1); then
		echo "emu_unplug: usbip detach -p $vport failed: $out" >&2
		return 1
	fi
	if ! wait_until 30 _emu_gone "$name" "/sys/bus/usb/devices/$dev"; then
		echo "emu_unplug: $name still present 30 s after detach" >&2
		return 1
	fi
}

_emu_gone() {
	! _emu_vhci "$1" >/dev/null && [ ! -e "$2" ]
}

emu_usb() {
	local v vport dev
	v=$(_emu_vhci "$1") || { echo "emu_usb: $1 is not attached" >&2; return 1; }
	read -r vport dev <<<"$v"
	if [ "$dev" = 0-0 ] || [ ! -d "/sys/bus/usb/devices/$dev" ]; then
		echo "emu_usb: $1 has no USB device yet (vhci port $vport)" >&2
		return 1
	fi
	echo "/sys/bus/usb/devices/$dev"
}

emu_devnode() {
	local dir
	dir=$(emu_usb "$1") || return 1
	printf '/dev/bus/usb/%03d/%03d\n' "$(cat "$dir/busnum")" "$(cat "$dir/devnum")"
}

# emu_card NAME [DRIVER]: the ALSA card whose device is (an interface of)
# the emulator's USB device and whose driver name (/proc/asound/cards) is
# DRIVER. Status 1 when there is none yet.
emu_card() {
	local usb drv=${2:-USB-Audio} c n dev d
	usb=$(emu_usb "$1") || return 1
	usb=$(readlink -f "$usb")
	for c in /sys/class/sound/card*; do
		[ -e "$c/device" ] || continue
		n=${c##*/card}
		dev=$(readlink -f "$c/device")
		case "$dev/" in
		"$usb"/*) ;;
		*) continue ;;
		esac
		d=$(sed -n "s/^ *$n \[[^]]*\]: \([^ ]*\) - .*/\1/p" /proc/asound/cards)
		if [ "$d" = "$drv" ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# The card of the preamp controls on emulator $1 (ours, or snd-usb-audio's).
pd_card_of() {
	local c
	for c in $(emu_card "$1" USB-Preamp) $(emu_card "$1" USB-Audio); do
		amixer -c "$c" controls 2>/dev/null |
			grep -q "Line In 1 Gain Capture Volume" && { echo "$c"; return 0; }
	done
	return 1
}

# pd_guard_lifted CARD: the driver's 48 V plug-in guard is over (no
# phantom control inactive any more)
pd_guard_lifted() {
	local c
	c=$(amixer -c "$1" contents) || return 1
	printf '%s\n' "$c" | grep -q "Phantom Power" || return 1
	! printf '%s\n' "$c" | grep -A1 "Phantom Power" | grep -q 'access=..i'
}

emu_stop() {
	local name=$1 pid
	pid=$(_emu_get "$name" pid) || return 1
	if _emu_vhci "$name" >/dev/null; then
		emu_unplug "$name" || true
	fi
	kill "$pid" 2>/dev/null
	wait_until 10 _emu_dead "$pid" || kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "/run/emu-$name".*
	return 0
}

_emu_dead() {
	! kill -0 "$1" 2>/dev/null
}
