// SPDX-License-Identifier: MIT
/*
 * The 48 V policy and the restore decisions: what goes back at plug-in,
 * what a restarted daemon leaves alone, what presets change.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "policy.h"
#include "util.h"

#define L PA_PHANTOM_LEAVE
#define OFF PA_PHANTOM_OFF
#define ON PA_PHANTOM_ON
#define LATER PA_PHANTOM_ON_AFTER_GUARD

static void the_48v_table(void **state)
{
	static const struct {
		enum pa_policy policy;
		bool current, saved_known, saved, locked, guard;
		enum pa_phantom_action want;
		const char *why;
	} v[] = {
		/* off: whatever alsactl or the device did, 48 V goes off */
		{ PA_POLICY_OFF, true, true, true, false, false, OFF, "off, saved on, on now" },
		{ PA_POLICY_OFF, true, false, false, false, false, OFF, "off, nothing saved, on now" },
		{ PA_POLICY_OFF, false, true, true, false, true, L, "off, saved on, off now" },
		{ PA_POLICY_OFF, false, false, false, false, false, L, "off, nothing, off" },
		/* restore: as saved, after the guard */
		{ PA_POLICY_RESTORE, false, true, true, false, true, LATER, "restore under guard" },
		{ PA_POLICY_RESTORE, false, true, true, false, false, ON, "restore, no guard" },
		{ PA_POLICY_RESTORE, true, true, true, false, true, L, "restore, on already" },
		{ PA_POLICY_RESTORE, true, true, false, false, false, OFF, "restore, saved off" },
		{ PA_POLICY_RESTORE, false, true, false, false, false, L, "restore, off and off" },
		{ PA_POLICY_RESTORE, true, false, false, false, false, OFF, "restore, nothing saved" },
		/* device: leave it */
		{ PA_POLICY_DEVICE, true, true, false, false, false, L, "device, on" },
		{ PA_POLICY_DEVICE, false, true, true, false, false, L, "device, off" },
		/* a lock wins over every policy */
		{ PA_POLICY_RESTORE, true, true, true, true, false, OFF, "locked, restore" },
		{ PA_POLICY_DEVICE, true, true, true, true, false, OFF, "locked, device" },
		{ PA_POLICY_RESTORE, false, true, true, true, true, L, "locked, off already" },
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		struct pa_phantom_case c = {
			v[i].policy, v[i].current, v[i].saved_known, v[i].saved,
			v[i].locked, v[i].guard,
		};

		if (pa_phantom_at_plugin(&c) != v[i].want)
			fail_msg("%s: %d, not %d", v[i].why,
				 pa_phantom_at_plugin(&c), v[i].want);
	}
}

/* Over every combination: a lock never switches on, "off" never switches
 * on, "device" never writes unless a lock makes it, and nothing switches on
 * while a guard is up. */
static void the_48v_invariants_hold_everywhere(void **state)
{
	(void)state;
	for (unsigned bits = 0; bits < 32 * 3; bits++) {
		struct pa_phantom_case c = {
			.policy = (enum pa_policy)(bits / 32),
			.current = bits & 1, .saved_known = bits & 2,
			.saved = bits & 4, .locked = bits & 8, .guard = bits & 16,
		};
		enum pa_phantom_action a = pa_phantom_at_plugin(&c);

		if (c.locked || c.policy == PA_POLICY_OFF)
			assert_true(a == L || a == OFF);
		if (c.policy == PA_POLICY_DEVICE && !c.locked)
			assert_int_equal(a, L);
		if (c.guard)
			assert_int_not_equal(a, ON);
		else
			assert_int_not_equal(a, LATER);
		if (a == OFF)
			assert_true(c.current);
		if (a == ON || a == LATER)
			assert_false(c.current);
	}
}

/* a quad: inputs 1-2 share 48 V switch 5, 3-4 share switch 6; input 1 has
 * a pad, input 4 has a level */
static void quad(struct pa_topology *t, bool guard)
{
	memset(t, 0, sizeof(*t));
	t->present = 0xf;
	for (unsigned i = 0; i < 4; i++) {
		t->caps[i] = PA_CAP_GAIN | PA_CAP_PHANTOM;
		t->group[i] = i < 2 ? 5 : 6;
		t->guard[i] = guard;
	}
	t->caps[0] |= PA_CAP_PAD;
	t->caps[3] |= PA_CAP_LEVEL;
}

static void settings(struct pa_settings *s, double gain, bool phantom)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < 4; i++) {
		s->in[i].fields = PA_F_GAIN | PA_F_PHANTOM | PA_F_LOCK;
		s->in[i].gain_db = gain;
		s->in[i].phantom = phantom;
	}
	s->in[0].fields |= PA_F_PAD;
	s->in[3].fields |= PA_F_LEVEL;
}

static void plug_in_under_off_switches_48v_off(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, saved;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	settings(&cur, 0, true);	/* alsactl switched it on */
	settings(&saved, 20, true);	/* and so was it saved */
	saved.in[0].sw[PA_SW_PAD] = true;
	saved.in[3].level = PA_LEVEL_INST;
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_OFF, &p);
	/* every gain goes back, the pad and the level too */
	for (unsigned i = 0; i < 4; i++) {
		assert_true(p.write.in[i].fields & PA_F_GAIN);
		assert_float_equal(p.write.in[i].gain_db, 20, 0);
	}
	assert_true(p.write.in[0].fields & PA_F_PAD);
	assert_true(p.write.in[0].sw[PA_SW_PAD]);
	assert_true(p.write.in[3].fields & PA_F_LEVEL);
	assert_int_equal(p.write.in[3].level, PA_LEVEL_INST);
	/* 48 V off, once per group */
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);
	assert_false(p.write.in[0].phantom);
	assert_false(p.write.in[1].fields & PA_F_PHANTOM);
	assert_true(p.write.in[2].fields & PA_F_PHANTOM);
	assert_false(p.write.in[2].phantom);
	assert_int_equal(p.phantom_later, 0);
	assert_int_equal(p.lock, 0);
}

static void a_restore_writes_only_what_differs(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, saved;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	t.caps[1] |= PA_CAP_SWITCH(PA_SW_PHASE);
	settings(&cur, 20, false);
	settings(&saved, 20, false);
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_OFF, &p);
	/* the locks are the daemon's, not the device's: always there */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(p.write.in[i].fields & ~PA_F_LOCK, 0);
	saved.in[2].gain_db = 30;
	cur.in[1].fields |= PA_F_PHASE;
	saved.in[1].fields |= PA_F_PHASE;
	saved.in[1].sw[PA_SW_PHASE] = true;
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_OFF, &p);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(!!(p.write.in[i].fields & PA_F_GAIN), i == 2);
	assert_int_equal(p.write.in[1].fields & ~PA_F_LOCK, PA_F_PHASE);
	assert_false(p.write.in[0].fields & PA_F_PAD);
	/* a value the driver could not read is written */
	cur.in[3].fields &= ~PA_F_GAIN;
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_OFF, &p);
	assert_true(p.write.in[3].fields & PA_F_GAIN);
}

static void restore_waits_for_the_guard(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, saved;
	struct pa_plan p;

	(void)state;
	quad(&t, true);
	settings(&cur, 0, false);
	settings(&saved, 0, false);
	saved.in[0].phantom = saved.in[1].phantom = true;	/* group 1-2 on */
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_RESTORE, &p);
	assert_int_equal(p.phantom_later, 0x1);
	for (unsigned i = 0; i < 4; i++)
		assert_false(p.write.in[i].fields & PA_F_PHANTOM);
	/* without a guard (scarlett2), at once */
	quad(&t, false);
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_RESTORE, &p);
	assert_int_equal(p.phantom_later, 0);
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);
	assert_true(p.write.in[0].phantom);
	assert_false(p.write.in[2].fields & PA_F_PHANTOM);
	/* under "device", nothing */
	cur.in[2].phantom = cur.in[3].phantom = true;
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_DEVICE, &p);
	for (unsigned i = 0; i < 4; i++)
		assert_false(p.write.in[i].fields & PA_F_PHANTOM);
	assert_int_equal(p.phantom_later, 0);
}

static void a_locked_input_holds_its_whole_group_off(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, saved;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	settings(&cur, 0, true);
	settings(&saved, 0, true);
	saved.in[1].locked = true;	/* a ribbon on input 2 */
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_RESTORE, &p);
	assert_int_equal(p.lock, 0x3);	/* inputs 1 and 2: one switch */
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);
	assert_false(p.write.in[0].phantom);
	assert_false(p.write.in[2].fields & PA_F_PHANTOM);	/* on, as saved */
	assert_true(p.write.in[1].fields & PA_F_LOCK);
	assert_true(p.write.in[1].locked);
	/* the same under a guard: off now, nothing later */
	quad(&t, true);
	settings(&cur, 0, false);
	pa_plan_restore(&t, &cur, &saved, PA_POLICY_RESTORE, &p);
	assert_int_equal(p.phantom_later, 0x4);
	assert_int_equal(p.lock, 0x3);
}

static void without_a_state_file_only_the_policy_acts(void **state)
{
	struct pa_topology t;
	struct pa_settings cur;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	settings(&cur, 0, true);
	pa_plan_restore(&t, &cur, NULL, PA_POLICY_OFF, &p);
	for (unsigned i = 0; i < 4; i++)
		assert_false(p.write.in[i].fields & PA_F_GAIN);
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);
	assert_true(p.write.in[2].fields & PA_F_PHANTOM);
	pa_plan_restore(&t, &cur, NULL, PA_POLICY_RESTORE, &p);
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);	/* safe side */
	pa_plan_restore(&t, &cur, NULL, PA_POLICY_DEVICE, &p);
	assert_false(p.write.in[0].fields & PA_F_PHANTOM);
}

static void a_restarted_daemon_changes_nothing(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, saved;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	settings(&cur, 7, true);	/* live: 48 V on mid-take */
	settings(&saved, 20, false);
	pa_plan_adopt(&t, &cur, &saved, &p);
	for (unsigned i = 0; i < 4; i++)
		assert_false(p.write.in[i].fields & (PA_F_GAIN | PA_F_PHANTOM |
						     PA_F_PAD | PA_F_LEVEL));
	assert_int_equal(p.phantom_later, 0);
	assert_int_equal(p.lock, 0);
	/* a lock is taken again; a locked group found on goes off */
	saved.in[3].locked = true;
	pa_plan_adopt(&t, &cur, &saved, &p);
	assert_int_equal(p.lock, 0xc);
	assert_true(p.write.in[2].fields & PA_F_PHANTOM);
	assert_false(p.write.in[2].phantom);
	assert_false(p.write.in[0].fields & PA_F_PHANTOM);
}

/* A restart restores only when its marker proves a new plug-in; a marker
 * that cannot be trusted, or none where there should be one, adopts. */
static void an_untrusted_restore_marker_adopts(void **state)
{
	static const struct {
		struct pa_marker_case c;
		enum pa_marker_verdict v;
	} v[] = {
		/* at_start, runtime_dir, marker, same_syspath, marker_usec, card_usec */
		{ { true, true, 0, true, 100, 100 }, PA_MARKER_ADOPT },
		{ { false, true, 0, true, 100, 100 }, PA_MARKER_ADOPT },
		{ { true, true, 0, true, 100, 200 }, PA_MARKER_RESTORE },
		{ { true, true, -ENOENT, false, 0, 200 }, PA_MARKER_RESTORE },
		{ { false, true, -ENOENT, false, 0, 0 }, PA_MARKER_RESTORE },
		{ { true, true, 0, false, 100, 100 }, PA_MARKER_RESTORE },
		/* initialization time 0, in the marker or from udev */
		{ { true, true, 0, true, 0, 200 }, PA_MARKER_ADOPT },
		{ { true, true, 0, true, 100, 0 }, PA_MARKER_ADOPT },
		{ { true, true, 0, true, 0, 0 }, PA_MARKER_ADOPT },
		/* a damaged or unreadable marker */
		{ { true, true, -EBADMSG, false, 0, 200 }, PA_MARKER_ADOPT_ALL },
		{ { false, true, -EACCES, false, 0, 200 }, PA_MARKER_ADOPT_ALL },
		/* no runtime directory: a restart cannot know */
		{ { true, false, -ENOENT, false, 0, 200 }, PA_MARKER_ADOPT_ALL },
		{ { false, false, -ENOENT, false, 0, 200 }, PA_MARKER_RESTORE },
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++)
		if (pa_marker_decide(&v[i].c) != v[i].v)
			fail_msg("case %zu: %d, not %d", i,
				 pa_marker_decide(&v[i].c), v[i].v);
}

static void presets_touch_48v_only_under_restore(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, pre;
	struct pa_plan p;

	(void)state;
	quad(&t, false);
	settings(&cur, 0, false);
	settings(&pre, 10, true);
	pre.in[0].sw[PA_SW_PAD] = true;
	pa_plan_preset(&t, &cur, &pre, PA_POLICY_OFF, &p);
	for (unsigned i = 0; i < 4; i++) {
		assert_true(p.write.in[i].fields & PA_F_GAIN);
		assert_false(p.write.in[i].fields & (PA_F_PHANTOM | PA_F_LOCK));
	}
	assert_true(p.write.in[0].fields & PA_F_PAD);
	pa_plan_preset(&t, &cur, &pre, PA_POLICY_RESTORE, &p);
	assert_true(p.write.in[0].fields & PA_F_PHANTOM);
	assert_true(p.write.in[0].phantom);
	/* never on a locked group */
	cur.in[1].locked = true;
	pa_plan_preset(&t, &cur, &pre, PA_POLICY_RESTORE, &p);
	assert_false(p.write.in[0].fields & PA_F_PHANTOM);
	assert_false(p.write.in[1].fields & PA_F_PHANTOM);
	assert_true(p.write.in[2].fields & PA_F_PHANTOM);
	/* what is already so is not written; capabilities are respected */
	settings(&pre, 0, false);
	pre.in[1].fields |= PA_F_PAD;	/* input 2 has no pad */
	pre.in[1].sw[PA_SW_PAD] = true;
	pa_plan_preset(&t, &cur, &pre, PA_POLICY_RESTORE, &p);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(p.write.in[i].fields, 0);
}

static void a_preset_keeps_48v_only_under_restore(void **state)
{
	struct pa_topology t;
	struct pa_settings cur, pre;

	(void)state;
	quad(&t, false);
	settings(&cur, 3, true);
	cur.in[0].locked = true;
	pa_preset_snapshot(&t, &cur, PA_POLICY_OFF, &pre);
	assert_true(pre.in[0].fields & PA_F_GAIN);
	assert_false(pre.in[0].fields & (PA_F_PHANTOM | PA_F_LOCK));
	pa_preset_snapshot(&t, &cur, PA_POLICY_RESTORE, &pre);
	assert_true(pre.in[0].fields & PA_F_PHANTOM);
	assert_false(pre.in[0].fields & PA_F_LOCK);
	assert_int_equal(pre.in[4].fields, 0);
}

static void set_phantom_is_refused_on_a_locked_group(void **state)
{
	struct pa_topology t;
	struct pa_settings cur;

	(void)state;
	quad(&t, false);
	t.caps[3] &= ~PA_CAP_PHANTOM;
	settings(&cur, 0, false);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 1, true), 0);
	cur.in[1].locked = true;
	assert_int_equal(pa_phantom_check_set(&t, &cur, 1, true), -EPERM);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 2, true), -EPERM);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 1, false), 0);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 3, true), 0);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 4, true), -EOPNOTSUPP);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 9, true), -EOPNOTSUPP);
	assert_int_equal(pa_phantom_check_set(&t, &cur, 0, true), -EOPNOTSUPP);
	assert_int_equal(pa_phantom_group_mask(&t, 1), 0x3);
	assert_int_equal(pa_phantom_group_mask(&t, 3), 0x4);
}

static void names_round_trip(void **state)
{
	enum pa_policy p;
	enum pa_switch sw;
	enum pa_level l;

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pa_policy_from_name(pa_policy_name(i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(pa_policy_from_name("OFF", &p), -EINVAL);
	assert_int_equal(pa_policy_from_name("", &p), -EINVAL);
	for (int i = 0; i < PA_SW_COUNT; i++) {
		assert_int_equal(pa_switch_from_name(pa_switch_name(i), &sw), 0);
		assert_int_equal(sw, i);
	}
	assert_int_equal(pa_switch_from_name("phantom", &sw), -EINVAL);
	assert_int_equal(pa_switch_from_name("Pad", &sw), -EINVAL);
	assert_int_equal(pa_level_from_name("inst", &l), 0);
	assert_int_equal(l, PA_LEVEL_INST);
	assert_int_equal(pa_level_from_name("mic", &l), -EINVAL);
	assert_string_equal(pa_cap_name(0), "gain");
	assert_string_equal(pa_cap_name(PA_CAP_COUNT - 1), "autogain");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_48v_table),
		cmocka_unit_test(the_48v_invariants_hold_everywhere),
		cmocka_unit_test(plug_in_under_off_switches_48v_off),
		cmocka_unit_test(a_restore_writes_only_what_differs),
		cmocka_unit_test(restore_waits_for_the_guard),
		cmocka_unit_test(a_locked_input_holds_its_whole_group_off),
		cmocka_unit_test(without_a_state_file_only_the_policy_acts),
		cmocka_unit_test(a_restarted_daemon_changes_nothing),
		cmocka_unit_test(an_untrusted_restore_marker_adopts),
		cmocka_unit_test(presets_touch_48v_only_under_restore),
		cmocka_unit_test(a_preset_keeps_48v_only_under_restore),
		cmocka_unit_test(set_phantom_is_refused_on_a_locked_group),
		cmocka_unit_test(names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
