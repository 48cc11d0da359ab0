# Library of the preampd scenarios (daemon-*.sh), sourced after lib.sh.
#
# The guest gets what a Debian system has for this: a system dbus-daemon
# with preampd's policy, systemd-udevd with Debian's sound rules
# (alsa-utils' restore rule included) and ours, the users preampd and
# messagebus, and two test users: alice (not in audio) and bob (in
# audio). preampd runs as its own user with the installed profiles.
#
#   pd_setup                 users, dbus-daemon, udevd, the driver
#   pd_start [ARGS]          preampd (as user preampd) in the background;
#                            PD_BIN=preampd-asan for the sanitized build
#   pd_stop [SIGNAL]         stop it (default TERM) and wait
#   pd_call PATH IFACE METHOD SIG ARGS...   busctl call as root
#   pd_call_as USER ...      the same as another user
#   pd_get PATH IFACE PROP   a property, busctl's "TYPE VALUE" form
#   pd_dev_path / pd_in_path N   the object paths of the only device
#   pd_amixer_get NAME       raw value(s) of a control of $PD_CARD

PD_BUS=org.preampd.Preamp1
PD_ROOT=/org/preampd/Preamp1
PD_LOG=/tmp/preampd.log
PD_STATE=/var/lib/preampd
PD_RUN=/run/preampd
PD_CONF=/etc/preampd/preampd.conf
PD_BIN=${PD_BIN:-preampd}
PD_POLKIT_ACTIVATION=/usr/share/dbus-1/system-services/org.freedesktop.PolicyKit1.service

_pd_users() {
	grep -q '^preampd:' /etc/passwd && return 0
	cat >>/etc/passwd <<-'EOF'
	messagebus:x:100:101::/nonexistent:/usr/sbin/nologin
	preampd:x:101:102::/var/lib/preampd:/usr/sbin/nologin
	alice:x:1000:1000::/tmp:/bin/bash
	bob:x:1001:1001::/tmp:/bin/bash
	EOF
	# audio (29) is in the base image's /etc/group without members
	sed -i 's/^audio:x:29:.*/audio:x:29:preampd,bob/' /etc/group
	cat >>/etc/group <<-'EOF'
	messagebus:x:101:
	preampd:x:102:
	alice:x:1000:
	bob:x:1001:
	EOF
}

# where `make install-daemon PREFIX=/usr` (make vm-root-daemon) puts them
PD_POLICY=/usr/share/dbus-1/system.d/org.preampd.Preamp1.conf
PD_PROFILES=/usr/share/preampd/profiles

_pd_dbus() {
	if [ ! -f "$PD_POLICY" ] || [ ! -d "$PD_PROFILES" ]; then
		echo "preampd's files are not installed in the VM ($PD_POLICY, $PD_PROFILES): run make vm-root-daemon"
		return 1
	fi
	mkdir -p /run/dbus /var/lib/dbus /etc/dbus-1/system.d
	# the polkit stand-in of daemon-polkit.sh may own polkit's name
	cat >/etc/dbus-1/system.d/pa-polkit-stub.conf <<-'EOF'
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <policy user="root"><allow own="org.freedesktop.PolicyKit1"/></policy>
	  <policy context="default">
	    <allow send_destination="org.freedesktop.PolicyKit1"/>
	  </policy>
	</busconfig>
	EOF
	# no polkitd here: its activation file (from the build machine) would
	# make every CheckAuthorization fail to spawn it, not find no owner
	if [ -f "$PD_POLKIT_ACTIVATION" ]; then
		mv "$PD_POLKIT_ACTIVATION" /tmp/polkit-activation.service
	fi
	[ -s /etc/machine-id ] || echo 0123456789abcdef0123456789abcdef >/etc/machine-id
	cp /etc/machine-id /var/lib/dbus/machine-id
	dbus-daemon --system --fork --nopidfile >/tmp/dbus.log 2>&1 &&
		wait_until 10 test -S /run/dbus/system_bus_socket
}

_pd_udev() {
	/usr/lib/systemd/systemd-udevd --daemon >/tmp/udevd.log 2>&1 || return 1
	udevadm trigger --action=add >/dev/null 2>&1
	udevadm settle --timeout=30
}

pd_setup() {
	_pd_users
	mkdir -p "$PD_STATE" "$PD_RUN" /etc/preampd /var/lib/alsa /run/alsa /var/lock
	chown preampd:preampd "$PD_STATE" "$PD_RUN"
	check "the system bus starts with preampd's policy" _pd_dbus || finish
	check "systemd-udevd starts" _pd_udev || finish
	check "snd-usb-preamp loads" load_module snd-usb-preamp || finish
	# ours, not the installed sample: explicit directories
	pd_config
}

# The daemon's configuration for the scenarios (the installed profiles).
pd_config() {
	cat >"$PD_CONF" <<-EOF
	[preampd]
	state_dir = $PD_STATE
	runtime_dir = $PD_RUN
	profile_dir = $PD_PROFILES
	$*
	EOF
}

_pd_owned() {
	busctl --system get-property "$PD_BUS" "$PD_ROOT" "$PD_BUS.Manager" \
		Version >/dev/null 2>&1
}

# the environment preampd's unit gives it (its Environment= lines)
_pd_unit_env() {
	sed -n 's/^Environment=//p' /usr/lib/systemd/system/preampd.service 2>/dev/null
}

pd_start() {
	: >"$PD_LOG.new"
	chown preampd "$PD_LOG.new"
	cat "$PD_LOG.new" >>"$PD_LOG" 2>/dev/null
	# (a subshell that execs: $! is the daemon's pid)
	(
		while IFS= read -r kv; do export "${kv?}"; done < <(_pd_unit_env)
		ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:exitcode=66} \
		exec setpriv --reuid=preampd --regid=preampd --init-groups \
			"$PD_BIN" -c "$PD_CONF" -d "$@" >>"$PD_LOG" 2>&1
	) &
	echo $! >/run/preampd.pid
	wait_until 30 _pd_owned
}

pd_running() {
	[ -f /run/preampd.pid ] && ! _pd_gone "$(cat /run/preampd.pid)"
}

# _pd_gone PID: exited (the guest's init reaps nothing while a scenario
# runs, so an exited daemon stays a zombie)
_pd_gone() {
	[ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

# pd_stop [SIGNAL]: the daemon was started from a subshell, so it is
# not this shell's child: wait for it to be gone.
pd_stop() {
	local pid
	pid=$(cat /run/preampd.pid 2>/dev/null) || return 0
	kill -"${1:-TERM}" "$pid" 2>/dev/null
	wait_until 20 _pd_gone "$pid" || return 1
	rm -f /run/preampd.pid
	wait_until 10 _pd_name_gone
}

_pd_name_gone() {
	! _pd_name_owned
}

# has_owner NAME: the name has an owner on the system bus (not just an
# activation file)
has_owner() {
	[ "$(busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus NameHasOwner s "$1" 2>/dev/null)" = "b true" ]
}

_pd_name_owned() {
	has_owner "$PD_BUS"
}

# "--": a negative number is an argument, not an option
pd_call() {
	busctl --system -- call "$PD_BUS" "$@"
}

pd_call_as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$user" --init-groups \
		busctl --system -- call "$PD_BUS" "$@"
}

pd_get() {
	busctl --system get-property "$PD_BUS" "$@"
}

pd_devices() {
	pd_get "$PD_ROOT" "$PD_BUS.Manager" Devices
}

# pd_ndevices: how many devices the Manager lists
pd_ndevices() {
	pd_devices | awk '{ print $2 }'
}

pd_dev_path() {
	pd_devices | awk '{ gsub(/"/, ""); print $3 }'
}

pd_in_path() {
	echo "$(pd_dev_path)/inputs/$1"
}

pd_in_get() {
	pd_get "$(pd_in_path "$1")" "$PD_BUS.Input" "$2" | cut -d' ' -f2-
}

pd_dev_get() {
	pd_get "$(pd_dev_path)" "$PD_BUS.Device" "$1" | cut -d' ' -f2-
}

# the one state file
pd_state_file() {
	ls "$PD_STATE"/*.state 2>/dev/null | head -n 1
}

pd_amixer_get() {
	amixer -c "$PD_CARD" cget name="$1" | sed -n 's/^  : values=//p'
}

pd_amixer_set() {
	amixer -q -c "$PD_CARD" cset name="$1" "$2"
}

# Prints the daemon's log (for a failure's details).
pd_log() {
	tail -n "${1:-40}" "$PD_LOG"
}

# ASan/UBSan reports in the daemon's log fail the scenario.
pd_check_sanitizers() {
	if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$PD_LOG"; then
		fail "the daemon ran clean under the sanitizers" "$(grep -A20 'Sanitizer\|runtime error' "$PD_LOG" | head -n 40)"
	else
		ok "the daemon ran clean under the sanitizers"
	fi
}
