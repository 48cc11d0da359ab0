# The introspection XML of preampd's D-Bus API (org.preampd.Preamp1.Manager,
# .Device, .Input), for desktop developers: installed in
# $(DATADIR)/dbus-1/interfaces, and compared in `make check` with what the
# real preampd introspects (tests/preamp-gtk/introspect.sh).

DBUS_IFACE_DIR   := daemon/interfaces
DBUS_IFACE_FILES := $(wildcard $(DBUS_IFACE_DIR)/org.preampd.Preamp1.*.xml)
DBUS_INTERFACESDIR ?= $(PREFIX)/share/dbus-1/interfaces

.PHONY: install-dbus-interfaces uninstall-dbus-interfaces
install-dbus-interfaces:
	install -d $(DESTDIR)$(DBUS_INTERFACESDIR)
	install -m 0644 $(DBUS_IFACE_FILES) $(DESTDIR)$(DBUS_INTERFACESDIR)/

uninstall-dbus-interfaces:
	rm -f $(addprefix $(DESTDIR)$(DBUS_INTERFACESDIR)/,$(notdir $(DBUS_IFACE_FILES)))

# preampd's Device and Input vtables on a bus, without hardware: the
# daemon's objects but its main()
PA_INTROSPECT_OBJS := $(filter-out %/main.o,$(PREAMPD_OBJS)) \
	$(B)/obj/$(DBUS_IFACE_DIR)/vtable-introspect.o
$(B)/obj/$(DBUS_IFACE_DIR)/vtable-introspect.o: \
	CPPFLAGS += $(PREAMPD_INCLUDES) -I$(B)/gen $(addprefix -I,$(PREAMP_COMMON_DIR)) $(PREAMPD_CFLAGS)
$(B)/obj/$(DBUS_IFACE_DIR)/vtable-introspect.o: $(PREAMPD_PATHS_H)

$(B)/bin/pa-dbus-introspect: $(PA_INTROSPECT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PREAMPD_LIBS)
