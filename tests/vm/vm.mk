# VM tests: the scenarios of tests/vm/scenarios run under QEMU on Debian's
# kernels (tests/vm/README.md). Included by the top-level Makefile.
#
#   make check-vm                     every VM_SCENARIOS on every VM_KERNELS
#   make check-vm-long                the same and the long runs (below)
#   make vm-run VM_SCENARIO=smoke VM_KERNEL=6.1 [VM_ARGS=...]
#   make vm-shell [VM_KERNEL=6.1]     an interactive shell in the test VM
#   make vm-kernels                   fetch the kernels (cached)
#   make vm-selftest                  check that the harness counts right

# newest: the newest kernel Debian ships for its stable release (7.3 when
# this was written), whatever its version (tests/vm/kernels.sh).
VM_KERNELS  ?= 6.1 6.12
VM_TIMEOUT  ?= 600
VM_KERNEL   ?= 6.12
VM_SCENARIO ?= smoke
VM_ARGS     ?=
# Other fragments add their scenarios with `VM_SCENARIOS += NAME`; smoke
# runs first, on every kernel.
VM_SCENARIOS := smoke $(filter-out smoke,$(VM_SCENARIOS))
VM_KERNELS_smoke ?= 6.1 6.12 newest

VM_DIR := tests/vm

.PHONY: vm-kernels vm-run vm-shell vm-selftest check-vm-long

vm-kernels:
	@$(VM_DIR)/kernels.sh fetch

# Each run writes $(B)/results/SCENARIO-KVER.txt; a failure does not stop
# the others, but fails the target at the end. A scenario runs on every
# kernel of VM_KERNELS unless its fragment names fewer in VM_KERNELS_NAME
# (what does not depend on the kernel runs once, to keep check short).
# A VM is one TCG thread: VM_JOBS of them run at once (one per core); then
# each run's console goes to build/vm/SCENARIO-KVER.out and only its verdict
# is printed.
VM_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
vm_kernels_of = $(or $(VM_KERNELS_$(1)),$(VM_KERNELS))
VM_RUNS := $(foreach s,$(VM_SCENARIOS),$(foreach k,$(call vm_kernels_of,$(s)),vm-check.$(s)@$(k)))
# Soaks too long for check: fragments add them with `VM_LONG_SCENARIOS += NAME`.
VM_LONG_RUNS += $(foreach s,$(VM_LONG_SCENARIOS),$(foreach k,$(call vm_kernels_of,$(s)),vm-check.$(s)@$(k)))

check-vm: vm-kernels
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(VM_RUNS) || \
		{ echo "check-vm: failed (the vm-check.SCENARIO@KERNEL lines above)"; exit 1; }

# make check-long runs, beyond check-vm's, each scenario on the kernels of
# VM_KERNELS_LONG_NAME (by default those of check), and the scenarios of
# VM_LONG_SCENARIOS, which only check-long runs: what does not fit in the
# time of `make check`.
VM_LONG_SCENARIOS ?=
vm_long_kernels_of = $(or $(VM_KERNELS_LONG_$(1)),$(call vm_kernels_of,$(1)))
VM_LONG_RUNS := $(sort $(VM_LONG_RUNS)) $(foreach s,$(VM_SCENARIOS) $(VM_LONG_SCENARIOS),$(foreach k,$(call vm_long_kernels_of,$(s)),vm-check.$(s)@$(k)))

check-vm-long: vm-kernels
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(VM_LONG_RUNS) || \
		{ echo "check-vm-long: failed (the vm-check.SCENARIO@KERNEL lines above)"; exit 1; }

.PHONY: $(sort $(VM_RUNS) $(VM_LONG_RUNS))
$(sort $(VM_RUNS) $(VM_LONG_RUNS)): vm-check.%:
	@s=$(firstword $(subst @, ,$*)); k=$(lastword $(subst @, ,$*)); \
	mkdir -p $(B)/vm; \
	if [ "$(VM_JOBS)" = 1 ]; then \
		PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $$k \
			--timeout $(VM_TIMEOUT) $$s; \
	else \
		echo "vm: $$s on $$k: started at $$(date +%T)"; \
		PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $$k \
			--timeout $(VM_TIMEOUT) $$s >$(B)/vm/$$s-$$k.out 2>&1; rc=$$?; \
		grep -E '^vm: |^[0-9]+ passed, [0-9]+ failed$$' $(B)/vm/$$s-$$k.out; \
		exit $$rc; \
	fi

vm-run: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $(VM_KERNEL) \
		--timeout $(VM_TIMEOUT) $(VM_SCENARIO) $(VM_ARGS)

vm-shell: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $(VM_KERNEL) --shell

vm-selftest: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/selftest.sh --kernel $(VM_KERNEL)
