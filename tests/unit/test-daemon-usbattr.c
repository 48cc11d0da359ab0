// SPDX-License-Identifier: MIT
/*
 * A driver's attribute on its USB interface, read from a sysfs-like tree:
 * only the interface bound to the named driver counts, and only 0 or 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "usbattr.h"

struct tree {
	char root[64];		/* the USB device's directory */
};

static void put(const struct tree *t, const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dir(const struct tree *t, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const struct tree *t, const char *target, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* 1-1 with an audio interface (snd-usb-audio) and ours (snd-usb-preamp) */
static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->root, sizeof(t->root), "/tmp/usbattr-XXXXXX");
	if (!mkdtemp(t->root))
		return -1;
	dir(t, "1-1:1.0");
	link_to(t, "../../../../bus/usb/drivers/snd-usb-audio", "1-1:1.0/driver");
	put(t, "1-1:1.0/persistent", "1\n");	/* not ours: never read */
	dir(t, "1-1:1.1");
	link_to(t, "../../../../bus/usb/drivers/snd-usb-preamp", "1-1:1.1/driver");
	dir(t, "power");
	put(t, "idVendor", "1d6b\n");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static void the_bound_interfaces_attribute_is_read(void **state)
{
	struct tree *t = *state;
	bool on = true;

	put(t, "1-1:1.1/persistent", "0\n");
	assert_int_equal(pa_usbattr_bool(t->root, "snd-usb-preamp",
					 "persistent", &on), 0);
	assert_false(on);
	put(t, "1-1:1.1/persistent", "1\n");
	assert_int_equal(pa_usbattr_bool(t->root, "snd-usb-preamp",
					 "persistent", &on), 0);
	assert_true(on);
}

static void no_bound_interface_or_attribute_is_enoent(void **state)
{
	struct tree *t = *state;
	bool on = false;

	/* the audio interface has the file, but is not the driver's */
	assert_int_equal(pa_usbattr_bool(t->root, "snd-usb-preamp",
					 "persistent", &on), -ENOENT);
	assert_int_equal(pa_usbattr_bool(t->root, "other-driver",
					 "persistent", &on), -ENOENT);
	assert_int_equal(pa_usbattr_bool("/nonexistent/usb", "snd-usb-preamp",
					 "persistent", &on), -ENOENT);
	assert_false(on);
}

static void a_value_other_than_0_or_1_is_einval(void **state)
{
	struct tree *t = *state;
	static const char *bad[] = { "2\n", "", "yes\n", "1 \n", "11\n", "-1\n" };
	bool on = false;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(t, "1-1:1.1/persistent", bad[i]);
		assert_int_equal(pa_usbattr_bool(t->root, "snd-usb-preamp",
						 "persistent", &on), -EINVAL);
		assert_false(on);
	}
}

static void a_label_is_read_without_its_newline_and_bounded(void **state)
{
	struct tree *t = *state;
	char v[8];

	put(t, "1-1:1.1/input1_label", "Mic 1\n");
	assert_int_equal(pa_usbattr_read(t->root, "snd-usb-preamp", "input1_label",
					 v, sizeof(v)), 5);
	assert_string_equal(v, "Mic 1");
	put(t, "1-1:1.1/input2_label", "A much longer label\n");
	assert_int_equal(pa_usbattr_read(t->root, "snd-usb-preamp", "input2_label",
					 v, sizeof(v)), 7);
	assert_string_equal(v, "A much ");
	assert_int_equal(pa_usbattr_read(t->root, "snd-usb-preamp", "input3_label",
					 v, sizeof(v)), -ENOENT);
	assert_string_equal(v, "");
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
	struct tree *t = *state;
	bool on = false;

	assert_false(pa_usbattr_name_valid(""));
	assert_false(pa_usbattr_name_valid("../idVendor"));
	assert_false(pa_usbattr_name_valid("power/x"));
	assert_false(pa_usbattr_name_valid("Persistent"));
	assert_false(pa_usbattr_name_valid("a_name_of_thirty_two_characters"
					    "x"));
	assert_true(pa_usbattr_name_valid("persistent"));
	assert_int_equal(pa_usbattr_bool(t->root, "snd-usb-preamp",
					 "../idVendor", &on), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(the_bound_interfaces_attribute_is_read),
		T(no_bound_interface_or_attribute_is_enoent),
		T(a_value_other_than_0_or_1_is_einval),
		T(attribute_names_cannot_leave_the_interface),
		T(a_label_is_read_without_its_newline_and_bounded),
		cmocka_unit_test(a_pattern_names_each_inputs_attribute),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
