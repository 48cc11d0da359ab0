// SPDX-License-Identifier: MIT
/*
 * The scarlett2 emulator's device model as the scarlett2 driver talks to
 * it: command packets and their answers, acknowledgements, the data space,
 * the parameter buffer, 4th Gen switches that settle, the device's own
 * autogain and its statuses, the front panel, flash across power cycles,
 * routing, mixes and meters, both firmware layouts of the 2i2 4th Gen, and
 * packets that lie.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scarlett2-model.h"

#define MS 1000000ULL
#define T0 (1000 * MS)
#define IN 0xa1		/* class, interface, device to host */
#define OUT 0x21

/* notification bits of the 2i2 4th Gen */
#define N_AUTOGAIN	0x00400000
#define N_PHANTOM	0x08000000
#define N_GAIN		0x40000000
/* and where it keeps things */
#define PBUF		0xfc
#define A_GAIN		12
#define A_PHANTOM	11
#define A_AG_SWITCH	10
#define A_AG_PEAK	30

static uint16_t seq;
static uint32_t seen;	/* bits that came with the acknowledgements */

static struct s2_dev *dev(const char *id, uint32_t fw)
{
	struct s2_dev *d = calloc(1, sizeof(*d));
	const struct s2_model *m = s2_model_find(id, fw);

	assert_non_null(d);
	assert_non_null(m);
	s2_init(d, m, fw);
	s2_power_on(d, T0);
	seq = 1;
	seen = 0;
	return d;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * One command as the driver sends it: the packet OUT, then (after the
 * acknowledgement) the answer IN. Returns the answer's error field; its
 * data goes to resp (resp_len bytes asked for).
 */
static uint32_t cmd_at(struct s2_dev *d, uint64_t now, uint32_t cmd,
		       const uint8_t *data, size_t len, uint8_t *resp,
		       size_t resp_len)
{
	uint8_t pkt[16 + 512], ans[16 + 512], note[8];
	size_t got;

	memset(pkt, 0, 16);
	put32(pkt, cmd);
	pkt[4] = (uint8_t)len;
	pkt[5] = (uint8_t)(len >> 8);
	pkt[6] = (uint8_t)seq;
	pkt[7] = (uint8_t)(seq >> 8);
	if (len)
		memcpy(pkt + 16, data, len);
	assert_int_equal(s2_request(d, OUT, S2_REQ_CMD, pkt, 16 + len, NULL,
				    0, &got, now), 0);
	assert_int_equal(s2_notification(d, note, now), 8);
	assert_true(get32(note) & S2_NOTIFY_ACK);
	seen |= get32(note) & ~S2_NOTIFY_ACK;
	assert_int_equal(s2_request(d, IN, S2_REQ_RESP, NULL, 0, ans,
				    16 + resp_len, &got, now), 0);
	assert_int_equal(get32(ans), cmd);
	assert_int_equal(ans[6] | ans[7] << 8, seq);
	seq++;
	if (get32(ans + 8) == 0) {
		assert_int_equal(got, 16 + resp_len);
		assert_int_equal(ans[4] | ans[5] << 8, resp_len);
		if (resp)
			memcpy(resp, ans + 16, resp_len);
	}
	return get32(ans + 8);
}

static uint32_t cmd(struct s2_dev *d, uint32_t c, const uint8_t *data,
		    size_t len, uint8_t *resp, size_t resp_len)
{
	return cmd_at(d, T0, c, data, len, resp, resp_len);
}

static void get_data(struct s2_dev *d, uint32_t off, uint8_t *out, size_t n)
{
	uint8_t q[8];

	put32(q, off);
	put32(q + 4, (uint32_t)n);
	assert_int_equal(cmd(d, S2_CMD_GET_DATA, q, 8, out, n), 0);
}

static uint32_t set_data_at(struct s2_dev *d, uint64_t now, uint32_t off,
			    uint8_t v)
{
	uint8_t q[9];

	put32(q, off);
	put32(q + 4, 1);
	q[8] = v;
	return cmd_at(d, now, S2_CMD_SET_DATA, q, 9, NULL, 0);
}

static uint32_t activate_at(struct s2_dev *d, uint64_t now, uint32_t a)
{
	uint8_t q[4];

	put32(q, a);
	return cmd_at(d, now, S2_CMD_DATA_CMD, q, 4, NULL, 0);
}

/* A write through the parameter buffer, as scarlett2 makes it. */
static uint32_t pbuf_at(struct s2_dev *d, uint64_t now, unsigned int chan,
			unsigned int value, unsigned int act)
{
	assert_int_equal(set_data_at(d, now, PBUF + 1, (uint8_t)chan), 0);
	assert_int_equal(set_data_at(d, now, PBUF, (uint8_t)value), 0);
	return activate_at(d, now, act);
}

/* Everything pending, acknowledgements left out. */
static uint32_t notified(struct s2_dev *d, uint64_t now)
{
	uint8_t note[8];
	uint32_t bits = seen;

	seen = 0;
	if (s2_notification(d, note, now) == 8)
		bits |= get32(note) & ~S2_NOTIFY_ACK;
	return bits;
}

static void init_sequence_reports_the_firmware(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2417);
	uint8_t buf[84];
	size_t got;

	(void)state;
	assert_int_equal(s2_request(d, IN, S2_REQ_INIT, NULL, 0, buf, 24, &got,
				    T0), 0);
	assert_int_equal(got, 24);
	assert_int_equal(cmd(d, S2_CMD_INIT_1, NULL, 0, NULL, 0), 0);
	assert_int_equal(cmd(d, S2_CMD_INIT_2, NULL, 0, buf, 84), 0);
	assert_int_equal(get32(buf + 8), 2417);
	/* an answer is read once */
	assert_int_equal(s2_request(d, IN, S2_REQ_RESP, NULL, 0, buf, 84, &got,
				    T0), -EPIPE);
	free(d);
}

static void the_data_space_holds_the_settings(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	uint8_t b[4];

	(void)state;
	get_data(d, 0x4b, b, 2);		/* input gains */
	assert_int_equal(b[0], 10);
	assert_int_equal(b[1], 10);
	get_data(d, 0x132, b, 1);		/* peak target: -6 dBFS */
	assert_int_equal(b[0], 6);
	get_data(d, 0x49, b, 1);		/* MSD off: controls appear */
	assert_int_equal(b[0], 0);
	free(d);
}

static void both_firmware_layouts_keep_the_monitor_gains(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115), *e = dev("2i2-4th", 2417);
	uint8_t b[8];

	(void)state;
	get_data(d, 0x2a0, b, 2);
	assert_int_equal(b[0] | b[1] << 8, 8192);	/* 0 dB */
	get_data(e, 0x2a4, b, 2);
	assert_int_equal(b[0] | b[1] << 8, 8192);
	get_data(e, 0x2a0, b, 2);			/* something else */
	assert_int_equal(b[0] | b[1] << 8, 0xffff);
	assert_int_equal(s2_model_find("2i2-4th", 2200)->firmware, 2115);
	assert_int_equal(s2_model_find("2i2-4th", 2500)->firmware, 2417);
	assert_null(s2_model_find("2i2-4th", 1000));
	free(d);
	free(e);
}

static void the_parameter_buffer_sets_a_gain(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	unsigned int v;

	(void)state;
	assert_int_equal(pbuf_at(d, T0, 1, 40, A_GAIN), 0);
	assert_int_equal(s2_get(d, S2_FN_GAIN, 1, &v), 0);
	assert_int_equal(v, 40);
	assert_true(fabs(s2_gain_db(d, 1) - 40 * 69.0 / 70.0) < 1e-9);
	/* no input 3, no step 71 */
	assert_int_not_equal(pbuf_at(d, T0, 2, 40, A_GAIN), 0);
	assert_int_equal(pbuf_at(d, T0, 0, 200, A_GAIN), 0);
	assert_int_equal(s2_get(d, S2_FN_GAIN, 0, &v), 0);
	assert_int_equal(v, S2_GAIN_MAX);
	free(d);
}

static void the_autogain_targets_come_on_channel_1(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	uint8_t b[1];

	(void)state;
	assert_int_equal(pbuf_at(d, T0, 1, 4, A_AG_PEAK), 0);
	get_data(d, 0x132, b, 1);
	assert_int_equal(b[0], 4);
	assert_int_not_equal(pbuf_at(d, T0, 2, 4, A_AG_PEAK), 0);
	free(d);
}

static void phantom_settles_and_tells_the_host(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	unsigned int v;
	uint8_t b[1];

	(void)state;
	notified(d, T0);
	/* scarlett2 writes 2 for "on" */
	assert_int_equal(pbuf_at(d, T0, 0, 2, A_PHANTOM), 0);
	get_data(d, 0x48, b, 1);
	assert_int_equal(b[0], 2);		/* on its way */
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 1, &v), 0);
	assert_int_equal(v, 1);			/* both inputs: one switch */
	assert_int_equal(notified(d, T0), 0);
	assert_true(s2_next_ns(d) <= T0 + 250 * MS);
	assert_int_equal(notified(d, T0 + 300 * MS), N_PHANTOM);
	get_data(d, 0x48, b, 1);
	assert_int_equal(b[0], 1);
	/* 3 is "off" */
	assert_int_equal(pbuf_at(d, T0 + 400 * MS, 0, 3, A_PHANTOM), 0);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 0, &v), 0);
	assert_int_equal(v, 0);
	free(d);
}

static void autogain_keeps_the_old_status_until_it_tells(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	unsigned int v;
	uint8_t b[2];
	uint64_t t;

	(void)state;
	d->autogain_ms = 3000;
	s2_set_source(d, 0, -30.0);
	assert_int_equal(pbuf_at(d, T0, 1, 4, A_AG_PEAK), 0);	/* -4 dBFS */
	assert_int_equal(pbuf_at(d, T0, 0, 1, A_AG_SWITCH), 0);
	get_data(d, 0x137, b, 1);
	assert_int_equal(b[0], 0);		/* still the last Success */
	assert_string_equal(s2_status_word(d, 0), "Running");
	assert_int_equal(notified(d, T0), 0);
	/* it tells that it runs, and listens half-way up */
	t = T0 + 100 * MS;
	assert_int_equal(notified(d, t), N_AUTOGAIN | N_GAIN);
	assert_int_equal(s2_get(d, S2_FN_GAIN, 0, &v), 0);
	assert_int_equal(v, (10 + 26) / 2);
	/* the end: -4 - (-30) = 26 dB, step 26 */
	t = T0 + 3001 * MS;
	assert_int_equal(notified(d, t), N_AUTOGAIN | N_GAIN);
	assert_int_equal(s2_get(d, S2_FN_GAIN, 0, &v), 0);
	assert_int_equal(v, 26);
	assert_int_equal(s2_get(d, S2_FN_AG_SWITCH, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_string_equal(s2_status_word(d, 0), "Success");
	free(d);
}

static void autogain_results_in_the_statuses_scarlett2_names(void **state)
{
	static const struct {
		double source;
		const char *word;
		unsigned int gain;
	} runs[] = {
		{ -INFINITY, "FailDRunder", 10 },
		{ -80.0, "FailMaxGainLimit", 70 },
		{ -2.0, "WarnMinGainLimit", 0 },
		{ 3.0, "FailClipped", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct s2_dev *d = dev("2i2-4th", 2115);
		unsigned int v;

		d->autogain_ms = 1000;
		s2_set_source(d, 0, runs[i].source);
		assert_int_equal(pbuf_at(d, T0, 0, 1, A_AG_SWITCH), 0);
		s2_tick(d, T0 + 2000 * MS);
		assert_string_equal(s2_status_word(d, 0), runs[i].word);
		assert_int_equal(s2_get(d, S2_FN_GAIN, 0, &v), 0);
		assert_int_equal(v, runs[i].gain);
		free(d);
	}
}

static void switching_autogain_off_cancels_it(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	unsigned int v;

	(void)state;
	assert_int_equal(pbuf_at(d, T0, 0, 1, A_AG_SWITCH), 0);
	s2_tick(d, T0 + 100 * MS);
	assert_int_equal(pbuf_at(d, T0 + 200 * MS, 0, 0, A_AG_SWITCH), 0);
	assert_string_equal(s2_status_word(d, 0), "Cancelled");
	assert_int_equal(notified(d, T0 + 200 * MS) & N_AUTOGAIN, N_AUTOGAIN);
	/* the gain stays where the run left it (half-way to the -6 dBFS
	 * target's step 24): the host puts it back */
	assert_int_equal(s2_get(d, S2_FN_GAIN, 0, &v), 0);
	assert_int_equal(v, (10 + 24) / 2);
	s2_tick(d, T0 + 10000 * MS);
	assert_string_equal(s2_status_word(d, 0), "Cancelled");
	free(d);
}

static void the_vocaster_says_its_own_words(void **state)
{
	struct s2_dev *d = dev("vocaster-one", 1769);

	(void)state;
	d->autogain_ms = 1000;
	s2_set_source(d, 0, -30.0);
	assert_int_equal(s2_panel_autogain(d, 0, T0), 0);
	assert_int_equal(s2_panel_autogain(d, 0, T0), -EBUSY);
	s2_tick(d, T0 + 2000 * MS);
	assert_string_equal(s2_status_word(d, 0), "Success");
	/* its hot target is -10 dBFS: 20 dB in 1 dB steps */
	assert_true(fabs(s2_gain_db(d, 0) - 20.0) < 1e-9);
	s2_set_source(d, 0, -INFINITY);
	assert_int_equal(s2_panel_autogain(d, 0, T0 + 3000 * MS), 0);
	s2_tick(d, T0 + 5000 * MS);
	assert_string_equal(s2_status_word(d, 0), "FailRange");
	free(d);
}

static void the_front_panel_tells_the_host(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	unsigned int v;

	(void)state;
	notified(d, T0);
	assert_int_equal(s2_panel(d, S2_FN_GAIN, 1, 20, T0), 0);
	assert_int_equal(notified(d, T0), N_GAIN);
	assert_int_equal(s2_panel(d, S2_FN_PHANTOM, 0, 1, T0), 0);
	assert_int_equal(notified(d, T0), N_PHANTOM);
	assert_int_equal(notified(d, T0 + 300 * MS), N_PHANTOM);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(s2_panel(d, S2_FN_PAD, 0, 1, T0), -ENOENT);
	assert_int_equal(s2_panel(d, S2_FN_AIR, 0, 3, T0), -ERANGE);
	assert_int_equal(s2_panel(d, S2_FN_AIR, 0, 2, T0), 0);
	free(d);
}

static void the_solo_keeps_its_48v_in_slot_0_for_channel_1(void **state)
{
	struct s2_dev *d = dev("solo-4th", 2115);
	unsigned int v;
	uint8_t b[1];

	(void)state;
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 0, &v), -ENOENT);
	assert_int_equal(set_data_at(d, T0, 0xd8 + 1, 1), 0);
	assert_int_equal(set_data_at(d, T0, 0xd8, 2), 0);
	assert_int_equal(activate_at(d, T0, 9), 0);
	get_data(d, 0x46, b, 1);
	assert_int_equal(b[0], 2);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 1, &v), 0);
	assert_int_equal(v, 1);
	get_data(d, 0x47, b, 1);		/* MSD untouched */
	assert_int_equal(b[0], 0);
	free(d);
}

static void third_gen_settings_survive_only_a_save(void **state)
{
	struct s2_dev *d = dev("4i4-3rd", 1644);
	unsigned int v;
	uint8_t q[9];

	(void)state;
	/* 48 V: a bit, read, changed and written back, then activated */
	put32(q, 0x9c);
	put32(q + 4, 1);
	q[8] = 1;
	assert_int_equal(cmd(d, S2_CMD_SET_DATA, q, 9, NULL, 0), 0);
	assert_int_equal(activate_at(d, T0, 8), 0);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(set_data_at(d, T0, 0x84, 1), 0);	/* pad 1 */
	assert_int_equal(activate_at(d, T0, 8), 0);
	s2_power_off(d, T0);
	s2_power_on(d, T0);
	assert_int_equal(s2_get(d, S2_FN_PAD, 0, &v), 0);
	assert_int_equal(v, 0);			/* never saved */
	assert_int_equal(set_data_at(d, T0, 0x84, 1), 0);
	assert_int_equal(activate_at(d, T0, 8), 0);
	assert_int_equal(activate_at(d, T0, S2_CONFIG_SAVE), 0);
	assert_int_equal(set_data_at(d, T0, 0x9c, 1), 0);
	assert_int_equal(activate_at(d, T0, 8), 0);
	assert_int_equal(activate_at(d, T0, S2_CONFIG_SAVE), 0);
	s2_power_off(d, T0);
	s2_power_on(d, T0);
	assert_int_equal(s2_get(d, S2_FN_PAD, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 0, &v), 0);
	assert_int_equal(v, 0);			/* 48 V comes up off ... */
	assert_int_equal(set_data_at(d, T0, 0x9e, 1), 0);	/* ... unless */
	assert_int_equal(set_data_at(d, T0, 0x9c, 1), 0);	/* persistence */
	assert_int_equal(activate_at(d, T0, S2_CONFIG_SAVE), 0);
	s2_power_off(d, T0);
	s2_power_on(d, T0);
	assert_int_equal(s2_get(d, S2_FN_PHANTOM, 0, &v), 0);
	assert_int_equal(v, 1);
	free(d);
}

static void routing_mixes_and_meters(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	uint8_t q[64], r[64];
	uint32_t e;
	unsigned int i;

	(void)state;
	/* 12 destinations; PCM 1 and 2 take the inputs */
	q[0] = 0;
	q[1] = 0;
	q[2] = 12;
	q[3] = 0;
	assert_int_equal(cmd(d, S2_CMD_GET_MUX, q, 4, r, 48), 0);
	for (i = 0; i < 12; i++) {
		e = get32(r + 4 * i);
		if ((e & 0xfff) == 0x600)
			assert_int_equal(e >> 12, 0x080);
	}
	/* meters in the destinations' order: PCM 1 is the fifth */
	q[0] = 0;
	q[1] = 0;
	q[2] = 12;
	q[3] = 0;
	put32(q + 4, 1);
	assert_int_equal(cmd(d, S2_CMD_GET_METER, q, 8, r, 48), 0);
	/* -30 dBFS + 9.86 dB: 4095 * 10^(-20.14/20) */
	assert_int_equal(get32(r + 4 * 4), 403);
	assert_int_equal(get32(r), 0);
	put32(q + 4, 2);			/* a bad magic */
	assert_int_not_equal(cmd(d, S2_CMD_GET_METER, q, 8, r, 48), 0);
	/* a mix, set and read back */
	q[0] = 1;
	q[1] = 0;
	for (i = 0; i < 4; i++) {
		q[2 + 2 * i] = (uint8_t)(100 + i);
		q[3 + 2 * i] = 0;
	}
	assert_int_equal(cmd(d, S2_CMD_SET_MIX, q, 10, NULL, 0), 0);
	q[2] = 4;
	q[3] = 0;
	assert_int_equal(cmd(d, S2_CMD_GET_MIX, q, 4, r, 8), 0);
	assert_int_equal(r[6], 103);
	q[0] = 9;				/* no mix 9 */
	assert_int_not_equal(cmd(d, S2_CMD_GET_MIX, q, 4, r, 8), 0);
	free(d);
}

static void packets_that_lie_get_errors(void **state)
{
	struct s2_dev *d = dev("2i2-4th", 2115);
	uint8_t pkt[32], q[8], r[16];
	size_t got;

	(void)state;
	/* shorter than a header */
	assert_int_equal(s2_request(d, OUT, S2_REQ_CMD, pkt, 8, NULL, 0, &got,
				    T0), -EPIPE);
	/* a size that is not the packet's */
	memset(pkt, 0, sizeof(pkt));
	put32(pkt, S2_CMD_GET_DATA);
	pkt[4] = 200;
	assert_int_equal(s2_request(d, OUT, S2_REQ_CMD, pkt, 24, NULL, 0, &got,
				    T0), 0);
	assert_int_equal(s2_request(d, IN, S2_REQ_RESP, NULL, 0, r, 16, &got,
				    T0), 0);
	assert_int_not_equal(get32(r + 8), 0);
	/* offsets and sizes beyond the data space */
	put32(q, 0xffffffff);
	put32(q + 4, 4);
	assert_int_not_equal(cmd(d, S2_CMD_GET_DATA, q, 8, r, 4), 0);
	put32(q, S2_MEM_SIZE - 2);
	put32(q + 4, 0xfffffff0);
	assert_int_not_equal(cmd(d, S2_CMD_GET_DATA, q, 8, r, 4), 0);
	assert_int_not_equal(cmd(d, S2_CMD_SET_DATA, q, 8, NULL, 0), 0);
	assert_int_not_equal(cmd(d, 0x12345678, NULL, 0, NULL, 0), 0);
	assert_int_equal(d->errors, 5);
	/* unplugged: nothing answers */
	s2_power_off(d, T0);
	assert_int_equal(s2_request(d, IN, S2_REQ_INIT, NULL, 0, r, 16, &got,
				    T0), -EPIPE);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_sequence_reports_the_firmware),
		cmocka_unit_test(the_data_space_holds_the_settings),
		cmocka_unit_test(both_firmware_layouts_keep_the_monitor_gains),
		cmocka_unit_test(the_parameter_buffer_sets_a_gain),
		cmocka_unit_test(the_autogain_targets_come_on_channel_1),
		cmocka_unit_test(phantom_settles_and_tells_the_host),
		cmocka_unit_test(autogain_keeps_the_old_status_until_it_tells),
		cmocka_unit_test(autogain_results_in_the_statuses_scarlett2_names),
		cmocka_unit_test(switching_autogain_off_cancels_it),
		cmocka_unit_test(the_vocaster_says_its_own_words),
		cmocka_unit_test(the_front_panel_tells_the_host),
		cmocka_unit_test(the_solo_keeps_its_48v_in_slot_0_for_channel_1),
		cmocka_unit_test(third_gen_settings_survive_only_a_save),
		cmocka_unit_test(routing_mixes_and_meters),
		cmocka_unit_test(packets_that_lie_get_errors),
	};

	return cmocka_run_group_tests_name("scarlett2 device model", tests,
					   NULL, NULL);
}
