# preamp-gtk, the desktop app on preampd's D-Bus API: the program, its
# desktop files, its unit suite, its checks, and `make try` (the app and
# preampctl against the simulation, no hardware needed). Included by the
# top-level Makefile before tests/unit/unit.mk.

PGTK_DIR   := daemon/preamp-gtk
PGTK_DATA  := $(PGTK_DIR)/data
PGTK_ID    := org.preampd.Preamp
# the pure model (unit-tested), and the rest
PGTK_PURE  := $(PGTK_DIR)/model.c
PGTK_SRCS  := $(PGTK_PURE) $(PGTK_DIR)/names.c $(PGTK_DIR)/snapshot.c $(PGTK_DIR)/bus.c \
              $(PGTK_DIR)/context.c $(PGTK_DIR)/meter.c $(PGTK_DIR)/phantom.c \
              $(PGTK_DIR)/autogain.c $(PGTK_DIR)/strip.c $(PGTK_DIR)/presets.c \
              $(PGTK_DIR)/policy.c $(PGTK_DIR)/device-page.c $(PGTK_DIR)/window.c \
              $(PGTK_DIR)/main.c
PGTK_PKGS  := gtk4 libadwaita-1
# Debian 12's GTK 4.8, libadwaita 1.2 and GLib 2.74: nothing newer is used,
# and what later versions deprecate does not warn.
PGTK_API   := -DGDK_VERSION_MIN_REQUIRED=GDK_VERSION_4_8 \
              -DGDK_VERSION_MAX_ALLOWED=GDK_VERSION_4_8 \
              -DADW_VERSION_MIN_REQUIRED=ADW_VERSION_1_2 \
              -DADW_VERSION_MAX_ALLOWED=ADW_VERSION_1_2 \
              -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
              -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74
PGTK_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PGTK_PKGS) 2>/dev/null) $(PGTK_API)
PGTK_LIBS   = $(shell $(PKG_CONFIG) --libs $(PGTK_PKGS) 2>/dev/null) -lm
PREAMP_GTK_VERSION ?= $(or $(PREAMPD_VERSION),0.1)

$(B)/obj/$(PGTK_DIR)/%.o $(B)/asan/$(PGTK_DIR)/%.o: \
	CPPFLAGS += $(PGTK_CFLAGS) -DPREAMP_GTK_VERSION='"$(PREAMP_GTK_VERSION)"'

$(B)/bin/preamp-gtk: $(PGTK_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PGTK_LIBS)

USER_BINS += $(B)/bin/preamp-gtk
MAN_PAGES += $(PGTK_DIR)/preamp-gtk.1

# cmocka: the model, table-driven
UNIT_SUITES += preamp-gtk-model
UNIT_preamp-gtk-model_SRCS := $(PGTK_PURE)
$(B)/asan/tests/unit/test-preamp-gtk-%.o $(B)/obj/tests/unit/test-preamp-gtk-%.o: \
	CPPFLAGS += -Idaemon

# ---- installation ----

BINDIR           ?= $(PREFIX)/bin
DATADIR          ?= $(PREFIX)/share
PGTK_APPDIR      ?= $(DATADIR)/applications
PGTK_METAINFODIR ?= $(DATADIR)/metainfo
PGTK_ICONDIR     ?= $(DATADIR)/icons/hicolor
# where the project is published, for the metainfo (AppStream takes only web
# addresses): its homepage, and the folder holding docs/screenshots/*.png
PGTK_HOMEPAGE        ?=
PGTK_SCREENSHOTS_URL ?=

.PHONY: install-preamp-gtk uninstall-preamp-gtk
install: install-preamp-gtk
uninstall: uninstall-preamp-gtk

install-preamp-gtk: $(B)/bin/preamp-gtk install-dbus-interfaces
	install -D -m 0755 $(B)/bin/preamp-gtk $(DESTDIR)$(BINDIR)/preamp-gtk
	install -D -m 0644 $(PGTK_DIR)/preamp-gtk.1 $(DESTDIR)$(MANDIR)/man1/preamp-gtk.1
	install -D -m 0644 $(PGTK_DATA)/$(PGTK_ID).desktop \
		$(DESTDIR)$(PGTK_APPDIR)/$(PGTK_ID).desktop
	@mkdir -p $(B)/preamp-gtk
	$(PGTK_DATA)/metainfo-web.sh $(PGTK_DATA)/$(PGTK_ID).metainfo.xml \
		'$(PGTK_HOMEPAGE)' '$(PGTK_SCREENSHOTS_URL)' >$(B)/preamp-gtk/$(PGTK_ID).metainfo.xml
	install -D -m 0644 $(B)/preamp-gtk/$(PGTK_ID).metainfo.xml \
		$(DESTDIR)$(PGTK_METAINFODIR)/$(PGTK_ID).metainfo.xml
	install -D -m 0644 $(PGTK_DATA)/$(PGTK_ID).svg \
		$(DESTDIR)$(PGTK_ICONDIR)/scalable/apps/$(PGTK_ID).svg
	install -D -m 0644 $(PGTK_DATA)/$(PGTK_ID)-symbolic.svg \
		$(DESTDIR)$(PGTK_ICONDIR)/symbolic/apps/$(PGTK_ID)-symbolic.svg

uninstall-preamp-gtk: uninstall-dbus-interfaces
	rm -f $(DESTDIR)$(BINDIR)/preamp-gtk $(DESTDIR)$(MANDIR)/man1/preamp-gtk.1 \
	      $(DESTDIR)$(PGTK_APPDIR)/$(PGTK_ID).desktop \
	      $(DESTDIR)$(PGTK_METAINFODIR)/$(PGTK_ID).metainfo.xml \
	      $(DESTDIR)$(PGTK_ICONDIR)/scalable/apps/$(PGTK_ID).svg \
	      $(DESTDIR)$(PGTK_ICONDIR)/symbolic/apps/$(PGTK_ID)-symbolic.svg

# the introspection XML of the API, for desktop developers
include daemon/interfaces/interfaces.mk

# ---- trying it, and checking it ----

.PHONY: try check-preamp-gtk
# The app and preampctl against the simulation on a private bus.
try: $(B)/bin/preamp-gtk $(B)/bin/preampctl
	tests/fake-preampd/try.sh $(B)/bin/preamp-gtk

# desktop files, introspection against the real preampd, the UI under Xvfb
check-preamp-gtk: $(B)/bin/preamp-gtk $(B)/bin/preampd $(B)/bin/pa-dbus-introspect
	@mkdir -p $(B)/results
	tests/preamp-gtk/check.sh $(B) | tee $(B)/results/desktop.txt
