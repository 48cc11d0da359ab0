// SPDX-License-Identifier: MIT
/* AutoGain: start, progress, cancel, result. */
#include <math.h>

#include "autogain.h"

struct pg_autogain_view {
	pg_ctx *ctx;
	char *path, *title;
	GtkWidget *box, *start, *options, *cancel, *status, *target, *listen;
	struct pg_autogain ag;
	double step, gain;
	char *state;
};

static void view_free(gpointer data)
{
	pg_autogain_view *a = data;

	g_free(a->path);
	g_free(a->title);
	g_free(a->state);
	g_free(a);
}

static void show(pg_autogain_view *a)
{
	char text[512];

	pg_autogain_text(&a->ag, a->step, text, sizeof(text));
	gtk_label_set_text(GTK_LABEL(a->status), text);
	gtk_widget_set_visible(a->status, *text != '\0');
	gtk_widget_set_visible(a->cancel, a->ag.running);
	gtk_widget_set_sensitive(a->start, !a->ag.running);
}

static void on_started(GObject *owner, GVariant *reply, const char *message,
		       enum pg_err_kind kind, gpointer ud)
{
	pg_autogain_view *a = g_object_get_data(owner, "pg-autogain");

	(void)kind;
	(void)ud;
	if (!reply) {
		double target = a->ag.target;

		pg_autogain_init(&a->ag);
		a->ag.target = target;
		show(a);
		a->ctx->message(a->ctx, message, TRUE);
		return;
	}
	/* the state may have said "listening" already: keep its pass */
	if (!a->ag.running || a->ag.pass == 0) {
		pg_autogain_started(&a->ag,
			gtk_spin_button_get_value(GTK_SPIN_BUTTON(a->target)), a->gain);
	}
	show(a);
}

static void on_start(GtkButton *b, gpointer ud)
{
	pg_autogain_view *a = ud;
	double target = gtk_spin_button_get_value(GTK_SPIN_BUTTON(a->target));
	guint listen_ms = (guint)gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(a->listen)) * 1000;
	char what[160];

	(void)b;
	g_snprintf(what, sizeof(what), "Starting AutoGain on %s", a->title);
	pg_autogain_started(&a->ag, target, a->gain);
	show(a);
	pg_bus_call(a->ctx->bus, a->path, PG_IFACE_INPUT, "StartAutoGain",
		    g_variant_new("(dub)", target, listen_ms, TRUE), "()", TRUE, what,
		    G_OBJECT(a->box), on_started, NULL);
}

static void on_cancelled(GObject *owner, GVariant *reply, const char *message,
			 enum pg_err_kind kind, gpointer ud)
{
	(void)kind;
	(void)ud;
	if (!reply) {
		pg_autogain_view *a = g_object_get_data(owner, "pg-autogain");

		a->ctx->message(a->ctx, message, TRUE);
	}
}

static void on_cancel(GtkButton *b, gpointer ud)
{
	pg_autogain_view *a = ud;
	char what[160];

	(void)b;
	g_snprintf(what, sizeof(what), "Cancelling AutoGain on %s", a->title);
	pg_bus_call(a->ctx->bus, a->path, PG_IFACE_INPUT, "CancelAutoGain",
		    g_variant_new("(b)", TRUE), "()", TRUE, what, G_OBJECT(a->box),
		    on_cancelled, NULL);
}

static GtkWidget *spin_row(GtkWidget *grid, int row, const char *label, GtkWidget *spin)
{
	GtkWidget *l = gtk_label_new(label);

	gtk_label_set_xalign(GTK_LABEL(l), 0);
	gtk_grid_attach(GTK_GRID(grid), l, 0, row, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), spin, 1, row, 1, 1);
	gtk_accessible_update_property(GTK_ACCESSIBLE(spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       label, -1);
	return spin;
}

pg_autogain_view *pg_autogain_view_new(pg_ctx *ctx, const char *input_path)
{
	pg_autogain_view *a = g_new0(pg_autogain_view, 1);
	GtkWidget *row, *grid, *pop;

	a->ctx = ctx;
	a->path = g_strdup(input_path);
	a->title = g_strdup("this input");
	a->step = 1;
	a->gain = NAN;
	pg_autogain_init(&a->ag);
	a->box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
	row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0);
	gtk_widget_add_css_class(row, "linked");
	a->start = gtk_button_new_with_label("AutoGain");
	gtk_widget_set_hexpand(a->start, TRUE);
	gtk_widget_set_tooltip_text(a->start,
		"Listen while the performer plays their loudest, and set the gain from it");
	g_signal_connect(a->start, "clicked", G_CALLBACK(on_start), a);
	a->options = gtk_menu_button_new();
	gtk_menu_button_set_icon_name(GTK_MENU_BUTTON(a->options), "emblem-system-symbolic");
	gtk_widget_set_tooltip_text(a->options, "AutoGain target and listening time");
	grid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	a->target = spin_row(grid, 0, "Loudest peak (dBFS)",
			     gtk_spin_button_new_with_range(-30, 0, 0.5));
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(a->target), PG_AUTOGAIN_TARGET);
	a->listen = spin_row(grid, 1, "Listen per pass (s)",
			     gtk_spin_button_new_with_range(1, 60, 1));
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(a->listen), PG_AUTOGAIN_LISTEN_MS / 1000.0);
	pop = gtk_popover_new();
	gtk_popover_set_child(GTK_POPOVER(pop), grid);
	gtk_menu_button_set_popover(GTK_MENU_BUTTON(a->options), pop);
	gtk_box_append(GTK_BOX(row), a->start);
	gtk_box_append(GTK_BOX(row), a->options);

	a->cancel = gtk_button_new_with_label("Cancel AutoGain");
	gtk_widget_add_css_class(a->cancel, "destructive-action");
	g_signal_connect(a->cancel, "clicked", G_CALLBACK(on_cancel), a);
	a->status = gtk_label_new("");
	gtk_label_set_wrap(GTK_LABEL(a->status), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(a->status), 18);
	gtk_label_set_xalign(GTK_LABEL(a->status), 0);
	gtk_widget_add_css_class(a->status, "caption");

	gtk_box_append(GTK_BOX(a->box), row);
	gtk_box_append(GTK_BOX(a->box), a->cancel);
	gtk_box_append(GTK_BOX(a->box), a->status);
	g_object_set_data_full(G_OBJECT(a->box), "pg-autogain", a, view_free);
	show(a);
	return a;
}

GtkWidget *pg_autogain_view_widget(pg_autogain_view *a)
{
	return a->box;
}

void pg_autogain_view_update(pg_autogain_view *a, const struct pg_strip_view *v,
			     const struct pg_input_state *in)
{
	char a11y[160];
	gboolean state_changed = g_strcmp0(a->state, in->autogain_state) != 0;

	gtk_widget_set_visible(a->box, v->show_autogain);
	if (!v->show_autogain)
		return;
	g_free(a->title);
	a->title = g_strdup(v->title);
	a->step = v->gain_step;
	if (state_changed) {
		g_free(a->state);
		a->state = g_strdup(in->autogain_state);
		pg_autogain_state(&a->ag, in->autogain_state, v->gain);
	} else if (v->gain != a->gain) {
		pg_autogain_gain(&a->ag, in->autogain_state, v->gain);
	}
	a->gain = v->gain;
	g_snprintf(a11y, sizeof(a11y), "AutoGain of %s", v->title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(a->start),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
	g_snprintf(a11y, sizeof(a11y), "AutoGain settings of %s", v->title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(a->options),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
	g_snprintf(a11y, sizeof(a11y), "Cancel AutoGain of %s", v->title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(a->cancel),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
	show(a);
}

void pg_autogain_view_finished(pg_autogain_view *a, GVariant *params)
{
	const char *result;
	double gain, peak;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(sdd)")))
		return;
	g_variant_get(params, "(&sdd)", &result, &gain, &peak);
	pg_autogain_finished(&a->ag, result, gain, peak);
	show(a);
}

