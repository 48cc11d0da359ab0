# Library of the scenarios of the interfaces people own (real-*.sh):
# emulated Focusrite, RME and class-compliant interfaces (personalities of
# preamp-emu) driven by Linux's own drivers. Sourced after daemon-lib.sh.
#
#   real_start NAME FILE [ARGS]   the emulator of interfaces/FILE.ini
#   real_plug NAME N              plug in; wait until preampd has N devices
#                                 (then PD_CARD=$(emu_card NAME): check runs
#                                 it in a subshell)
#   real_unplug NAME N            unplug; wait until preampd has N devices
#   real_mark NAME / real_since NAME   the emulator's log from a mark on
#   real_48v_ons NAME             of those lines, the 48 V switch-ons
#   near A B [TOL]                two numbers within TOL (default 0.01)
#   section TEXT                  a heading line with the guest's uptime
#   dget N PROP / dcall N METHOD SIG ARGS...   an input of the first device

EMU_INTERFACES=$EMU_MODELS/interfaces

real_start() {
	local name=$1 file=$2
	shift 2
	emu_start "$name" "$EMU_INTERFACES/$file.ini" "$@"
}

_real_ndev() { [ "$(pd_ndevices)" = "$1" ]; }

real_plug() {
	emu_plug "$1" || return 1
	wait_until 60 _real_ndev "$2" || return 1
	wait_until 10 emu_card "$1" >/dev/null
}

real_unplug() {
	emu_unplug "$1" && wait_until 30 _real_ndev "$2"
}

real_mark() {
	wc -l <"/tmp/emu-$1.log" >"/run/real-mark-$1"
}

real_since() {
	tail -n +"$(($(cat "/run/real-mark-$1" 2>/dev/null || echo 0) + 1))" \
		"/tmp/emu-$1.log"
}

real_48v_ons() {
	real_since "$1" | grep '48V input .* on by' || true
}

near() {
	awk -v a="$1" -v b="$2" -v t="${3:-0.01}" \
		'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

# the first device's input N
dget() { pd_in_get "$1" "$2"; }
dcall() {
	local n=$1 m=$2
	shift 2
	pd_call "$(pd_in_path "$n")" "$PD_BUS.Input" "$m" "$@"
}
dev_call() {
	local m=$1
	shift
	pd_call "$(pd_dev_path)" "$PD_BUS.Device" "$m" "$@"
}

# the error's name of a failing call (busctl prints only its message)
call_error() {
	"$@" 2>&1 >/dev/null | head -n 1
}

section() {
	printf '# --- %s (t = %s s)\n' "$1" "$(cut -d' ' -f1 /proc/uptime)"
}
