/*
 * ctl-write-bench: one raw snd_ctl_elem_write, the driver's share of a
 * SetGain, timed as preampd does it (a control handle kept open).
 *
 *   ctl-write-bench CARD ELEMENT_NAME [N]
 *
 * Writes channel 0 of the mixer element ELEMENT_NAME on card CARD N times
 * (default 1000), alternating the values a quarter and half way up its
 * range, and prints the same line as setgain-bench:
 *   calls=N p50_ms=X p99_ms=Y max_ms=Z timeouts=T errors=E
 * A write that took the driver's host timeout (1000 ms) or longer is a
 * timeout, counted apart. Exit status 1 when a write failed other than by
 * a timeout, or none was measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <alsa/asoundlib.h>

#include "call-stats.h"

int main(int argc, char **argv)
{
	snd_ctl_t *ctl;
	snd_ctl_elem_id_t *id;
	snd_ctl_elem_info_t *info;
	snd_ctl_elem_value_t *v;
	long n = 1000, measured = 0, timeouts = 0, errors = 0, lo, hi;
	char dev[32];
	double *t;
	int r;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ctl-write-bench CARD ELEMENT_NAME [N]\n");
		return 2;
	}
	if (argc == 4)
		n = strtol(argv[3], NULL, 10);
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "ctl-write-bench: bad count\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	snprintf(dev, sizeof(dev), "hw:%s", argv[1]);
	r = snd_ctl_open(&ctl, dev, 0);
	if (r < 0) {
		fprintf(stderr, "ctl-write-bench: %s: %s\n", dev, snd_strerror(r));
		return 1;
	}
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_value_alloca(&v);
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, argv[2]);
	snd_ctl_elem_info_set_id(info, id);
	r = snd_ctl_elem_info(ctl, info);
	if (r < 0 || snd_ctl_elem_info_get_type(info) != SND_CTL_ELEM_TYPE_INTEGER) {
		fprintf(stderr, "ctl-write-bench: %s: no integer control \"%s\"\n",
			dev, argv[2]);
		return 1;
	}
	lo = snd_ctl_elem_info_get_min(info);
	hi = snd_ctl_elem_info_get_max(info);
	snd_ctl_elem_info_get_id(info, id);
	snd_ctl_elem_value_set_id(v, id);
	for (long i = 0; i < n; i++) {
		double t0, dt;

		snd_ctl_elem_value_set_integer(v, 0, lo + (hi - lo) / ((i & 1) ? 2 : 4));
		t0 = now_ms();
		r = snd_ctl_elem_write(ctl, v);
		dt = now_ms() - t0;
		if (dt >= HOST_TIMEOUT_MS)
			timeouts++;
		else if (r < 0) {
			if (errors++ < 5)
				fprintf(stderr, "ctl-write-bench: write %ld: %s\n",
					i, snd_strerror(r));
		} else
			t[measured++] = dt;
	}
	print_call_stats(t, measured, n, timeouts, errors);
	snd_ctl_close(ctl);
	free(t);
	return errors > 0 || measured == 0;
}
