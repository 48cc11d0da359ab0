#!/bin/bash
# The Debian system images of the full-system tests (Debian 13 "trixie",
# the stable release, and Debian 12 "bookworm"), built with debootstrap and
# cached outside the repository.
#
#   image.sh [--suite SUITE] build   build the image unless the cached one is
#                                    current; prints its directory
#   image.sh [--suite SUITE] path    the current image's directory (fails if
#                                    not built)
#   image.sh [--suite SUITE] info    what is in it: kernel, sizes, versions
#   image.sh [--suite SUITE] clean   remove the images (the package cache
#                                    stays)
#
# SUITE is trixie (the default) or bookworm. trixie's image runs trixie's
# own kernel; bookworm's, bookworm-backports' 6.12 that the VM tests use.
# The image is rebuilt when its inputs change: packages.list, this script,
# guest/image/* (what goes into its initramfs) and the kernel version
# (tests/vm/kernels.sh resolve 6.12, or kernels.sh stable). The downloaded
# .debs and apt lists are kept, so a rebuild downloads only what changed.
# Everything comes from the archive the machine's apt uses
# (tests/debian/archive.sh), checked against the archive keyring.
#
# Cache layout under ${PREAMP_CACHE:-/var/cache/preamp}/system/SUITE:
#   debs/            every .deb debootstrap and apt downloaded
#   apt-lists/       apt's lists for the image's sources
#   image-<key>/     root.qcow2 (backing file of every run's overlay),
#                    vmlinuz, initrd.img, kver, packages.txt, build.log
#   current          the key of the last image built
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${PREAMP_CACHE:-/var/cache/preamp}
ARCHIVE=$TOP/tests/debian/archive.sh
SUITE=trixie
# Virtual size of the root disk; the overlays grow into it.
DISK_SIZE=4G
# Fixed, so that the first boot of every overlay is not a first boot.
MACHINE_ID=5ca1ab1e0d15ea5e5ca1ab1e0d15ea5e

msg() { printf 'system-image: %s\n' "$*" >&2; }
die() { printf 'system-image: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,16s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# The image's kernel: trixie's own, or the 6.12 of the VM tests.
kver() {
	local k
	case "$SUITE" in
	bookworm)
		if ! k=$("$TOP/tests/vm/kernels.sh" resolve 6.12 2>/dev/null); then
			msg "no 6.12 kernel cached yet: fetching the VM kernels"
			"$TOP/tests/vm/kernels.sh" fetch >&2
			k=$("$TOP/tests/vm/kernels.sh" resolve 6.12)
		fi ;;
	*)
		k=$("$TOP/tests/vm/kernels.sh" stable) ||
			die "cannot resolve $SUITE's kernel" ;;
	esac
	echo "$k"
}

# packages.list's lines for this suite, "STAGE NAME", with the kernel
# version filled in.
package_list() {
	sed -e 's/#.*//' -e "s/@KVER@/$1/g" "$HERE/packages.list" |
		awk -v suite="$SUITE" '
		NF == 2 { print; next }
		NF > 2 { for (i = 3; i <= NF; i++) if ($i == suite) { print $1, $2; break }; next }
		NF { print "bad line: " $0 > "/dev/stderr"; exit 1 }'
}

# The image's own apt sources: the release, its updates and security
# updates, and (bookworm) the backports its kernel comes from.
image_sources() {
	local main security key
	main=$("$ARCHIVE" main)
	security=$("$ARCHIVE" security)
	key=$("$ARCHIVE" keyring)
	echo "deb [signed-by=$key] $main $SUITE main"
	echo "deb [signed-by=$key] $main $SUITE-updates main"
	echo "deb [signed-by=$key] $security $SUITE-security main"
	[ "$SUITE" != bookworm ] || echo "deb [signed-by=$key] $main $SUITE-backports main"
}

image_key() {
	{
		package_list "$1"
		cat "$0"
		cat "$HERE"/guest/image/*
	} | sha256sum | cut -c1-16
}

# ------------------------------------------------------------------ build --

ROOT=
MOUNTS=()

chroot_mount() {
	local kind=$1 src=$2 dst=$ROOT$3
	mkdir -p "$dst"
	case "$kind" in
	bind) mount --bind "$src" "$dst" ;;
	*)    mount -t "$kind" "$src" "$dst" ;;
	esac
	MOUNTS+=("$dst")
}

chroot_umount_all() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
	done
	MOUNTS=()
}

in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"
}

# apt inside the new system: downloads to the shared .deb cache, as root
# (the cache belongs to the host's root, not the image's _apt).
APT_OPTS=(-o APT::Sandbox::User=root -o Acquire::Retries=3
	-o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=120)

in_root_apt() {
	in_root apt-get "${APT_OPTS[@]}" "$@"
}

STEP_START=0
step() {
	STEP_START=$SECONDS
	msg "$* ..."
}
step_done() {
	msg "    done in $((SECONDS - STEP_START)) s"
}

configure_system() {
	image_sources >"$ROOT/etc/apt/sources.list"
	echo preamp-test >"$ROOT/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tpreamp-test\n' >"$ROOT/etc/hosts"
	echo "$MACHINE_ID" >"$ROOT/etc/machine-id"
	echo '/dev/vda / ext4 rw,relatime 0 0' >"$ROOT/etc/fstab"
	# No service may start inside the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

	# A small initramfs for the VM's disks, with the test bed's script
	# that copies the test disk in before systemd starts. In place before
	# the kernel is installed, whose postinst builds the initramfs.
	mkdir -p "$ROOT/etc/initramfs-tools/conf.d" "$ROOT/etc/initramfs-tools/scripts/init-bottom"
	printf 'MODULES=list\nCOMPRESS=zstd\n' >"$ROOT/etc/initramfs-tools/conf.d/preamp-system.conf"
	printf '%s\n' virtio_pci virtio_blk ext4 crc32c >>"$ROOT/etc/initramfs-tools/modules"
	install -m 0755 "$HERE/guest/image/init-bottom" \
		"$ROOT/etc/initramfs-tools/scripts/init-bottom/preamp-system"

	# Timers and services that only cost boot time in a test VM.
	local u
	for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
		e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer \
		systemd-timesyncd.service; do
		ln -sf /dev/null "$ROOT/etc/systemd/system/$u"
	done
	# The root can log in on the console of an interactive run.
	in_root passwd -d root >/dev/null
}

apt_install() {
	local pkgs=("$@") rc=0
	# The cached lists may name versions the archive no longer has, or
	# lack a new kernel: update and try again.
	if [ -n "$(find "$LISTS" -maxdepth 1 -name '*Packages*' -print -quit)" ]; then
		in_root_apt install -y --no-install-recommends "${pkgs[@]}" >>"$LOG" 2>&1 || rc=$?
		[ "$rc" -eq 0 ] && return 0
		msg "    the cached apt lists are not enough: apt-get update"
	fi
	in_root_apt update >>"$LOG" 2>&1 || die "apt-get update failed (log: $LOG)"
	in_root_apt install -y --no-install-recommends "${pkgs[@]}" >>"$LOG" 2>&1 ||
		die "apt-get install failed (log: $LOG)"
}

do_build() {
	local kver key dir base apt_pkgs stage pkg t0=$SECONDS work main proxy
	kver=$(kver)
	key=$(image_key "$kver")
	dir=$SYS/image-$key
	# Found without waiting for the lock that running tests hold.
	if [ -f "$dir/.complete" ]; then
		[ "$(cat "$SYS/current" 2>/dev/null)" = "$key" ] || echo "$key" >"$SYS/current"
		echo "$dir"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "building the image needs root (debootstrap, chroot)"
	local need
	for need in debootstrap mkfs.ext4 qemu-img chroot flock; do
		command -v "$need" >/dev/null ||
			die "$need not found (packages: debootstrap e2fsprogs qemu-utils coreutils util-linux)"
	done
	mkdir -p "$SYS" "$DEBS/partial" "$LISTS/partial"

	exec 8>"$SYS/.lock"
	flock -x 8
	if [ -f "$dir/.complete" ]; then
		echo "$key" >"$SYS/current"
		echo "$dir"
		return 0
	fi

	base=()
	apt_pkgs=()
	while read -r stage pkg; do
		case "$stage" in
		base) base+=("$pkg") ;;
		apt)  apt_pkgs+=("$pkg") ;;
		*)    die "packages.list: unknown stage '$stage' (base or apt)" ;;
		esac
	done < <(package_list "$kver")

	msg "building the $SUITE image $key (kernel $kver) in $SYS"
	work=$(mktemp -d "$SYS/.build.XXXXXX")
	ROOT=$work/root
	LOG=$work/build.log
	: >"$LOG"
	trap 'chroot_umount_all; rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM

	main=$("$ARCHIVE" main)
	proxy=$("$ARCHIVE" proxy)
	step "debootstrap $SUITE from $main (${#base[@]} packages and their dependencies; log: $LOG)"
	if ! env ${proxy:+http_proxy="$proxy"} debootstrap --variant=minbase --components=main \
		--keyring="$("$ARCHIVE" keyring)" \
		--include="$(IFS=,; echo "${base[*]}")" --cache-dir="$DEBS" \
		"$SUITE" "$ROOT" "$main" >>"$LOG" 2>&1; then
		tail -n 30 "$LOG" >&2
		die "debootstrap failed (log above)"
	fi
	step_done

	step "configuring the system"
	configure_system "$kver"
	step_done

	step "apt-get install ${#apt_pkgs[@]} packages (kernel $kver, polkitd, dkms, ...)"
	chroot_mount proc proc /proc
	chroot_mount sysfs sysfs /sys
	chroot_mount bind /dev /dev
	chroot_mount bind /dev/pts /dev/pts
	chroot_mount bind "$DEBS" /var/cache/apt/archives
	# debootstrap's own lists are hidden under the cached ones, then removed.
	chroot_mount bind "$LISTS" /var/lib/apt/lists
	if ! apt_install "${apt_pkgs[@]}"; then
		tail -n 30 "$LOG" >&2
		die "apt-get install failed"
	fi
	[ -f "$ROOT/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver in the image"
	[ -f "$ROOT/boot/initrd.img-$kver" ] || die "no /boot/initrd.img-$kver in the image"
	in_root lsinitramfs "/boot/initrd.img-$kver" >"$work/initrd.list"
	grep -q 'scripts/init-bottom/preamp-system$' "$work/initrd.list" ||
		die "the initramfs lacks the test disk script"
	rm -f "$work/initrd.list"
	in_root dpkg-query -W -f='${Package} ${Version}\n' | sort >"$work/packages.txt"
	chroot_umount_all
	step_done

	step "cleaning up"
	rm -f "$ROOT/usr/sbin/policy-rc.d" "$ROOT/etc/resolv.conf"
	rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin \
		"$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/tmp/* "$ROOT"/var/tmp/*
	mkdir -p "$ROOT/var/lib/apt/lists/partial"
	find "$ROOT/var/log" -type f -exec truncate -s 0 {} +
	cp "$ROOT/boot/vmlinuz-$kver" "$work/vmlinuz"
	cp "$ROOT/boot/initrd.img-$kver" "$work/initrd.img"
	step_done

	step "making the ext4 disk (mkfs.ext4 -d, $DISK_SIZE virtual) and its qcow2"
	truncate -s "$DISK_SIZE" "$work/root.raw"
	mkfs.ext4 -q -F -L preamp-root -d "$ROOT" "$work/root.raw" >>"$LOG" 2>&1 ||
		die "mkfs.ext4 failed (log: $LOG)"
	qemu-img convert -f raw -O qcow2 "$work/root.raw" "$work/root.qcow2"
	rm -f "$work/root.raw"
	rm -rf "$ROOT"
	step_done

	echo "$kver" >"$work/kver"
	cp "$LOG" "$work/build.log.keep"
	trap - EXIT INT TERM
	mv "$work/build.log.keep" "$work/build.log"
	# Replace the older images (no run holds the lock now).
	rm -rf "$SYS"/image-*
	touch "$work/.complete"
	mv "$work" "$dir"
	echo "$key" >"$SYS/current"
	msg "image ready in $((SECONDS - t0)) s: $dir ($(du -sh "$dir/root.qcow2" | cut -f1) on disk)"
	echo "$dir"
}

do_path() {
	local key
	key=$(cat "$SYS/current" 2>/dev/null) || die "no image built yet (run: $0 build)"
	[ -f "$SYS/image-$key/.complete" ] || die "no image built yet (run: $0 build)"
	echo "$SYS/image-$key"
}

do_info() {
	local dir
	dir=$(do_path)
	echo "image:    $dir"
	echo "kernel:   $(cat "$dir/kver")"
	echo "root:     $(qemu-img info "$dir/root.qcow2" | sed -n 's/^virtual size: //p') virtual, $(du -h "$dir/root.qcow2" | cut -f1) on disk"
	echo "initrd:   $(du -h "$dir/initrd.img" | cut -f1)"
	echo "packages: $(wc -l <"$dir/packages.txt") installed ($dir/packages.txt)"
	echo "debs:     $(du -sh "$DEBS" 2>/dev/null | cut -f1) cached in $DEBS"
}

do_clean() {
	mkdir -p "$SYS"
	exec 8>"$SYS/.lock"
	flock -x 8
	rm -rf "$SYS"/image-* "$SYS"/.build.* "$SYS/current"
	msg "removed the images; the package cache $DEBS stays"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--suite) [ $# -ge 2 ] || usage; SUITE=$2; shift 2 ;;
	*) break ;;
	esac
done
case "$SUITE" in
bookworm|trixie) ;;
*) die "unknown suite '$SUITE' (bookworm or trixie)" ;;
esac
SYS=$CACHE/system/$SUITE
DEBS=$SYS/debs
LISTS=$SYS/apt-lists

case "${1:-}" in
build) do_build ;;
path)  do_path ;;
info)  do_info ;;
clean) do_clean ;;
*)     usage ;;
esac
