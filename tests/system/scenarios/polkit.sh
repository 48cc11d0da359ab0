#!/bin/bash
# Scenario 5: authorization with the real polkitd and the installed polkit
# actions. alice, logged in on the local console (an active session on
# seat0), may set gain (allow_active: yes). bob, in group audio but with
# no session, is refused (auth_admin_keep, and no agent to ask):
# AccessDenied, or InteractiveAuthorizationRequired when he allowed no
# prompt; a polkit that answers is obeyed, whatever the group; nothing
# changes. root may.
set -u
. /usr/local/lib/preamp-system/lib.sh

SERIAL=PQ4-SYSAUTH

check_eq "the boot is over" running "$(wait_boot_finished 900)"
check "the driver is installed" prebuilt_module_install || finish
check "usbip's vhci-hcd loads" load_usbip || finish
check "the quad emulator starts" emu_start quad quad --serial "$SERIAL" || finish
check "the quad plugs in" emu_plug quad || finish
# the first call activates preampd through D-Bus
if wait_until 120 pd_plugged 1; then
	ok "preampd (D-Bus activated) has the device"
else
	fail "preampd (D-Bus activated) has the device" \
		"preampd.service: $(unit_state preampd.service)" "$(pd_journal 30)"
	finish
fi
IN1=$(pd_in_path 1)

# --- alice: an active local session
check "alice is logged in on tty1 (autologin)" autologin_session alice || finish
s=$(loginctl show-user alice -P Sessions)
note "alice's session: $(loginctl show-session "$s" -P Seat) $(loginctl show-session "$s" -P TTY) Active=$(loginctl show-session "$s" -P Active) Remote=$(loginctl show-session "$s" -P Remote)"
out=$(session_run alice busctl --system --timeout=120 call "$PD_BUS" "$IN1" \
	"$PD_BUS.Input" SetGain db 12 false 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "alice, in her active session, sets input 1 to 12 dB ($out)"
else
	fail "alice, in her active session, sets input 1 to 12 dB" "status $rc: $out" \
		"$(pd_journal 20)"
fi
check_eq "the device has 12 dB" 12 "$(emu quad get in1.gain_db)"
out=$(session_run alice busctl --system --timeout=120 call "$PD_BUS" "$IN1" \
	"$PD_BUS.Input" SetPhantom bb true false 2>&1)
rc=$?
check_eq "alice may switch 48 V on in her session (status $rc: $out)" 0 "$rc"
check "the device has 48 V on" wait_until 10 output_is 1 emu quad get in1.phantom

# --- bob: in group audio, but in no session
id bob >/dev/null 2>&1 || useradd -m -s /bin/bash -G audio bob
check "bob is in group audio" bash -c 'id -nG bob | tr " " "\n" | grep -qx audio'
check "bob has no session" test -z "$(loginctl show-user bob -P Sessions 2>/dev/null)"
# as bob, with dbus-send: it prints the error's name
bob_call() {
	local method=$1
	shift
	runuser -u bob -- dbus-send --system --print-reply --reply-timeout=120000 \
		--dest="$PD_BUS" "$IN1" "$PD_BUS.Input.$method" "$@" 2>&1
}
# refused METHOD ERROR ARGS...: bob's call fails with ERROR
refused() {
	local method=$1 want=$2 out rc=0
	shift 2
	out=$(bob_call "$method" "$@") || rc=$?
	if [ "$rc" -ne 0 ] && [[ $out == "Error $want:"* ]]; then
		ok "bob, without a session, is refused $method ($*): $out"
	else
		fail "bob, without a session, is refused $method ($*) with $want" "status $rc: $out"
	fi
}
# no agent can ask him for a password: refused outright
refused SetGain org.freedesktop.DBus.Error.AccessDenied double:30 boolean:true
refused SetPhantom org.freedesktop.DBus.Error.AccessDenied boolean:false boolean:true
# not interactive: he would have to authenticate as an administrator
refused SetGain org.freedesktop.DBus.Error.InteractiveAuthorizationRequired \
	double:30 boolean:false
check_eq "nothing changed on the device (12 dB, 48 V on)" "12 1" \
	"$(emu quad get in1.gain_db) $(emu quad get in1.phantom)"
check_eq "nor in preampd" "12 true" "$(pd_in_get 1 Gain) $(pd_in_get 1 Phantom)"

# --- root
check "root sets input 1 to 25 dB" pd_set_gain 1 25
check_eq "the device has 25 dB" 25 "$(emu quad get in1.gain_db)"

check_eq "polkitd answered every check (no 'polkit failed' in preampd's journal)" "" \
	"$(journalctl -b --no-pager -u preampd.service | grep 'polkit failed')"
check_eq "polkit.service is active" active "$(unit_state polkit.service)"

check "the quad unplugs" emu_unplug quad
emu_stop quad
finish
