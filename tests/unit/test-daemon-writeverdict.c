// SPDX-License-Identifier: MIT
/*
 * A write that timed out but whose value the control then holds is a
 * success; one the device refused, or whose value never comes, is not.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "write-verdict.h"

static void each_outcome_has_its_verdict(void **state)
{
	static const struct {
		int write_err, read_err;
		long value, wanted;
		bool expired;
		enum pa_write_verdict v;
	} cases[] = {
		/* written */
		{ 0, 0, 68, 68, false, PA_WRITE_DONE },
		{ 0, -EIO, 0, 68, true, PA_WRITE_DONE },
		/* timed out, and the control already holds the value (the
		 * driver read it back): done */
		{ -ETIMEDOUT, 0, 68, 68, false, PA_WRITE_DONE },
		{ -EIO, 0, 1, 1, false, PA_WRITE_DONE },
		/* timed out, the old value still: wait, then give up */
		{ -ETIMEDOUT, 0, 20, 68, false, PA_WRITE_WAIT },
		{ -ETIMEDOUT, 0, 20, 68, true, PA_WRITE_FAILED },
		/* it comes just before the deadline */
		{ -ETIMEDOUT, 0, 68, 68, true, PA_WRITE_DONE },
		/* the read failed for now: wait */
		{ -ETIMEDOUT, -EIO, 0, 68, false, PA_WRITE_WAIT },
		{ -EIO, -EAGAIN, 0, 68, false, PA_WRITE_WAIT },
		/* unplugged meanwhile */
		{ -ETIMEDOUT, -ENODEV, 0, 68, false, PA_WRITE_FAILED },
		/* refusals are final, whatever the control holds */
		{ -EPERM, 0, 1, 1, false, PA_WRITE_FAILED },
		{ -EINVAL, 0, 68, 68, false, PA_WRITE_FAILED },
		{ -ENODEV, 0, 68, 68, false, PA_WRITE_FAILED },
		{ -EBUSY, 0, 0, 68, false, PA_WRITE_FAILED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pa_write_verdict v = pa_write_verdict(cases[i].write_err,
							   cases[i].read_err,
							   cases[i].value,
							   cases[i].wanted,
							   cases[i].expired);

		if (v != cases[i].v)
			fail_msg("case %zu: verdict %d, want %d", i, v, cases[i].v);
	}
}

static void only_timeouts_and_transfer_errors_may_be_late(void **state)
{
	(void)state;
	assert_true(pa_write_maybe_late(-ETIMEDOUT));
	assert_true(pa_write_maybe_late(-EIO));
	assert_false(pa_write_maybe_late(0));
	assert_false(pa_write_maybe_late(-EPERM));
	assert_false(pa_write_maybe_late(-ENODEV));
	assert_false(pa_write_maybe_late(-EINVAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_outcome_has_its_verdict),
		cmocka_unit_test(only_timeouts_and_transfer_errors_may_be_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
