// SPDX-License-Identifier: MIT
/* The channel strip. */
#include <math.h>

#include "autogain.h"
#include "meter.h"
#include "phantom.h"
#include "snapshot.h"
#include "strip.h"

enum { SW_PAD, SW_AIR, SW_PHASE, SW_HIGHPASS, N_SWITCHES };

static const struct {
	const char *word, *label, *what;
} switches[N_SWITCHES] = {
	[SW_PAD] = { "pad", "Pad", "the pad" },
	[SW_AIR] = { "air", "Air", "Air" },
	[SW_PHASE] = { "phase", "Phase \u00d8", "the phase invert" },
	[SW_HIGHPASS] = { "highpass", "High-pass", "the high-pass filter" },
};

struct pg_strip {
	pg_ctx *ctx;
	char *device_path, *path;
	GtkWidget *box, *title, *meter, *scale, *gain_label, *clip;
	GtkWidget *sw[N_SWITCHES], *level_box, *line, *inst;
	pg_phantom *phantom;
	pg_autogain_view *autogain;
	struct pg_strip_view v;
	struct pg_meter m;
	gboolean updating;		/* controls being set from properties */
	gboolean gain_in_flight, gain_pending;
	double gain_wanted;
	gboolean has_state;
};

static void strip_free(gpointer data)
{
	pg_strip *s = data;

	g_free(s->device_path);
	g_free(s->path);
	g_free(s);
}

static void refresh(pg_strip *s)
{
	pg_strip_update(s, pg_bus_proxy(s->ctx->bus, s->path, PG_IFACE_INPUT));
}

/* ---- gain ---- */

static void send_gain(pg_strip *s);

static void on_gain_reply(GObject *owner, GVariant *reply, const char *message,
			  enum pg_err_kind kind, gpointer ud)
{
	pg_strip *s = g_object_get_data(owner, "pg-strip");

	(void)kind;
	(void)ud;
	s->gain_in_flight = FALSE;
	if (!reply) {
		s->gain_pending = FALSE;
		s->ctx->message(s->ctx, message, TRUE);
	}
	if (s->gain_pending) {
		send_gain(s);
		return;
	}
	refresh(s);	/* whatever the daemon has now */
}

static void send_gain(pg_strip *s)
{
	char what[160];

	s->gain_pending = FALSE;
	s->gain_in_flight = TRUE;
	g_snprintf(what, sizeof(what), "Setting the gain of %s", s->v.title);
	pg_bus_call(s->ctx->bus, s->path, PG_IFACE_INPUT, "SetGain",
		    g_variant_new("(db)", s->gain_wanted, TRUE), "(d)", TRUE, what,
		    G_OBJECT(s->box), on_gain_reply, NULL);
}

static void show_gain_text(pg_strip *s, double db)
{
	char text[32];

	pg_gain_text(text, sizeof(text), db, s->v.gain_step);
	gtk_label_set_text(GTK_LABEL(s->gain_label), text);
	gtk_accessible_update_property(GTK_ACCESSIBLE(s->scale),
		GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

static void on_gain_changed(GtkRange *r, gpointer ud)
{
	pg_strip *s = ud;
	double v, snapped;

	if (s->updating || !s->v.gain_ok)
		return;
	v = gtk_range_get_value(r);
	snapped = pg_gain_snap(v, s->v.gain_min, s->v.gain_max, s->v.gain_step);
	if (snapped != v) {
		s->updating = TRUE;
		gtk_range_set_value(r, snapped);
		s->updating = FALSE;
	}
	show_gain_text(s, snapped);
	if (snapped == s->gain_wanted && (s->gain_in_flight || snapped == s->v.gain))
		return;
	s->gain_wanted = snapped;
	if (s->gain_in_flight)
		s->gain_pending = TRUE;
	else
		send_gain(s);
}

static void set_marks(pg_strip *s)
{
	GtkScale *sc = GTK_SCALE(s->scale);
	double span = s->v.gain_max - s->v.gain_min;
	double every = span > 40 ? 10 : span > 10 ? 5 : 1;

	gtk_scale_clear_marks(sc);
	for (double m = ceil(s->v.gain_min / every) * every; m <= s->v.gain_max + 1e-9;
	     m += every) {
		char t[16];

		g_snprintf(t, sizeof(t), "%g", fabs(m) < 1e-9 ? 0 : m);
		gtk_scale_add_mark(sc, m, GTK_POS_LEFT, t);
	}
}

/* ---- switches and level ---- */

/* a refused change: say why, and show what the daemon has */
static void on_change_reply(GObject *owner, GVariant *reply, const char *message,
			    enum pg_err_kind kind, gpointer ud)
{
	pg_strip *s = g_object_get_data(owner, "pg-strip");

	(void)kind;
	(void)ud;
	if (reply)
		return;
	s->ctx->message(s->ctx, message, TRUE);
	refresh(s);
}

static void on_switch(GtkToggleButton *t, gpointer ud)
{
	pg_strip *s = ud;
	int i = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(t), "pg-switch"));
	gboolean on = gtk_toggle_button_get_active(t);
	char what[160];

	if (s->updating)
		return;
	g_snprintf(what, sizeof(what), "Switching %s of %s %s", switches[i].what, s->v.title,
		   on ? "on" : "off");
	pg_bus_call(s->ctx->bus, s->path, PG_IFACE_INPUT, "SetSwitch",
		    g_variant_new("(sbb)", switches[i].word, on, TRUE), "()", TRUE, what,
		    G_OBJECT(s->box), on_change_reply, NULL);
}

static void on_level(GtkToggleButton *t, gpointer ud)
{
	pg_strip *s = ud;
	gboolean inst = GTK_WIDGET(t) == s->inst;
	char what[160];

	if (s->updating || !gtk_toggle_button_get_active(t))
		return;
	g_snprintf(what, sizeof(what), "Setting %s to %s level", s->v.title,
		   inst ? "instrument" : "line");
	pg_bus_call(s->ctx->bus, s->path, PG_IFACE_INPUT, "SetLevel",
		    g_variant_new("(sb)", inst ? "inst" : "line", TRUE), "()", TRUE, what,
		    G_OBJECT(s->box), on_change_reply, NULL);
}

/* ---- meter ---- */

static void show_clip(pg_strip *s)
{
	char a11y[160];

	if (s->m.clip) {
		gtk_widget_add_css_class(s->clip, "clip-on");
		gtk_button_set_label(GTK_BUTTON(s->clip), "CLIP");
	} else {
		gtk_widget_remove_css_class(s->clip, "clip-on");
		gtk_button_set_label(GTK_BUTTON(s->clip), "clip");
	}
	g_snprintf(a11y, sizeof(a11y), "Clip light of %s: %s", s->v.title,
		   s->m.clip ? "clipped, click to clear" : "no clip");
	gtk_accessible_update_property(GTK_ACCESSIBLE(s->clip),
		GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void on_clip_clicked(GtkButton *b, gpointer ud)
{
	pg_strip *s = ud;

	(void)b;
	pg_meter_clear(&s->m);
	show_clip(s);
}

/* ---- the strip ---- */

static GtkWidget *toggle(pg_strip *s, const char *label, GCallback cb)
{
	GtkWidget *t = gtk_toggle_button_new_with_label(label);

	g_signal_connect(t, "toggled", cb, s);
	return t;
}

pg_strip *pg_strip_new(pg_ctx *ctx, const char *device_path, const char *input_path)
{
	pg_strip *s = g_new0(pg_strip, 1);
	GtkWidget *row, *grid;

	s->ctx = ctx;
	s->device_path = g_strdup(device_path);
	s->path = g_strdup(input_path);
	s->gain_wanted = NAN;
	pg_meter_init(&s->m);

	s->box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	gtk_widget_add_css_class(s->box, "strip");
	gtk_widget_add_css_class(s->box, "card");
	gtk_widget_set_size_request(s->box, 170, -1);
	s->title = gtk_label_new("");
	gtk_widget_add_css_class(s->title, "heading");
	gtk_label_set_ellipsize(GTK_LABEL(s->title), PANGO_ELLIPSIZE_END);

	row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gtk_widget_set_halign(row, GTK_ALIGN_CENTER);
	s->meter = pg_meter_widget_new("Level");
	s->scale = gtk_scale_new_with_range(GTK_ORIENTATION_VERTICAL, 0, 1, 1);
	gtk_range_set_inverted(GTK_RANGE(s->scale), TRUE);
	gtk_scale_set_draw_value(GTK_SCALE(s->scale), FALSE);
	gtk_widget_set_vexpand(s->scale, TRUE);
	gtk_widget_set_size_request(s->scale, -1, 220);
	g_signal_connect(s->scale, "value-changed", G_CALLBACK(on_gain_changed), s);
	gtk_box_append(GTK_BOX(row), s->meter);
	gtk_box_append(GTK_BOX(row), s->scale);

	s->gain_label = gtk_label_new("");
	gtk_widget_add_css_class(s->gain_label, "title-3");
	gtk_widget_add_css_class(s->gain_label, "numeric");
	s->clip = gtk_button_new_with_label("clip");
	gtk_widget_add_css_class(s->clip, "clip-light");
	gtk_widget_set_halign(s->clip, GTK_ALIGN_CENTER);
	gtk_widget_set_tooltip_text(s->clip, "Lights when the input clipped; click to clear");
	g_signal_connect(s->clip, "clicked", G_CALLBACK(on_clip_clicked), s);

	s->phantom = pg_phantom_new(ctx, input_path);

	grid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(grid), 4);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 4);
	gtk_grid_set_column_homogeneous(GTK_GRID(grid), TRUE);
	for (int i = 0; i < N_SWITCHES; i++) {
		s->sw[i] = toggle(s, switches[i].label, G_CALLBACK(on_switch));
		g_object_set_data(G_OBJECT(s->sw[i]), "pg-switch", GINT_TO_POINTER(i));
		gtk_grid_attach(GTK_GRID(grid), s->sw[i], i % 2, i / 2, 1, 1);
	}
	s->level_box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0);
	gtk_widget_add_css_class(s->level_box, "linked");
	s->line = toggle(s, "Line", G_CALLBACK(on_level));
	s->inst = toggle(s, "Inst", G_CALLBACK(on_level));
	gtk_toggle_button_set_group(GTK_TOGGLE_BUTTON(s->inst), GTK_TOGGLE_BUTTON(s->line));
	gtk_widget_set_hexpand(s->line, TRUE);
	gtk_widget_set_hexpand(s->inst, TRUE);
	gtk_box_append(GTK_BOX(s->level_box), s->line);
	gtk_box_append(GTK_BOX(s->level_box), s->inst);

	s->autogain = pg_autogain_view_new(ctx, input_path);

	gtk_box_append(GTK_BOX(s->box), s->title);
	gtk_box_append(GTK_BOX(s->box), row);
	gtk_box_append(GTK_BOX(s->box), s->gain_label);
	gtk_box_append(GTK_BOX(s->box), s->clip);
	gtk_box_append(GTK_BOX(s->box), pg_phantom_widget(s->phantom));
	gtk_box_append(GTK_BOX(s->box), grid);
	gtk_box_append(GTK_BOX(s->box), s->level_box);
	gtk_box_append(GTK_BOX(s->box), pg_autogain_view_widget(s->autogain));
	g_object_set_data_full(G_OBJECT(s->box), "pg-strip", s, strip_free);
	return s;
}

GtkWidget *pg_strip_widget(pg_strip *s)
{
	return s->box;
}

static void label_control(GtkWidget *w, const char *what, const char *title)
{
	char a11y[160];

	g_snprintf(a11y, sizeof(a11y), "%s of %s", what, title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(w), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

void pg_strip_update(pg_strip *s, GDBusProxy *input)
{
	pg_input_snapshot snap;
	struct pg_strip_view *v = &s->v;
	gboolean range_changed;

	if (!input)
		return;
	pg_input_snapshot_read(&snap, input, s->device_path);
	{
		struct pg_strip_view old = *v;

		pg_strip_view(&snap.s, v);
		range_changed = !s->has_state || old.gain_min != v->gain_min ||
				old.gain_max != v->gain_max || old.gain_step != v->gain_step;
	}
	s->has_state = TRUE;
	s->updating = TRUE;

	gtk_label_set_text(GTK_LABEL(s->title), v->title);
	gtk_widget_set_visible(s->meter, v->show_meter);
	gtk_widget_set_visible(s->clip, v->show_meter);
	gtk_widget_set_visible(s->scale, v->gain_ok);
	gtk_widget_set_visible(s->gain_label, v->gain_ok);
	if (v->gain_ok) {
		if (range_changed) {
			gtk_range_set_range(GTK_RANGE(s->scale), v->gain_min, v->gain_max);
			gtk_range_set_increments(GTK_RANGE(s->scale), v->gain_step,
						 v->gain_step * (v->n_steps > 60 ? 6 : 2));
			set_marks(s);
		}
		label_control(s->scale, "Gain", v->title);
		/* the person's own change wins until the daemon has answered it */
		if (!s->gain_in_flight) {
			gtk_range_set_value(GTK_RANGE(s->scale), v->gain);
			show_gain_text(s, v->gain);
			s->gain_wanted = v->gain;
		}
	}
	label_control(s->meter, "Level", v->title);

	{
		const gboolean shown[N_SWITCHES] = {
			v->show_pad, v->show_air, v->show_phase, v->show_highpass,
		};
		const gboolean state[N_SWITCHES] = {
			snap.s.pad, snap.s.air, snap.s.phase, snap.s.highpass,
		};

		for (int i = 0; i < N_SWITCHES; i++) {
			gtk_widget_set_visible(s->sw[i], shown[i]);
			gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(s->sw[i]), state[i]);
			label_control(s->sw[i], switches[i].label, v->title);
		}
	}
	gtk_widget_set_visible(s->level_box, v->show_level);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(v->level_inst ? s->inst : s->line), TRUE);
	label_control(s->line, "Line level", v->title);
	label_control(s->inst, "Instrument level", v->title);

	pg_phantom_update(s->phantom, v, &snap.s);
	pg_autogain_view_update(s->autogain, v, &snap.s);
	show_clip(s);
	s->updating = FALSE;
	pg_input_snapshot_clear(&snap);
}

gboolean pg_strip_wants_levels(pg_strip *s)
{
	return s->v.show_meter && gtk_widget_get_mapped(s->meter);
}

void pg_strip_level(pg_strip *s, double now, double peak, guint32 clips)
{
	gboolean was = s->m.clip;

	if (!s->v.show_meter)
		return;
	pg_meter_feed(&s->m, now, peak, clips);
	pg_meter_widget_show(PG_METER(s->meter), &s->m);
	if (was != s->m.clip)
		show_clip(s);
}

void pg_strip_signal(pg_strip *s, const char *member, GVariant *params)
{
	if (g_strcmp0(member, "AutoGainFinished") == 0) {
		pg_autogain_view_finished(s->autogain, params);
	} else if (g_strcmp0(member, "Clipped") == 0 &&
		   g_variant_is_of_type(params, G_VARIANT_TYPE("(u)")) && s->v.show_meter) {
		guint32 n;

		g_variant_get(params, "(u)", &n);
		pg_meter_clipped(&s->m, n);
		show_clip(s);
	}
}
