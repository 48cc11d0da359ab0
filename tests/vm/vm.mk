# VM tests: the scenarios of tests/vm/scenarios run under QEMU on Debian's
# kernels (tests/vm/README.md). Included by the top-level Makefile.
#
#   make check-vm                     every VM_SCENARIOS on every VM_KERNELS
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
vm_kernels_of = $(or $(VM_KERNELS_$(1)),$(VM_KERNELS))

check-vm: vm-kernels
	@failed=""; \
	$(foreach s,$(VM_SCENARIOS),$(foreach k,$(call vm_kernels_of,$(s)), \
		PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $(k) \
			--timeout $(VM_TIMEOUT) $(s) || failed="$$failed $(s)/$(k)";)) \
	if [ -n "$$failed" ]; then echo "check-vm: failed:$$failed"; exit 1; fi

vm-run: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $(VM_KERNEL) \
		--timeout $(VM_TIMEOUT) $(VM_SCENARIO) $(VM_ARGS)

vm-shell: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/run.sh --kernel $(VM_KERNEL) --shell

vm-selftest: vm-kernels
	PREAMP_BUILD=$(abspath $(B)) $(VM_DIR)/selftest.sh --kernel $(VM_KERNEL)
