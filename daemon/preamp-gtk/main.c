// SPDX-License-Identifier: MIT
/*
 * preamp-gtk: the desktop's gain slider. A GTK 4 window on preampd's
 * D-Bus API (org.preampd.Preamp1 on the system bus): every interface, a
 * channel strip per input, 48 V, AutoGain, presets and the 48 V policy.
 */
#include <adwaita.h>

#include "window.h"

#define APP_ID "org.preampd.Preamp"

static const char css[] =
	".strip { padding: 12px; }\n"
	".clip-light { min-width: 56px; font-weight: bold; }\n"
	".clip-on { background: #e01b24; color: #ffffff; }\n"
	".phantom-on { background: #c64600; color: #ffffff; }\n"
	".message-bar { padding: 8px 12px; background: alpha(@accent_bg_color, 0.15); }\n"
	".error .message-bar { background: alpha(@error_bg_color, 0.2); }\n";

static void on_startup(GApplication *app, gpointer data)
{
	GtkCssProvider *p = gtk_css_provider_new();

	(void)app;
	(void)data;
	gtk_css_provider_load_from_data(p, css, -1);
	gtk_style_context_add_provider_for_display(gdk_display_get_default(),
		GTK_STYLE_PROVIDER(p), GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	g_object_unref(p);
}

static void on_activate(GApplication *app, gpointer data)
{
	GtkWindow *w = gtk_application_get_active_window(GTK_APPLICATION(app));

	(void)data;
	if (!w)
		w = pg_window_new(ADW_APPLICATION(app));
	gtk_window_present(w);
}

int main(int argc, char **argv)
{
	g_autoptr(AdwApplication) app = adw_application_new(APP_ID, G_APPLICATION_DEFAULT_FLAGS);

	g_set_application_name("Preamp");
	gtk_window_set_default_icon_name(APP_ID);
	g_signal_connect(app, "startup", G_CALLBACK(on_startup), NULL);
	g_signal_connect(app, "activate", G_CALLBACK(on_activate), NULL);
	return g_application_run(G_APPLICATION(app), argc, argv);
}
