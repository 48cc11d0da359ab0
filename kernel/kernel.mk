# snd-usb-preamp, built for every kernel the VM tests use. Included by the
# top-level Makefile (B comes from there; paths are from the project root).
#
#   make kernel         build/kernel/<kver>/snd-usb-preamp.ko for each kernel
#                       (6.1, 6.12, the newest 7.x; 7.x in its trixie build
#                       environment, as root)
#   make check-kernel   checkpatch --strict (6.1's and 7.x's), then sparse
#                       (C=2) and W=1 builds for each kernel; any finding
#                       fails. The tally goes to build/results/kernel-checks.txt.
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
DRIVER_SCENARIOS := driver-controls driver-writes driver-notify driver-guard \
		    driver-faults driver-lifetime driver-reset driver-urb-errors \
		    driver-reset-order driver-resume driver-stall \
		    shared-card shared-unplug
VM_SCENARIOS += $(DRIVER_SCENARIOS)

# `make check-long`: the reset under writes, 40 rounds instead of 5.
VM_LONG_SCENARIOS += driver-reset-soak
VM_KERNELS_driver-reset-soak := 6.1

# Which kernel runs what (timings: tests/vm/README.md). make check runs
# every driver scenario once, on the newest kernel Debian ships (7.x:
# where kernel APIs change, they change there first); on 6.1, the oldest
# we build for, the controls and the reset under writes, whose deadlock
# was found there. 6.12, in between, runs the daemon's and the real
# drivers' scenarios and Debian 13's full-system bed, and builds in
# check-kernel. make check-long runs every driver scenario on all three.
$(foreach s,$(DRIVER_SCENARIOS),$(eval VM_KERNELS_$(s) := newest))
VM_KERNELS_driver-controls    := 6.1 newest
VM_KERNELS_driver-reset-order := 6.1 newest
$(foreach s,$(DRIVER_SCENARIOS),$(eval VM_KERNELS_LONG_$(s) := 6.1 6.12 newest))
