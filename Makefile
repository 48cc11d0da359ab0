# preamp: top-level build. `make` builds the user-space programs and the
# kernel module; `make check` runs every test; `make demo` shows the project
# working on an emulated interface in a throw-away VM.

SHELL      := /bin/bash
.SHELLFLAGS := -o pipefail -c

PREFIX     ?= /usr/local
DESTDIR    ?=
B          := build
PKG_CONFIG ?= pkg-config

# Downloads (kernels, packages) are cached outside the repository.
PREAMP_CACHE ?= /var/cache/preamp
export PREAMP_CACHE

CC       ?= cc
CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= -O2 -g
CPPFLAGS += -Iinclude
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

INIH_LIBS   := $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

.SECONDARY:
.PHONY: all check check-long check-unit check-fuzz fuzz check-kernel check-vm check-emulated check-emulated-long check-demo demo deps bench clean kernel install uninstall help man
all: user kernel man

# Each part's fragment adds its programs to USER_BINS and its cmocka
# suites to UNIT_SUITES; unit.mk, which builds the suites, comes last.
-include tests/emulator/emulator.mk
-include tests/conformance/conformance.mk
-include daemon/preampd/autogain.mk
-include daemon/daemon.mk
-include daemon/preampctl/preampctl.mk
-include daemon/preamp-gtk/preamp-gtk.mk
-include kernel/kernel.mk
-include tests/vm/vm.mk
-include tests/system/system.mk
-include tests/bench/bench.mk
-include tests/fuzz/fuzz.mk
-include tests/unit/unit.mk

user: $(USER_BINS)

# Man pages: the fragments add theirs to MAN_PAGES; groff reads each, and a
# warning fails the build.
man: $(MAN_PAGES)
	@for p in $^; do \
		w=$$(groff -man -ww -z $$p 2>&1); \
		[ -z "$$w" ] || { echo "$$p: $$w" >&2; exit 1; }; \
	done

help:
	@echo 'preamp: what make can do (README.md says more)'
	@echo
	@echo '  make               build everything: build/bin, the module for each kernel, man pages'
	@echo '  make demo          the whole story on an emulated interface in a throw-away VM'
	@echo '  make vm-shell      a shell in that VM, to try things by hand (try-preamp starts it all)'
	@echo '  make check         every test; ends with "N passed, N failed"'
	@echo '  make check-unit    the cmocka suites, under ASan+UBSan and valgrind'
	@echo '  make check-preampctl  preampctl against a stand-in daemon'
	@echo '  make check-preamp-gtk the desktop app: its files, its API XML, the UI under Xvfb'
	@echo '  make check-fuzz    a short run of each libFuzzer harness (make fuzz: longer)'
	@echo '  make check-long    the soaks and the model sweep, beyond check'
	@echo '  make try           the desktop app and preampctl on a simulated preampd'
	@echo '  make check-kernel  checkpatch, sparse and W=1 builds of the driver'
	@echo '  make check-vm      the VM scenarios (VM_SCENARIOS=..., VM_KERNELS=..., VM_JOBS=N)'
	@echo '  make check-system  the full-system tests: Debian 13 from the packages, Debian 12'
	@echo '  make check-emulated  the VM and system runs of check, in one queue'
	@echo '  make check-demo    make demo from a fresh checkout of the tracked files'
	@echo '  make vm-run VM_SCENARIO=NAME [VM_KERNEL=6.1]  one VM scenario'
	@echo '  make bench         speed and memory, measured in one VM'
	@echo '  make deps          install the Debian packages the build and tests need'
	@echo '  make install       install (PREFIX, DESTDIR, sysconfdir); make uninstall'
	@echo '  make clean         remove build/'

deps:
	@tests/deps.sh

# Every stage runs even when an earlier one failed; the summary counts them.
# check-long runs check's stages and the runs that do not fit in its time:
# more kernels and suites for some scenarios, and the scenarios only it runs
# (VM_LONG_SCENARIOS; README.md, "The two commands", says what runs where).
# $(1): the emulated stage's suffix; $(2): the VM scenarios; $(3): the
# system runs.
define check_stages
	@rm -rf $(B)/results
	$(MAKE) vm-kernels
	$(MAKE) all
	-$(MAKE) check-unit
	-$(MAKE) check-fuzz
	-$(MAKE) check-preampctl
	-$(MAKE) check-preamp-gtk
	-$(MAKE) check-kernel
	-$(MAKE) check-emulated$(1)
	-$(MAKE) check-demo
	@tests/summary.sh $(B)/results unit fuzz preampctl-e2e-plain preampctl-e2e-asan \
		desktop kernel-checks \
		$(2) $(subst @,-,$(3:system-check.%=system-%)) demo-fresh
endef

check: deps
	$(call check_stages,,$(VM_SCENARIOS),$(SYSTEM_GOALS))

check-long: deps
	$(call check_stages,-long,$(sort $(VM_SCENARIOS) $(VM_LONG_SCENARIOS)),$(SYSTEM_LONG_GOALS))

# The VM scenarios and the full-system runs in one queue of VM_JOBS at once
# (make check-vm and make check-system run each alone): the packages'
# install run, the longest, starts first, and the VM scenarios keep the
# other cores busy meanwhile.
check-emulated: vm-kernels vm-root-daemon system-prepare
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(SYSTEM_GOALS) $(VM_RUNS) || \
		{ echo "$@: failed (the vm: and system: lines above)"; exit 1; }

check-emulated-long: vm-kernels vm-root-daemon system-prepare-long
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(SYSTEM_LONG_GOALS) $(VM_LONG_RUNS) || \
		{ echo "$@: failed (the vm: and system: lines above)"; exit 1; }

# Speed and memory: one table, measured in one VM run (not part of check).
bench: deps
	$(MAKE) vm-kernels
	$(MAKE) all vm-root-daemon
	tests/vm/run.sh --kernel 6.12 --timeout 900 bench

demo: deps
	$(MAKE) vm-kernels
	$(MAKE) all vm-root-daemon
	tests/vm/demo.sh

# `make demo` as a new user runs it: in a copy of the tracked files alone,
# built from nothing, so that a missing prerequisite or an untracked file
# the demo needs turns it red. Downloads stay cached (PREAMP_CACHE).
check-demo:
	@tests/vm/demo-fresh.sh $(B)

# make install: everything a user's system needs, honouring DESTDIR, PREFIX
# and sysconfdir. The module's sources go to /usr/src/snd-usb-preamp-VERSION
# whatever the PREFIX, because DKMS looks only there; `dkms install` then
# builds it for every kernel (README.md, "Installing").
install: install-daemon install-preampctl
	$(MAKE) -C kernel dkms-source DESTDIR=$(abspath $(DESTDIR))

uninstall: uninstall-daemon uninstall-preampctl
	rm -rf $(DESTDIR)/usr/src/snd-usb-preamp-$(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' kernel/dkms.conf)

clean:
	rm -rf $(B)
	$(MAKE) -C kernel clean >/dev/null 2>&1 || true

# Compile rules: plain objects in $(B)/obj, sanitized ones in $(B)/asan.
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

$(B)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(SAN) $(CPPFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' -type f 2>/dev/null)
