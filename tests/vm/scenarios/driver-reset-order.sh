#!/bin/bash
# USB resets (usbfs USBDEVFS_RESET) of an interface whose Preamp Control
# interface comes first (interface 0, the audio function after it), each
# under a loop of `Line In 1 Gain` writes. The USB core runs our pre_reset,
# then unbinds snd-usb-audio, whose disconnect needs the card's controls
# lock, which a write of ours holds while it waits for the device: so
# nothing of ours may stay locked from pre_reset to post_reset. Writes made
# during a reset fail at once (EAGAIN) and work again once post_reset has
# put the settings back; the controls follow snd-usb-audio to its new card.
#
# Then a device that lost power before a reset: post_reset re-arms the 48 V
# plug-in guard and puts back everything but 48 V at once; 48 V comes back
# when the guard ends.
#
#   driver-reset-order.sh [ROUNDS]       (default 5; check-long runs more)
set -u
. /tests/lib.sh
. /tests/scenarios/driver-lib.sh

ROUNDS=${1:-5}
# A short guard at plug-in; the re-armed one long enough for its checks
# on a loaded host (the driver reads the parameter again when it re-arms).
PLUG_GUARD_MS=3000
GUARD_MS=20000
GAIN1="Line In 1 Gain Capture Volume"
GAIN3="Line In 3 Gain Capture Volume"
PHANTOM="Line In 1-2 Phantom Power Capture Switch"
MODEL=/tmp/quad-control-first.ini

sed 's/^audio = yes$/audio = yes\ncontrol_first = yes/' \
	"$EMU_MODELS/quad.ini" >"$MODEL"

_dead() { ! kill -0 "$1" 2>/dev/null; }

# Our controls on snd-usb-audio's card of the device.
on_audio() {
	local c
	c=$(emu_card quad USB-Audio) && pamp_on "$c"
}

hung() {
	echo 1 >/proc/sys/kernel/sysrq 2>/dev/null
	echo w >/proc/sysrq-trigger 2>/dev/null
	sleep 1
	fail "$1" "USBDEVFS_RESET did not return within 60 s: a deadlock" \
		"$(dmesg | grep -A 30 'task:' | head -n 80)"
	echo "# the reset hung in round $2 of $ROUNDS"
	finish
}

check "snd-usb-preamp loads" pamp_load phantom_guard_ms=$PLUG_GUARD_MS || finish
check "the control-first quad starts" emu_start quad "$MODEL" || finish
check "it plugs in" pamp_plug quad || finish
dir=$(emu_usb quad)
check_eq "interface 0 is Preamp Control" "ff/50/01 snd-usb-preamp" \
	"$(cat "$dir/${dir##*/}:1.0/bInterfaceClass")/$(cat "$dir/${dir##*/}:1.0/bInterfaceSubClass")/$(cat "$dir/${dir##*/}:1.0/bInterfaceProtocol") $(basename "$(readlink "$dir/${dir##*/}:1.0/driver")")"
check "our controls are on snd-usb-audio's card" wait_until 20 on_audio
PAMP_CARD=$(pamp_card quad)
check "the plug-in guard lifts" wait_until 30 pd_guard_lifted "$PAMP_CARD"
check "48 V on" ctlraw "$PAMP_CARD" write "$PHANTOM" 1
check "input 3 at 40 dB" ctlraw "$PAMP_CARD" write "$GAIN3" 100
check_eq "... the device has 48 V" 1 "$(emu_key quad in1.phantom)"

# ---- resets under a write loop
devnode=$(emu_devnode quad)
done_rounds=0
for r in $(seq 1 "$ROUNDS"); do
	PAMP_CARD=$(pamp_card quad) || { fail "round $r: our controls have a card"; break; }
	kmsg_mark
	ctlraw "$PAMP_CARD" time 6 write "$GAIN1" 40 41 >/tmp/writer.out 2>&1 &
	wpid=$!
	sleep 0.5
	usbreset "$devnode" >/tmp/reset.out 2>&1 &
	rpid=$!
	wait_until 60 _dead "$rpid" || hung "round $r: USBDEVFS_RESET returns" "$r"
	wait "$rpid"
	rc=$?
	wait "$wpid"
	[ "$rc" = 0 ] || { fail "round $r: USBDEVFS_RESET succeeds" "$(cat /tmp/reset.out)"; break; }
	if ! wait_until 30 on_audio; then
		fail "round $r: our controls follow snd-usb-audio to its new card" \
			"$(cat /proc/asound/cards)" "$(kmsg_since | tail -n 20)"
		break
	fi
	PAMP_CARD=$(pamp_card quad)
	if ! ctlraw "$PAMP_CARD" write "$GAIN1" $((60 + r)); then
		fail "round $r: a write works after the reset" "$(kmsg_since | tail -n 20)"
		break
	fi
	echo "# round $r: writer $(cat /tmp/writer.out)"
	done_rounds=$r
done
check_eq "$ROUNDS resets under a write loop, none hung" "$ROUNDS" "$done_rounds"
echo "# $done_rounds of $ROUNDS rounds ran"
check_eq "the last write reached the device" "$(awk -v g=$((60 + done_rounds)) 'BEGIN { print -10 + g / 2 }')" \
	"$(emu_key quad in1.gain_db)"
check_eq "input 3 kept its 40 dB across the resets" 40 "$(emu_key quad in3.gain_db)"
emu quad knob 4 gain 30 >/dev/null
check "notifications still arrive (a knob turn shows)" \
	wait_until 10 sh -c "[ \"\$(ctlraw $PAMP_CARD read 'Line In 4 Gain Capture Volume')\" = 80 ]"

# ---- a device that lost power, then a reset: the guard is re-armed
check "the guard of the last reset lifts" wait_until 30 pd_guard_lifted "$PAMP_CARD"
check_eq "... and 48 V is on" 1 "$(emu_key quad in1.phantom)"
pamp_param phantom_guard_ms $GUARD_MS
emu quad power-loss >/dev/null
check_eq "the device lost its settings" "0 0" \
	"$(emu_key quad in1.phantom) $(emu_key quad in3.gain_db)"
kmsg_mark
check "USBDEVFS_RESET" usbreset "$devnode"
t0=$(_uptime_cs)
check_eq "the settings but 48 V are back at once (input 3 at 40 dB)" 40 \
	"$(emu_key quad in3.gain_db)"
check_eq "48 V stays off during the re-armed guard" 0 "$(emu_key quad in1.phantom)"
check "our controls follow snd-usb-audio to its new card" wait_until 30 on_audio
PAMP_CARD=$(pamp_card quad)
pamp_check_guard_rearmed quad "$PHANTOM" "$GUARD_MS" "$t0"
echo "# kernel: $(kmsg_since | grep -i 'preamp' | tail -n 6 | tr '\n' ' ')"

check "quad unplugs" emu_unplug quad
emu_stop quad
check "snd-usb-preamp unloads" modprobe -r snd-usb-preamp
check "no kernel warning" no_kernel_trouble
finish
