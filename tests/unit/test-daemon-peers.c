// SPDX-License-Identifier: MIT
/*
 * The callers that authorization knows: one caller cannot hold more than
 * its share of the requests waiting for polkit, a remembered yes is per
 * caller and per action and goes when polkit changes, and the table stays
 * bounded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "peers.h"
#include "util.h"

static void clear(struct pa_peers *p)
{
	while (p->list)
		pa_peers_remove(p, p->list);
}

static void one_caller_cannot_fill_the_queue(void **state)
{
	struct pa_peers p;
	struct pa_peer *a, *b;
	struct pa_peer *many[PA_PEERS_PENDING_MAX];
	unsigned n;

	(void)state;
	pa_peers_init(&p);
	a = pa_peers_add(&p, ":1.10");
	b = pa_peers_add(&p, ":1.11");
	assert_non_null(a);
	assert_non_null(b);
	for (n = 0; pa_peers_admit(&p, a) == 0; n++)
		;
	assert_int_equal(n, PA_PEER_PENDING_MAX);
	assert_int_equal(pa_peers_admit(&p, a), -EBUSY);
	/* somebody else still gets in */
	assert_int_equal(pa_peers_admit(&p, b), 0);
	pa_peers_done(&p, a);
	assert_int_equal(pa_peers_admit(&p, a), 0);
	/* a caller that leaves takes its requests with it */
	pa_peers_remove(&p, a);
	assert_int_equal(p.pending, 1);
	assert_null(pa_peers_find(&p, ":1.10"));
	/* the total is bounded too */
	pa_peers_done(&p, b);
	assert_int_equal(p.pending, 0);
	n = 0;
	for (size_t i = 0; i < PA_ARRAY_SIZE(many); i++) {
		char name[32];

		snprintf(name, sizeof(name), ":1.%zu", 100 + i);
		many[i] = pa_peers_add(&p, name);
		assert_non_null(many[i]);
		if (pa_peers_admit(&p, many[i]) == 0)
			n++;
	}
	assert_int_equal(n, PA_PEERS_PENDING_MAX);
	assert_int_equal(pa_peers_admit(&p, b), -EBUSY);
	clear(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.pending, 0);
}

static void a_yes_is_per_caller_and_action_until_polkit_changes(void **state)
{
	struct pa_peers p;
	struct pa_peer *a, *b;
	uint64_t gen;

	(void)state;
	pa_peers_init(&p);
	a = pa_peers_add(&p, ":1.20");
	b = pa_peers_add(&p, ":1.21");
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	pa_peers_remember(&p, a, PA_ACTION_SET_GAIN, p.generation);
	assert_true(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_UNLOCK_PHANTOM));
	assert_false(pa_peers_allowed(&p, b, PA_ACTION_SET_GAIN));
	pa_peers_remember(&p, a, PA_ACTION_MONITOR, p.generation);
	assert_true(pa_peers_allowed(&p, a, PA_ACTION_MONITOR));
	assert_true(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	/* polkit changed: everything is asked again */
	gen = p.generation;
	pa_peers_forget_verdicts(&p);
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_MONITOR));
	/* an answer to a question asked before the change is not kept */
	pa_peers_remember(&p, a, PA_ACTION_SET_GAIN, gen);
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	pa_peers_remember(&p, a, PA_ACTION_SET_GAIN, p.generation);
	assert_true(pa_peers_allowed(&p, a, PA_ACTION_SET_GAIN));
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_MONITOR));
	/* nonsense actions are never allowed */
	pa_peers_remember(&p, a, PA_ACTION_NONE, p.generation);
	pa_peers_remember(&p, a, PA_ACTION_COUNT, p.generation);
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_NONE));
	assert_false(pa_peers_allowed(&p, a, PA_ACTION_COUNT));
	/* credentials survive polkit's changes */
	pa_peers_set_creds(b, 1001, PA_AUTH_ALLOW);
	pa_peers_forget_verdicts(&p);
	assert_true(b->have_creds);
	assert_int_equal(b->fallback, PA_AUTH_ALLOW);
	clear(&p);
}

static void the_table_is_bounded(void **state)
{
	struct pa_peers p;
	struct pa_peer *first, *idle;
	char name[PA_PEER_NAME_MAX + 8];

	(void)state;
	pa_peers_init(&p);
	first = pa_peers_add(&p, ":1.0");
	assert_int_equal(pa_peers_admit(&p, first), 0);
	for (unsigned i = 1; i < PA_PEERS_MAX; i++) {
		snprintf(name, sizeof(name), ":1.%u", i);
		assert_non_null(pa_peers_add(&p, name));
	}
	assert_null(pa_peers_add(&p, ":2.0"));
	/* the least recently used that waits for nothing makes room */
	idle = pa_peers_idle(&p);
	assert_non_null(idle);
	assert_string_equal(idle->name, ":1.1");
	assert_ptr_equal(pa_peers_find(&p, ":1.1"), idle);	/* used now */
	assert_string_equal(pa_peers_idle(&p)->name, ":1.2");
	pa_peers_remove(&p, pa_peers_idle(&p));
	assert_non_null(pa_peers_add(&p, ":2.0"));
	/* names are bounded; empty ones are refused */
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	pa_peers_remove(&p, pa_peers_idle(&p));
	assert_null(pa_peers_add(&p, name));
	assert_null(pa_peers_add(&p, ""));
	clear(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_caller_cannot_fill_the_queue),
		cmocka_unit_test(a_yes_is_per_caller_and_action_until_polkit_changes),
		cmocka_unit_test(the_table_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
