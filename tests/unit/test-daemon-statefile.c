// SPDX-License-Identifier: MIT
/*
 * State files: what is saved comes back exactly; a damaged file of any kind
 * is refused with a sentence, never half-read; saving is atomic.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "statefile.h"

#define KEY "1d6b-0104-PAMP0001"

/* a formatted state file */
struct text {
	char *data;
	size_t len;
};

static void fill_state(struct pa_state *st)
{
	struct pa_settings s;

	pa_state_init(st);
	snprintf(st->name, sizeof(st->name), " Preamp; Quad %%1 #x ");
	st->has_policy = true;
	st->policy = PA_POLICY_RESTORE;
	st->cur.in[0] = (struct pa_input_settings){
		.fields = PA_F_GAIN | PA_F_PHANTOM | PA_F_LOCK | PA_F_PAD |
			  PA_F_PHASE | PA_F_HIGHPASS | PA_F_AIR | PA_F_LEVEL,
		.gain_db = 12.5, .phantom = true, .locked = false,
		.sw = { true, false, true, false }, .level = PA_LEVEL_INST,
	};
	st->cur.in[1] = (struct pa_input_settings){
		.fields = PA_F_GAIN | PA_F_PHANTOM | PA_F_LOCK,
		.gain_db = -10, .phantom = false, .locked = true,
	};
	st->cur.in[31] = (struct pa_input_settings){
		.fields = PA_F_GAIN, .gain_db = 69.0 * 31 / 70,
	};
	memset(&s, 0, sizeof(s));
	s.in[0] = (struct pa_input_settings){
		.fields = PA_F_GAIN | PA_F_PAD, .gain_db = 30, .sw = { true },
	};
	assert_int_equal(pa_state_preset_put(st, "Vocals", &s), 0);
	s.in[0].gain_db = 0.00390625;	/* 1/256 dB */
	assert_int_equal(pa_state_preset_put(st, "a;b = c # d %41", &s), 0);
	s.in[1] = (struct pa_input_settings){
		.fields = PA_F_PHANTOM | PA_F_LEVEL, .phantom = true,
	};
	assert_int_equal(pa_state_preset_put(st, " lead and trail ", &s), 0);
	assert_int_equal(pa_state_preset_put(st, "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x8e\xa4", &s), 0);
	/* the longest name, all of it escaped: the line just fits */
	char worst[PA_PRESET_NAME_MAX + 1];

	memset(worst, '%', PA_PRESET_NAME_MAX);
	worst[PA_PRESET_NAME_MAX] = '\0';
	assert_int_equal(pa_state_preset_put(st, worst, &s), 0);
}

static void assert_settings_equal(const struct pa_settings *a,
				  const struct pa_settings *b)
{
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *x = &a->in[i], *y = &b->in[i];

		assert_int_equal(x->fields, y->fields);
		if (x->fields & PA_F_GAIN)
			assert_float_equal(x->gain_db, y->gain_db, 1e-4);
		if (x->fields & PA_F_PHANTOM)
			assert_int_equal(x->phantom, y->phantom);
		if (x->fields & PA_F_LOCK)
			assert_int_equal(x->locked, y->locked);
		for (unsigned sw = 0; sw < PA_SW_COUNT; sw++)
			if (x->fields & PA_F_SWITCH(sw))
				assert_int_equal(x->sw[sw], y->sw[sw]);
		if (x->fields & PA_F_LEVEL)
			assert_int_equal(x->level, y->level);
	}
}

static void assert_state_equal(const struct pa_state *a,
			       const struct pa_state *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->has_policy, b->has_policy);
	assert_int_equal(a->policy, b->policy);
	assert_settings_equal(&a->cur, &b->cur);
	assert_int_equal(a->n_presets, b->n_presets);
	for (size_t i = 0; i < a->n_presets; i++) {
		assert_string_equal(a->presets[i].name, b->presets[i].name);
		assert_settings_equal(&a->presets[i].s, &b->presets[i].s);
	}
}

static void a_state_survives_format_and_parse(void **state)
{
	struct pa_state a, b;
	struct text buf = { 0 };
	char err[256];

	(void)state;
	fill_state(&a);
	assert_int_equal(pa_state_format(&a, KEY, &buf.data, &buf.len), 0);
	if (pa_state_parse(buf.data, buf.len, &b, err, sizeof(err)) < 0)
		fail_msg("%s\n%s", err, buf.data);
	assert_state_equal(&a, &b);
	/* presets come back sorted */
	for (size_t i = 1; i < b.n_presets; i++)
		assert_true(strcmp(b.presets[i - 1].name, b.presets[i].name) < 0);
	/* readable: names and values in words */
	assert_non_null(strstr(buf.data, "[input 1]\ngain = 12.5\nphantom = on\n"));
	assert_non_null(strstr(buf.data, "phantom_policy = restore\n"));
	assert_non_null(strstr(buf.data, "name = Vocals\n"));
	assert_non_null(strstr(buf.data, "level = inst\n"));
	pa_state_free(&a);
	pa_state_free(&b);
	free(buf.data);
}

static void an_empty_state_round_trips(void **state)
{
	struct pa_state a, b;
	struct text buf = { 0 };
	char err[256];

	(void)state;
	pa_state_init(&a);
	assert_int_equal(pa_state_format(&a, KEY, &buf.data, &buf.len), 0);
	assert_int_equal(pa_state_parse(buf.data, buf.len, &b, err,
					sizeof(err)), 0);
	assert_state_equal(&a, &b);
	pa_state_free(&b);
	free(buf.data);
}

static void every_truncation_is_detected(void **state)
{
	struct pa_state a, b;
	struct text buf = { 0 };
	char err[256];

	(void)state;
	fill_state(&a);
	assert_int_equal(pa_state_format(&a, KEY, &buf.data, &buf.len), 0);
	/* every prefix but the whole file (and the whole without its final
	 * newline) is refused */
	for (size_t len = 0; len + 1 < buf.len; len++) {
		int r = pa_state_parse(buf.data, len, &b, err, sizeof(err));

		if (r != -EBADMSG)
			fail_msg("a file cut at %zu of %zu bytes was accepted",
				 len, buf.len);
		assert_int_equal(b.n_presets, 0);
		assert_null(b.presets);
	}
	assert_int_equal(pa_state_parse(buf.data, buf.len - 1, &b, err,
					sizeof(err)), 0);
	pa_state_free(&b);
	pa_state_free(&a);
	free(buf.data);
}

static void random_bytes_never_parse(void **state)
{
	char text[512], err[256];
	struct pa_state b;
	unsigned seed = 12345;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(text));

		for (size_t j = 0; j < len; j++)
			text[j] = (char)rand_r(&seed);
		assert_int_equal(pa_state_parse(text, len, &b, err, sizeof(err)),
				 -EBADMSG);
		assert_true(strlen(err) > 0);
	}
}

/* A valid header, the text under test, and the end mark. */
static int parse_body(const char *body, char *err, size_t errlen)
{
	char text[8192];
	struct pa_state st;
	int r;

	snprintf(text, sizeof(text), "[device]\nformat = 1\n%s\n# end of state\n",
		 body);
	r = pa_state_parse(text, strlen(text), &st, err, errlen);
	pa_state_free(&st);
	return r;
}

static void damaged_files_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *body;
		const char *why;
	} v[] = {
		{ "[input 1]\ngain = nan", "bad value 'nan'" },
		{ "[input 1]\ngain = inf", "bad value 'inf'" },
		{ "[input 1]\ngain = 1e999", "bad value" },
		{ "[input 1]\ngain = 0x10", "bad value" },
		{ "[input 1]\ngain = 300", "bad value" },
		{ "[input 1]\ngain = 12dB", "bad value" },
		{ "[input 1]\ngain =", "bad value" },
		{ "[input 1]\nphantom = maybe", "bad value" },
		{ "[input 1]\nphantom = 1", "bad value" },
		{ "[input 1]\nphantom_locked = perhaps", "bad value" },
		{ "[input 1]\nlevel = mic", "bad value" },
		{ "[input 1]\ngain = 1\ngain = 2", "given twice" },
		{ "[input 1]\nvolume = 1", "unknown key 'volume'" },
		{ "[input 0]\ngain = 1", "bad section" },
		{ "[input 33]\ngain = 1", "bad section" },
		{ "[input x]\ngain = 1", "unknown section" },
		{ "[input -1]\ngain = 1", "bad section" },
		{ "[input 1 2]\ngain = 1", "unknown section" },
		{ "[inputs]\ngain = 1", "unknown section" },
		{ "[device]\ncolour = red", "unknown key 'colour'" },
		{ "[device]\nphantom_policy = always", "bad phantom_policy" },
		{ "[device]\nname = a%G1", "bad name" },
		{ "[device]\nname = a%2", "bad name" },
		{ "[device]\nname = a%00b", "bad name" },
		{ "[preset 1]\nname = a/b", "bad preset name" },
		{ "[preset 1]\nname = a%2Fb", "bad preset name" },
		{ "[preset 1]\nname = %01", "bad preset name" },
		{ "[preset 1]\nname = \xff\xfe", "bad preset name" },
		{ "[preset 1]\nname = x\n[preset 2]\nname = x", "given twice" },
		{ "[preset 1]\nname = x\n[preset 1]\nname = y", "given twice" },
		{ "[preset 1]\ncolour = x", "unknown key" },
		{ "[preset 1 input 1]\ngain = 1", "before its preset's name" },
		{ "[preset 1]\nname = x\n[preset 1 input 1]\nphantom_locked = yes",
		  "unknown key" },
		{ "[preset 1]\nname = x\n[preset 1 input 0]\ngain = 1", "bad section" },
		{ "[preset 1]\nname = x\n[preset 01 input 1]\ngain = 1", "bad section" },
		{ "this is not ini", "not a 'key = value'" },
		{ "[input 1\ngain = 1", "without ']'" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int r = parse_body(v[i].body, err, sizeof(err));

		if (r != -EBADMSG)
			fail_msg("case %zu (%s) was accepted", i, v[i].body);
		if (!strstr(err, v[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, err,
				 v[i].why);
		assert_non_null(strstr(err, "line "));
	}
}

static void headers_and_marks_are_required(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} v[] = {
		{ "", "empty" },
		{ "\n\n", "cut short" },
		{ "[device]\nformat = 1\n", "cut short" },
		{ "# end of state\n", "no [device]" },
		{ "[device]\nname = x\n# end of state\n", "no [device]" },
		{ "[input 1]\ngain = 1\n[device]\nformat = 1\n# end of state\n",
		  "must come first" },
		{ "gain = 1\n[device]\nformat = 1\n# end of state\n",
		  "must come first" },
		{ "[device]\nformat = 2\n# end of state\n", "format 2" },
		{ "[device]\nformat = 0\n# end of state\n", "bad format" },
		{ "[device]\nformat = 1\n# end of state\n[input 1]\ngain = 1\n",
		  "cut short" },
		{ "[device]\nformat = 1\n# end of state\nx", "cut short" },
		{ "[device]\nformat = 1\n#end of state\n", "cut short" },
	};
	char err[256];
	struct pa_state st;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int r = pa_state_parse(v[i].text, strlen(v[i].text), &st, err,
				       sizeof(err));

		if (r != -EBADMSG)
			fail_msg("case %zu was accepted", i);
		if (!strstr(err, v[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, err,
				 v[i].why);
	}
	/* a NUL inside, a line too long, CRLF line ends */
	static const char nul[] = "[device]\nformat = 1\0\n# end of state\n";

	assert_int_equal(pa_state_parse(nul, sizeof(nul) - 1, &st, err,
					sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "NUL"));

	char longline[400];

	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[device]\nformat = 1\nname = ", 27);
	memcpy(longline + 380, "\n# end of state\n", 17);
	assert_int_equal(pa_state_parse(longline, strlen(longline), &st, err,
					sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "line 3: longer than"));

	static const char crlf[] = "[device]\r\nformat = 1\r\n[input 1]\r\n"
				   "gain = 3\r\n# end of state\r\n";

	assert_int_equal(pa_state_parse(crlf, strlen(crlf), &st, err,
					sizeof(err)), 0);
	assert_float_equal(st.cur.in[0].gain_db, 3.0, 1e-9);
	pa_state_free(&st);
}

static void at_most_100_presets(void **state)
{
	struct pa_state st;
	struct pa_settings s;
	char name[16];

	(void)state;
	pa_state_init(&st);
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < PA_PRESETS_MAX; i++) {
		snprintf(name, sizeof(name), "p%03d", PA_PRESETS_MAX - i);
		assert_int_equal(pa_state_preset_put(&st, name, &s), 0);
	}
	assert_int_equal(pa_state_preset_put(&st, "one more", &s), -E2BIG);
	/* replacing one is fine at the limit */
	s.in[0].fields = PA_F_GAIN;
	s.in[0].gain_db = 7;
	assert_int_equal(pa_state_preset_put(&st, "p050", &s), 0);
	assert_float_equal(st.presets[pa_state_preset_find(&st, "p050")].s.in[0].gain_db,
			   7.0, 1e-9);
	assert_string_equal(st.presets[0].name, "p001");
	assert_int_equal(pa_state_preset_delete(&st, "p001"), 0);
	assert_int_equal(pa_state_preset_delete(&st, "p001"), -ENOENT);
	assert_string_equal(st.presets[0].name, "p002");
	assert_int_equal(pa_state_preset_put(&st, "", &s), -EINVAL);
	assert_int_equal(pa_state_preset_put(&st, "../x", &s), -EINVAL);

	/* 101 presets in a file */
	static const char more[] = "\n[preset 101]\nname = p101\n\n# end of state\n";
	struct text b = { 0 };
	char err[256], *grown;
	struct pa_state st2;

	assert_int_equal(pa_state_preset_put(&st, "p001", &s), 0);
	assert_int_equal(pa_state_format(&st, KEY, &b.data, &b.len), 0);
	assert_int_equal(pa_state_parse(b.data, b.len, &st2, err, sizeof(err)), 0);
	pa_state_free(&st2);
	b.len -= strlen("\n# end of state\n");
	grown = realloc(b.data, b.len + sizeof(more));
	assert_non_null(grown);
	b.data = grown;
	memcpy(b.data + b.len, more, sizeof(more));
	b.len += sizeof(more) - 1;
	assert_int_equal(pa_state_parse(b.data, b.len, &st2, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "more than 100"));
	free(b.data);
	pa_state_free(&st);
}

/* ---- files ---- */

static char tmpdir[64];

static int dir_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/preampd-test-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int dir_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[400];

	(void)state;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] ||
					    (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

static int count_files(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void saving_is_atomic_and_loads_back(void **state)
{
	int dfd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	struct pa_state a, b;
	char err[256], path[300];
	struct stat st;

	(void)state;
	assert_true(dfd >= 0);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), -ENOENT);
	fill_state(&a);
	assert_int_equal(pa_state_save(dfd, KEY, &a), 0);
	assert_int_equal(pa_state_save(dfd, KEY, &a), 0);
	assert_int_equal(count_files(), 1);	/* no temporary left */
	snprintf(path, sizeof(path), "%s/" KEY ".state", tmpdir);
	assert_int_equal(stat(path, &st), 0);
	/* private to preampd, whatever its umask */
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), 0);
	assert_state_equal(&a, &b);
	pa_state_free(&b);
	/* keys that are not safe file names are refused */
	assert_int_equal(pa_state_save(dfd, "../escape", &a), -EINVAL);
	assert_int_equal(pa_state_load(dfd, "../escape", &b, err, sizeof(err)),
			 -EINVAL);
	pa_state_free(&a);
	close(dfd);
}

static void a_damaged_file_is_kept_aside(void **state)
{
	int dfd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	struct pa_state b;
	char err[256], path[300], aside[300];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/" KEY ".state", tmpdir);
	snprintf(aside, sizeof(aside), "%s/" KEY ".state.corrupt", tmpdir);
	f = fopen(path, "w");
	fputs("[device]\nformat = 1\n[input 1]\ngain = 1", f);	/* cut */
	fclose(f);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "cut short"));
	assert_int_equal(pa_state_keep_aside(dfd, KEY), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(aside, F_OK), 0);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), -ENOENT);

	/* damaged again: the first one kept stays as it was */
	f = fopen(path, "w");
	fputs("second damaged file", f);
	fclose(f);
	assert_int_equal(pa_state_keep_aside(dfd, KEY), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_files(), 2);
	f = fopen(aside, "r");
	assert_non_null(f);
	assert_non_null(fgets(err, sizeof(err), f));
	fclose(f);
	assert_string_equal(err, "[device]\n");
	/* and a third, a fourth...: each has its own name, up to a limit */
	for (int i = 3; i <= PA_STATE_ASIDE_MAX; i++) {
		f = fopen(path, "w");
		fputs("damaged", f);
		fclose(f);
		assert_int_equal(pa_state_keep_aside(dfd, KEY), 0);
		assert_int_equal(count_files(), i);
	}
	f = fopen(path, "w");
	fputs("one too many", f);
	fclose(f);
	assert_int_equal(pa_state_keep_aside(dfd, KEY), -EEXIST);
	assert_int_equal(count_files(), PA_STATE_ASIDE_MAX + 1);
	f = fopen(aside, "r");
	assert_non_null(fgets(err, sizeof(err), f));
	fclose(f);
	assert_string_equal(err, "[device]\n");
	unlink(path);

	/* too big: refused before it is read */
	f = fopen(path, "w");
	for (int i = 0; i < PA_STATE_FILE_MAX / 10 + 1; i++)
		fputs("# padding\n", f);
	fclose(f);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), -EFBIG);
	unlink(path);

	/* a symbolic link is not followed; a directory is not a file */
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(pa_state_load(dfd, KEY, &b, err, sizeof(err)), -ELOOP);
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(pa_state_load(dfd, KEY, &b, err, sizeof(err)) < 0);
	rmdir(path);
	close(dfd);
}

/* What a save that was killed half-way leaves is removed at the next
 * start; a file being written by a live process stays. */
static void stale_temporary_files_are_removed(void **state)
{
	int dfd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	char path[400];
	struct pa_state a;
	FILE *f;
	pid_t dead;
	static const char *const keep[] = {
		KEY ".state", ".hidden", ".x.tmp-", ".x.tmp-12a", "x.tmp-1",
	};

	(void)state;
	/* a process that is gone: its pid is free */
	dead = fork();
	if (dead == 0)
		_exit(0);
	assert_true(dead > 0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	fill_state(&a);
	assert_int_equal(pa_state_save(dfd, KEY, &a), 0);
	pa_state_free(&a);
	snprintf(path, sizeof(path), "%s/." KEY ".state.tmp-%ld", tmpdir,
		 (long)dead);
	f = fopen(path, "w");
	fputs("[device]\nformat = 1\n", f);
	fclose(f);
	for (size_t i = 1; i < PA_ARRAY_SIZE(keep); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, keep[i]);
		f = fopen(path, "w");
		fclose(f);
	}
	/* one of a live process (this one) */
	snprintf(path, sizeof(path), "%s/.other.state.tmp-%ld", tmpdir,
		 (long)getppid());
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(count_files(), (int)PA_ARRAY_SIZE(keep) + 2);
	assert_int_equal(pa_remove_stale_tmp(dfd), 1);
	assert_int_equal(count_files(), (int)PA_ARRAY_SIZE(keep) + 1);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/." KEY ".state.tmp-%ld", tmpdir,
		 (long)dead);
	assert_int_equal(access(path, F_OK), -1);
	close(dfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_state_survives_format_and_parse),
		cmocka_unit_test(an_empty_state_round_trips),
		cmocka_unit_test(every_truncation_is_detected),
		cmocka_unit_test(random_bytes_never_parse),
		cmocka_unit_test(damaged_files_are_refused_with_a_reason),
		cmocka_unit_test(headers_and_marks_are_required),
		cmocka_unit_test(at_most_100_presets),
		cmocka_unit_test_setup_teardown(saving_is_atomic_and_loads_back,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(stale_temporary_files_are_removed,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(a_damaged_file_is_kept_aside,
						dir_setup, dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
