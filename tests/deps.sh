#!/bin/bash
# Installs the Debian packages that building and testing preamp need, when
# run as root; otherwise prints the apt-get line to run.
set -euo pipefail

packages=(
	# building
	gcc make pkg-config libc6-dev
	libasound2-dev libudev-dev libsystemd-dev libinih-dev
	# unit tests, and preampctl's check against a stand-in daemon
	libcmocka-dev valgrind python3-dbus python3-gi tmux
	# the fuzz harnesses (libFuzzer)
	clang-14 libclang-rt-14-dev
	# the kernel module and its checks
	linux-headers-amd64 sparse linux-source-6.1 xz-utils
	# the VM test bed
	qemu-system-x86 busybox-static cpio kmod zstd
	usbip alsa-utils dbus systemd udev util-linux usbutils
	# the full-system test bed
	debootstrap qemu-utils e2fsprogs
	# preamp-gtk, its desktop files, and its UI test (Xvfb, AT-SPI)
	libgtk-4-dev libadwaita-1-dev desktop-file-utils appstream
	xvfb x11-utils imagemagick python3-pyatspi gir1.2-atspi-2.0 at-spi2-core
	# the Debian packages (debian/), built and checked on this release
	dpkg-dev debhelper dh-dkms lintian
)

missing=()
for p in "${packages[@]}"; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "preamp needs these Debian packages; as root, run:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
