// SPDX-License-Identifier: MIT
/* The level meter widget. */
#include <math.h>

#include "meter.h"

#define BAR_WIDTH	14
#define SCALE_WIDTH	30
/* the accessible value changes at most this often (screen readers) */
#define A11Y_INTERVAL_US (250 * 1000)

struct _PgMeter {
	GtkWidget parent;
	double bar, hold;
	gint64 a11y_at;
	double a11y_value;
};

G_DEFINE_FINAL_TYPE(PgMeter, pg_meter_widget, GTK_TYPE_WIDGET)

static const double marks[] = { 0, -6, -12, -20, -30, -40, -60 };

static void rgba(GdkRGBA *c, const char *spec)
{
	gdk_rgba_parse(c, spec);
}

static double y_of(double dbfs, double h)
{
	return h - pg_meter_fraction(dbfs) * h;
}

static void pg_meter_snapshot(GtkWidget *w, GtkSnapshot *s)
{
	PgMeter *self = PG_METER(w);
	double h = gtk_widget_get_height(w);
	double pad = 6;		/* room for the labels at the ends */
	double bh = h - 2 * pad;
	GdkRGBA bg, window, bar, hold, tick;
	const char *zone_color;

	if (bh <= 0)
		return;
	rgba(&bg, "#241f31");
	rgba(&window, "rgba(46,194,126,0.25)");
	rgba(&hold, "#f6f5f4");
	rgba(&tick, "#9a9996");
	switch (pg_meter_zone(self->bar)) {
	case PG_ZONE_OVER:
		zone_color = "#e01b24";
		break;
	case PG_ZONE_WINDOW:
		zone_color = "#2ec27e";
		break;
	default:
		zone_color = "#3584e4";
		break;
	}
	rgba(&bar, zone_color);

	gtk_snapshot_append_color(s, &bg, &GRAPHENE_RECT_INIT(0, pad, BAR_WIDTH, bh));
	/* the studio's window, -6..0 dBFS, behind the bar and beside it */
	gtk_snapshot_append_color(s, &window, &GRAPHENE_RECT_INIT(0, pad + y_of(0, bh),
		BAR_WIDTH + 4, y_of(PG_METER_WINDOW_LOW, bh) - y_of(0, bh)));
	if (self->bar > PG_METER_FLOOR) {
		double top = y_of(self->bar, bh);

		gtk_snapshot_append_color(s, &bar,
			&GRAPHENE_RECT_INIT(2, pad + top, BAR_WIDTH - 4, bh - top));
	}
	if (self->hold > PG_METER_FLOOR)
		gtk_snapshot_append_color(s, &hold,
			&GRAPHENE_RECT_INIT(0, pad + y_of(self->hold, bh) - 1, BAR_WIDTH, 2));

	for (size_t i = 0; i < G_N_ELEMENTS(marks); i++) {
		char text[8];
		PangoLayout *l;
		int lw, lh;
		double y = pad + y_of(marks[i], bh);

		/* the tick on the bar's edge, so that it does not read as a minus */
		gtk_snapshot_append_color(s, &tick,
			&GRAPHENE_RECT_INIT(BAR_WIDTH - 4, y - 0.5, 4, 1));
		g_snprintf(text, sizeof(text), "%g", marks[i]);
		l = gtk_widget_create_pango_layout(w, text);
		pango_layout_get_pixel_size(l, &lw, &lh);
		gtk_snapshot_save(s);
		gtk_snapshot_translate(s, &GRAPHENE_POINT_INIT(BAR_WIDTH + 4, y - lh / 2.0));
		gtk_snapshot_append_layout(s, l, &tick);
		gtk_snapshot_restore(s);
		g_object_unref(l);
	}
}

static void pg_meter_measure(GtkWidget *w, GtkOrientation o, int for_size, int *min,
			     int *nat, int *min_base, int *nat_base)
{
	(void)w;
	(void)for_size;
	*min = *nat = o == GTK_ORIENTATION_HORIZONTAL ? BAR_WIDTH + SCALE_WIDTH : 120;
	if (o == GTK_ORIENTATION_VERTICAL)
		*nat = 220;
	*min_base = *nat_base = -1;
}

static void pg_meter_widget_class_init(PgMeterClass *klass)
{
	GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);

	wc->snapshot = pg_meter_snapshot;
	wc->measure = pg_meter_measure;
	gtk_widget_class_set_css_name(wc, "pg-meter");
	gtk_widget_class_set_accessible_role(wc, GTK_ACCESSIBLE_ROLE_METER);
}

static void pg_meter_widget_init(PgMeter *self)
{
	self->bar = self->hold = PG_METER_FLOOR;
	self->a11y_value = NAN;
	gtk_widget_set_vexpand(GTK_WIDGET(self), TRUE);
}

GtkWidget *pg_meter_widget_new(const char *accessible_label)
{
	GtkWidget *w = g_object_new(PG_TYPE_METER, NULL);

	gtk_accessible_update_property(GTK_ACCESSIBLE(w),
		GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
		GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, PG_METER_FLOOR,
		GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
		GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, PG_METER_FLOOR,
		GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "silence", -1);
	return w;
}

void pg_meter_widget_show(PgMeter *self, const struct pg_meter *m)
{
	gint64 now = g_get_monotonic_time();

	if (m->bar == self->bar && m->hold == self->hold)
		return;
	self->bar = m->bar;
	self->hold = m->hold;
	gtk_widget_queue_draw(GTK_WIDGET(self));
	if (now - self->a11y_at >= A11Y_INTERVAL_US &&
	    (isnan(self->a11y_value) || fabs(self->a11y_value - m->hold) >= 0.1)) {
		char text[32];

		pg_peak_text(text, sizeof(text), m->hold);
		self->a11y_at = now;
		self->a11y_value = m->hold;
		gtk_accessible_update_property(GTK_ACCESSIBLE(self),
			GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, m->hold,
			GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
	}
}
