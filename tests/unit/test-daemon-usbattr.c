// SPDX-License-Identifier: MIT
/*
 * The rules for a driver's attributes on its USB interface: names that
 * cannot leave the interface's directory, one per input from a profile's
 * pattern, and boolean values that are 0 or 1 and nothing else. Reading
 * them from sysfs (hw/driver-attr.c, libudev) is proven in the VM
 * scenarios against snd-usb-preamp's own attributes (daemon-restore).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "usbattr.h"

static void a_boolean_is_0_or_1(void **state)
{
	bool on = true;

	(void)state;
	assert_int_equal(pa_usbattr_parse_bool("0", &on), 0);
	assert_false(on);
	assert_int_equal(pa_usbattr_parse_bool("1", &on), 0);
	assert_true(on);
}

static void a_value_other_than_0_or_1_is_einval(void **state)
{
	static const char *bad[] = { "2", "", "yes", "1 ", " 1", "11", "-1",
				     "0x1", "1\n" };
	bool on = false;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(pa_usbattr_parse_bool(bad[i], &on), -EINVAL);
		assert_false(on);
	}
}

static void a_pattern_names_each_inputs_attribute(void **state)
{
	char name[32];

	(void)state;
	assert_int_equal(pa_usbattr_name_for("input{n}_label", 3, name,
					     sizeof(name)), 0);
	assert_string_equal(name, "input3_label");
	assert_int_equal(pa_usbattr_name_for("input{n}_label", 32, name,
					     sizeof(name)), 0);
	assert_string_equal(name, "input32_label");
	assert_int_equal(pa_usbattr_name_for("label", 1, name, sizeof(name)),
			 -EINVAL);
	assert_int_equal(pa_usbattr_name_for("{n}_{n}", 1, name, sizeof(name)),
			 -EINVAL);
	assert_int_equal(pa_usbattr_name_for("../in{n}", 1, name, sizeof(name)),
			 -EINVAL);
	assert_int_equal(pa_usbattr_name_for("input{n}_label", 1, name, 4),
			 -EINVAL);
}

static void attribute_names_cannot_leave_the_interface(void **state)
{
	(void)state;
	assert_false(pa_usbattr_name_valid(""));
	assert_false(pa_usbattr_name_valid("../idVendor"));
	assert_false(pa_usbattr_name_valid("power/x"));
	assert_false(pa_usbattr_name_valid("Persistent"));
	assert_false(pa_usbattr_name_valid("a_name_of_thirty_two_characters"
					    "x"));
	assert_true(pa_usbattr_name_valid("persistent"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_boolean_is_0_or_1),
		cmocka_unit_test(a_value_other_than_0_or_1_is_einval),
		cmocka_unit_test(attribute_names_cannot_leave_the_interface),
		cmocka_unit_test(a_pattern_names_each_inputs_attribute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
