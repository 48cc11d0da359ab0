#!/bin/bash
# preampd's authorization with a polkit authority (a stand-in that answers
# as told): each method asks for its action, a polkit that answers is
# obeyed (root included), a challenge without interaction is
# InteractiveAuthorizationRequired; when the authority goes away, only
# root and group audio pass.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

MODE=/run/polkit-stub.mode
POLKIT_LOG=/tmp/polkit.log

pd_setup
echo allow >"$MODE"
pa-polkit-stub "$MODE" >"$POLKIT_LOG" 2>&1 &
echo $! >/run/polkit-stub.pid
check "the polkit stand-in owns org.freedesktop.PolicyKit1" wait_until 10 \
	has_owner org.freedesktop.PolicyKit1
check "preampd starts" pd_start || { pd_log; finish; }
check "the quad emulator starts" emu_start quad quad --serial PQ4-POLKIT1 || finish
check "it plugs in" emu_plug quad
check "it appears on D-Bus" wait_until 30 sh -c '[ "$(busctl --system get-property org.preampd.Preamp1 /org/preampd/Preamp1 org.preampd.Preamp1.Manager Devices | cut -d" " -f2)" = 1 ]' ||
	{ pd_log; finish; }
in1=$(pd_in_path 1)
dev=$(pd_dev_path)
err_as() { pd_call_as "$@" 2>&1 >/dev/null; }
last_request() { tail -n 1 "$POLKIT_LOG"; }

# allow: even alice, who is not in audio
check_eq "polkit allows alice's SetGain" "d 6" "$(pd_call_as alice "$in1" "$PD_BUS.Input" SetGain db 6 false)"
check_eq "the device has it" 6 "$(emu quad get in1.gain_db)"
case "$(last_request)" in
"org.preampd.preamp1.set-gain 0 system-bus-name :"*" -> allow") ok "SetGain asked for set-gain, not interactive, for the caller's bus name" ;;
*) fail "SetGain asked for set-gain for the caller's bus name" "request: $(last_request)" ;;
esac
check "SetPhantomLock" pd_call_as alice "$in1" "$PD_BUS.Input" SetPhantomLock bb true true
check_eq "it asked for set-phantom, interactive" "org.preampd.preamp1.set-phantom 1" \
	"$(last_request | cut -d' ' -f1,2)"
check "SavePreset" pd_call_as alice "$dev" "$PD_BUS.Device" SavePreset sb Take1 false
check_eq "it asked for manage" "org.preampd.preamp1.manage" "$(last_request | cut -d' ' -f1)"
n=$(wc -l <"$POLKIT_LOG")
check "reading asks nobody" pd_call_as alice "$PD_ROOT" "$PD_BUS.Manager" GetDeviceByCard i "$(pd_dev_get Card)"
check_eq "no request for a read" "$n" "$(wc -l <"$POLKIT_LOG")"

# deny: obeyed for everyone, root too; nothing changes
echo deny >"$MODE"
check_eq "polkit denies bob" "Call failed: Access denied" \
	"$(err_as bob "$in1" "$PD_BUS.Input" SetGain db 12 false)"
check_eq "polkit denies root too" "Call failed: Access denied" \
	"$(pd_call "$in1" "$PD_BUS.Input" SetGain db 12 false 2>&1 >/dev/null)"
check_eq "nothing changed" 6 "$(emu quad get in1.gain_db)"

# challenge: an administrator's password would be needed
echo challenge >"$MODE"
check_eq "without interaction: InteractiveAuthorizationRequired" \
	"Call failed: Authentication is needed to change preamp gain and switches; call again with interactive = true." \
	"$(err_as alice "$in1" "$PD_BUS.Input" SetGain db 12 false)"
check_eq "with interaction but no agent: refused" "Call failed: Access denied" \
	"$(err_as alice "$in1" "$PD_BUS.Input" SetGain db 12 true)"
check_eq "nothing changed" 6 "$(emu quad get in1.gain_db)"

# the authority goes away: root and group audio only
kill "$(cat /run/polkit-stub.pid)"
no_polkit() { ! has_owner org.freedesktop.PolicyKit1; }
check "the polkit name is gone" wait_until 10 no_polkit
check_eq "alice is refused" "Call failed: Access denied" \
	"$(err_as alice "$in1" "$PD_BUS.Input" SetGain db 12 false)"
check_eq "bob (audio) is allowed" "d 12" "$(pd_call_as bob "$in1" "$PD_BUS.Input" SetGain db 12 false)"
check_eq "root is allowed" "d 13" "$(pd_call "$in1" "$PD_BUS.Input" SetGain db 13 false)"

# a polkit that is installed but cannot start is not a missing one: the
# call fails to spawn it, and everyone is refused, root too
if [ -f /tmp/polkit-activation.service ]; then
	cp /tmp/polkit-activation.service "$PD_POLKIT_ACTIVATION"
	busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus ReloadConfig >/dev/null
	check_eq "a polkit that fails to start refuses root" "Call failed: Access denied" \
		"$(pd_call "$in1" "$PD_BUS.Input" SetGain db 14 false 2>&1 >/dev/null)"
	check_eq "nothing changed" 13 "$(emu quad get in1.gain_db)"
	check "preampd logged why" grep -q 'polkit failed: org.freedesktop.DBus.Error.Spawn' "$PD_LOG"
	rm -f "$PD_POLKIT_ACTIVATION"
else
	echo "# skipped: no polkitd activation file to break"
fi

check "it unplugs" emu_unplug quad
check "preampd stops" pd_stop TERM
emu_stop quad
finish
