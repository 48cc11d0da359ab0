#!/bin/bash
# vm-append: loglevel=1
# The demo (make demo): a home studio's first hour with an emulated
# four-input USB audio interface, told as a story. Each command is shown
# as you would type it, then its real output. The kernel's messages stay
# off the screen (loglevel=1; the host keeps the kernel log), and so do
# the daemon's, udevd's and the emulator's (written to /dev/ttyS2 at the
# end: build/vm/demo-KVER.logs). The demo's own checks print `ok` lines
# that tests/vm/demo.sh keeps off the screen and counts in one line at
# the end; a failed one fails the demo.
set -u
. /tests/lib.sh
. /tests/scenarios/daemon-lib.sh

SOCK=/run/emu-quad.sock
KEY=1d6b-0104-PQ4-000001
PH="Line In 1-2 Phantom Power Capture Switch"
GUARD=/sys/module/snd_usb_preamp/parameters/phantom_guard_ms

# ------------------------------------------------------------ the telling

# A word as you would type it: bare when the shell leaves it alone, else
# in single quotes (an option's value alone: name='Line In 1 Gain').
word() {
	local w=$1 q="'\\''"
	if [[ $w =~ ^[A-Za-z0-9_./:@%+,=-]+$ ]]; then
		printf '%s' "$w"
	elif [[ $w =~ ^([A-Za-z_]+=)(.*)$ ]]; then
		printf "%s'%s'" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]//\'/$q}"
	else
		printf "'%s'" "${w//\'/$q}"
	fi
}

# Output, indented, without the blank lines it ends with.
indent() {
	awk '/^$/ { blank++; next }
		{ for (; blank > 0; blank--) print ""; print "  " $0 }'
}

# show CMD [ARGS...]: the command as typed, then its output, indented.
show() {
	local line='$' w
	for w in "$@"; do
		line="$line $(word "$w")"
	done
	printf '\n%s\n' "$line"
	"$@" 2>&1 | indent
}

# show_sh 'PIPELINE': the same for a line with pipes, typed as it is.
show_sh() {
	printf '\n$ %s\n' "$1"
	bash -c "$1" 2>&1 | indent
}

# show_meter DEV: `preampctl meter DEV` on a terminal, which it redraws
# in place: one screen of it, a second in (ptyrun gives it a terminal).
show_meter() {
	printf '\n$ preampctl meter %s\n' "$1"
	ptyrun -c 78 -r 12 -w 1 -k q -o /tmp/meter.tty -- preampctl meter "$1" >/tmp/meter.res
	# each redraw starts with the cursor moved up: the last one is the screen
	awk '{ gsub(/\r/, "") }
		/\033\[[0-9]*A/ { n = 0; sub(/.*\033\[[0-9]*A/, "") }
		{ gsub(/\033\[[0-9;?]*[A-Za-z]/, ""); line[++n] = $0 }
		END { while (n > 0 && line[n] == "") n--
			for (i = 1; i <= n; i++) print "  " line[i] }' /tmp/meter.tty
}

chapter() {
	printf '\n\n=== %s ===\n' "$*"
}

say() {
	printf '\n'
	printf '%s\n' "$*" | fold -s -w 76
}

# The logs of everything that ran behind the story, for the host.
save_logs() {
	local f
	[ -c /dev/ttyS2 ] || return 0
	for f in "$PD_LOG" /tmp/emu-quad.log /tmp/udevd.log /tmp/dbus.log; do
		[ -f "$f" ] || continue
		printf '==== %s\n' "$f"
		cat "$f"
	done >/dev/ttyS2 2>/dev/null
}
trap save_logs EXIT

# Everything a Debian system would already have running: the system bus
# with preampd's policy, systemd-udevd with Debian's rules, the driver,
# preampd.
pd_setup
check "preampd starts" pd_start || { pd_log; finish; }
check "the emulated interface starts" emu_start quad quad || finish

gain_of() { pd_in_get "$1" Gain; }
saved() { sed -n "/^\[input $1\]/,/^\$/p" "$PD_STATE/$KEY.state" 2>/dev/null | grep -qx "$2"; }
inactive_48v() { amixer -c "$CARD" cget name="$PH" | grep -q 'access=..i'; }

# ---------------------------------------------------------------- story

chapter "1. Plug in your interface"
say "You plug a USB audio interface with four microphone and instrument preamps into your computer. (Here it is preamp-emu, an emulated interface served over USB/IP: the kernel meets it exactly as it meets hardware.) Linux makes a sound card of it:"
emu_plug quad >/dev/null || { fail "the interface plugs in"; finish; }
check "the preamp controls appear" wait_until 30 pd_card_of quad || finish
CARD=$(pd_card_of quad)
check "preampd has the interface" wait_until 30 test "$(pd_ndevices)" = 1 || finish
wait_until 30 pd_guard_lifted "$CARD"
show cat /proc/asound/cards
say "snd-usb-preamp, the driver, puts its preamps on that card as mixer controls, named as Linux's Focusrite driver names its own, so alsamixer shows them:"
show amixer -c "$CARD" scontrols
say "preampd, the system service, found the interface too. preampctl is its command-line client:"
show preampctl

chapter "2. Set the gain"
say "From alsamixer, or amixer: input 1 to +24 dB."
show amixer -c "$CARD" sset 'Line In 1 Gain' 24dB
say "From preampctl, or any desktop program through preampd's D-Bus API: input 3 up by 6 dB."
show preampctl gain quad 3 +6
say "Or turn a knob on the interface itself (here the emulator's front panel); the driver hears of it on the device's interrupt endpoint, and so does everybody:"
show preamp-emu-ctl "$SOCK" knob 4 gain 20
check "preampd follows the knob" wait_until 30 test "$(gain_of 4)" = 20
show preampctl status quad
check_eq "the interface has input 1 at +24 dB" 24 "$(emu quad get in1.gain_db)"
check_eq "the interface has input 3 at +6 dB" 6 "$(emu quad get in3.gain_db)"

chapter "3. 48 V, and a ribbon microphone"
say "A condenser microphone on input 1 needs 48 V phantom power. On this interface inputs 1 and 2 share one 48 V switch:"
show preampctl phantom quad 1 on
check_eq "the interface has 48 V on" 1 "$(emu quad get in1.phantom)"
say "Later a ribbon microphone goes on input 2. 48 V can damage it: lock 48 V off on its input. That switches it off for the inputs sharing the switch, and from then on nothing switches it on:"
show preampctl lock quad 2 on
show amixer -c "$CARD" cset name="$PH" on
show preampctl phantom quad 1 on
say "alsamixer gets the same refusal as amixer: preampd holds the control locked."
check_eq "48 V stayed off on the interface" "0 0" "$(emu quad get in1.phantom) $(emu quad get in2.phantom)"
check_eq "preampd says input 2 is locked" true "$(pd_in_get 2 PhantomLocked)"

chapter "4. AutoGain: staging a singer"
say "A singer steps up to the ribbon microphone. Ribbons are quiet: the singer's loudest syllables reach -50 dBFS at 0 dB gain (the emulator's source on input 2):"
show preamp-emu-ctl "$SOCK" source 2 speech -50
say "AutoGain listens while they sing and sets the gain so that the loudest peak lands just under -4 dBFS, inside the studio's -6 to 0 dBFS window:"
show preampctl autogain quad 2 --listen 2
say "The proof is a recording from the interface's own audio card (channel 2 is input 2):"
show arecord -q -D "hw:$CARD,0" -d 2 -c 4 -f S16_LE -r 48000 --buffer-time=1000000 /tmp/take1.wav
show pamp-level /tmp/take1.wav
peak=$(pamp-level /tmp/take1.wav | awk '$1 == "ch2" { sub("peak=", "", $2); print $2 }')
check "input 2's recorded peak is in [-5.5, -4] dBFS ($peak)" \
	awk -v p="$peak" 'BEGIN { exit !(p != "" && p >= -5.5 && p <= -4.0) }'
say "preampctl's meter shows every input as it plays, redrawn 30 times a second until you press q (here: how it looked a second after it started):"
show_meter quad
say "Keep it as a preset for this singer:"
show preampctl preset save quad vocals

chapter "5. Saved as you go"
staged=$(gain_of 2)
check "the state file has the take's settings" \
	wait_until 30 saved 2 "gain = $staged"
wait_until 30 saved 2 "phantom_locked = yes"
wait_until 30 grep -q '^name = vocals$' "$PD_STATE/$KEY.state"
say "preampd writes each interface's settings to a file of its own, keyed by its USB serial, half a second after the last change:"
show cat "$PD_STATE/$KEY.state"

chapter "6. Switch off, and on again"
say "The next day. This interface forgets everything when it loses power, and at boot it is there before preampd starts. So: preampd stops (the computer is off), the interface is unplugged and plugged in again (it powers up)."
pd_stop >/dev/null
emu_unplug quad >/dev/null || fail "the interface unplugs"
# Long enough to watch; 3 s by default (said below).
echo 30000 >"$GUARD"
emu_plug quad >/dev/null || { fail "the interface plugs in again"; finish; }
check "the controls come back" wait_until 30 pd_card_of quad || finish
CARD=$(pd_card_of quad)
say "Before anything restores it, the interface is at its power-on defaults:"
show amixer -c "$CARD" sget 'Line In 2 Gain'
check_eq "input 2 is at its power-on gain" 0 "$(emu quad get in2.gain_db)"
say "Debian restores every sound card's controls at plug-in (alsactl, from udev); a restore that switched 48 V on could damage the ribbon microphone before anyone noticed. For its first seconds the driver holds 48 V off, whatever asks:"
check "the 48 V switch is inactive (the plug-in guard)" inactive_48v
show amixer -c "$CARD" cset name="$PH" on
check "the guard held until the switch-on was refused" inactive_48v
check_eq "48 V stayed off on the interface" 0 "$(emu quad get in1.phantom)"
say "(The guard lasts 3 s, module parameter phantom_guard_ms; the demo made it 30 s so that you can watch it.) Now preampd starts, as at boot, finds the interface and restores it from its file, all but 48 V: its policy is to keep 48 V off at plug-in."
check "preampd starts again" pd_start || { pd_log; finish; }
check "it restores input 2's gain" wait_until 60 test "$(emu quad get in2.gain_db)" = "$staged"
show preampctl
check_eq "input 1's gain is restored" 24 "$(emu quad get in1.gain_db)"
check_eq "input 4's gain is restored" 20 "$(emu quad get in4.gain_db)"
check_eq "48 V stays off" 0 "$(emu quad get in1.phantom)"
check_eq "input 2 is still locked" true "$(pd_in_get 2 PhantomLocked)"
say "To have 48 V come back as it was saved instead: preampctl policy quad restore (a locked input still never gets it)."

chapter "What next"
say "Try it yourself: 'make vm-shell' boots this VM with a shell, and '/tests/try-preamp' there plugs in the same interface with preampd running. Then type any command above: preampctl, preampctl meter quad, amixer -c 0 scontrols, preampctl autogain quad 1, preampctl --help. Ctrl-A X leaves the VM."
say "To install it on your machine: README.md, 'Installing'. Every test: make check. Every make target: make help."

pd_stop >/dev/null
emu_stop quad >/dev/null
finish
