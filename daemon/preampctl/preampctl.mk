# preampctl, the command-line client of preampd: the program, its unit
# suites, and install/uninstall. Included by the top-level Makefile before
# tests/unit/unit.mk (B, CC, CSTD, WARN, CFLAGS, CPPFLAGS, PKG_CONFIG,
# PREFIX and DESTDIR come from there).

PCTL_DIR      := daemon/preampctl
PCTL_PURE     := $(PCTL_DIR)/text.c $(PCTL_DIR)/model.c $(PCTL_DIR)/errors.c \
                 $(PCTL_DIR)/args.c $(PCTL_DIR)/select.c $(PCTL_DIR)/format.c \
                 $(PCTL_DIR)/peak.c
PCTL_SRCS     := $(PCTL_PURE) $(PCTL_DIR)/bus.c $(PCTL_DIR)/meter.c \
                 $(PCTL_DIR)/monitor.c $(PCTL_DIR)/agent.c $(PCTL_DIR)/main.c
SYSTEMD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)
SYSTEMD_LIBS   := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null || echo -lsystemd)

$(B)/obj/$(PCTL_DIR)/%.o $(B)/asan/$(PCTL_DIR)/%.o: CPPFLAGS += $(SYSTEMD_CFLAGS)

$(B)/bin/preampctl: $(PCTL_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYSTEMD_LIBS) -lm

USER_BINS += $(B)/bin/preampctl

# cmocka suites: the pure half only (no D-Bus in unit tests)
UNIT_SUITES += preampctl-args preampctl-select preampctl-format preampctl-meter \
               preampctl-errors
UNIT_preampctl-args_SRCS   := $(PCTL_DIR)/args.c $(PCTL_DIR)/text.c $(PCTL_DIR)/errors.c
UNIT_preampctl-select_SRCS := $(PCTL_DIR)/select.c $(PCTL_DIR)/text.c
UNIT_preampctl-format_SRCS := $(PCTL_DIR)/format.c $(PCTL_DIR)/text.c $(PCTL_DIR)/model.c
UNIT_preampctl-meter_SRCS  := $(PCTL_DIR)/format.c $(PCTL_DIR)/text.c $(PCTL_DIR)/model.c \
                              $(PCTL_DIR)/peak.c
UNIT_preampctl-errors_SRCS := $(PCTL_DIR)/errors.c $(PCTL_DIR)/text.c

$(B)/asan/tests/unit/test-preampctl-%.o $(B)/obj/tests/unit/test-preampctl-%.o: \
	CPPFLAGS += -I$(PCTL_DIR)

# end-to-end check of the client against a stand-in daemon on a private bus
.PHONY: check-preampctl install-preampctl uninstall-preampctl
check-preampctl: $(B)/bin/preampctl
	tests/fake-preampd/e2e.sh $(B)/bin/preampctl

bindir     ?= $(PREFIX)/bin
mandir     ?= $(PREFIX)/share/man
bashcompdir ?= $(PREFIX)/share/bash-completion/completions

install-preampctl: $(B)/bin/preampctl
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(bashcompdir)
	install -m 0755 $(B)/bin/preampctl $(DESTDIR)$(bindir)/preampctl
	install -m 0644 $(PCTL_DIR)/preampctl.1 $(DESTDIR)$(mandir)/man1/preampctl.1
	install -m 0644 $(PCTL_DIR)/preampctl.bash-completion $(DESTDIR)$(bashcompdir)/preampctl

uninstall-preampctl:
	rm -f $(DESTDIR)$(bindir)/preampctl $(DESTDIR)$(mandir)/man1/preampctl.1 \
	      $(DESTDIR)$(bashcompdir)/preampctl
