# Full-system tests: Debian 13 (trixie) and Debian 12 (bookworm) systems
# with systemd under QEMU, the project installed in them from its Debian
# packages (or by `make install`) (tests/system/README.md). Included by the
# top-level Makefile (B, MAKE and the install targets come from there).
#
#   make check-system                   every SYSTEM_SCENARIOS on its suites
#   make check-system-long              the same and the long runs (below)
#   make system-run SYSTEM_SCENARIO=boot [SYSTEM_SUITE=bookworm] [SYSTEM_ARGS=...]
#   make system-shell [SYSTEM_SUITE=...] root shell in the installed system
#   make system-image [SYSTEM_SUITE=...] build (or reuse) the cached image
#   make system-debs [SYSTEM_SUITE=...]  the suite's packages, lintian-checked
#   make system-root                    the `make install` tree
#   make system-selftest                the test bed counts right
#
# Other fragments add scenarios with `SYSTEM_SCENARIOS += NAME`. A scenario
# runs on Debian 13 with the project installed from the packages, unless
#   SYSTEM_SUITES_NAME := trixie bookworm    names its suites (in check)
#   SYSTEM_SUITES_LONG_NAME := ...           and those of check-long
#   SYSTEM_INSTALL_NAME := tree              has it installed by `make
#                                            install` instead
# The scenario `install` (apt install of the packages) runs first on each
# suite; the package scenarios start from the system it leaves.

SYSTEM_DIR      := tests/system
SYSTEM_TIMEOUT  ?= 1200
# apt install builds the driver with gcc under emulation: 4 to 15 minutes
# on a loaded machine.
SYSTEM_TIMEOUT_install ?= 2400
system_timeout_of = $(or $(SYSTEM_TIMEOUT_$(strip $(1))),$(SYSTEM_TIMEOUT))
SYSTEM_SCENARIO ?= boot
SYSTEM_SUITE    ?= trixie
SYSTEM_ARGS     ?=
SYSTEM_SCENARIOS += dkms plugin reboot polkit late-card disabled remove uninstall
SYSTEM_RUN_SCENARIOS = install boot $(filter-out install boot,$(SYSTEM_SCENARIOS))
SYSTEM_ROOT     := $(abspath $(B))/system/root
SYSTEM_DEBS      = $(abspath $(B))/debs/$(1)

# Debian 12, oldstable, keeps the basics: the system boots with the
# packages, plug-in restores, DKMS builds the driver. They run in
# check-long: in check they would add about 7 minutes (README.md, "The two
# commands").
SYSTEM_SUITES_LONG_boot   := trixie bookworm
SYSTEM_SUITES_LONG_plugin := trixie bookworm
SYSTEM_SUITES_LONG_dkms   := trixie bookworm
# DKMS's build at apt install is checked by `install` in check; the dkms
# scenario's own checks (signing, purge) run in check-long.
SYSTEM_SUITES_dkms        := none
# `make install`, as on distributions without these packages, and its
# removal: on Debian 12, the release the tree is built on (the host's).
SYSTEM_INSTALL_uninstall := tree
SYSTEM_SUITES_uninstall  := bookworm

system_suites_of      = $(filter-out none,$(or $(SYSTEM_SUITES_$(strip $(1))),trixie))
system_long_suites_of = $(or $(SYSTEM_SUITES_LONG_$(strip $(1))),$(call system_suites_of,$(1)))
system_install_of     = $(or $(SYSTEM_INSTALL_$(strip $(1))),packages)

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

.PHONY: check-system check-system-long system-run system-shell system-image \
	system-root system-selftest system-debs

system-image:
	@$(SYSTEM_DIR)/image.sh --suite $(SYSTEM_SUITE) build >/dev/null
	@$(SYSTEM_DIR)/image.sh --suite $(SYSTEM_SUITE) info

system-root: user kernel
	rm -rf $(SYSTEM_ROOT)
	mkdir -p $(dir $(SYSTEM_ROOT))
	echo '$(SYSTEM_INSTALL_FLAGS)' >$(SYSTEM_ROOT).flags
	$(MAKE) --no-print-directory $(SYSTEM_INSTALL_TARGETS) \
		DESTDIR=$(SYSTEM_ROOT) $(SYSTEM_INSTALL_FLAGS)
	$(if $(SYSTEM_DKMS_SOURCE),$(MAKE) --no-print-directory -C kernel \
		dkms-source DESTDIR=$(SYSTEM_ROOT))

# The packages of a suite: built on the host for its own release, in the
# cached build environment for the other (tests/debian/debs.sh); a second
# build with nothing changed is a no-op.
.PHONY: system-debs-trixie system-debs-bookworm
system-debs: system-debs-$(SYSTEM_SUITE)
system-debs-trixie system-debs-bookworm: system-debs-%:
	@tests/debian/debs.sh --suite $* $(call SYSTEM_DEBS,$*) >/dev/null

# Each run writes $(B)/results/system-SCENARIO-SUITE.txt; a failure does not
# stop the others, but fails the target at the end. As in check-vm, VM_JOBS
# runs go at once (the images, packages and tree are made first, once);
# each run's console is then in build/system/SCENARIO-SUITE.out and only
# its verdict is printed.
system_runs_of = $(foreach s,$(filter-out install,$(SYSTEM_RUN_SCENARIOS)),\
	$(foreach u,$(call $(1),$(s)),system-check.$(s)@$(u)))
SYSTEM_RUNS      = $(call system_runs_of,system_suites_of)
SYSTEM_LONG_RUNS = $(call system_runs_of,system_long_suites_of)
# the suites whose packages a list of runs needs
system_pkg_suites = $(sort $(foreach r,$(1),$(if $(filter packages,$(call \
	system_install_of,$(firstword $(subst @, ,$(r:system-check.%=%))))),$(lastword $(subst @, ,$(r))))))
system_all_suites = $(sort $(foreach r,$(1),$(lastword $(subst @, ,$(r)))))

# The runs of check-system and check-system-long: each suite's install
# run first, as the package scenarios wait for it.
system_goals = $(foreach u,$(call system_pkg_suites,$(1)),system-check.install@$(u)) $(1)
SYSTEM_GOALS      = $(call system_goals,$(SYSTEM_RUNS))
SYSTEM_LONG_GOALS = $(call system_goals,$(SYSTEM_LONG_RUNS))

# What the runs need, made once before any starts: the tree, the packages
# and the images.
system_prepare = @for u in $(call system_all_suites,$(1)); do \
		$(SYSTEM_DIR)/image.sh --suite $$u build >/dev/null || exit 1; done
.PHONY: system-prepare system-prepare-long
system-prepare: system-root $(addprefix system-debs-,$(call system_pkg_suites,$(SYSTEM_RUNS)))
	$(call system_prepare,$(SYSTEM_RUNS))
system-prepare-long: system-root $(addprefix system-debs-,$(call system_pkg_suites,$(SYSTEM_LONG_RUNS)))
	$(call system_prepare,$(SYSTEM_LONG_RUNS))

check-system: system-prepare
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(SYSTEM_GOALS) || \
		{ echo "$@: failed (the system-check.SCENARIO@SUITE lines above)"; exit 1; }

check-system-long: system-prepare-long
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(SYSTEM_LONG_GOALS) || \
		{ echo "$@: failed (the system-check.SCENARIO@SUITE lines above)"; exit 1; }

# run.sh's options of a scenario on a suite: its packages, or the tree.
system_opts = --suite $(2) $(if $(filter tree,$(call system_install_of,$(1))),\
	--root $(SYSTEM_ROOT),--debs $(call SYSTEM_DEBS,$(2)))

# A package scenario waits for its suite's install run.
SYSTEM_ALL_RUNS = $(sort $(SYSTEM_RUNS) $(SYSTEM_LONG_RUNS))
$(foreach r,$(SYSTEM_ALL_RUNS),$(if $(filter packages,$(call system_install_of,\
	$(firstword $(subst @, ,$(r:system-check.%=%))))),\
	$(eval $(r): system-check.install@$(lastword $(subst @, ,$(r))))))

.PHONY: $(SYSTEM_ALL_RUNS) system-check.install@trixie system-check.install@bookworm
$(SYSTEM_ALL_RUNS) system-check.install@trixie system-check.install@bookworm: system-check.%:
	@s=$(firstword $(subst @, ,$*)); u=$(lastword $(subst @, ,$*)); \
	mkdir -p $(B)/system; \
	opts="$(call system_opts,$(firstword $(subst @, ,$*)),$(lastword $(subst @, ,$*)))"; \
	if [ "$(VM_JOBS)" = 1 ]; then \
		PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh \
			--timeout $(call system_timeout_of,$(firstword $(subst @, ,$*))) $$opts $$s; \
	else \
		echo "system: $$s on $$u: started at $$(date +%T)"; \
		PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh \
			--timeout $(call system_timeout_of,$(firstword $(subst @, ,$*))) $$opts $$s \
			>$(B)/system/$$s-$$u.out 2>&1; rc=$$?; \
		grep -E '^system: |^[0-9]+ passed, [0-9]+ failed$$' $(B)/system/$$s-$$u.out; \
		exit $$rc; \
	fi

system-run: $(if $(filter tree,$(call system_install_of,$(SYSTEM_SCENARIO))),system-root,system-debs)
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh \
		--timeout $(call system_timeout_of,$(SYSTEM_SCENARIO)) $(call system_opts,$(SYSTEM_SCENARIO),$(SYSTEM_SUITE)) \
		$(SYSTEM_SCENARIO) $(SYSTEM_ARGS)

system-shell: system-debs
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/run.sh --suite $(SYSTEM_SUITE) \
		--debs $(call SYSTEM_DEBS,$(SYSTEM_SUITE)) --shell

# The test bed checks itself: a scenario that misbehaves on purpose, in
# each of its modes, must get the verdict it deserves (about ten minutes).
system-selftest: system-root
	PREAMP_BUILD=$(abspath $(B)) $(SYSTEM_DIR)/selftest.sh --root $(SYSTEM_ROOT)
