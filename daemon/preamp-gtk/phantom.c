// SPDX-License-Identifier: MIT
/* 48 V: hold or confirm, its group, and the lock. */
#include "phantom.h"

/* long-press time (gtk-long-press-time, 500 ms by default) times this */
#define HOLD_FACTOR 2.0

struct pg_phantom {
	pg_ctx *ctx;
	char *path;
	char *title;
	GtkWidget *box, *button, *group, *lock;
	gboolean on, locked, sensitive;
	gboolean swallow_click;		/* the release after a hold is no click */
	gboolean updating;
	char confirm[320];
};

static void phantom_free(gpointer data)
{
	pg_phantom *p = data;

	g_free(p->path);
	g_free(p->title);
	g_free(p);
}

/* SetPhantom or SetPhantomLock (value, interactive = true); what says it in
 * words for a failure's message */
static void call_input(pg_phantom *p, const char *method, gboolean value, const char *what)
{
	pg_bus_call(p->ctx->bus, p->path, PG_IFACE_INPUT, method,
		    g_variant_new("(bb)", value, TRUE), "()", TRUE, what, G_OBJECT(p->box),
		    pg_report_failure, p->ctx);
}

static void set_phantom(pg_phantom *p, gboolean on)
{
	char what[160];

	g_snprintf(what, sizeof(what), "Switching 48 V %s for %s", on ? "on" : "off", p->title);
	call_input(p, "SetPhantom", on, what);
}

static void confirmed_on(gpointer ud)
{
	set_phantom(ud, TRUE);
}

static void on_clicked(GtkButton *b, gpointer ud)
{
	pg_phantom *p = ud;

	(void)b;
	if (p->swallow_click) {
		p->swallow_click = FALSE;
		return;
	}
	if (p->on) {
		set_phantom(p, FALSE);
		return;
	}
	pg_confirm(p->ctx, G_OBJECT(p->box), "Switch 48 V on?", p->confirm, "Switch _On",
		   FALSE, confirmed_on, p, NULL);
}

static void on_hold(GtkGestureLongPress *g, double x, double y, gpointer ud)
{
	pg_phantom *p = ud;

	(void)g;
	(void)x;
	(void)y;
	if (p->on || p->locked || !p->sensitive)
		return;
	p->swallow_click = TRUE;
	set_phantom(p, TRUE);
}

static void lock(pg_phantom *p, gboolean locked)
{
	char what[160];

	g_snprintf(what, sizeof(what), "%s the 48 V lock of %s", locked ? "Setting" : "Removing",
		   p->title);
	call_input(p, "SetPhantomLock", locked, what);
}

static void confirmed_unlock(gpointer ud)
{
	lock(ud, FALSE);
}

static void on_lock(GtkToggleButton *t, gpointer ud)
{
	pg_phantom *p = ud;
	gboolean want = gtk_toggle_button_get_active(t);

	if (p->updating)
		return;
	/* the property decides what the button shows */
	p->updating = TRUE;
	gtk_toggle_button_set_active(t, p->locked);
	p->updating = FALSE;
	if (want)
		lock(p, TRUE);
	else
		pg_confirm(p->ctx, G_OBJECT(p->box), "Remove the 48 V lock?",
			   "The lock keeps 48 V off for a ribbon microphone on this input. "
			   "Without it, 48 V can be switched on for the whole group. "
			   "An administrator's password may be asked for.",
			   "_Remove Lock", TRUE, confirmed_unlock, p, NULL);
}

pg_phantom *pg_phantom_new(pg_ctx *ctx, const char *input_path)
{
	pg_phantom *p = g_new0(pg_phantom, 1);
	GtkGesture *hold;

	p->ctx = ctx;
	p->path = g_strdup(input_path);
	p->title = g_strdup("this input");
	p->box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
	p->button = gtk_button_new_with_label("48 V");
	gtk_widget_set_tooltip_text(p->button,
		"Hold for a second, or click and confirm, to switch 48 V on; click to switch it off");
	hold = gtk_gesture_long_press_new();
	gtk_gesture_long_press_set_delay_factor(GTK_GESTURE_LONG_PRESS(hold), HOLD_FACTOR);
	gtk_event_controller_set_propagation_phase(GTK_EVENT_CONTROLLER(hold), GTK_PHASE_CAPTURE);
	g_signal_connect(hold, "pressed", G_CALLBACK(on_hold), p);
	gtk_widget_add_controller(p->button, GTK_EVENT_CONTROLLER(hold));
	g_signal_connect(p->button, "clicked", G_CALLBACK(on_clicked), p);

	p->group = gtk_label_new("");
	gtk_label_set_wrap(GTK_LABEL(p->group), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(p->group), 16);
	gtk_widget_add_css_class(p->group, "caption");
	gtk_widget_add_css_class(p->group, "dim-label");

	p->lock = gtk_toggle_button_new_with_label("Ribbon lock");
	gtk_widget_set_tooltip_text(p->lock,
		"Keep 48 V off for this input and its group (a ribbon microphone)");
	g_signal_connect(p->lock, "toggled", G_CALLBACK(on_lock), p);

	gtk_box_append(GTK_BOX(p->box), p->button);
	gtk_box_append(GTK_BOX(p->box), p->group);
	gtk_box_append(GTK_BOX(p->box), p->lock);
	g_object_set_data_full(G_OBJECT(p->box), "pg-phantom", p, phantom_free);
	return p;
}

GtkWidget *pg_phantom_widget(pg_phantom *p)
{
	return p->box;
}

void pg_phantom_update(pg_phantom *p, const struct pg_strip_view *v,
		       const struct pg_input_state *in)
{
	char a11y[160];

	gtk_widget_set_visible(p->box, v->show_phantom);
	if (!v->show_phantom)
		return;
	g_free(p->title);
	p->title = g_strdup(v->title);
	p->on = v->phantom_on;
	p->locked = in->phantom_locked;
	p->sensitive = v->phantom_sensitive;
	g_strlcpy(p->confirm, v->phantom_confirm, sizeof(p->confirm));

	gtk_button_set_label(GTK_BUTTON(p->button), v->phantom_text);
	gtk_widget_set_sensitive(p->button, v->phantom_sensitive);
	if (v->phantom_on)
		gtk_widget_add_css_class(p->button, "phantom-on");
	else
		gtk_widget_remove_css_class(p->button, "phantom-on");
	g_snprintf(a11y, sizeof(a11y), "48 V of %s: %s", v->title,
		   in->phantom_locked ? "locked off" : v->phantom_on ? "on, click to switch off" :
		   "off, hold or click and confirm to switch on");
	gtk_accessible_update_property(GTK_ACCESSIBLE(p->button),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

	gtk_label_set_text(GTK_LABEL(p->group), v->group_text);
	gtk_widget_set_visible(p->group, *v->group_text != '\0');

	p->updating = TRUE;
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(p->lock), in->phantom_locked);
	p->updating = FALSE;
	gtk_button_set_label(GTK_BUTTON(p->lock), in->phantom_locked ? "Ribbon lock on" :
								       "Ribbon lock");
	g_snprintf(a11y, sizeof(a11y), "48 V lock of %s", v->title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(p->lock),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}
