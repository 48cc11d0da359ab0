# Helpers of the snd-usb-preamp scenarios (driver-*.sh, shared-*.sh),
# sourced after /tests/lib.sh. Not a scenario itself.
#
#   pamp_load [PARAM=VALUE...]   load snd-usb-preamp
#   pamp_param PARAM VALUE       change a parameter of the loaded module
#   pamp_card NAME               the card our controls are on, on emulator
#                                NAME: snd-usb-audio's (USB-Audio) or our
#                                own (USB-Preamp)
#   pamp_own_card NAME           our own card (driver USB-Preamp) on NAME
#   pamp_on CARD                 whether our controls are on CARD
#   pamp_plug NAME               plug in, wait for our controls (then
#                                PAMP_CARD=$(pamp_card NAME))
#   pamp_get NAME                a control's value(s) on $PAMP_CARD (ctlraw)
#   pamp_expected EMU            the control table the driver must show for
#                                emulator EMU, computed from its state (what
#                                the device says it is, spec section 6 rules)
#   pamp_actual CARD             the table of our controls amixer shows
#   traffic_mark EMU / traffic EMU
#                                the vendor requests EMU received in between,
#                                "GET_METERS=3 SET_GAIN=1", or "none"
#   emu_key NAME KEY             one value of the emulator's state
#   pamp_inactive CARD NAME      whether the control is inactive
#   pamp_check_guard_rearmed EMU CONTROL GUARD_MS T0
#                                the checks of a 48 V guard re-armed at T0
#                                (_uptime_cs) by a reset or a power loss

PAMP_CARD=

pamp_load() {
	# kmod's depmod: the initramfs' own run may have left the binary
	# indexes (which modprobe reads) without our module.
	depmod -a >/dev/null 2>&1
	modprobe snd-usb-preamp "$@"
}

pamp_param() {
	echo "$2" >"/sys/module/snd_usb_preamp/parameters/$1"
}

# Our names, "Line In N ...", "Level Meter" and "Clip Count", as a regular
# expression (ERE) on amixer's "numid=..." lines.
PAMP_NAMES="^numid=[0-9]+,iface=MIXER,name='(Line In [0-9]|Level Meter'|Clip Count')"

pamp_on() {
	amixer -c "$1" controls 2>/dev/null | grep -Eq "$PAMP_NAMES"
}

pamp_card() {
	local c
	for c in $(emu_card "$1" USB-Audio) $(emu_card "$1" USB-Preamp); do
		if pamp_on "$c"; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

pamp_own_card() {
	emu_card "$1" USB-Preamp
}

pamp_plug() {
	emu_plug "$1" || return 1
	if ! wait_until 20 pamp_card "$1"; then
		echo "no card with our controls on $1 within 20 s" >&2
		cat /proc/asound/cards >&2
		dmesg | tail -n 20 >&2
		return 1
	fi
}

pamp_get() {
	ctlraw "$PAMP_CARD" read "$1"
}

emu_key() {
	emu "$1" get "$2"
}

traffic_mark() {
	emu "$1" counters | grep '^req\.' >"/tmp/traffic-$1"
}

traffic() {
	emu "$1" counters | grep '^req\.' | awk -F= '
		NR == FNR { before[$1] = $2; next }
		{ d = $2 - before[$1]; if (d) { sub(/^req\./, "", $1); out = out sep $1 "=" d; sep = " " } }
		END { print (out == "" ? "none" : out) }' "/tmp/traffic-$1" -
}

# The number of requests of one kind in a traffic line ("SET_GAIN=2 ...").
traffic_count() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | awk '{ n += $1 } END { print n + 0 }'
}

# Table lines: name|type|access|count|min|max|items|dB
pamp_expected() {
	emu "$1" state | awk '
		function hex(s,   i, c, n) {
			n = 0
			s = tolower(s)
			sub(/^0x/, "", s)
			for (i = 1; i <= length(s); i++) {
				c = index("0123456789abcdef", substr(s, i, 1)) - 1
				n = n * 16 + c
			}
			return n
		}
		function bit(x, b,   k) {
			for (k = 0; k < b; k++)
				x = int(x / 2)
			return x % 2
		}
		function cdb(db) { return sprintf("%.2fdB", db) }
		{
			k = $0; sub(/=.*/, "", k)
			val = $0; sub(/^[^=]*=/, "", val)
			v[k] = val
		}
		END {
			n = v["device.num_inputs"] + 0
			flags = hex(v["device.flags"])
			win = v["device.meter_window_ms"] + 0
			sw[1] = "Pad Capture Switch"
			sw[2] = "Phase Invert Capture Switch"
			sw[3] = "High Pass Filter Capture Switch"
			sw[4] = "Air Capture Switch"
			for (i = 1; i <= n; i++) {
				caps[i] = hex(v["in" i ".caps"])
				grp[i] = v["in" i ".phantom_group"] + 0
			}
			for (i = 1; i <= n; i++) {
				p = "Line In " i " "
				if (bit(caps[i], 8)) {
					lo = v["in" i ".gain_min_db"]; hi = v["in" i ".gain_max_db"]
					st = v["in" i ".gain_step_db"]
					print p "Gain Capture Volume|INTEGER|rw---R--|1|0|" \
						int((hi - lo) / st + 0.5) "||dBminmax-min=" cdb(lo) ",max=" cdb(hi)
				}
				if (bit(caps[i], 0)) {
					if (grp[i] == 0) {
						print p "Phantom Power Capture Switch|BOOLEAN|rw------|1||||"
					} else {
						first = 0; last = 0; count = 0
						for (j = 1; j <= n; j++)
							if (bit(caps[j], 0) && grp[j] == grp[i]) {
								if (!first) first = j
								last = j; count++
							}
						if (first == i && last - first + 1 == count) {
							name = first == last ? first : first "-" last
							print "Line In " name " Phantom Power Capture Switch|BOOLEAN|rw------|1||||"
						}
					}
				}
				for (b = 1; b <= 4; b++)
					if (bit(caps[i], b))
						print p sw[b] "|BOOLEAN|rw------|1||||"
				if (bit(caps[i], 5))
					print p "Level Capture Enum|ENUMERATED|rw------|1|||Line,Inst|"
			}
			if (bit(flags, 0) && win >= 50 && win <= 1000) {
				print "Level Meter|INTEGER|r--v-R--|" n "|-9600|0||dBminmax-min=-96.00dB,max=0.00dB"
				print "Clip Count|INTEGER|r--v----|" n "|0|65535||"
			}
		}' | sort
}

pamp_actual() {
	amixer -c "$1" --inactive contents | awk -v ours="$PAMP_NAMES" '
		function flush() {
			if (name != "")
				print name "|" f["type"] "|" f["access"] "|" f["values"] "|" \
					f["min"] "|" f["max"] "|" items "|" db
			name = ""; items = ""; db = ""
			delete f
		}
		/^numid=/ {
			flush()
			if ($0 !~ ours)		# snd-usb-audio'"'"'s own: skipped
				next
			name = $0
			sub(/^[^\047]*\047/, "", name)
			sub(/\047[^\047]*$/, "", name)
			next
		}
		/^  ; type=/ {
			s = $0; sub(/^  ; /, "", s)
			m = split(s, kv, ",")
			for (i = 1; i <= m; i++) {
				split(kv[i], a, "=")
				f[a[1]] = a[2]
			}
			next
		}
		/^  ; Item #/ {
			it = $0
			sub(/^[^\047]*\047/, "", it)
			sub(/\047.*$/, "", it)
			items = items (items == "" ? "" : ",") it
			next
		}
		/^  \| / { db = substr($0, 5); next }
		END { flush() }' | sort
}

# The emulator state key of a control ("Line In 3 Pad Capture Switch" ->
# "pad"), and its inputs ("3", or "1 2" for a phantom group "1-2").
ctl_key() {
	case "$1" in
	*" Gain Capture Volume") echo gain_db ;;
	*" Phantom Power Capture Switch") echo phantom ;;
	*" Pad Capture Switch") echo pad ;;
	*" Phase Invert Capture Switch") echo phase ;;
	*" High Pass Filter Capture Switch") echo hpf ;;
	*" Air Capture Switch") echo air ;;
	*" Level Capture Enum") echo inst ;;
	*) return 1 ;;
	esac
}

ctl_inputs() {
	local r
	r=$(echo "$1" | sed -n 's/^Line In \([0-9][0-9-]*\) .*/\1/p')
	case "$r" in
	*-*) seq "${r%-*}" "${r#*-}" | tr '\n' ' ' ;;
	*) echo "$r" ;;
	esac
}

pamp_inactive() {
	amixer -c "$1" --inactive cget name="$2" | grep -q 'access=[^,]*i'
}

# After a USB reset or a resume that lost power, with 48 V on before and
# off on the device now: the guard is on again (the control inactive, 48 V
# on refused), and when it ends 48 V comes back on input 1 of emulator EMU.
pamp_check_guard_rearmed() {
	local emu=$1 ctl=$2 guard_ms=$3 t0=$4 out
	check "the 48 V control is inactive" wait_until 5 pamp_inactive "$PAMP_CARD" "$ctl"
	out=$(ctlraw "$PAMP_CARD" write "$ctl" 1 2>&1)
	case "$out" in
	*EPERM*) ok "switching 48 V on is refused (EPERM)" ;;
	*) fail "switching 48 V on is refused (EPERM)" "ctlraw: ${out:-succeeded}" ;;
	esac
	check_eq "... and 48 V is still off" 0 "$(emu_key "$emu" in1.phantom)"
	echo "# the guard checks took $(( ($(_uptime_cs) - t0) / 100 )) s of its $((guard_ms / 1000)) s"
	check "48 V comes back when the guard ends" \
		wait_until $((guard_ms / 1000 + 20)) sh -c "[ \"\$(preamp-emu-ctl /run/emu-$emu.sock get in1.phantom)\" = 1 ]"
	check "... and the control is active again" wait_until 10 pd_guard_lifted "$PAMP_CARD"
	check_eq "... showing 48 V on" 1 "$(ctlraw "$PAMP_CARD" read "$ctl")"
}

# Kernel trouble since boot.
no_kernel_trouble() {
	! dmesg | grep -E "Oops|BUG:|WARNING:|Call Trace|general protection|UBSAN|KASAN|refcount|use-after-free|BUG [^ ]+ \((Not t|T)ainted|Poison overwritten|Redzone overwritten|Object already free" >&2
}
