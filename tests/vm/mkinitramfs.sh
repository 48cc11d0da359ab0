#!/bin/bash
# Builds the initramfs of a test VM for one kernel.
#
#   mkinitramfs.sh [--shell] -o OUT KVER [SCENARIO [ARGS...]]
#
# OUT is two concatenated cpio archives (the kernel unpacks them in turn):
#  1. the base, which does not depend on the project: busybox, Debian
#     programs with their libraries, the kernel modules the tests need. It
#     is cached per kernel under $PREAMP_CACHE/initramfs/ and rebuilt only
#     when its inputs change.
#  2. the project's files, rebuilt every time (small): /init, the guest
#     library and scenarios under /tests, build/bin/* in /usr/local/bin,
#     build/kernel/KVER/*.ko in /lib/modules/KVER/extra, the emulator's
#     models in /usr/share/preamp-emu/models, build/vm/root/ (if there) as
#     it is, and /tests/run.conf naming the scenario to run (or --shell:
#     an interactive shell instead).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${PREAMP_CACHE:-/var/cache/preamp}
B=${PREAMP_BUILD:-$TOP/build}

# Debian programs (names looked up in PATH, or absolute paths) and data
# (files or directories) copied into every VM; programs come with the
# shared libraries ldd lists. Add a tool here.
HOST_FILES=(
	bash setpriv
	kmod modprobe insmod rmmod lsmod modinfo depmod
	amixer alsactl arecord aplay /usr/share/alsa
	usbip usbipd lsusb
	# the daemon's scenarios: a system bus and udev with Debian's rules
	dbus-daemon busctl /usr/share/dbus-1
	/usr/lib/systemd/systemd-udevd udevadm /usr/lib/udev/rules.d
)

# Kernel modules (with everything they depend on) copied into every VM.
MODULES=(
	configfs
	usbip-core vhci-hcd
	snd snd-timer snd-pcm snd-hwdep snd-rawmidi snd-seq-device
	snd-usbmidi-lib snd-usb-audio
)

msg() { printf 'mkinitramfs: %s\n' "$*" >&2; }
die() { printf 'mkinitramfs: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,4s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

shell=no
out=
while [ $# -gt 0 ]; do
	case "$1" in
	--shell) shell=yes; shift ;;
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
{ [ -n "$out" ] && [ $# -ge 1 ]; } || usage
kver=$1; shift
scenario=${1:-}
[ $# -eq 0 ] || shift
[ "$shell" = yes ] || [ -n "$scenario" ] || die "a scenario or --shell is needed"

kroot=$CACHE/kernels/$kver
[ -f "$kroot/.complete" ] || die "kernel $kver is not in $kroot (run tests/vm/kernels.sh fetch)"
for tool in busybox cpio zstd xz ldd depmod; do
	command -v "$tool" >/dev/null || die "$tool not found"
done

# Where a host file goes inside the image. The image has a merged /usr
# (/bin, /sbin, /lib, /lib64 are links into /usr), so files are stored
# under their /usr name.
image_path() {
	case "$1" in
	/bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# Copy host file $1 to the same place in image root $2 (symlinks followed).
put() {
	local dest
	dest=$2$(image_path "$1")
	mkdir -p "$(dirname "$dest")"
	cp -L "$1" "$dest"
}

# The shared libraries (and the dynamic loader) an ELF file needs.
libs_of() {
	ldd "$1" 2>/dev/null | awk '
		/=> \// { print $3; next }
		/^[ \t]*\// { print $1 }'
}

is_dynamic_elf() {
	head -c 4 "$1" 2>/dev/null | grep -q 'ELF' && ldd "$1" >/dev/null 2>&1
}

resolve_host_files() {
	local f p
	for f in "${HOST_FILES[@]}"; do
		case "$f" in
		/*) [ -e "$f" ] || die "$f not found on this machine" ; echo "$f" ;;
		*)
			p=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
				command -v "$f") || die "program $f not found on this machine"
			echo "$p" ;;
		esac
	done
}

# Module files (paths in the cache) of the closure of MODULES, in load order.
module_closure() {
	modprobe -d "$kroot" -S "$kver" -a --show-depends "${MODULES[@]}" |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# ---------------------------------------------------------------- base --

build_base() {
	local dest=$1 root f p name lib mod rel
	root=$(mktemp -d "$CACHE/initramfs/.base.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	msg "building the base image for $kver"

	mkdir -p "$root"/{dev,proc,sys,run,tmp,root,etc,mnt,var/lib/alsa} \
		"$root"/usr/{bin,sbin,lib,lib64}
	ln -s usr/bin "$root/bin"
	ln -s usr/sbin "$root/sbin"
	ln -s usr/lib "$root/lib"
	ln -s usr/lib64 "$root/lib64"
	ln -s ../run "$root/var/run"
	chmod 1777 "$root/tmp"

	# busybox and its applets; Debian programs below replace applets of
	# the same name.
	cp "$(command -v busybox)" "$root/usr/bin/busybox"
	busybox --list-full | while read -r p; do
		case "$p" in */*) ;; *) continue ;; esac
		p=$(image_path "/$p")
		[ -e "$root$p" ] || [ -L "$root$p" ] || ln -s /usr/bin/busybox "$root$p"
	done

	while read -r f; do
		if [ -d "$f" ]; then
			mkdir -p "$root$(image_path "$f")"
			cp -a "$f/." "$root$(image_path "$f")/"
			continue
		fi
		name=${f##*/}
		# No busybox applet may shadow the Debian program.
		rm -f "$root"/usr/bin/"$name" "$root"/usr/sbin/"$name"
		put "$f" "$root"
		if is_dynamic_elf "$f"; then
			libs_of "$f"
		fi
	done <<<"$host_files" | sort -u | while read -r lib; do
		[ -e "$root$(image_path "$lib")" ] || put "$lib" "$root"
	done
	# /bin/sh is bash: busybox's sh runs busybox's own applets before
	# anything in PATH (its modprobe for kmod's, say), a trap in `sh -c`.
	ln -sf bash "$root/usr/bin/sh"
	# usbip looks for USB names in hwdata's place; Debian has them in misc.
	if [ -e /usr/share/misc/usb.ids ]; then
		mkdir -p "$root/usr/share/hwdata"
		cp -L /usr/share/misc/usb.ids "$root/usr/share/hwdata/usb.ids"
	fi

	# Kernel modules, uncompressed (the guest's kmod then needs no
	# decompressor and loading is faster), and their index.
	mkdir -p "$root/usr/lib/modules/$kver"
	module_closure | while read -r mod; do
		rel=${mod#"$kroot/lib/modules/$kver/"}
		mkdir -p "$root/usr/lib/modules/$kver/$(dirname "$rel")"
		case "$mod" in
		*.ko.xz)  xz -dc "$mod" >"$root/usr/lib/modules/$kver/${rel%.xz}" ;;
		*.ko.zst) zstd -qdc "$mod" >"$root/usr/lib/modules/$kver/${rel%.zst}" ;;
		*.ko.gz)  gzip -dc "$mod" >"$root/usr/lib/modules/$kver/${rel%.gz}" ;;
		*.ko)     cp "$mod" "$root/usr/lib/modules/$kver/$rel" ;;
		*)        die "unexpected module file $mod" ;;
		esac
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$kroot/lib/modules/$kver/$f" ] &&
			cp "$kroot/lib/modules/$kver/$f" "$root/usr/lib/modules/$kver/"
	done
	depmod -b "$root/usr" "$kver"

	cat >"$root/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/bash
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	cat >"$root/etc/group" <<-'EOF'
	root:x:0:
	audio:x:29:
	nogroup:x:65534:
	EOF
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\n' >"$root/etc/nsswitch.conf"

	# The file list lets the project part skip libraries already here.
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort) >"$dest.list.tmp"
	(cd "$root" && LC_ALL=C sort "$dest.list.tmp" |
		cpio -o -H newc -R 0:0 --quiet) | zstd -q -9 -T2 >"$dest.tmp"
	mv "$dest.list.tmp" "$dest.list"
	mv "$dest.tmp" "$dest"
	rm -rf "$root"
	trap - EXIT
	msg "cached $dest ($(du -h "$dest" | cut -f1))"
}

# The base's cache key: this script, the kernel, and the identity of every
# host file that goes in (so a Debian update of a program rebuilds it).
base_key() {
	{
		cat "$0"
		echo "$kver"
		stat -c '%Y' "$kroot/.complete"
		while read -r f; do
			if [ -d "$f" ]; then
				find "$f" -printf '%p %s %T@\n' | LC_ALL=C sort
			else
				stat -L -c '%n %s %Y' "$f"
				if is_dynamic_elf "$f"; then
					libs_of "$f" | xargs -r stat -L -c '%n %s %Y'
				fi
			fi
		done <<<"$host_files"
		stat -L -c '%n %s %Y' "$(command -v busybox)"
	} | sha256sum | cut -c1-16
}

host_files=$(resolve_host_files)
mkdir -p "$CACHE/initramfs/$kver"
base=$CACHE/initramfs/$kver/base-$(base_key).cpio.zst
(
	# Several builds may share the cache: one builds, the others wait.
	flock 9
	if [ ! -f "$base" ]; then
		rm -f "$CACHE/initramfs/$kver"/base-*
		build_base "$base"
	fi
) 9>"$CACHE/initramfs/$kver/.lock"

# ------------------------------------------------------------- project --

mkdir -p "$B/vm"
stage=$(mktemp -d "$B/vm/.stage-$kver.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/tests/scenarios" "$stage/usr/local/bin"

install -m 755 "$HERE/guest/init" "$stage/init"
for f in "$HERE"/guest/*; do
	[ "$(basename "$f")" = init ] || cp -a "$f" "$stage/tests/"
done
cp -a "$HERE/scenarios/." "$stage/tests/scenarios/"

# The project's programs, with the libraries the base lacks.
if [ -d "$B/bin" ]; then
	for f in "$B"/bin/*; do
		{ [ -f "$f" ] && [ -x "$f" ]; } || continue
		cp -L "$f" "$stage/usr/local/bin/"
		if is_dynamic_elf "$f"; then
			libs_of "$f"
		fi
	done | sort -u | while read -r lib; do
		grep -qxF ".$(image_path "$lib")" "$base.list" || put "$lib" "$stage"
	done
fi

# Our kernel modules for this kernel; scenarios load them themselves.
if compgen -G "$B/kernel/$kver/*.ko" >/dev/null; then
	mkdir -p "$stage/usr/lib/modules/$kver/extra"
	cp "$B/kernel/$kver"/*.ko "$stage/usr/lib/modules/$kver/extra/"
fi

# A tree to install as it is, e.g. `make install-daemon DESTDIR=build/vm/root`.
# Its /bin, /sbin, /lib, /lib64 go to /usr, as the base's are links there.
if [ -d "$B/vm/root" ]; then
	cp -a "$B/vm/root/." "$stage/"
	for d in bin sbin lib lib64; do
		if [ -d "$stage/$d" ] && [ ! -L "$stage/$d" ]; then
			mkdir -p "$stage/usr/$d"
			cp -a "$stage/$d/." "$stage/usr/$d/"
			rm -rf "${stage:?}/$d"
		fi
	done
fi

if compgen -G "$TOP/tests/emulator/models/*.ini" >/dev/null; then
	mkdir -p "$stage/usr/share/preamp-emu/models"
	cp "$TOP"/tests/emulator/models/*.ini "$stage/usr/share/preamp-emu/models/"
fi
# the interfaces people own (personalities of preamp-emu)
if compgen -G "$TOP/tests/emulator/models/interfaces/*.ini" >/dev/null; then
	mkdir -p "$stage/usr/share/preamp-emu/models/interfaces"
	cp "$TOP"/tests/emulator/models/interfaces/*.ini \
		"$stage/usr/share/preamp-emu/models/interfaces/"
fi

# What /init runs, as shell assignments.
{
	if [ "$shell" = yes ]; then
		echo "VM_SHELL=1"
	else
		echo "VM_SHELL=0"
	fi
	printf 'VM_SCENARIO=%q\n' "$scenario"
	printf 'set --'
	[ $# -eq 0 ] || printf ' %q' "$@"
	printf '\n'
} >"$stage/tests/run.conf"

mkdir -p "$(dirname "$out")"
{
	cat "$base"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | zstd -q -3 -T2
} >"$out.tmp"
mv "$out.tmp" "$out"
