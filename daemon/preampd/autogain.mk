# AutoGain and the level meters of preampd: the pure AutoGain state machine
# (core/autogain-core.c), the meter decoders and the capture-stream peak
# meter (core/levels.c), the capture-stream I/O (hw/levels-pcm.c,
# alsa-lib) and the engine behind autogain.h (autogain.c, sd-event; the bus
# layer answers its calls and emits its signal). Included by the top-level
# Makefile before daemon/daemon.mk, which links
# PREAMPD_AUTOGAIN_SRCS into the daemon.

PREAMPD_AUTOGAIN_DIR := daemon/preampd

# No D-Bus, no ALSA: unit-tested as they are.
PREAMPD_AUTOGAIN_PURE_SRCS := \
	$(PREAMPD_AUTOGAIN_DIR)/core/autogain-core.c \
	$(PREAMPD_AUTOGAIN_DIR)/core/levels.c

# alsa-lib: the capture stream, opened only while listening; the engine.
PREAMPD_AUTOGAIN_IO_SRCS := \
	$(PREAMPD_AUTOGAIN_DIR)/hw/levels-pcm.c \
	$(PREAMPD_AUTOGAIN_DIR)/autogain.c

PREAMPD_AUTOGAIN_SRCS := $(PREAMPD_AUTOGAIN_PURE_SRCS) $(PREAMPD_AUTOGAIN_IO_SRCS)

# ---- unit tests ----

UNIT_SUITES += autogain levels
UNIT_autogain_SRCS := $(PREAMPD_AUTOGAIN_PURE_SRCS) tests/emulator/audio.c
UNIT_levels_SRCS   := $(PREAMPD_AUTOGAIN_PURE_SRCS)

$(B)/asan/tests/unit/test-autogain.o $(B)/obj/tests/unit/test-autogain.o \
$(B)/asan/tests/unit/test-levels.o $(B)/obj/tests/unit/test-levels.o: \
	CPPFLAGS += -I$(PREAMPD_AUTOGAIN_DIR)/core -DLEVELS_FIXTURES='"tests/unit/fixtures"'

# ---- the VM test matrix (tests/vm/scenarios/autogain-matrix.sh) ----
# user space over the real stack: one kernel is enough; daemon.mk's
# vm-root-daemon gives it the installed daemon

VM_SCENARIOS += autogain-matrix
VM_KERNELS_autogain-matrix := 6.12
