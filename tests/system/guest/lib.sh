# Library of the full-system scenarios, sourced by each of them
# (`. /usr/local/lib/preamp-system/lib.sh`). Scenarios run as root under bash
# from preamp-system-test.service, after multi-user.target, on a Debian 13
# or Debian 12 system booted with systemd (tests/system/README.md).
#
# It is the VM test bed's library (tests/vm/guest/lib.sh: ok, fail, check,
# check_eq, wait_until, kmsg_mark/kmsg_since, load_module, the emu_*
# helpers for preamp-emu over USB/IP) with these differences and additions:
#
#   note TEXT...               an information line (`# TEXT`), not counted
#   finish                     tally, end marker, journal to the host, power off
#   reboot_and_continue        keeps the tally, reboots the same disk; the
#                              scenario runs again with SYSTEM_BOOT one higher
#   SYSTEM_BOOT                1 at the first boot, 2 after one reboot, ...
#   wait_boot_finished [S]     until `systemctl is-system-running` settles;
#                              prints the state (running, degraded, ...)
#   unit_state UNIT            ActiveState (active, inactive, failed, ...)
#   unit_journal UNIT [N]      the unit's last N journal lines of this boot
#   failed_units_report        the failed units with their journal tails
#   check_boots_clean_without_preampd  after a removal: boots to running,
#                              no preampd unit, no preampd in the journal
#   SYSTEM_SUITE               trixie or bookworm
#   SYSTEM_INSTALL             how the project came in: packages (apt
#                              install of the .debs; the scenario runs on the
#                              system the `install` scenario left), tree
#                              (`make install`), none
#   prebuilt_module_install    the driver for the running kernel: DKMS's
#                              build when the package made one, else
#                              snd-usb-preamp.ko of this build into
#                              /lib/modules/$(uname -r)/updates, depmod
#   installed PATH             whether the `make install` tree had PATH
#   layer_finish               finish, leaving nothing of the test bed's
#                              state on the disk (the `install` scenario,
#                              whose disk the later runs start from)
#   autologin_session USER     USER logged in on tty1 (an active local session)
#   session_run USER CMD...    CMD run inside that session, as USER
#
# Emulated devices: preamp-emu and its tools are in
# /usr/local/lib/preamp-system/bin (on PATH), the model files in
# /usr/local/lib/preamp-system/models. Nothing of the test bed lives outside
# /usr/local/lib/preamp-system, /var/lib/preamp-system and the units in
# /etc/systemd/system named preamp-system-*, so that a scenario can check
# what `make install` and `make uninstall` leave.

SYSTEM_DIR=/usr/local/lib/preamp-system
SYSTEM_STATE=/var/lib/preamp-system

# shellcheck source=../../vm/guest/lib.sh
. "$SYSTEM_DIR/vm-lib.sh"

PATH=$SYSTEM_DIR/bin:$PATH
export PATH
EMU_MODELS=$SYSTEM_DIR/models
SYSTEM_BOOT=$(cat "$SYSTEM_STATE/boot" 2>/dev/null || echo 1)
SYSTEM_SUITE=$(cat "$SYSTEM_DIR/suite" 2>/dev/null || echo unknown)
SYSTEM_INSTALL=$(cat "$SYSTEM_DIR/install-mode" 2>/dev/null || echo tree)
VM_SCENARIO=$(cat "$SYSTEM_DIR/scenario" 2>/dev/null || echo "$VM_SCENARIO")

# The tally of the earlier boots of this run.
if [ -f "$SYSTEM_STATE/tally" ]; then
	read -r VM_PASS VM_FAIL <"$SYSTEM_STATE/tally"
fi

note() {
	printf '# %s\n' "$*"
}

# Journal of this boot and the whole kernel log to the host (ttyS2), then
# the end marker.
_system_flush_logs() {
	{
		printf '==== journal of boot %s ====\n' "$SYSTEM_BOOT"
		journalctl -b --no-pager -o short-monotonic 2>&1
	} >/dev/ttyS2 2>/dev/null || true
	sync
}

finish() {
	printf 'guest: %d passed, %d failed\n' "$VM_PASS" "$VM_FAIL"
	: >/run/preamp-system-finished
	_system_flush_logs
	printf '==== preamp-system end of %s (status %d) ====\n' "$VM_SCENARIO" \
		$((VM_FAIL > 0))
	systemctl --no-block poweroff
	exit $((VM_FAIL > 0))
}

# The end of a run whose disk later runs start from: the boot count and
# tally go, so that their first boot is boot 1.
layer_finish() {
	printf 'guest: %d passed, %d failed\n' "$VM_PASS" "$VM_FAIL"
	: >/run/preamp-system-finished
	_system_flush_logs
	rm -rf "$SYSTEM_STATE"
	sync
	printf '==== preamp-system end of %s (status %d) ====\n' "$VM_SCENARIO" \
		$((VM_FAIL > 0))
	systemctl --no-block poweroff
	exit $((VM_FAIL > 0))
}

reboot_and_continue() {
	echo "$VM_PASS $VM_FAIL" >"$SYSTEM_STATE/tally"
	sync
	: >/run/preamp-system-finished
	_system_flush_logs
	printf '==== preamp-system reboot after boot %s of %s ====\n' \
		"$SYSTEM_BOOT" "$VM_SCENARIO"
	systemctl --no-block reboot
	exit 0
}

# wait_boot_finished [TIMEOUT_S]: waits until the boot has no more jobs,
# prints the system state. Status 0 only for `running`.
wait_boot_finished() {
	local t=${1:-600} state
	state=$(timeout "$t" systemctl is-system-running --wait 2>/dev/null)
	[ -n "$state" ] || state=$(systemctl is-system-running 2>/dev/null)
	echo "$state"
	[ "$state" = running ]
}

unit_state() {
	systemctl show -P ActiveState "$1" 2>/dev/null
}

unit_journal() {
	journalctl -b --no-pager -o short-monotonic -n "${2:-40}" -u "$1" 2>&1
}

failed_units_report() {
	local u
	systemctl --failed --no-legend --plain --no-pager 2>&1
	for u in $(systemctl --failed --no-legend --plain --no-pager 2>/dev/null | awk '{ print $1 }'); do
		echo "--- $u:"
		systemctl status --no-pager -n 0 "$u" 2>&1 | sed -n '1,6p'
		unit_journal "$u" 15
	done
}

prebuilt_module_install() {
	local ko=$SYSTEM_DIR/modules/snd-usb-preamp.ko dir
	# Installed from the packages: DKMS built it at `apt install`.
	if [ "$SYSTEM_INSTALL" = packages ]; then
		dkms status snd-usb-preamp -k "$(uname -r)" 2>/dev/null | grep -q ': installed' ||
			{ echo "DKMS has no snd-usb-preamp for $(uname -r): $(dkms status 2>&1)" >&2; return 1; }
		return 0
	fi
	dir=/lib/modules/$(uname -r)/updates
	[ -f "$ko" ] || { echo "no prebuilt module in $SYSTEM_DIR/modules" >&2; return 1; }
	mkdir -p "$dir"
	cp "$ko" "$dir/"
	depmod -a
}

installed() {
	grep -qxF "$1" "$SYSTEM_DIR/installed-files" 2>/dev/null
}

# ---------------------------------------------------------------- sessions
#
# A user logged in on the local console (tty1, seat0), as a desktop user
# is: polkit's allow_active rules apply to processes of that session. A
# process that the test unit starts with runuser is in no session; one run
# with session_run is in the user's login session.
#
#   autologin_session USER     creates USER if need be, logs USER in on tty1
#                              (getty autologin) and waits until the session
#                              is active and its agent answers
#   session_run USER CMD...    runs CMD inside that session, as USER; prints
#                              its output, returns its status (255: no answer
#                              within 120 s)

_session_dir() { echo "/run/preamp-session/$1"; }

autologin_session() {
	local user=$1 dir d
	dir=$(_session_dir "$user")
	if ! id "$user" >/dev/null 2>&1; then
		useradd -m -s /bin/bash "$user" || return 1
	fi
	mkdir -p "$dir"
	chown "$user:" "$dir"
	chmod 0700 "$dir"
	rm -f "$dir"/*
	# The agent: started by the login shell on tty1, it runs the requests
	# that session_run leaves in the directory.
	cat >"$SYSTEM_DIR/session-agent" <<-'AGENT'
	#!/bin/bash
	dir=/run/preamp-session/$(id -un)
	: >"$dir/ready"
	while :; do
		for req in "$dir"/*.req; do
			[ -e "$req" ] || continue
			base=${req%.req}
			mv "$req" "$base.run"
			rc=0
			bash "$base.run" >"$base.out" 2>&1 </dev/null || rc=$?
			echo "$rc" >"$base.rc.tmp"
			mv "$base.rc.tmp" "$base.rc"
		done
		sleep 0.2
	done
	AGENT
	chmod 0755 "$SYSTEM_DIR/session-agent"
	d=/home/$user
	grep -qs preamp-system "$d/.bash_profile" ||
		printf '%s\n' '# preamp-system: the test bed runs commands in this session' \
			'[ "$(tty)" = /dev/tty1 ] && exec /usr/local/lib/preamp-system/session-agent' \
			'[ -f ~/.profile ] && . ~/.profile' >>"$d/.bash_profile"
	chown "$user:" "$d/.bash_profile"
	mkdir -p /etc/systemd/system/getty@tty1.service.d
	printf '%s\n' '[Service]' 'ExecStart=' \
		"ExecStart=-/sbin/agetty --autologin $user --noclear %I \$TERM" \
		>/etc/systemd/system/getty@tty1.service.d/preamp-system-autologin.conf
	systemctl daemon-reload
	systemctl restart getty@tty1.service
	if ! wait_until 120 test -e "$dir/ready"; then
		echo "autologin_session: no session agent for $user on tty1 within 120 s" >&2
		loginctl list-sessions --no-pager >&2
		return 1
	fi
	if ! wait_until 30 _session_active "$user"; then
		echo "autologin_session: the session of $user is not active" >&2
		loginctl list-sessions --no-pager >&2
		return 1
	fi
}

_session_active() {
	local s
	for s in $(loginctl show-user "$1" -P Sessions 2>/dev/null); do
		[ "$(loginctl show-session "$s" -P TTY)" = tty1 ] &&
			[ "$(loginctl show-session "$s" -P Active)" = yes ] && return 0
	done
	return 1
}

session_run() {
	local user=$1 dir n base rc
	shift
	dir=$(_session_dir "$user")
	[ -e "$dir/ready" ] || { echo "session_run: no session of $user (autologin_session first)" >&2; return 255; }
	n=$(cat /run/preamp-session/.n 2>/dev/null || echo 0)
	echo $((n + 1)) >/run/preamp-session/.n
	base=$dir/$n
	printf '%q ' "$@" >"$base.tmp"
	echo >>"$base.tmp"
	chown "$user:" "$base.tmp"
	mv "$base.tmp" "$base.req"
	if ! wait_until 120 test -e "$base.rc"; then
		echo "session_run: $* did not finish within 120 s" >&2
		return 255
	fi
	cat "$base.out"
	rc=$(cat "$base.rc")
	rm -f "$base".*
	return "$rc"
}

# ---------------------------------------------------------------- preampd
#
# The installed daemon on the system bus (the same names as the VM bed's
# daemon-lib.sh):
#
#   pd_call PATH IFACE METHOD SIG ARGS...   busctl call as root
#   pd_get PATH IFACE PROP      a property, busctl's "TYPE VALUE" form
#   pd_ndevices / pd_dev_path   how many devices; the first one's path
#   pd_in_path N / pd_in_get N PROP / pd_set_gain N DB
#   pd_card_of EMU              the card of the preamp controls of EMU
#   pd_guard_lifted CARD        48 V may be switched on (the guard is over)
#   pd_state KEY N FIELD        a field of [input N] in KEY's state file
#   pd_journal [N]              preampd's journal lines of this boot
#   output_is TEXT CMD...       CMD prints TEXT: `wait_until 30 output_is 20
#                               emu quad get in1.gain_db`

PD_BUS=org.preampd.Preamp1
PD_ROOT=/org/preampd/Preamp1
PD_STATE=/var/lib/preampd

# "--": a negative number is an argument, not an option
pd_call() {
	busctl --system --timeout=120 -- call "$PD_BUS" "$@"
}

pd_get() {
	busctl --system --timeout=120 get-property "$PD_BUS" "$@"
}

pd_ndevices() {
	pd_get "$PD_ROOT" "$PD_BUS.Manager" Devices | awk '{ print $2 }'
}

pd_plugged() {
	[ "$(pd_ndevices)" = "$1" ]
}

pd_dev_path() {
	pd_get "$PD_ROOT" "$PD_BUS.Manager" Devices | awk '{ gsub(/"/, ""); print $3 }'
}

pd_in_path() {
	echo "$(pd_dev_path)/inputs/$1"
}

pd_in_get() {
	pd_get "$(pd_in_path "$1")" "$PD_BUS.Input" "$2" | cut -d' ' -f2-
}

pd_set_gain() {
	pd_call "$(pd_in_path "$1")" "$PD_BUS.Input" SetGain db "$2" false
}

pd_state() {
	sed -n "/^\[input $2\]/,/^\$/p" "$PD_STATE/$1.state" 2>/dev/null |
		sed -n "s/^$3 = //p"
}

pd_journal() {
	unit_journal preampd.service "${1:-40}"
}

# output_is TEXT CMD [ARGS...]: CMD prints TEXT (for wait_until, which
# runs its command anew each time).
output_is() {
	local want=$1
	shift
	[ "$("$@" 2>/dev/null)" = "$want" ]
}

# After a removal, in the boot that follows it: the system boots to
# running, and neither systemd nor this boot's journal knows preampd.
check_boots_clean_without_preampd() {
	local state

	state=$(wait_boot_finished 900)
	case "$state" in
	running) ok "the system boots cleanly again: running" ;;
	*)       fail "the system boots cleanly again: running" "is-system-running: $state" \
			"$(failed_units_report)" ;;
	esac
	check_eq "systemd has no preampd unit" "" \
		"$(systemctl list-unit-files --no-legend 'preampd*' 'dbus-org.preampd*')"
	check_eq "nothing in this boot's journal names preampd" "" \
		"$(journalctl -b --no-pager | grep -i 'preampd' | grep -v 'preamp-system')"
}
