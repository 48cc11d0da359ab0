# The emulator's conformance test (pamp-conform) and the capture check's
# level meter (pamp-level). Included by the top-level Makefile.

CONFORM_DIR  := tests/conformance
CONFORM_SRCS := $(addprefix $(CONFORM_DIR)/, pamp-conform.c conform.c \
	conform-requests.c conform-stall.c conform-notify.c conform-meters.c \
	conform-faults.c validate.c tap.c usbfs.c ctl-client.c)
CONFORM_OBJS := $(CONFORM_SRCS:%.c=$(B)/obj/%.o)
LEVEL_OBJS   := $(B)/obj/$(CONFORM_DIR)/pamp-level.o

$(B)/bin/pamp-conform: $(CONFORM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -pthread -lm

$(B)/bin/pamp-level: $(LEVEL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm

SHOW_OBJS := $(addprefix $(B)/obj/$(CONFORM_DIR)/, pamp-show.o usbfs.o validate.o)

$(B)/bin/pamp-show: $(SHOW_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -pthread

$(CONFORM_OBJS): CFLAGS += -pthread

USER_BINS += $(B)/bin/pamp-conform $(B)/bin/pamp-level $(B)/bin/pamp-show

# The emulator's conformance test and capture check, in the VM
VM_SCENARIOS += conformance emulator-smoke
# The protocol is the emulator's, seen through usbfs: one kernel is enough
# (emulator-smoke and the driver's scenarios meet both).
VM_KERNELS_conformance := 6.12
