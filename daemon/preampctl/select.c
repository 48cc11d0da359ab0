// SPDX-License-Identifier: MIT
/* Device and input selection. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "text.h"

#define MAX_LISTED 8	/* candidates named in an ambiguity message */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* a small non-negative number, or -1 */
static long small_number(const char *s)
{
	long v = 0;

	if (!all_digits(s) || strlen(s) > 9)
		return -1;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static void quoted(struct pctl_buf *b, const char *s)
{
	pctl_buf_putc(b, '\'');
	pctl_term_text(b, s, 40);
	pctl_buf_putc(b, '\'');
}

static void finish(struct pctl_buf *b, char *err, size_t errsize)
{
	if (err && errsize)
		snprintf(err, errsize, "%s", b->failed ? "out of memory" : pctl_buf_str(b));
	pctl_buf_free(b);
}

static void describe_device(struct pctl_buf *b, const struct pctl_dev_ref *d)
{
	pctl_buf_printf(b, "%u (", d->index);
	pctl_term_text(b, d->name, 40);
	pctl_buf_puts(b, ", ");
	pctl_term_text(b, d->key, 100);
	pctl_buf_putc(b, ')');
}

static void describe_device_at(struct pctl_buf *b, const void *items, size_t i)
{
	describe_device(b, &((const struct pctl_dev_ref *)items)[i]);
}

/* "WHAT 'QUERY' is ambiguous; it could be: A, B and N more.HINT" */
static void ambiguous(struct pctl_buf *b, const char *what, const char *query,
		      const size_t *cand, size_t ncand,
		      void (*describe)(struct pctl_buf *, const void *, size_t),
		      const void *items, const char *hint)
{
	pctl_buf_printf(b, "%s ", what);
	quoted(b, query);
	pctl_buf_puts(b, " is ambiguous; it could be: ");
	for (size_t i = 0; i < ncand && i < MAX_LISTED; i++) {
		if (i)
			pctl_buf_puts(b, ", ");
		describe(b, items, cand[i]);
	}
	if (ncand > MAX_LISTED)
		pctl_buf_printf(b, " and %zu more", ncand - MAX_LISTED);
	pctl_buf_puts(b, hint);
}

static void list_devices(struct pctl_buf *b, const struct pctl_dev_ref *devs, size_t n)
{
	if (n == 0) {
		pctl_buf_puts(b, "; no device is present");
		return;
	}
	pctl_buf_puts(b, "; present: ");
	for (size_t i = 0; i < n && i < MAX_LISTED; i++) {
		if (i)
			pctl_buf_puts(b, ", ");
		describe_device(b, &devs[i]);
	}
	if (n > MAX_LISTED)
		pctl_buf_printf(b, " and %zu more", n - MAX_LISTED);
}

int pctl_select_device(const struct pctl_dev_ref *devs, size_t n, const char *query,
		       size_t *match, char *err, size_t errsize)
{
	struct pctl_buf b;
	size_t *cand, ncand = 0, i;
	long num;
	int r;

	pctl_buf_init(&b);
	if (!query || !*query) {
		pctl_buf_puts(&b, "no device given");
		finish(&b, err, errsize);
		return -ENOENT;
	}

	num = small_number(query);
	if (num >= 0) {
		for (i = 0; i < n; i++)
			if (devs[i].index == (unsigned long)num) {
				*match = i;
				pctl_buf_free(&b);
				return 0;
			}
		pctl_buf_printf(&b, "no device number %ld", num);
		list_devices(&b, devs, n);
		finish(&b, err, errsize);
		return -ENOENT;
	}

	if (strncmp(query, "hw:", 3) == 0 && (num = small_number(query + 3)) >= 0) {
		for (i = 0; i < n; i++)
			if (devs[i].card == num) {
				*match = i;
				pctl_buf_free(&b);
				return 0;
			}
		pctl_buf_printf(&b, "no preamp on ALSA card %ld", num);
		list_devices(&b, devs, n);
		finish(&b, err, errsize);
		return -ENOENT;
	}

	/* exact key or card id, as typed */
	for (i = 0; i < n; i++)
		if ((devs[i].key && strcmp(devs[i].key, query) == 0) ||
		    (devs[i].card_id && *devs[i].card_id && strcmp(devs[i].card_id, query) == 0)) {
			*match = i;
			pctl_buf_free(&b);
			return 0;
		}

	cand = calloc(n ? n : 1, sizeof(*cand));
	if (!cand) {
		pctl_buf_puts(&b, "out of memory");
		finish(&b, err, errsize);
		return -ENOMEM;
	}

	/* then ignoring case: key or card id, then the whole name */
	for (i = 0; i < n; i++)
		if (pctl_ascii_ieq(devs[i].key, query) ||
		    (devs[i].card_id && *devs[i].card_id && pctl_ascii_ieq(devs[i].card_id, query)))
			cand[ncand++] = i;
	if (ncand == 0)
		for (i = 0; i < n; i++)
			if (pctl_ascii_ieq(devs[i].name, query))
				cand[ncand++] = i;
	/* then a part of the name or key */
	if (ncand == 0)
		for (i = 0; i < n; i++)
			if (pctl_ascii_icontains(devs[i].name, query) ||
			    pctl_ascii_icontains(devs[i].key, query))
				cand[ncand++] = i;

	if (ncand == 1) {
		*match = cand[0];
		r = 0;
		pctl_buf_free(&b);
	} else if (ncand == 0) {
		pctl_buf_puts(&b, "no device matches ");
		quoted(&b, query);
		list_devices(&b, devs, n);
		finish(&b, err, errsize);
		r = -ENOENT;
	} else {
		ambiguous(&b, "device", query, cand, ncand, describe_device_at,
			  devs, ". Give its index or key.");
		finish(&b, err, errsize);
		r = -ENOTUNIQ;
	}
	free(cand);
	return r;
}

static void describe_input(struct pctl_buf *b, const struct pctl_in_ref *in)
{
	pctl_buf_printf(b, "%u (", in->number);
	pctl_term_text(b, in->label, 40);
	pctl_buf_putc(b, ')');
}

static void describe_input_at(struct pctl_buf *b, const void *items, size_t i)
{
	describe_input(b, &((const struct pctl_in_ref *)items)[i]);
}

static void list_inputs(struct pctl_buf *b, const struct pctl_in_ref *ins, size_t n)
{
	if (n == 0) {
		pctl_buf_puts(b, "; the device has no inputs");
		return;
	}
	pctl_buf_puts(b, "; inputs: ");
	for (size_t i = 0; i < n && i < 32; i++) {
		if (i)
			pctl_buf_puts(b, ", ");
		describe_input(b, &ins[i]);
	}
	if (n > 32)
		pctl_buf_printf(b, " and %zu more", n - 32);
}

int pctl_select_input(const struct pctl_in_ref *ins, size_t n, const char *query,
		      size_t *match, char *err, size_t errsize)
{
	struct pctl_buf b;
	size_t *cand, ncand = 0, i;
	long num;
	int r;

	pctl_buf_init(&b);
	if (!query || !*query) {
		pctl_buf_puts(&b, "no input given");
		finish(&b, err, errsize);
		return -ENOENT;
	}
	num = small_number(query);
	if (num >= 0) {
		for (i = 0; i < n; i++)
			if (ins[i].number == (unsigned long)num) {
				*match = i;
				pctl_buf_free(&b);
				return 0;
			}
		pctl_buf_printf(&b, "no input %ld", num);
		list_inputs(&b, ins, n);
		finish(&b, err, errsize);
		return -ENOENT;
	}

	cand = calloc(n ? n : 1, sizeof(*cand));
	if (!cand) {
		pctl_buf_puts(&b, "out of memory");
		finish(&b, err, errsize);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (pctl_ascii_ieq(ins[i].label, query))
			cand[ncand++] = i;
	if (ncand == 0)
		for (i = 0; i < n; i++)
			if (pctl_ascii_icontains(ins[i].label, query))
				cand[ncand++] = i;

	if (ncand == 1) {
		*match = cand[0];
		r = 0;
		pctl_buf_free(&b);
	} else if (ncand == 0) {
		pctl_buf_puts(&b, "no input matches ");
		quoted(&b, query);
		list_inputs(&b, ins, n);
		finish(&b, err, errsize);
		r = -ENOENT;
	} else {
		ambiguous(&b, "input", query, cand, ncand, describe_input_at,
			  ins, ". Give its number.");
		finish(&b, err, errsize);
		r = -ENOTUNIQ;
	}
	free(cand);
	return r;
}
