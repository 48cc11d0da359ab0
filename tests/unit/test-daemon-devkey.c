// SPDX-License-Identifier: MIT
/* Device keys: bounded, file-name safe and distinct, whatever the serial. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "devkey.h"
#include "sha256.h"
#include "util.h"

static void hex(const uint8_t *h, char *out)
{
	for (int i = 0; i < PA_SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static void sha256_matches_the_fips_vectors(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		/* 64 bytes: the padding takes a second block */
		{ "0123456789012345678901234567890123456789012345678901234567890123",
		  "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56" },
		/* 55 and 56 bytes: the edge of one padded block */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	};
	char out[2 * PA_SHA256_LEN + 1];
	uint8_t h[PA_SHA256_LEN];

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		pa_sha256(v[i].in, strlen(v[i].in), h);
		hex(h, out);
		assert_string_equal(out, v[i].out);
	}
	/* a million 'a' (FIPS 180-2 appendix B.3) */
	static char million[1000000];

	memset(million, 'a', sizeof(million));
	pa_sha256(million, sizeof(million), h);
	hex(h, out);
	assert_string_equal(out,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* every key: well formed, at most 96 characters, one path component that
 * is neither "." nor ".." */
static void check_key(const char *key)
{
	assert_true(strlen(key) <= PA_KEY_MAX);
	assert_true(pa_devkey_valid(key));
	assert_null(strchr(key, '/'));
	assert_int_not_equal(key[0], '.');
}

static const struct {
	const char *serial;
	size_t len;		/* 0: strlen */
	const char *key;	/* NULL: only checked for shape */
	bool hashed;		/* ends in -xxxxxxxx */
} serials[] = {
	{ "PAMP0001", 0, "1d6b-0104-PAMP0001", false },
	{ "A.b_c-9", 0, "1d6b-0104-A.b_c-9", false },
	{ "../../etc/x", 0, NULL, true },
	{ "a b", 0, NULL, true },
	{ "\xff\xfe\xc0\x80", 0, NULL, true },		/* invalid UTF-8 */
	{ "Gr\xc3\xbc\xc3\x9f" "e", 0, NULL, true },	/* valid, not ASCII */
	{ "x\0y", 3, NULL, true },			/* a NUL inside */
	{ "..", 0, "1d6b-0104-..", false },	/* safe as it is: one component */
	{ "%s%n", 0, NULL, true },
};

static void keys_from_hostile_serials_are_safe(void **state)
{
	char key[PA_KEY_MAX + 1];

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(serials); i++) {
		size_t len = serials[i].len ? serials[i].len :
			     strlen(serials[i].serial);

		assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, serials[i].serial,
						len, NULL, key), 0);
		check_key(key);
		assert_memory_equal(key, "1d6b-0104-", 10);
		if (serials[i].key)
			assert_string_equal(key, serials[i].key);
		if (serials[i].hashed) {
			size_t n = strlen(key);

			assert_true(n > 9);
			assert_int_equal(key[n - 9], '-');
			assert_int_equal(strspn(key + n - 8, "0123456789abcdef"), 8);
		}
	}
}

static void the_traversal_serial_gives_underscores(void **state)
{
	char key[PA_KEY_MAX + 1];
	uint8_t h[PA_SHA256_LEN];
	char want[PA_KEY_MAX + 1];

	(void)state;
	assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, "../../etc/x", 11, NULL,
					key), 0);
	pa_sha256("../../etc/x", 11, h);
	snprintf(want, sizeof(want), "1d6b-0104-.._.._etc_x-%02x%02x%02x%02x",
		 h[0], h[1], h[2], h[3]);
	assert_string_equal(key, want);
}

static void a_255_byte_serial_is_cut_to_96_with_a_hash(void **state)
{
	char serial[255], key[PA_KEY_MAX + 1], key2[PA_KEY_MAX + 1];

	(void)state;
	memset(serial, 'S', sizeof(serial));
	assert_int_equal(pa_devkey_make(0x1235, 0x8219, serial, sizeof(serial),
					NULL, key), 0);
	check_key(key);
	assert_int_equal(strlen(key), PA_KEY_MAX);
	/* one byte different at the end: a different key all the same */
	serial[254] = 'T';
	assert_int_equal(pa_devkey_make(0x1235, 0x8219, serial, sizeof(serial),
					NULL, key2), 0);
	assert_int_equal(strlen(key2), PA_KEY_MAX);
	assert_string_not_equal(key, key2);
}

static void serials_that_sanitize_alike_stay_apart(void **state)
{
	char a[PA_KEY_MAX + 1], b[PA_KEY_MAX + 1], c[PA_KEY_MAX + 1];

	(void)state;
	assert_int_equal(pa_devkey_make(1, 2, "a b", 3, NULL, a), 0);
	assert_int_equal(pa_devkey_make(1, 2, "a:b", 3, NULL, b), 0);
	assert_int_equal(pa_devkey_make(1, 2, "a_b", 3, NULL, c), 0);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(b, c);
	assert_string_equal(c, "0001-0002-a_b");
}

static void an_empty_serial_uses_the_path(void **state)
{
	char key[PA_KEY_MAX + 1];

	(void)state;
	assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, "", 0,
					"platform-vhci_hcd.0-usb-0_1", key), 0);
	assert_string_equal(key, "1d6b-0104-path-platform-vhci_hcd.0-usb-0_1");
	/* colons are not key characters: replaced, and hashed */
	assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, NULL, 0,
					"pci-0000:00:14.0-usb-0:2", key), 0);
	check_key(key);
	assert_memory_equal(key, "1d6b-0104-path-pci-0000_00_14.0-usb-0_2-", 40);
	/* neither a serial nor a path */
	assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, "", 0, "", key), -EINVAL);
	assert_int_equal(pa_devkey_make(0x1d6b, 0x0104, NULL, 0, NULL, key),
			 -EINVAL);
}

static void a_second_device_with_the_same_key_gets_its_path(void **state)
{
	char key[PA_KEY_MAX + 1], d1[PA_KEY_MAX + 1], d2[PA_KEY_MAX + 1];
	char serial[255];

	(void)state;
	assert_int_equal(pa_devkey_disambiguate("1d6b-0104-SAME",
						"platform-vhci_hcd.0-usb-0_2",
						d1), 0);
	assert_string_equal(d1, "1d6b-0104-SAME-path-platform-vhci_hcd.0-usb-0_2");
	assert_int_equal(pa_devkey_disambiguate("1d6b-0104-SAME",
						"pci-0000:00:14.0-usb-0:3", d2), 0);
	check_key(d2);
	/* from a key that is already 96 long */
	memset(serial, 'x', sizeof(serial));
	assert_int_equal(pa_devkey_make(1, 2, serial, sizeof(serial), NULL, key), 0);
	assert_int_equal(pa_devkey_disambiguate(key, "usb-0:1", d1), 0);
	assert_int_equal(pa_devkey_disambiguate(key, "usb-0:2", d2), 0);
	check_key(d1);
	check_key(d2);
	assert_string_not_equal(d1, d2);
	assert_string_not_equal(d1, key);
	/* bad arguments */
	assert_int_equal(pa_devkey_disambiguate("../x", "p", d1), -EINVAL);
	assert_int_equal(pa_devkey_disambiguate("1d6b-0104-A", "", d1), -EINVAL);
}

static void key_validation_refuses_unsafe_names(void **state)
{
	char long_key[PA_KEY_MAX + 2];

	(void)state;
	assert_true(pa_devkey_valid("1d6b-0104-PAMP0001"));
	assert_false(pa_devkey_valid(""));
	assert_false(pa_devkey_valid(".hidden"));
	assert_false(pa_devkey_valid("a/b"));
	assert_false(pa_devkey_valid("a b"));
	assert_false(pa_devkey_valid("\xc3\xa9"));
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	assert_false(pa_devkey_valid(long_key));
	long_key[PA_KEY_MAX] = '\0';
	assert_true(pa_devkey_valid(long_key));
}

static void a_cards_path_loses_its_interface(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "pci-0000:00:14.0-usb-0:2:1.0", "pci-0000:00:14.0-usb-0:2" },
		{ "pci-0000:00:14.0-usb-0:2.4:1.3", "pci-0000:00:14.0-usb-0:2.4" },
		{ "platform-vhci_hcd.0-usb-0:1:1.0", "platform-vhci_hcd.0-usb-0:1" },
		{ "pci-0000:00:14.0-usb-0:2", "pci-0000:00:14.0-usb-0:2" },
		{ "pci-0000:00:1f.3", "pci-0000:00:1f.3" },	/* no usb */
		{ "", "" },
	};
	char out[128];

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		assert_int_equal(pa_usb_path_of_card(v[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, v[i].out);
	}
	assert_int_equal(pa_usb_path_of_card("0123456789", out, 5),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_the_fips_vectors),
		cmocka_unit_test(keys_from_hostile_serials_are_safe),
		cmocka_unit_test(the_traversal_serial_gives_underscores),
		cmocka_unit_test(a_255_byte_serial_is_cut_to_96_with_a_hash),
		cmocka_unit_test(serials_that_sanitize_alike_stay_apart),
		cmocka_unit_test(an_empty_serial_uses_the_path),
		cmocka_unit_test(a_second_device_with_the_same_key_gets_its_path),
		cmocka_unit_test(key_validation_refuses_unsafe_names),
		cmocka_unit_test(a_cards_path_loses_its_interface),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
