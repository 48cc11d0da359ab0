// SPDX-License-Identifier: MIT
/*
 * What preampctl prints: numbers in dB, the status table, the list, the
 * device details, and JSON, which must stay valid and faithful whatever a
 * USB device put in its strings (quotes, control characters, terminal
 * escapes, invalid UTF-8), with NaN and infinities as null.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "change.h"
#include "format.h"

/* ---- a strict JSON checker (RFC 8259) ---- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(struct pctl_buf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		pctl_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f));
		pctl_buf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		pctl_buf_put(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
		pctl_buf_put(b, u, 4);
	}
}

/* Parses a string; its decoded bytes go to out when out is not NULL. */
static const char *js_string(const char *p, struct pctl_buf *out)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		uint32_t cp;
		size_t len;

		if (*p == '\0' || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			switch (*p) {
			case '"': case '\\': case '/':
				cp = (uint32_t)*p; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				cp = 0;
				for (int i = 1; i <= 4; i++) {
					int h = hexval(p[i]);

					if (h < 0)
						return NULL;
					cp = cp * 16 + (uint32_t)h;
				}
				if (cp >= 0xd800 && cp <= 0xdfff)
					return NULL;	/* we never need pairs */
				p += 4;
				break;
			default:
				return NULL;
			}
			p++;
			if (out)
				put_utf8(out, cp);
			continue;
		}
		len = pctl_utf8_next(p, strlen(p), &cp);
		if (cp == PCTL_UTF8_INVALID)
			return NULL;
		if (out)
			pctl_buf_put(out, p, len);
		p += len;
	}
	return p + 1;
}

static const char *js_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{':
		p = js_ws(p + 1);
		if (*p == '}')
			return p + 1;
		for (;;) {
			p = js_string(js_ws(p), NULL);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
			p = js_value(p, depth + 1);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p == '}')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '[':
		p = js_ws(p + 1);
		if (*p == ']')
			return p + 1;
		for (;;) {
			p = js_value(p, depth + 1);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p == ']')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '"':
		return js_string(p, NULL);
	case 't':
		return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f':
		return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
	case 'n':
		return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default:
		return js_number(p);
	}
}

/* one JSON document, then only white space */
static bool json_valid(const char *s)
{
	const char *p = js_value(s, 0);

	return p && *js_ws(p) == '\0';
}

/* ---- fixtures ---- */

static uint32_t group12[] = { 1, 2 };
static char *presets[] = { (char *)"live", (char *)"studio \"B\"" };

static struct pctl_input quad_inputs[] = {
	{ .path = (char *)"/org/preampd/Preamp1/devices/q/inputs/1", .number = 1,
	  .label = (char *)"Mic 1", .caps = 0x1ff, .gain = 24, .gain_min = 0, .gain_max = 60,
	  .gain_step = 1, .phantom = true, .pad = false, .phase = true, .highpass = false,
	  .air = true, .level = (char *)"line", .autogain_state = (char *)"idle",
	  .phantom_group = group12, .n_phantom_group = 2 },
	{ .path = (char *)"/org/preampd/Preamp1/devices/q/inputs/2", .number = 2,
	  .label = (char *)"Line 2", .caps = PCTL_CAP_GAIN | PCTL_CAP_METER, .gain = -6.5,
	  .gain_min = -10, .gain_max = 20, .gain_step = 0.5, .level = (char *)"",
	  .autogain_state = (char *)"idle" },
};

static struct pctl_input evil_inputs[] = {
	{ .path = (char *)"/x/1", .number = 1, .label = (char *)"Mic\x1b[1;1H\r\"1\"",
	  .caps = PCTL_CAP_GAIN | PCTL_CAP_LEVEL, .gain = NAN, .gain_min = -INFINITY,
	  .gain_max = INFINITY, .gain_step = NAN, .level = (char *)"\xff\xfe",
	  .autogain_state = (char *)"\x1b]0;x\x07" },
};

static char *evil_presets[] = { (char *)"\x1b[31mred", (char *)"\xc0\xaf" };

static struct pctl_device devices[] = {
	{ .path = (char *)"/org/preampd/Preamp1/devices/q", .index = 1,
	  .key = (char *)"1d6b-0104-PAMP0001", .name = (char *)"Quad Mic Pre",
	  .usb_id = (char *)"1d6b:0104", .serial = (char *)"PAMP0001", .card_id = (char *)"Quad",
	  .driver = (char *)"snd-usb-preamp", .phantom_policy = (char *)"off", .card = 2,
	  .presets = presets, .n_presets = 2, .inputs = quad_inputs, .n_inputs = 2 },
	{ .path = (char *)"/x", .index = 2, .key = (char *)"1d6b-0666-EVIL",
	  .name = (char *)"Evil \"Pre\"\\ \x1b[2J\x07\xe2\x80\xaeoops\n\t\xe4\xb8\xad\xff",
	  .usb_id = (char *)"\x01", .serial = (char *)"X\x1b]0;pwned\x07",
	  .card_id = (char *)"\xc3", .driver = (char *)"", .phantom_policy = (char *)"off",
	  .card = -1, .presets = evil_presets, .n_presets = 2, .inputs = evil_inputs,
	  .n_inputs = 1 },
};

static struct pctl_state state = { (char *)"1.0", devices, 2 };

/* no byte a terminal acts on, other than the newlines */
static void assert_terminal_safe(const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		uint32_t cp;

		i += pctl_utf8_next(s + i, n - i, &cp);
		if (cp == '\n')
			continue;
		if (pctl_cp_unsafe(cp))
			fail_msg("unsafe U+%04X at %zu in: %s", (unsigned)cp, i, s);
	}
}

/* ---- tests ---- */

static void numbers_print_in_db(void **st)
{
	static const struct {
		double v;
		const char *num, *db;
	} cases[] = {
		{ 24, "24.0", "24.0 dB" }, { 24.5, "24.5", "24.5 dB" },
		{ 24.25, "24.25", "24.25 dB" }, { 24.256, "24.26", "24.26 dB" },
		{ -6.5, "-6.5", "-6.5 dB" }, { -0.001, "0.0", "0.0 dB" },
		{ 0.004, "0.0", "0.0 dB" }, { 1e12, "1e+12", "1e+12 dB" },
		{ NAN, "nan", "-" }, { INFINITY, "inf", "-" }, { -INFINITY, "-inf", "-" },
	};
	char out[48];

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pctl_fmt_num(out, sizeof(out), cases[i].v);
		assert_string_equal(out, cases[i].num);
		pctl_fmt_db(out, sizeof(out), cases[i].v);
		assert_string_equal(out, cases[i].db);
	}
	pctl_fmt_num(out, 3, 24.5);	/* a short buffer truncates */
	assert_string_equal(out, "24");
}

static void json_numbers_are_valid_json(void **st)
{
	static const struct {
		double v;
		const char *json;
	} cases[] = {
		{ 24, "24" }, { 24.5, "24.5" }, { -4.81234, "-4.8123" }, { -0.0, "0" },
		{ 0.00001, "0" }, { 1e20, "1e+20" }, { -60, "-60" }, { NAN, "null" },
		{ INFINITY, "null" }, { -INFINITY, "null" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_buf b;

		pctl_buf_init(&b);
		pctl_json_number(&b, cases[i].v);
		assert_string_equal(pctl_buf_str(&b), cases[i].json);
		assert_true(json_valid(pctl_buf_str(&b)));
		pctl_buf_free(&b);
	}
}

static void json_strings_escape_hostile_bytes(void **st)
{
	static const struct {
		const char *in, *json, *decoded;
	} cases[] = {
		{ "plain", "\"plain\"", "plain" },
		{ "a\"b\\c/d", "\"a\\\"b\\\\c/d\"", "a\"b\\c/d" },
		{ "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"", "\n\r\t\b\f" },
		{ "\x01\x1b[2J\x7f", "\"\\u0001\\u001b[2J\\u007f\"", "\x01\x1b[2J\x7f" },
		{ "\xff", "\"\\ufffd\"", "\xef\xbf\xbd" },
		{ "a\xc3", "\"a\\ufffd\"", "a\xef\xbf\xbd" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", NULL },
		{ "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x8e\xa4", "\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x8e\xa4\"",
		  "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x8e\xa4" },
		{ "\xe2\x80\xae" "evil", "\"\\u202eevil\"", "\xe2\x80\xae" "evil" },
		{ "\xe2\x80\xa8", "\"\\u2028\"", "\xe2\x80\xa8" },
		{ "\xc2\x9b" "31m", "\"\\u009b31m\"", "\xc2\x9b" "31m" },
		{ "", "\"\"", "" },
		{ NULL, "\"\"", "" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_buf b, dec;

		pctl_buf_init(&b);
		pctl_buf_init(&dec);
		pctl_json_string(&b, cases[i].in);
		if (strcmp(pctl_buf_str(&b), cases[i].json) != 0)
			fail_msg("case %zu: %s, want %s", i, pctl_buf_str(&b), cases[i].json);
		assert_non_null(js_string(pctl_buf_str(&b), &dec));
		if (cases[i].decoded)
			assert_string_equal(pctl_buf_str(&dec), cases[i].decoded);
		pctl_buf_free(&b);
		pctl_buf_free(&dec);
	}
}

static void every_byte_value_makes_valid_json(void **st)
{
	char s[3] = { 0 };

	(void)st;
	for (int a = 1; a < 256; a++)
		for (int c = 0; c < 256; c += 17) {
			struct pctl_buf b;

			s[0] = (char)a;
			s[1] = (char)c;
			pctl_buf_init(&b);
			pctl_json_string(&b, s);
			if (!json_valid(pctl_buf_str(&b)))
				fail_msg("bytes %02x %02x: %s", a, c, pctl_buf_str(&b));
			pctl_buf_free(&b);
		}
}

static void status_table_reads_as_documented(void **st)
{
	struct pctl_buf b;

	(void)st;
	pctl_buf_init(&b);
	pctl_fmt_status(&b, &state, &devices[0]);
	assert_string_equal(pctl_buf_str(&b),
		"1  Quad Mic Pre  [1d6b-0104-PAMP0001]  card 2 (Quad), 48 V at plug-in: off\n"
		"   IN  LABEL           GAIN       48V     PAD  PHASE HPF  AIR  LEVEL AUTOGAIN\n"
		"    1  Mic 1           24.0 dB    on      off  on    off  on   line  idle\n"
		"    2  Line 2          -6.5 dB    -       -    -     -    -    -     -\n");
	pctl_buf_free(&b);
}

static void status_of_nothing_says_so(void **st)
{
	struct pctl_state none = { (char *)"1", NULL, 0 };
	struct pctl_buf b;

	(void)st;
	pctl_buf_init(&b);
	pctl_fmt_status(&b, &none, NULL);
	pctl_fmt_list(&b, &none);
	assert_string_equal(pctl_buf_str(&b),
			    "No preamp is connected.\nNo preamp is connected.\n");
	pctl_buf_reset(&b);
	pctl_json_status(&b, &none, NULL);
	assert_string_equal(pctl_buf_str(&b), "{\"daemon_version\":\"1\",\"devices\":[]}\n");
	pctl_buf_free(&b);
}

static void locked_phantom_shows_as_locked(void **st)
{
	struct pctl_input in = quad_inputs[0];
	struct pctl_device d = devices[0];
	struct pctl_buf b;

	(void)st;
	in.phantom = false;
	in.phantom_locked = true;
	d.inputs = &in;
	d.n_inputs = 1;
	pctl_buf_init(&b);
	pctl_fmt_status(&b, &(struct pctl_state){ (char *)"1", &d, 1 }, NULL);
	assert_non_null(strstr(pctl_buf_str(&b), "24.0 dB    locked  off"));
	pctl_buf_reset(&b);
	pctl_fmt_show(&b, &d);
	assert_non_null(strstr(pctl_buf_str(&b),
			       "    48 V:         off, locked off (one switch for inputs 1, 2)\n"));
	pctl_buf_free(&b);
}

static void show_lists_every_property(void **st)
{
	struct pctl_buf b;
	const char *s;

	(void)st;
	pctl_buf_init(&b);
	pctl_fmt_show(&b, &devices[0]);
	s = pctl_buf_str(&b);
	assert_non_null(strstr(s, "Device 1: Quad Mic Pre\n  Key:          1d6b-0104-PAMP0001\n"));
	assert_non_null(strstr(s, "  Presets:      live, studio \"B\"\n"));
	assert_non_null(strstr(s, "    Capabilities: gain phantom pad phase highpass air level meter autogain\n"));
	assert_non_null(strstr(s, "    Gain:         24.0 dB (0.0 to 60.0 dB, steps of 1.0 dB)\n"));
	assert_non_null(strstr(s, "    Switches:     pad off  phase on  highpass off  air on\n"));
	assert_non_null(strstr(s, "    Gain:         -6.5 dB (-10.0 to 20.0 dB, steps of 0.5 dB)\n"));
	pctl_buf_free(&b);
}

static void hostile_strings_never_reach_the_terminal(void **st)
{
	struct pctl_buf b;

	(void)st;
	pctl_buf_init(&b);
	pctl_fmt_status(&b, &state, NULL);
	pctl_fmt_list(&b, &state);
	pctl_fmt_show(&b, &devices[1]);
	pctl_fmt_input_name(&b, &devices[1], &evil_inputs[0]);
	assert_terminal_safe(pctl_buf_str(&b));
	assert_non_null(strstr(pctl_buf_str(&b), "Evil \"Pre\"\\ ?[2J??oops??\xe4\xb8\xad?"));
	assert_non_null(strstr(pctl_buf_str(&b), "Mic?[1;1H?\"1\""));
	pctl_buf_free(&b);
}

static void json_output_is_valid_and_complete(void **st)
{
	struct pctl_buf b, name;
	const char *s, *p;

	(void)st;
	pctl_buf_init(&b);
	pctl_json_status(&b, &state, NULL);
	s = pctl_buf_str(&b);
	assert_true(json_valid(s));
	assert_terminal_safe(s);
	for (const char *const *k = (const char *const[]){ "\"daemon_version\":\"1.0\"",
		"\"index\":1", "\"key\":\"1d6b-0104-PAMP0001\"", "\"name\":\"Quad Mic Pre\"",
		"\"usb_id\":\"1d6b:0104\"", "\"serial\":\"PAMP0001\"", "\"card\":2",
		"\"card_id\":\"Quad\"", "\"driver\":\"snd-usb-preamp\"", "\"persistent\":false",
		"\"phantom_policy\":\"off\"", "\"presets\":[\"live\",\"studio \\\"B\\\"\"]",
		"\"number\":1", "\"label\":\"Mic 1\"",
		"\"capabilities\":[\"gain\",\"phantom\",\"pad\",\"phase\",\"highpass\",\"air\",\"level\",\"meter\",\"autogain\"]",
		"\"gain\":24,\"gain_min\":0,\"gain_max\":60,\"gain_step\":1",
		"\"phantom\":true,\"phantom_group\":[1,2],\"phantom_locked\":false",
		"\"pad\":false,\"phase\":true,\"highpass\":false,\"air\":true",
		"\"level\":\"line\",\"autogain_state\":\"idle\"", "\"level\":null",
		"\"gain\":null,\"gain_min\":null,\"gain_max\":null,\"gain_step\":null",
		"\"card\":-1", NULL }; *k; k++)
		if (!strstr(s, *k))
			fail_msg("missing %s in %s", *k, s);
	/* the hostile name survives intact, invalid bytes aside */
	p = strstr(s, "\"name\":\"Evil");
	assert_non_null(p);
	pctl_buf_init(&name);
	assert_non_null(js_string(p + 7, &name));
	assert_string_equal(pctl_buf_str(&name),
			    "Evil \"Pre\"\\ \x1b[2J\x07\xe2\x80\xaeoops\n\t\xe4\xb8\xad\xef\xbf\xbd");
	pctl_buf_free(&name);

	pctl_buf_reset(&b);
	pctl_json_list(&b, &state);
	assert_true(json_valid(pctl_buf_str(&b)));
	assert_non_null(strstr(pctl_buf_str(&b), "\"input_count\":2"));
	pctl_buf_reset(&b);
	pctl_json_device(&b, &devices[1]);
	assert_true(json_valid(pctl_buf_str(&b)));
	pctl_buf_reset(&b);
	pctl_json_status(&b, &state, &devices[1]);
	assert_true(json_valid(pctl_buf_str(&b)));
	assert_null(strstr(pctl_buf_str(&b), "Quad"));
	pctl_buf_free(&b);
}

static void autogain_results_read_as_words(void **st)
{
	static const struct {
		const char *result;
		const char *says;
	} cases[] = {
		{ "done", "Autogain done: Mic 1 (input 1) of Quad Mic Pre is set to 32.0 dB.\n"
			  "The loudest peak will be about -4.8 dBFS (target -5.5 to -4.0 dBFS).\n" },
		{ "max-gain", "stopped at the highest gain, 32.0 dB" },
		{ "min-gain", "stopped at the lowest gain, 32.0 dB: the input still clips" },
		{ "too-quiet", "heard nothing above -80 dBFS" },
		{ "cancelled", "Autogain cancelled; the gain is back to 32.0 dB." },
		{ "failed", "Autogain failed" },
		{ "\x1b[2Jweird", "unknown result: ?[2Jweird" },
	};
	struct pctl_buf b;

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pctl_buf_init(&b);
		pctl_fmt_autogain_result(&b, &devices[0], &quad_inputs[0], cases[i].result, 32,
					 -4.8, -4);
		if (!strstr(pctl_buf_str(&b), cases[i].says))
			fail_msg("%s: %s", cases[i].result, pctl_buf_str(&b));
		assert_terminal_safe(pctl_buf_str(&b));
		pctl_buf_reset(&b);
		pctl_json_autogain_result(&b, &devices[0], &quad_inputs[0], cases[i].result, 32,
					  NAN, -4);
		assert_true(json_valid(pctl_buf_str(&b)));
		pctl_buf_free(&b);
	}
	assert_true(pctl_autogain_final("done"));
	assert_true(pctl_autogain_final("too-quiet"));
	assert_false(pctl_autogain_final("listening"));
	assert_false(pctl_autogain_final("idle"));
	assert_false(pctl_autogain_final(NULL));
}

static void terminal_text_counts_columns(void **st)
{
	static const struct {
		const char *in;
		size_t cols;
		const char *out;
	} cases[] = {
		{ "Mic 1", 10, "Mic 1" },
		{ "A long label here", 8, "A long ~" },
		{ "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 5, "\xe4\xb8\xad\xe6\x96\x87~" },
		{ "e\xcc\x81" "e", 2, "e\xcc\x81" "e" },
		{ "\x1b[2J", 10, "?[2J" },
		{ "abc", 0, "" },
		{ NULL, 5, "" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_buf b;

		pctl_buf_init(&b);
		pctl_term_text(&b, cases[i].in, cases[i].cols);
		assert_string_equal(pctl_buf_str(&b), cases[i].out);
		assert_true(pctl_term_width(pctl_buf_str(&b)) <= cases[i].cols);
		pctl_buf_reset(&b);
		pctl_term_cell(&b, cases[i].in, cases[i].cols);
		assert_int_equal(pctl_term_width(pctl_buf_str(&b)), cases[i].cols);
		pctl_buf_free(&b);
	}
}

/* wcwidth() in C.UTF-8, whatever the locale the tests run in */
static void code_points_take_their_columns(void **st)
{
	static const struct {
		uint32_t cp;
		int cols;
	} cases[] = {
		{ 'a', 1 }, { 0xe9, 1 }, { 0x3a9, 1 },	/* Latin, Greek */
		{ 0x301, 0 }, { 0x20d7, 0 },		/* combining marks */
		{ 0x4e2d, 2 }, { 0xac00, 2 }, { 0xff21, 2 },	/* CJK, Hangul, fullwidth */
		{ 0x1f3a4, 2 },				/* an emoji */
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (pctl_cp_width(cases[i].cp) != cases[i].cols)
			fail_msg("U+%04X: %d columns, want %d", (unsigned)cases[i].cp,
				 pctl_cp_width(cases[i].cp), cases[i].cols);
}

/* monitor's lines speak as show does, not in D-Bus names */
static void changes_read_as_words(void **st)
{
	static char *two[] = { (char *)"vocals", (char *)"live", NULL };
	static char *none[] = { NULL };
	static char *group[] = { (char *)"/org/preampd/Preamp1/devices/k/inputs/1",
				 (char *)"/org/preampd/Preamp1/devices/k/inputs/2", NULL };
	static const struct {
		const char *prop;
		struct pctl_value v;
		const char *words;	/* NULL: no line */
	} cases[] = {
		{ "Gain", { .type = 'd', .d = 30 }, "gain 30.0 dB" },
		{ "GainMax", { .type = 'd', .d = 60 }, "highest gain 60.0 dB" },
		{ "Phantom", { .type = 'b', .b = true }, "48 V on" },
		{ "PhantomLocked", { .type = 'b', .b = true }, "48 V locked off" },
		{ "PhantomLocked", { .type = 'b', .b = false }, "48 V unlocked" },
		{ "Pad", { .type = 'b', .b = false }, "pad off" },
		{ "HighPass", { .type = 'b', .b = true }, "highpass on" },
		{ "Level", { .type = 's', .s = "inst" }, "level inst" },
		{ "AutoGainState", { .type = 's', .s = "listening" }, "autogain listening" },
		{ "PhantomPolicy", { .type = 's', .s = "restore" }, "48 V policy: restore" },
		{ "Presets", { .type = 'a', .list = two }, "presets: vocals, live" },
		{ "Presets", { .type = 'a', .list = none }, "presets: (none)" },
		{ "PhantomGroup", { .type = 'a', .list = group }, "48 V switch of inputs 1, 2" },
		{ "Card", { .type = 'i', .i = 2 }, "ALSA card 2" },
		{ "Label", { .type = 's', .s = "Mic\x1b[2J" }, "label Mic?[2J" },
		{ "Devices", { .type = 'a', .list = none }, NULL },
		{ "Inputs", { .type = 'a', .list = none }, NULL },
		/* one this preampctl does not know: as it is */
		{ "Colour", { .type = 's', .s = "red" }, "Colour \"red\"" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_buf b;
		bool shown;

		pctl_buf_init(&b);
		shown = pctl_fmt_change(&b, cases[i].prop, &cases[i].v);
		if (!cases[i].words)
			assert_false(shown);
		else if (!shown || strcmp(pctl_buf_str(&b), cases[i].words) != 0)
			fail_msg("%s: '%s', want '%s'", cases[i].prop, pctl_buf_str(&b),
				 cases[i].words);
		pctl_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_print_in_db),
		cmocka_unit_test(json_numbers_are_valid_json),
		cmocka_unit_test(json_strings_escape_hostile_bytes),
		cmocka_unit_test(every_byte_value_makes_valid_json),
		cmocka_unit_test(status_table_reads_as_documented),
		cmocka_unit_test(status_of_nothing_says_so),
		cmocka_unit_test(locked_phantom_shows_as_locked),
		cmocka_unit_test(show_lists_every_property),
		cmocka_unit_test(hostile_strings_never_reach_the_terminal),
		cmocka_unit_test(json_output_is_valid_and_complete),
		cmocka_unit_test(autogain_results_read_as_words),
		cmocka_unit_test(terminal_text_counts_columns),
		cmocka_unit_test(code_points_take_their_columns),
		cmocka_unit_test(changes_read_as_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
