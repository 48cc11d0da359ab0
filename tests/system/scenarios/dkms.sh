#!/bin/bash
# Scenario 2: the driver the way users get it, through DKMS.
#
# From the packages: snd-usb-preamp-dkms put the module's sources under
# /usr/src/snd-usb-preamp-<version>/ and its postinst had DKMS build and
# install it for the running kernel at `apt install`; DKMS signed it with
# its machine-owner key (README.md, "Secure Boot"). `apt purge` of the
# package takes the module away again.
#
# From `make install`: the same sources; `dkms install` builds and installs
# it with the headers package, and `dkms remove` takes it away.
#
# Either way `modprobe` loads it, and udev loads it by itself when an
# interface is plugged in.
set -u
. /usr/local/lib/preamp-system/lib.sh

kver=$(uname -r)
src=$(ls -d /usr/src/snd-usb-preamp-* 2>/dev/null | head -n1)
by="make install"
[ "$SYSTEM_INSTALL" != packages ] || by="snd-usb-preamp-dkms"
if [ -z "$src" ]; then
	fail "$by put the driver's DKMS sources in /usr/src/snd-usb-preamp-<version>" \
		"/usr/src: $(ls /usr/src | tr '\n' ' ')"
	finish
fi
ver=${src#/usr/src/snd-usb-preamp-}
ok "$by put the driver's DKMS sources in $src"
check_eq "dkms.conf names the same version as the directory" "$ver" \
	"$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")"
check "the sources have the protocol header with them" \
	test -f "$src/include/preamp-protocol.h"
check "the headers of the running kernel are installed" \
	test -e "/lib/modules/$kver/build/Makefile"

if [ "$SYSTEM_INSTALL" = packages ]; then
	note "DKMS built it at apt install (scenario install): nothing to type"
else
	t0=$SECONDS
	out=$(dkms install "snd-usb-preamp/$ver" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "dkms install snd-usb-preamp/$ver builds and installs it ($((SECONDS - t0)) s)"
	else
		fail "dkms install snd-usb-preamp/$ver builds and installs it" \
			"exit status: $rc" "$(printf '%s\n' "$out" | tail -n 30)" \
			"$(tail -n 40 "/var/lib/dkms/snd-usb-preamp/$ver/build/make.log" 2>/dev/null)"
		finish
	fi
fi
status=$(dkms status "snd-usb-preamp/$ver" 2>/dev/null)
note "dkms status: $status"
check "dkms status: installed for $kver" \
	bash -c "dkms status snd-usb-preamp/$ver -k $kver | grep -q ': installed'"
path=$(modinfo -n snd-usb-preamp 2>&1)
if [[ $path == */modules/$kver/updates/dkms/* ]]; then
	ok "modprobe will load the DKMS build ($path)"
else
	fail "modprobe will load the DKMS build" "modinfo -n: $path"
fi

# Secure Boot: DKMS signs what it builds with its machine-owner key, made
# at its first build (openssl); README.md tells how to enrol it.
if [ -f /var/lib/dkms/mok.pub ] && [ -f /var/lib/dkms/mok.key ]; then
	ok "DKMS's signing key is /var/lib/dkms/mok.key, its certificate /var/lib/dkms/mok.pub"
	check "the certificate is DER, as mokutil --import takes it" \
		openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout
	signer=$(modinfo -F signer "$path" 2>&1)
	if [ -n "$signer" ] && openssl x509 -inform DER -in /var/lib/dkms/mok.pub \
		-noout -subject 2>/dev/null | grep -qF "$signer"; then
		ok "the module is signed with that key (signer: $signer)"
	else
		fail "the module is signed with that key" "modinfo -F signer: $signer" \
			"certificate: $(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject 2>&1)"
	fi
else
	fail "DKMS made its signing key in /var/lib/dkms (mok.key, mok.pub)" \
		"/var/lib/dkms: $(ls /var/lib/dkms 2>&1 | tr '\n' ' ')" \
		"shim-signed: $(ls /var/lib/shim-signed/mok 2>&1 | tr '\n' ' ')"
fi

check "modprobe snd-usb-preamp loads it" modprobe snd-usb-preamp
check "snd-usb-preamp is loaded" module_loaded snd-usb-preamp
note "taint flags: $(cat /proc/sys/kernel/tainted)"
check "modprobe -r unloads it" modprobe -r snd-usb-preamp

# Plugged in, udev loads the driver from its modalias: nothing else does.
if command -v preamp-emu >/dev/null; then
	check "usbip's vhci-hcd loads" load_usbip || finish
	check "the quad emulator starts" emu_start quad quad || finish
	check "the quad interface plugs in" emu_plug quad || finish
	# the preamp controls stand on snd-usb-audio's card
	preamp_controls() {
		local c
		c=$(emu_card quad USB-Audio) || return 1
		amixer -c "$c" controls | grep -q "Line In 1 Gain Capture Volume"
	}
	if wait_until 60 preamp_controls; then
		ok "udev loaded snd-usb-preamp for it: its controls are on card $(emu_card quad USB-Audio)"
	else
		fail "udev loaded snd-usb-preamp for it" "$(cat /proc/asound/cards)" \
			"modules: $(lsmod | grep -E '^snd_usb' | awk '{ print $1 }' | tr '\n' ' ')"
	fi
	check "the quad interface unplugs" emu_unplug quad
	emu_stop quad
	wait_until 30 modprobe -r snd-usb-preamp
else
	note "preamp-emu is not built: the plug-in part is skipped"
fi

if [ "$SYSTEM_INSTALL" = packages ]; then
	check "apt purge snd-usb-preamp-dkms takes it away" \
		env DEBIAN_FRONTEND=noninteractive apt purge -y snd-usb-preamp-dkms
	check_eq "DKMS has no snd-usb-preamp" "" "$(dkms status snd-usb-preamp 2>&1)"
else
	check "dkms remove takes it away" dkms remove "snd-usb-preamp/$ver" --all
fi
check "no snd-usb-preamp module is left for $kver" \
	bash -c "! modinfo -n snd-usb-preamp"

finish
