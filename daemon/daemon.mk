# preampd: the system service (daemon/preampd), its profiles, data files,
# man pages and udev rules. Included by the top-level Makefile before
# tests/unit/unit.mk.

PREAMPD_DIR := daemon/preampd
# Its layers (tests/layers.sh checks them): core/ pure, hw/ without D-Bus,
# bus/ without alsa-lib; at the top what wires them and what is not yet
# split into them. Every one is on the include path.
PREAMPD_CORE_DIR := $(PREAMPD_DIR)/core
PREAMPD_HW_DIR   := $(PREAMPD_DIR)/hw
PREAMPD_BUS_DIR  := $(PREAMPD_DIR)/bus
PREAMPD_INCLUDES := -I$(PREAMPD_CORE_DIR) -I$(PREAMPD_HW_DIR) -I$(PREAMPD_BUS_DIR) \
	-I$(PREAMPD_DIR)

# What preampd and preampctl share: pure, tiny (daemon/common).
PREAMP_COMMON_DIR  := daemon/common
PREAMP_COMMON_SRCS := $(PREAMP_COMMON_DIR)/utf8.c $(PREAMP_COMMON_DIR)/preset-name.c
$(B)/obj/$(PREAMP_COMMON_DIR)/%.o $(B)/asan/$(PREAMP_COMMON_DIR)/%.o: \
	CPPFLAGS += -I$(PREAMP_COMMON_DIR)

# Installation directories (GNU-style; override any of them).
SBINDIR          ?= $(PREFIX)/sbin
DATADIR          ?= $(PREFIX)/share
MANDIR           ?= $(DATADIR)/man
SYSCONFDIR       ?= /etc
SYSTEMDUNITDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR      ?= $(PREFIX)/lib/sysusers.d
UDEVRULESDIR     ?= $(PREFIX)/lib/udev/rules.d
DBUS_SERVICEDIR  ?= $(DATADIR)/dbus-1/system-services
# dbus-daemon reads bus policies only from /usr/share/dbus-1/system.d and
# /etc/dbus-1/system.d, and polkitd actions only from
# /usr/share/polkit-1/actions: outside PREFIX=/usr these are the places
# that work (unit files, udev rules, sysusers and activation files are
# found under /usr/local too).
DBUS_POLICYDIR   ?= $(if $(filter /usr,$(PREFIX)),$(DATADIR),$(SYSCONFDIR))/dbus-1/system.d
POLKIT_ACTIONDIR ?= /usr/share/polkit-1/actions
PREAMPD_PROFILEDIR ?= $(DATADIR)/preampd/profiles
PREAMPD_VERSION  ?= 0.1

# The logic that unit tests link without D-Bus or ALSA.
PREAMPD_PURE_SRCS := \
	$(PREAMP_COMMON_SRCS) \
	$(PREAMPD_CORE_DIR)/util.c \
	$(PREAMPD_CORE_DIR)/log.c \
	$(PREAMPD_CORE_DIR)/inifile.c \
	$(PREAMPD_CORE_DIR)/sha256.c \
	$(PREAMPD_CORE_DIR)/devkey.c \
	$(PREAMPD_CORE_DIR)/gain.c \
	$(PREAMPD_CORE_DIR)/policy.c \
	$(PREAMPD_CORE_DIR)/authz.c \
	$(PREAMPD_CORE_DIR)/peers.c \
	$(PREAMPD_CORE_DIR)/config.c \
	$(PREAMPD_CORE_DIR)/profile.c \
	$(PREAMPD_CORE_DIR)/statefile.c \
	$(PREAMPD_CORE_DIR)/usbattr.c \
	$(PREAMPD_CORE_DIR)/write-verdict.c

# The service: sd-event, sd-bus, libudev, alsa-lib.
PREAMPD_IO_SRCS := \
	$(PREAMPD_DIR)/main.c \
	$(PREAMPD_DIR)/manager.c \
	$(PREAMPD_BUS_DIR)/manager.c \
	$(PREAMPD_BUS_DIR)/device.c \
	$(PREAMPD_BUS_DIR)/input.c \
	$(PREAMPD_HW_DIR)/hotplug.c \
	$(PREAMPD_HW_DIR)/card.c \
	$(PREAMPD_HW_DIR)/driver-attr.c \
	$(PREAMPD_DIR)/cards.c \
	$(PREAMPD_BUS_DIR)/auth.c \
	$(PREAMPD_BUS_DIR)/write-wait.c \
	$(PREAMPD_HW_DIR)/saver.c \
	$(PREAMPD_AUTOGAIN_SRCS)

PREAMPD_SRCS := $(PREAMPD_PURE_SRCS) $(PREAMPD_IO_SRCS)

PREAMPD_PKGS := libsystemd libudev alsa
PREAMPD_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PREAMPD_PKGS) inih 2>/dev/null)
PREAMPD_LIBS := $(shell $(PKG_CONFIG) --libs $(PREAMPD_PKGS) 2>/dev/null) \
	$(INIH_LIBS) -lm -pthread

# The paths compiled into the daemon live in a generated header that is
# rewritten only when they change, so `make install PREFIX=...` rebuilds
# exactly what depends on them.
PREAMPD_PATHS_H := $(B)/gen/preampd-paths.h
PREAMPD_PATHS := \
	'\#define PREAMPD_VERSION "$(PREAMPD_VERSION)"' \
	'\#define PREAMPD_CONFIG_FILE "$(SYSCONFDIR)/preampd/preampd.conf"' \
	'\#define PREAMPD_PROFILE_DIR "$(PREAMPD_PROFILEDIR)"' \
	'\#define PREAMPD_STATE_DIR "/var/lib/preampd"' \
	'\#define PREAMPD_RUNTIME_DIR "/run/preampd"'

$(PREAMPD_PATHS_H): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(PREAMPD_PATHS) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: FORCE
FORCE:

PREAMPD_OBJS := $(PREAMPD_SRCS:%.c=$(B)/obj/%.o)
PREAMPD_ASAN_OBJS := $(PREAMPD_SRCS:%.c=$(B)/asan/%.o)

$(B)/obj/$(PREAMPD_DIR)/%.o $(B)/asan/$(PREAMPD_DIR)/%.o: \
	CPPFLAGS += -I$(B)/gen $(PREAMPD_INCLUDES) -I$(PREAMP_COMMON_DIR) $(PREAMPD_CFLAGS)
$(PREAMPD_IO_SRCS:%.c=$(B)/obj/%.o) $(PREAMPD_IO_SRCS:%.c=$(B)/asan/%.o): \
	$(PREAMPD_PATHS_H)

$(B)/bin/preampd: $(PREAMPD_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PREAMPD_LIBS)

# The same daemon under ASan+UBSan, for the VM scenarios.
$(B)/bin/preampd-asan: $(PREAMPD_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(PREAMPD_LIBS)

USER_BINS += $(B)/bin/preampd

# A polkitd stand-in for the VM scenarios (daemon/testing/polkit-stub.c).
$(B)/bin/pa-polkit-stub: $(B)/obj/daemon/testing/polkit-stub.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libsystemd)

# Many calls on one connection at once, for the VM scenarios
# (daemon/testing/bus-flood.c).
$(B)/bin/pa-bus-flood: $(B)/obj/daemon/testing/bus-flood.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libsystemd)

# ---- unit tests: pure logic only ----

# The layers point one way (tests/layers.sh); part of check-unit, so of
# make check.
.PHONY: check-layers
check-layers:
	@tests/layers.sh
check-unit: check-layers

UNIT_SUITES += daemon-devkey daemon-statefile daemon-profile daemon-gain \
	daemon-policy daemon-authz daemon-config daemon-usbattr daemon-writeverdict \
	daemon-peers preset-name
UNIT_daemon-devkey_SRCS    := $(PREAMPD_PURE_SRCS)
UNIT_daemon-statefile_SRCS := $(PREAMPD_PURE_SRCS)
UNIT_daemon-profile_SRCS   := $(PREAMPD_PURE_SRCS)
UNIT_daemon-gain_SRCS      := $(PREAMPD_PURE_SRCS)
UNIT_daemon-policy_SRCS    := $(PREAMPD_PURE_SRCS)
UNIT_daemon-authz_SRCS     := $(PREAMPD_PURE_SRCS)
UNIT_daemon-config_SRCS    := $(PREAMPD_PURE_SRCS)
UNIT_daemon-usbattr_SRCS   := $(PREAMPD_PURE_SRCS)
UNIT_daemon-writeverdict_SRCS := $(PREAMPD_CORE_DIR)/write-verdict.c
UNIT_preset-name_SRCS      := $(PREAMP_COMMON_SRCS)
$(B)/asan/tests/unit/test-preset-name.o $(B)/obj/tests/unit/test-preset-name.o: \
	CPPFLAGS += -I$(PREAMP_COMMON_DIR)
UNIT_daemon-peers_SRCS     := $(PREAMPD_PURE_SRCS)

$(B)/asan/tests/unit/test-daemon-%.o $(B)/obj/tests/unit/test-daemon-%.o: \
	CPPFLAGS += $(PREAMPD_INCLUDES) -I$(PREAMP_COMMON_DIR) -DPREAMPD_PROFILES='"daemon/profiles"' \
	-DPREAMPD_FIXTURES='"tests/unit/fixtures"'

# ---- data files ----

PREAMPD_GEN := $(B)/gen/preampd
PREAMPD_SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' \
	-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@PROFILEDIR@|$(PREAMPD_PROFILEDIR)|g' \
	-e 's|@VERSION@|$(PREAMPD_VERSION)|g'

$(PREAMPD_GEN)/%: daemon/data/%.in FORCE
	@mkdir -p $(dir $@)
	@$(PREAMPD_SUBST) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(PREAMPD_GEN)/man/%: daemon/man/%.in FORCE
	@mkdir -p $(dir $@)
	@$(PREAMPD_SUBST) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

MAN_PAGES += $(PREAMPD_GEN)/man/preampd.8 $(PREAMPD_GEN)/man/preampd.conf.5

PREAMPD_PROFILES := $(wildcard daemon/profiles/*.conf)
PREAMPD_UDEV_RULES := $(wildcard udev/*.rules)

.PHONY: install-daemon uninstall-daemon preampd-data
preampd-data: $(PREAMPD_GEN)/preampd.service $(PREAMPD_GEN)/preampd.conf \
	$(PREAMPD_GEN)/man/preampd.8 \
	$(PREAMPD_GEN)/man/preampd.conf.5

install-daemon: $(B)/bin/preampd preampd-data
	install -D -m 0755 $(B)/bin/preampd $(DESTDIR)$(SBINDIR)/preampd
	install -D -m 0644 $(PREAMPD_GEN)/preampd.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/preampd.service
	install -D -m 0644 daemon/data/preampd.sysusers \
		$(DESTDIR)$(SYSUSERSDIR)/preampd.conf
	install -D -m 0644 daemon/data/org.preampd.Preamp1.conf \
		$(DESTDIR)$(DBUS_POLICYDIR)/org.preampd.Preamp1.conf
	install -D -m 0644 daemon/data/org.preampd.Preamp1.service \
		$(DESTDIR)$(DBUS_SERVICEDIR)/org.preampd.Preamp1.service
	install -D -m 0644 daemon/data/org.preampd.preamp1.policy \
		$(DESTDIR)$(POLKIT_ACTIONDIR)/org.preampd.preamp1.policy
	@# an administrator's configuration is never overwritten
	test -e $(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf || \
		install -D -m 0644 $(PREAMPD_GEN)/preampd.conf \
		$(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf
	install -d $(DESTDIR)$(PREAMPD_PROFILEDIR)
	install -m 0644 $(PREAMPD_PROFILES) $(DESTDIR)$(PREAMPD_PROFILEDIR)/
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 $(PREAMPD_UDEV_RULES) $(DESTDIR)$(UDEVRULESDIR)/
	install -D -m 0644 $(PREAMPD_GEN)/man/preampd.8 \
		$(DESTDIR)$(MANDIR)/man8/preampd.8
	install -D -m 0644 $(PREAMPD_GEN)/man/preampd.conf.5 \
		$(DESTDIR)$(MANDIR)/man5/preampd.conf.5

uninstall-daemon: $(PREAMPD_GEN)/preampd.conf
	rm -f $(DESTDIR)$(SBINDIR)/preampd
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/preampd.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/preampd.conf
	rm -f $(DESTDIR)$(DBUS_POLICYDIR)/org.preampd.Preamp1.conf
	rm -f $(DESTDIR)$(DBUS_SERVICEDIR)/org.preampd.Preamp1.service
	rm -f $(DESTDIR)$(POLKIT_ACTIONDIR)/org.preampd.preamp1.policy
	rm -f $(addprefix $(DESTDIR)$(PREAMPD_PROFILEDIR)/,$(notdir $(PREAMPD_PROFILES)))
	-rmdir $(DESTDIR)$(PREAMPD_PROFILEDIR) $(DESTDIR)$(DATADIR)/preampd 2>/dev/null
	rm -f $(addprefix $(DESTDIR)$(UDEVRULESDIR)/,$(notdir $(PREAMPD_UDEV_RULES)))
	rm -f $(DESTDIR)$(MANDIR)/man8/preampd.8 $(DESTDIR)$(MANDIR)/man5/preampd.conf.5
	@# the configuration goes as it was installed; an edited one stays
	@if cmp -s $(PREAMPD_GEN)/preampd.conf $(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf; then \
		echo "rm -f $(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf"; \
		rm -f $(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf; \
		rmdir $(DESTDIR)$(SYSCONFDIR)/preampd 2>/dev/null || true; \
	elif [ -e $(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf ]; then \
		echo "$(DESTDIR)$(SYSCONFDIR)/preampd/preampd.conf was edited: kept."; \
	fi
	@echo "The settings in /var/lib/preampd and the user preampd are kept."

# An installed tree for the VM scenarios (daemon-*.sh): the test bed copies
# $(B)/vm/root into the guest. The sanitized daemon and the polkit
# stand-in go to $(B)/bin, which the guest gets too.
.PHONY: vm-root-daemon
vm-root-daemon: $(B)/bin/preampd-asan $(B)/bin/pa-polkit-stub \
	$(B)/bin/pa-bus-flood
	$(MAKE) install-daemon DESTDIR=$(abspath $(B))/vm/root PREFIX=/usr
	@# preampctl counts columns with wcwidth() in C.UTF-8 (here, not in
	@# the VM's shared base image: that stays as others cache it)
	mkdir -p $(B)/vm/root/usr/lib/locale
	cp -a /usr/lib/locale/C.utf8 $(B)/vm/root/usr/lib/locale/

VM_SCENARIOS += daemon-basic daemon-restore daemon-polkit daemon-autogain
# user space: one kernel is enough
VM_KERNELS_daemon-basic    := 6.12
VM_KERNELS_daemon-restore  := 6.12
VM_KERNELS_daemon-polkit   := 6.12
VM_KERNELS_daemon-autogain := 6.12
check-vm check-vm-long vm-run vm-shell: vm-root-daemon
