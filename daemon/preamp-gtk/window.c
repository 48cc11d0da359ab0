// SPDX-License-Identifier: MIT
/* The main window. */
#include <string.h>

#include "context.h"
#include "device-page.h"
#include "snapshot.h"
#include "window.h"

struct win {
	pg_ctx ctx;
	GtkWidget *window, *title, *state, *devices, *switcher;
	GtkWidget *down, *msg_revealer, *msg_label;
	GHashTable *pages;		/* device path -> pg_page (owned by its widget) */
	gboolean running, connected;
};

static void win_free(gpointer data)
{
	struct win *w = data;

	pg_bus_free(w->ctx.bus);
	pg_names_free(w->ctx.names);
	g_hash_table_unref(w->pages);
	g_free(w);
}

/* ---- the message bar ---- */

static void message(pg_ctx *ctx, const char *text, gboolean error)
{
	struct win *w = (struct win *)ctx;

	gtk_label_set_text(GTK_LABEL(w->msg_label), text);
	if (error)
		gtk_widget_add_css_class(w->msg_revealer, "error");
	else
		gtk_widget_remove_css_class(w->msg_revealer, "error");
	gtk_revealer_set_reveal_child(GTK_REVEALER(w->msg_revealer), TRUE);
}

static void on_dismiss(GtkButton *b, gpointer data)
{
	struct win *w = data;

	(void)b;
	gtk_revealer_set_reveal_child(GTK_REVEALER(w->msg_revealer), FALSE);
	gtk_label_set_text(GTK_LABEL(w->msg_label), "");
}

/* ---- following the bus ---- */

static void update_titles(struct win *w)
{
	g_auto(GStrv) paths = pg_bus_device_paths(w->ctx.bus);
	gsize n = g_strv_length(paths);
	pg_device_snapshot *snaps = g_new0(pg_device_snapshot, n + 1);
	struct pg_device_state *states = g_new0(struct pg_device_state, n + 1);
	struct pg_device_view *views = g_new0(struct pg_device_view, n + 1);

	for (gsize i = 0; i < n; i++) {
		pg_device_snapshot_read(&snaps[i], pg_bus_proxy(w->ctx.bus, paths[i],
								 PG_IFACE_DEVICE));
		states[i] = snaps[i].s;
		states[i].user_name = pg_names_get(w->ctx.names, snaps[i].key);
	}
	pg_device_views(states, n, views);
	for (gsize i = 0; i < n; i++) {
		pg_page *p = g_hash_table_lookup(w->pages, paths[i]);

		if (!p)
			continue;
		pg_page_set_view(p, &views[i]);
		gtk_stack_page_set_title(gtk_stack_get_page(GTK_STACK(w->devices),
							    pg_page_widget(p)), views[i].tab);
		pg_device_snapshot_clear(&snaps[i]);
	}
	g_free(snaps);
	g_free(states);
	g_free(views);
}

static void show_state(struct win *w)
{
	const char *page = !w->connected ? "connecting" : !w->running ? "down" :
			   !pg_bus_ready(w->ctx.bus) ? "connecting" :
			   g_hash_table_size(w->pages) ? "devices" : "empty";
	GDBusProxy *mgr = pg_bus_proxy(w->ctx.bus, PG_ROOT_PATH, PG_IFACE_MANAGER);
	g_autofree char *version = mgr ? pg_prop_str(mgr, "Version") : g_strdup("");
	char sub[96], clean[48];

	gtk_stack_set_visible_child_name(GTK_STACK(w->state), page);
	pg_clean_text(clean, sizeof(clean), version, 24);
	if (w->running && *clean)
		g_snprintf(sub, sizeof(sub), "preampd %s", clean);
	else
		g_snprintf(sub, sizeof(sub), "%s", w->running ? "" : "preampd is not running");
	adw_window_title_set_subtitle(ADW_WINDOW_TITLE(w->title), sub);
}

static void sync_pages(struct win *w)
{
	g_auto(GStrv) paths = pg_bus_device_paths(w->ctx.bus);
	GHashTableIter it;
	gpointer key, value;

	if (!pg_bus_ready(w->ctx.bus)) {
		/* pages are added in plug-in order, which the Manager gives */
		show_state(w);
		return;
	}
	g_hash_table_iter_init(&it, w->pages);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		if (!g_strv_contains((const char *const *)paths, key)) {
			gtk_stack_remove(GTK_STACK(w->devices), pg_page_widget(value));
			g_hash_table_iter_remove(&it);
		}
	}
	for (gsize i = 0; paths[i]; i++) {
		pg_page *p = g_hash_table_lookup(w->pages, paths[i]);

		if (p) {
			pg_page_sync(p);
			continue;
		}
		p = pg_page_new(&w->ctx, paths[i]);
		g_hash_table_insert(w->pages, g_strdup(paths[i]), p);
		gtk_stack_add_titled(GTK_STACK(w->devices), pg_page_widget(p), paths[i], "");
	}
	update_titles(w);
	show_state(w);
}

static void on_daemon(gboolean running, gpointer ud)
{
	struct win *w = ud;

	w->connected = TRUE;
	w->running = running;
	/* said only while it is true (a screen reader reads every page) */
	adw_status_page_set_description(ADW_STATUS_PAGE(w->down), running ? "" : pg_daemon_help);
	sync_pages(w);
}

static void on_objects(gpointer ud)
{
	sync_pages(ud);
}

static pg_page *page_of(struct win *w, const char *path)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_iter_init(&it, w->pages);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		size_t l = strlen(key);

		if (strncmp(path, key, l) == 0 && path[l] == '/')
			return value;
	}
	return NULL;
}

static void on_properties(const char *path, const char *iface, gpointer ud)
{
	struct win *w = ud;
	pg_page *p;

	if (g_strcmp0(iface, PG_IFACE_DEVICE) == 0) {
		p = g_hash_table_lookup(w->pages, path);
		if (p)
			pg_page_sync(p);
		update_titles(w);
	} else if (g_strcmp0(iface, PG_IFACE_INPUT) == 0) {
		p = page_of(w, path);
		if (p)
			pg_page_input_changed(p, path);
	}
}

static void on_signal(const char *path, const char *member, GVariant *params, gpointer ud)
{
	pg_page *p = page_of(ud, path);

	if (p)
		pg_page_input_signal(p, path, member, params);
}

static void on_unreachable(const char *text, gpointer ud)
{
	struct win *w = ud;
	char desc[512];

	w->connected = TRUE;
	w->running = FALSE;
	g_snprintf(desc, sizeof(desc), "The system bus cannot be reached (%s). "
		   "preampd and this app need D-Bus.", text);
	adw_status_page_set_description(ADW_STATUS_PAGE(w->down), desc);
	show_state(w);
}

static void renamed(pg_ctx *ctx)
{
	update_titles((struct win *)ctx);
}

/* ---- building the window ---- */

static GtkWidget *status_page(const char *icon, const char *title, const char *desc)
{
	GtkWidget *s = adw_status_page_new();

	adw_status_page_set_icon_name(ADW_STATUS_PAGE(s), icon);
	adw_status_page_set_title(ADW_STATUS_PAGE(s), title);
	adw_status_page_set_description(ADW_STATUS_PAGE(s), desc);
	return s;
}

static GtkWidget *message_bar(struct win *w)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	GtkWidget *close = gtk_button_new_with_label("Dismiss");

	gtk_widget_add_css_class(box, "message-bar");
	w->msg_label = gtk_label_new("");
	gtk_label_set_wrap(GTK_LABEL(w->msg_label), TRUE);
	gtk_label_set_xalign(GTK_LABEL(w->msg_label), 0);
	gtk_label_set_selectable(GTK_LABEL(w->msg_label), TRUE);
	gtk_widget_set_hexpand(w->msg_label, TRUE);
	gtk_accessible_update_property(GTK_ACCESSIBLE(close), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       "Dismiss the message", -1);
	gtk_widget_set_valign(close, GTK_ALIGN_CENTER);
	g_signal_connect(close, "clicked", G_CALLBACK(on_dismiss), w);
	gtk_box_append(GTK_BOX(box), w->msg_label);
	gtk_box_append(GTK_BOX(box), close);
	w->msg_revealer = gtk_revealer_new();
	gtk_revealer_set_child(GTK_REVEALER(w->msg_revealer), box);
	return w->msg_revealer;
}

static void on_about(GSimpleAction *a, GVariant *param, gpointer data)
{
	struct win *w = data;
	GtkWidget *about = adw_about_window_new();

	(void)a;
	(void)param;
	gtk_window_set_transient_for(GTK_WINDOW(about), GTK_WINDOW(w->window));
	adw_about_window_set_application_name(ADW_ABOUT_WINDOW(about), "Preamp");
	adw_about_window_set_application_icon(ADW_ABOUT_WINDOW(about), "org.preampd.Preamp");
	adw_about_window_set_version(ADW_ABOUT_WINDOW(about), PREAMP_GTK_VERSION);
	adw_about_window_set_comments(ADW_ABOUT_WINDOW(about),
		"Input gain, 48 V and AutoGain for USB audio interfaces, through preampd.");
	adw_about_window_set_license_type(ADW_ABOUT_WINDOW(about), GTK_LICENSE_MIT_X11);
	gtk_window_present(GTK_WINDOW(about));
}

GtkWindow *pg_window_new(AdwApplication *app)
{
	static const pg_bus_events events = {
		.daemon = on_daemon, .objects = on_objects, .properties = on_properties,
		.signal = on_signal, .unreachable = on_unreachable,
	};
	struct win *w = g_new0(struct win, 1);
	GtkWidget *content, *header, *devices_box, *scroll, *menu;
	g_autoptr(GMenu) model = g_menu_new();
	g_autoptr(GSimpleAction) about = g_simple_action_new("about", NULL);

	w->window = adw_application_window_new(GTK_APPLICATION(app));
	gtk_window_set_title(GTK_WINDOW(w->window), "Preamp");
	gtk_window_set_default_size(GTK_WINDOW(w->window), 1260, 860);
	w->pages = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w->ctx.window = GTK_WINDOW(w->window);
	w->ctx.message = message;
	w->ctx.renamed = renamed;
	w->ctx.names = pg_names_load();

	header = adw_header_bar_new();
	w->title = adw_window_title_new("Preamp", "");
	adw_header_bar_set_title_widget(ADW_HEADER_BAR(header), w->title);
	g_menu_append(model, "_About Preamp", "win.about");
	menu = gtk_menu_button_new();
	gtk_menu_button_set_icon_name(GTK_MENU_BUTTON(menu), "open-menu-symbolic");
	gtk_menu_button_set_menu_model(GTK_MENU_BUTTON(menu), G_MENU_MODEL(model));
	gtk_accessible_update_property(GTK_ACCESSIBLE(menu), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       "Main menu", -1);
	adw_header_bar_pack_end(ADW_HEADER_BAR(header), menu);
	g_signal_connect(about, "activate", G_CALLBACK(on_about), w);
	g_action_map_add_action(G_ACTION_MAP(w->window), G_ACTION(about));

	w->devices = gtk_stack_new();
	gtk_stack_set_transition_type(GTK_STACK(w->devices), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
	w->switcher = gtk_stack_switcher_new();
	gtk_stack_switcher_set_stack(GTK_STACK_SWITCHER(w->switcher), GTK_STACK(w->devices));
	gtk_widget_set_halign(w->switcher, GTK_ALIGN_CENTER);
	gtk_widget_set_margin_top(w->switcher, 6);
	gtk_accessible_update_property(GTK_ACCESSIBLE(w->switcher), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       "Interfaces", -1);
	scroll = gtk_scrolled_window_new();
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scroll), w->devices);
	gtk_widget_set_vexpand(scroll, TRUE);
	devices_box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	gtk_box_append(GTK_BOX(devices_box), w->switcher);
	gtk_box_append(GTK_BOX(devices_box), scroll);

	w->down = status_page("dialog-warning-symbolic", "preampd is not running", "");
	w->state = gtk_stack_new();
	gtk_stack_add_named(GTK_STACK(w->state),
		status_page("content-loading-symbolic", "Connecting", "Looking for preampd on the system bus\u2026"),
		"connecting");
	gtk_stack_add_named(GTK_STACK(w->state), w->down, "down");
	gtk_stack_add_named(GTK_STACK(w->state),
		status_page("audio-input-microphone-symbolic", "No interface",
			    "Plug in a USB audio interface whose preamps preampd drives: one "
			    "that speaks the Preamp Control Protocol, a Focusrite Scarlett, an "
			    "RME Babyface Pro, or one with UAC2 input gain."), "empty");
	gtk_stack_add_named(GTK_STACK(w->state), devices_box, "devices");

	content = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	gtk_box_append(GTK_BOX(content), header);
	gtk_box_append(GTK_BOX(content), message_bar(w));
	gtk_box_append(GTK_BOX(content), w->state);
	gtk_widget_set_vexpand(w->state, TRUE);
	adw_application_window_set_content(ADW_APPLICATION_WINDOW(w->window), content);
	g_object_set_data_full(G_OBJECT(w->window), "pg-window", w, win_free);

	w->ctx.bus = pg_bus_new(&events, w);
	show_state(w);
	return GTK_WINDOW(w->window);
}
