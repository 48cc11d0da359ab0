# preamp-emu, the emulated USB audio interface, and its control client.
# Included by the top-level Makefile (B, CC, CSTD, WARN, CFLAGS, CPPFLAGS,
# INIH_LIBS come from there).

EMU_DIR        := tests/emulator
# the device model alone, as the unit tests link it
EMU_MODEL_SRCS := $(EMU_DIR)/model.c $(EMU_DIR)/audio.c $(EMU_DIR)/modelfile.c
# the whole emulator
# the personalities: preamp-emu's own interface and the interfaces people
# own, each a device model (unit-tested alone) and its glue
# (the scarlett2 model alone, as its unit tests link it)
EMU_S2_SRCS    := $(EMU_DIR)/scarlett2-model.c $(EMU_DIR)/scarlett2-models.c \
                  $(EMU_DIR)/event.c
EMU_BB_SRCS    := $(EMU_DIR)/bbfpro-model.c $(EMU_DIR)/afe.c \
                  $(EMU_DIR)/audio.c $(EMU_DIR)/event.c
EMU_U2_SRCS    := $(EMU_DIR)/uac2-model.c $(EMU_DIR)/afe.c \
                  $(EMU_DIR)/audio.c $(EMU_DIR)/event.c
EMU_PERS_SRCS  := $(EMU_DIR)/personality.c $(EMU_DIR)/usbdesc.c \
                  $(EMU_DIR)/preamp-personality.c \
                  $(EMU_DIR)/scarlett2-model.c $(EMU_DIR)/scarlett2-models.c \
                  $(EMU_DIR)/scarlett2.c $(EMU_DIR)/event.c \
                  $(EMU_DIR)/bbfpro-model.c $(EMU_DIR)/afe.c $(EMU_DIR)/bbfpro.c \
                  $(EMU_DIR)/uac2-model.c $(EMU_DIR)/uac2.c
EMU_SRCS       := $(EMU_MODEL_SRCS) $(EMU_DIR)/descriptors.c \
                  $(EMU_DIR)/usbip.c $(EMU_DIR)/ctl.c $(EMU_DIR)/ctlkit.c \
                  $(EMU_PERS_SRCS) $(EMU_DIR)/main.c
EMU_CTL_SRCS   := $(EMU_DIR)/preamp-emu-ctl.c

$(B)/obj/$(EMU_DIR)/%.o $(B)/asan/$(EMU_DIR)/%.o: CPPFLAGS += -I$(EMU_DIR)

$(B)/bin/preamp-emu: $(EMU_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm $(INIH_LIBS)

$(B)/bin/preamp-emu-ctl: $(EMU_CTL_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

USER_BINS += $(B)/bin/preamp-emu $(B)/bin/preamp-emu-ctl

# the personalities' device models, unit-tested on the host
UNIT_SUITES += scarlett2 bbfpro uac2
UNIT_scarlett2_SRCS := $(EMU_S2_SRCS)
UNIT_bbfpro_SRCS    := $(EMU_BB_SRCS)
UNIT_uac2_SRCS      := $(EMU_U2_SRCS)

# The interfaces people own under their Linux drivers, in the VM
# (tests/vm/scenarios/real-*.sh). In check: the 2i2 4th Gen (scarlett2's
# 4th Gen controls are 6.8's: 6.12 alone), the Babyface and a UAC2
# interface on 6.12, and on 6.1 the model sweep, which there is the 4i4
# 3rd Gen. The sweep on 6.12 (4i4 3rd Gen, Solo 4th Gen, Vocaster
# One) and the Babyface and UAC2 on 6.1 are behind check-long.
VM_SCENARIOS += real-scarlett2 real-bbfpro-uac2 real-scarlett2-models
VM_KERNELS_real-scarlett2 := 6.12
VM_KERNELS_real-scarlett2-models := 6.1
VM_KERNELS_real-bbfpro-uac2 := 6.12
VM_LONG_RUNS += vm-check.real-scarlett2-models@6.12 vm-check.real-bbfpro-uac2@6.1

# the Scarlett at plug-in with stock alsa-utils, in the whole Debian system
SYSTEM_SCENARIOS += scarlett-plugin
