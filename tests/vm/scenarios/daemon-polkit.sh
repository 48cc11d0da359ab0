#!/bin/bash
# preampd's authorization with a polkit authority (a stand-in that answers
# as told): each method asks for its action (GetLevels too, and unlocking
# 48 V its own), a polkit that answers is obeyed (root included), a
# challenge without interaction is InteractiveAuthorizationRequired. A
# plain yes is asked once per caller and action, until polkit says it
# changed; a temporary authorization is asked each time. A caller whose
# agent never answers holds at most 16 requests, which go (cancelled at
# polkit) when it leaves the bus. When the authority goes away, only root
# and group audio pass, by the bus's credentials (not /etc/passwd), asked
# once per caller, and polkit is not asked again until it comes back.
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

# --- revision 2: levels are private; unlocking 48 V is its own action
requests() { grep -c ' -> ' "$POLKIT_LOG"; }
check "alice reads the levels (polkit allows)" pd_call_as alice "$dev" "$PD_BUS.Device" GetLevels
check_eq "GetLevels asked for monitor, not interactive" "org.preampd.preamp1.monitor 0" \
	"$(last_request | cut -d' ' -f1,2)"
check "SetPhantomLock false" pd_call_as alice "$in1" "$PD_BUS.Input" SetPhantomLock bb false true
check_eq "unlocking asked for unlock-phantom, interactive" "org.preampd.preamp1.unlock-phantom 1" \
	"$(last_request | cut -d' ' -f1,2)"
check_eq "input 1 is unlocked" false "$(pd_in_get 1 PhantomLocked)"

# --- the fast path: a plain yes is asked once per caller and action
flood_as() { setpriv --reuid="$1" --regid="$1" --init-groups pa-bus-flood "${@:2}"; }
n=$(requests)
check_eq "five SetGain on one connection pass" "sent=5 busy=0 denied=0 ok=5 other=0 waiting=0" \
	"$(flood_as alice --seq 5 60 "$in1")"
check_eq "... and polkit was asked once" $((n + 1)) "$(requests)"
n=$(requests)
check_eq "five GetLevels pass" "sent=5 busy=0 denied=0 ok=5 other=0 waiting=0" \
	"$(flood_as alice --seq 5 60 "$dev" GetLevels)"
check_eq "... and polkit was asked once" $((n + 1)) "$(requests)"
n=$(requests)
# (as root: it signals the stand-in; polkit answers for root too)
check_eq "two SetGain around polkit's Changed signal pass" "sent=2 busy=0 denied=0 ok=2 other=0 waiting=0" \
	"$(pa-bus-flood --seq --poke "$(cat /run/polkit-stub.pid)" 2 60 "$in1")"
check_eq "... and polkit was asked again after it" $((n + 2)) "$(requests)"
echo temporary >"$MODE"
n=$(requests)
check_eq "three SetGain under a temporary authorization pass" "sent=3 busy=0 denied=0 ok=3 other=0 waiting=0" \
	"$(flood_as alice --seq 3 60 "$in1")"
check_eq "... and polkit was asked each time" $((n + 3)) "$(requests)"
echo allow >"$MODE"

# --- a caller whose agent never answers: at most 16 of its requests
#     wait, the others are Busy; somebody else still reaches polkit; the
#     waiting ones go, cancelled at polkit, when the caller leaves
echo hang >"$MODE"
flood_as alice 100 20 "$in1" >/tmp/flood1.out &
f1=$!
flood_as alice 100 20 "$in1" >/tmp/flood2.out &
f2=$!
waiting_at_polkit() { [ "$(grep -c 'uid=1000 -> hang' "$POLKIT_LOG")" -ge "$1" ]; }
check "alice's requests reach polkit" wait_until 60 waiting_at_polkit 32
bob_reached() { grep -q 'uid=1001 -> hang' "$POLKIT_LOG"; }
busctl_bob_err=$(setpriv --reuid=bob --regid=bob --init-groups busctl --system --timeout=5 -- \
	call "$PD_BUS" "$in1" "$PD_BUS.Input" SetGain db 3 true 2>&1 >/dev/null)
check "bob's request reaches polkit all the same" wait_until 30 bob_reached ||
	echo "# bob: $busctl_bob_err"
wait "$f1" "$f2"
check_eq "one flooding connection: 16 wait, 84 are Busy" "sent=100 busy=84 denied=0 ok=0 other=0 waiting=16" \
	"$(cat /tmp/flood1.out)"
check_eq "the other one alike" "sent=100 busy=84 denied=0 ok=0 other=0 waiting=16" \
	"$(cat /tmp/flood2.out)"
check_eq "polkit saw 32 of alice's requests, no more" 32 "$(grep -c 'uid=1000 -> hang' "$POLKIT_LOG")"
cancelled() { [ "$(grep -c '^cancelled preampd-' "$POLKIT_LOG")" -ge "$1" ]; }
check "alice left: her 32 requests were cancelled at polkit" wait_until 30 cancelled 32
check_eq "preampd dropped them" 2 "$(grep -c 'left the bus: 16 request(s) dropped' "$PD_LOG")"
echo allow >"$MODE"
check "alice is answered again (nothing of hers is left waiting)" \
	wait_until 30 sh -c "[ \"\$(setpriv --reuid=alice --regid=alice --init-groups busctl --system -- call $PD_BUS $in1 $PD_BUS.Input SetGain db 6 false)\" = 'd 6' ]"

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

# remembered: polkit is not asked at each call, the bus's credentials are
# asked once per caller
busctl --system monitor >/tmp/bus-monitor.log 2>&1 &
mon=$!
sleep 1
# (each sets 0 dB)
check_eq "five SetGain of bob on one connection pass" "sent=5 busy=0 denied=0 ok=5 other=0 waiting=0" \
	"$(flood_as bob --seq 5 60 "$in1")"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null
no_name=$(grep -c 'ErrorName=org.freedesktop.DBus.Error.ServiceUnknown' /tmp/bus-monitor.log)
creds=$(grep -c 'Member=GetConnectionCredentials' /tmp/bus-monitor.log)
echo "# five calls: $no_name ServiceUnknown answers, $creds credential calls"
check "polkit was asked at most once (it may be time to look again)" test "$no_name" -le 1
check_eq "the credentials were asked once" 1 "$creds"
# carol's passwd entry says group audio, but she runs without it: the
# bus's credentials are what her process has
grep -q '^carol:' /etc/passwd || echo 'carol:x:1002:29::/tmp:/bin/bash' >>/etc/passwd
check_eq "carol, in audio only by /etc/passwd, is refused" "Call failed: Access denied" \
	"$(setpriv --reuid=1002 --regid=1002 --clear-groups busctl --system -- call "$PD_BUS" "$in1" "$PD_BUS.Input" SetGain db 12 false 2>&1 >/dev/null)"
check_eq "nothing changed" 0 "$(emu quad get in1.gain_db)"

# a polkit that is installed but cannot start is not a missing one: the
# call fails to spawn it, and everyone is refused, root too
if [ -f /tmp/polkit-activation.service ]; then
	cp /tmp/polkit-activation.service "$PD_POLKIT_ACTIVATION"
	busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus ReloadConfig >/dev/null
	# preampd looks again within 10 s of having found no polkit: a
	# call that changes nothing until then (0 dB is what it has)
	root_refused() {
		[ "$(pd_call "$in1" "$PD_BUS.Input" SetGain db 0 false 2>&1 >/dev/null)" = "Call failed: Access denied" ]
	}
	check "a polkit that fails to start refuses root (within 10 s)" wait_until 60 root_refused
	check_eq "nothing changed" 0 "$(emu quad get in1.gain_db)"
	check "preampd logged why" grep -q 'polkit failed: org.freedesktop.DBus.Error.Spawn' "$PD_LOG"
	rm -f "$PD_POLKIT_ACTIVATION"
else
	echo "# skipped: no polkitd activation file to break"
fi

# polkit comes back: preampd asks it at once, not only after a while
busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus ReloadConfig >/dev/null
echo deny >"$MODE"
pa-polkit-stub "$MODE" >>"$POLKIT_LOG" 2>&1 &
echo $! >/run/polkit-stub.pid
check "the polkit stand-in is back" wait_until 10 has_owner org.freedesktop.PolicyKit1
n=$(requests)
check_eq "polkit is obeyed at once: bob is refused" "Call failed: Access denied" \
	"$(err_as bob "$in1" "$PD_BUS.Input" SetGain db 12 false)"
check_eq "... by polkit" $((n + 1)) "$(requests)"

check "it unplugs" emu_unplug quad
check "preampd stops" pd_stop TERM
kill "$(cat /run/polkit-stub.pid)" 2>/dev/null
emu_stop quad
finish
