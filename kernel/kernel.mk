# snd-usb-preamp, built for every kernel the VM tests use. Included by the
# top-level Makefile (B comes from there; paths are from the project root).
#
#   make kernel         build/kernel/<kver>/snd-usb-preamp.ko for each kernel
#   make check-kernel   checkpatch --strict, then sparse (C=2) and W=1 builds
#                       for each kernel; any finding fails. The tally goes to
#                       build/results/kernel-checks.txt.
#
# Each kernel builds in its own copy of the sources (build/kernel/<kver>/src,
# laid out as a DKMS tree: the protocol header in include/), so builds for
# two kernels never share objects.

KERNEL_VERSIONS := $(shell tests/vm/kernels.sh list 2>/dev/null)
ifeq ($(strip $(KERNEL_VERSIONS)),)
KERNEL_VERSIONS := $(patsubst /usr/src/linux-headers-%,%,\
		     $(wildcard /usr/src/linux-headers-*-amd64))
endif

KERNEL_SRCS := $(wildcard kernel/*.c kernel/*.h) kernel/Kbuild \
	       kernel/Makefile kernel/dkms.conf include/preamp-protocol.h
KERNEL_KOS  := $(KERNEL_VERSIONS:%=$(B)/kernel/%/snd-usb-preamp.ko)

kernel: $(KERNEL_KOS)

# The kernel's make must not see our command-line variables (CC, CFLAGS...).
$(B)/kernel/%/snd-usb-preamp.ko: $(KERNEL_SRCS)
	@kernel/check.sh --build $(B) $*
	@cp $(B)/kernel/$*/src/snd-usb-preamp.ko $@

check-kernel:
	@kernel/check.sh --check $(B) $(KERNEL_VERSIONS)

# Helpers of the driver's VM scenarios (tests/tools): in build/bin, and so
# in the test VM. usbreset resets a device through usbfs; ctlraw reads and
# writes controls without amixer's clamping.
DRIVER_TOOLS := $(B)/bin/usbreset $(B)/bin/ctlraw
USER_BINS += $(DRIVER_TOOLS)

$(B)/bin/usbreset: $(B)/obj/tests/tools/usbreset.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/bin/ctlraw: $(B)/obj/tests/tools/ctlraw.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The driver's VM scenarios (tests/vm/scenarios/driver-*.sh and shared-*.sh;
# driver-lib.sh is their shared library, not a scenario).
VM_SCENARIOS += driver-controls driver-writes driver-notify driver-guard \
		driver-faults driver-lifetime driver-reset \
		driver-reset-order driver-resume driver-stall driver-urb-errors \
		shared-card shared-unplug

# `make check-long`: the reset under writes, 40 rounds instead of 5.
VM_LONG_SCENARIOS += driver-reset-soak

# The long robustness scenarios run on 6.1, the oldest kernel we build for;
# 6.12 runs the rest (the basic ones) and the shared-card ones.
VM_KERNELS_driver-faults   := 6.1
VM_KERNELS_driver-lifetime := 6.1
VM_KERNELS_driver-reset    := 6.1
VM_KERNELS_driver-urb-errors := 6.1
VM_KERNELS_driver-reset-soak := 6.1
# Within check's time: the stall and the power loss on 6.12, the reset
# order on both; the other kernel's runs of each are behind check-long.
VM_KERNELS_driver-stall    := 6.12
VM_KERNELS_driver-resume   := 6.12
VM_LONG_RUNS += vm-check.driver-stall@6.1 vm-check.driver-resume@6.1 \
		vm-check.driver-urb-errors@6.12
