# preampctl, the command-line client of preampd: the program, its unit
# suites, and install/uninstall. Included by the top-level Makefile before
# tests/unit/unit.mk (B, CC, CSTD, WARN, CFLAGS, CPPFLAGS, PKG_CONFIG,
# PREFIX and DESTDIR come from there).

PCTL_DIR      := daemon/preampctl
# the pure half (no D-Bus, no terminal), and the rest
PCTL_PURE     := $(PCTL_DIR)/text.c $(PCTL_DIR)/model.c $(PCTL_DIR)/errors.c \
                 $(PCTL_DIR)/args.c $(PCTL_DIR)/help.c $(PCTL_DIR)/select.c \
                 $(PCTL_DIR)/format.c $(PCTL_DIR)/change.c $(PCTL_DIR)/peak.c \
                 $(PREAMP_COMMON_SRCS)
PCTL_SRCS     := $(PCTL_PURE) $(PCTL_DIR)/bus.c $(PCTL_DIR)/meter.c \
                 $(PCTL_DIR)/monitor.c $(PCTL_DIR)/agent.c $(PCTL_DIR)/main.c
SYSTEMD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)
SYSTEMD_LIBS   := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null || echo -lsystemd)

PREAMPCTL_VERSION ?= $(or $(PREAMPD_VERSION),0.1)

$(B)/obj/$(PCTL_DIR)/%.o $(B)/asan/$(PCTL_DIR)/%.o: CPPFLAGS += $(SYSTEMD_CFLAGS) \
	-I$(PREAMP_COMMON_DIR)
$(B)/obj/$(PCTL_DIR)/main.o $(B)/asan/$(PCTL_DIR)/main.o: \
	CPPFLAGS += -DPREAMP_VERSION='"$(PREAMPCTL_VERSION)"'

$(B)/bin/preampctl: $(PCTL_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYSTEMD_LIBS) -lm

USER_BINS += $(B)/bin/preampctl
MAN_PAGES += $(PCTL_DIR)/preampctl.1

# cmocka suites: the pure half only (no D-Bus in unit tests)
UNIT_SUITES += preampctl-args preampctl-select preampctl-format preampctl-meter \
               preampctl-errors
PCTL_TEXT := $(PCTL_DIR)/text.c $(PREAMP_COMMON_SRCS)
UNIT_preampctl-args_SRCS   := $(PCTL_DIR)/args.c $(PCTL_DIR)/help.c $(PCTL_DIR)/errors.c \
                              $(PCTL_TEXT)
UNIT_preampctl-select_SRCS := $(PCTL_DIR)/select.c $(PCTL_TEXT)
UNIT_preampctl-format_SRCS := $(PCTL_DIR)/format.c $(PCTL_DIR)/change.c $(PCTL_DIR)/model.c \
                              $(PCTL_TEXT)
UNIT_preampctl-meter_SRCS  := $(PCTL_DIR)/format.c $(PCTL_DIR)/model.c $(PCTL_DIR)/peak.c \
                              $(PCTL_TEXT)
UNIT_preampctl-errors_SRCS := $(PCTL_DIR)/errors.c $(PCTL_TEXT)

$(B)/asan/tests/unit/test-preampctl-%.o $(B)/obj/tests/unit/test-preampctl-%.o: \
	CPPFLAGS += -I$(PCTL_DIR) -I$(PREAMP_COMMON_DIR)

# the same program under ASan+UBSan, for the end-to-end check
$(B)/asan-bin/preampctl: $(PCTL_SRCS:%.c=$(B)/asan/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(SYSTEMD_LIBS) -lm

# end-to-end check of the client against a stand-in daemon on a private bus
# (tests/fake-preampd/), plain and sanitized
.PHONY: check-preampctl install-preampctl uninstall-preampctl
check-preampctl: $(B)/bin/preampctl $(B)/asan-bin/preampctl
	@mkdir -p $(B)/results
	tests/fake-preampd/e2e.sh $(B)/bin/preampctl | tee $(B)/results/preampctl-e2e-plain.txt
	tests/fake-preampd/e2e.sh $(B)/asan-bin/preampctl | tee $(B)/results/preampctl-e2e-asan.txt

# Installation directories (the same names as daemon/daemon.mk's).
BINDIR            ?= $(PREFIX)/bin
MANDIR            ?= $(PREFIX)/share/man
BASHCOMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install-preampctl: $(B)/bin/preampctl
	install -D -m 0755 $(B)/bin/preampctl $(DESTDIR)$(BINDIR)/preampctl
	install -D -m 0644 $(PCTL_DIR)/preampctl.1 $(DESTDIR)$(MANDIR)/man1/preampctl.1
	install -D -m 0644 $(PCTL_DIR)/preampctl.bash-completion \
		$(DESTDIR)$(BASHCOMPLETIONDIR)/preampctl

uninstall-preampctl:
	rm -f $(DESTDIR)$(BINDIR)/preampctl $(DESTDIR)$(MANDIR)/man1/preampctl.1 \
	      $(DESTDIR)$(BASHCOMPLETIONDIR)/preampctl

# Helpers of the preampctl-live VM scenario (tests/tools): ptyrun runs a
# program on a pseudo-terminal and types into it; jsonck checks JSON and
# prints a value from it (the guest has no jq).
PCTL_VM_TOOLS := $(B)/bin/ptyrun $(B)/bin/jsonck
USER_BINS += $(PCTL_VM_TOOLS)

$(B)/bin/ptyrun: $(B)/obj/tests/tools/ptyrun.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/bin/jsonck: $(B)/obj/tests/tools/jsonck.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# preampctl against the real preampd and an emulated interface, in the VM
VM_SCENARIOS += preampctl-live
VM_KERNELS_preampctl-live := 6.12
