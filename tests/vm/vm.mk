# VM tests: the scenarios of tests/vm/scenarios run under QEMU on Debian's
# kernels (tests/vm/README.md). Included by the top-level Makefile.
#
#   make check-vm                     every VM_SCENARIOS on every VM_KERNELS
#   make check-long                   the soaks: VM_LONG_SCENARIOS, the same way
#   make vm-run VM_SCENARIO=smoke VM_KERNEL=6.1 [VM_ARGS=...]
#   make vm-shell [VM_KERNEL=6.1]     an interactive shell in the test VM
#   make vm-kernels                   fetch the kernels (cached)
#   make vm-selftest                  check that the harness counts right

VM_KERNELS  ?= 6.1 6.12
VM_TIMEOUT  ?= 600
VM_KERNEL   ?= 6.12
VM_SCENARIO ?= smoke
VM_ARGS     ?=
# Other fragments add their scenarios with `VM_SCENARIOS += NAME`; smoke
# runs first.
VM_SCENARIOS := smoke $(filter-out smoke,$(VM_SCENARIOS))

VM_DIR := tests/vm

.PHONY: vm-kernels vm-run vm-shell vm-selftest

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

# Longer runs, behind `make check-long` (not part of check): other
# fragments add vm-check.SCENARIO@KERNEL to VM_LONG_RUNS.
VM_ALL_RUNS := $(sort $(VM_RUNS) $(VM_LONG_RUNS))

check-long:: vm-kernels
	$(MAKE) all
	@$(MAKE) --no-print-directory -k -j$(VM_JOBS) $(VM_LONG_RUNS) || \
		{ echo "check-long: failed (the vm-check.SCENARIO@KERNEL lines above)"; exit 1; }

.PHONY: $(VM_ALL_RUNS) check-long
$(VM_ALL_RUNS): vm-check.%:
	@s=$(firstword $(subst @, ,$*)); k=$(lastword $(subst @, ,$*)); \
	mkdir -p $(B)/vm; \
	if [ "$(VM_JOBS)" = 1 ]; then \
		PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $$k \
			--timeout $(VM_TIMEOUT) $$s; \
	else \
		echo "vm: $$s on $$k: started"; \
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
