#!/bin/bash
# Scenario 7: uninstalling. preampd is set up as README.md's "Installing"
# says and used once; then the uninstall steps of the same section run:
# `systemctl disable --now preampd`, `dkms remove` (when DKMS has the
# driver), `make uninstall` in the project's tree with the variables of
# the install, `systemctl daemon-reload`. No file of ours is left (only
# the settings in /var/lib/preampd and the user preampd, as documented),
# and the system boots cleanly again without them.
set -u
. /usr/local/lib/preamp-system/lib.sh

SRC=$SYSTEM_DIR/src
FLAGS=$(cat "$SYSTEM_DIR/install-flags" 2>/dev/null)
# Where our files could be, apart from the test bed's own (its files and
# the image's initramfs hook are named preamp-system*).
AREAS="/usr/local /etc /usr/bin /usr/sbin /usr/lib/systemd /usr/lib/sysusers.d
	/usr/lib/udev/rules.d /usr/share/dbus-1 /usr/share/polkit-1 /usr/share/man
	/usr/share/bash-completion /usr/share/preampd /usr/src"

ours() {
	# shellcheck disable=SC2086
	find $AREAS \( -path "$SYSTEM_DIR" -o -name 'preamp-system*' \
		-o -path '/etc/systemd/system/getty@tty1.service.d' \) -prune \
		-o -iname '*preamp*' -print 2>/dev/null | sort
}

case $SYSTEM_BOOT in
1)
	[ "$SYSTEM_INSTALL" = tree ] ||
		{ fail "the uninstall scenario runs on a make install tree (run.sh --root)"; finish; }
	check_eq "the boot is over" running "$(wait_boot_finished 900)"
	check "the installed tree is listed" test -s "$SYSTEM_DIR/installed-files" || finish
	note "installed with: make install ${FLAGS:-(no variables)}; $(wc -l <"$SYSTEM_DIR/installed-files") files"
	check "systemd-sysusers" systemd-sysusers
	check "systemctl daemon-reload" systemctl daemon-reload
	check "systemctl enable --now preampd" systemctl enable --now preampd.service ||
		{ pd_journal; finish; }
	check "preampd answers" pd_get "$PD_ROOT" "$PD_BUS.Manager" Version
	note "before: $(ours | wc -l) paths named *preamp*"

	# --- README.md's uninstall steps
	check "systemctl disable --now preampd" systemctl disable --now preampd.service
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$SRC/kernel/dkms.conf")
	if [ -n "$(dkms status "snd-usb-preamp/$ver" 2>/dev/null)" ]; then
		check "dkms remove snd-usb-preamp/$ver --all" dkms remove "snd-usb-preamp/$ver" --all
	else
		note "DKMS never had snd-usb-preamp/$ver here: no dkms remove (scenarios/dkms.sh runs it)"
	fi
	# shellcheck disable=SC2086
	out=$(make -C "$SRC" --no-print-directory uninstall $FLAGS 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "make uninstall $FLAGS"
		printf '%s\n' "$out" | grep -vE '^(rm|rmdir) |^[[:space:]]' | sed 's/^/# make: /'
	else
		fail "make uninstall $FLAGS" "status $rc" "$out"
	fi
	check "systemctl daemon-reload" systemctl daemon-reload

	# --- what is left
	left=$(while IFS= read -r f; do
		[ -e "$f" ] || [ -L "$f" ] && echo "$f"
	done <"$SYSTEM_DIR/installed-files")
	check_eq "no installed file is left" "" "$left"
	# shellcheck disable=SC2086
	check_eq "nothing named *preamp* is left in $(echo $AREAS)" "" "$(ours)"
	check_eq "no unit link is left in /etc/systemd/system" "" \
		"$(find /etc/systemd/system -name 'preampd*' -o -name 'dbus-org.preampd*')"
	check "systemd no longer knows preampd.service" \
		bash -c '! systemctl cat preampd.service'
	check "D-Bus no longer activates org.preampd.Preamp1" \
		wait_until 30 bash -c '! busctl --system list --activatable --no-legend | grep -q org.preampd'
	check "polkit no longer has the actions" \
		bash -c '! pkaction --action-id org.preampd.preamp1.set-gain'
	note "kept, as documented: $(ls -d /var/lib/preampd 2>/dev/null) user $(getent passwd preampd | cut -d: -f1)"
	reboot_and_continue
	;;
2)
	check_boots_clean_without_preampd
	check_eq "nothing named *preamp* came back" "" "$(ours)"
	finish
	;;
*)
	fail "no more than two boots" "boot $SYSTEM_BOOT"
	finish
	;;
esac
