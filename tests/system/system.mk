# Full-system tests: a Debian 12 system with systemd under QEMU, the project
# installed in it by `make install` (tests/system/README.md). Included by
# the top-level Makefile (B, MAKE and the install targets come from there).
#
#   make check-system                   every SYSTEM_SCENARIOS
#   make system-run SYSTEM_SCENARIO=boot [SYSTEM_ARGS=...]
#   make system-shell                   root shell in the installed system
#   make system-image                   build (or reuse) the cached image
#   make system-root                    the installed tree the VM gets
#   make system-selftest                the test bed counts right
#
# Other fragments add scenarios with `SYSTEM_SCENARIOS += NAME`; boot runs
# first.

SYSTEM_DIR      := tests/system
SYSTEM_TIMEOUT  ?= 1200
SYSTEM_SCENARIO ?= boot
SYSTEM_ARGS     ?=
SYSTEM_SCENARIOS += dkms plugin reboot polkit late-card disabled uninstall
SYSTEM_RUN_SCENARIOS = boot $(filter-out boot,$(SYSTEM_SCENARIOS))
SYSTEM_ROOT     := $(abspath $(B))/system/root

# What installs the project the way a user does, into DESTDIR: the
# top-level `install` once there is one; until then its parts.
ifeq ($(shell grep -qs '^install:' Makefile && echo yes),yes)
SYSTEM_INSTALL_TARGETS ?= install
SYSTEM_DKMS_SOURCE ?=
else
SYSTEM_INSTALL_TARGETS ?= install-daemon install-preampctl
SYSTEM_DKMS_SOURCE ?= yes
endif
# Extra variables for that install: those of README.md's "Installing".
# They go with the tree ($(SYSTEM_ROOT).flags), for the `make uninstall`
# of scenarios/uninstall.sh.
SYSTEM_INSTALL_FLAGS ?= PREFIX=/usr

.PHONY: check-system system-run system-shell system-image system-root \
	system-selftest

system-image:
	@$(SYSTEM_DIR)/image.sh build >/dev/null
	@$(SYSTEM_DIR)/image.sh info

system-root: user kernel
	rm -rf $(SYSTEM_ROOT)
	mkdir -p $(dir $(SYSTEM_ROOT))
	echo '$(SYSTEM_INSTALL_FLAGS)' >$(SYSTEM_ROOT).flags
	$(MAKE) --no-print-directory $(SYSTEM_INSTALL_TARGETS) \
		DESTDIR=$(SYSTEM_ROOT) $(SYSTEM_INSTALL_FLAGS)
	$(if $(SYSTEM_DKMS_SOURCE),$(MAKE) --no-print-directory -C kernel \
		dkms-source DESTDIR=$(SYSTEM_ROOT))

# Each run writes $(B)/results/system-SCENARIO.txt; a failure does not stop
# the others, but fails the target at the end. As in check-vm, VM_JOBS runs
# go at once (the image is built or found first, once); each run's console
# is then in build/system/SCENARIO.out and only its verdict is printed.
SYSTEM_RUNS := $(SYSTEM_RUN_SCENARIOS:%=system-check.%)

check-system: system-root
	@$(SYSTEM_DIR)/image.sh build >/dev/null
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(SYSTEM_RUNS) || \
		{ echo "check-system: failed (the system-check.SCENARIO lines above)"; exit 1; }

.PHONY: $(SYSTEM_RUNS)
$(SYSTEM_RUNS): system-check.%:
	@if [ "$(VM_JOBS)" = 1 ]; then \
		PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh \
			--timeout $(SYSTEM_TIMEOUT) --root $(SYSTEM_ROOT) $*; \
	else \
		echo "system: $* started"; \
		PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh \
			--timeout $(SYSTEM_TIMEOUT) --root $(SYSTEM_ROOT) $* \
			>$(B)/system/$*.out 2>&1; rc=$$?; \
		grep -E '^system: |^[0-9]+ passed, [0-9]+ failed$$' $(B)/system/$*.out; \
		exit $$rc; \
	fi

system-run: system-root
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh --timeout $(SYSTEM_TIMEOUT) \
		--root $(SYSTEM_ROOT) $(SYSTEM_SCENARIO) $(SYSTEM_ARGS)

system-shell: system-root
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh --root $(SYSTEM_ROOT) --shell

# The test bed checks itself: a scenario that misbehaves on purpose, in
# each of its modes, must get the verdict it deserves (about ten minutes).
system-selftest: system-root
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/selftest.sh --root $(SYSTEM_ROOT)
