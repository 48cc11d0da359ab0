// SPDX-License-Identifier: MIT
/*
 * pamp-level: a level meter for the capture check. Reads a WAV file
 * (RIFF/WAVE, PCM S16_LE, any channel count) or raw S16_LE with
 * --channels N, and prints per channel the peak in dBFS
 * (20 * log10(max |s| / 32767), -inf for silence) and the RMS:
 *
 *   ch1 peak=-12.00 rms=-15.01
 *
 *   pamp-level [--skip-ms MS] [FILE.wav|-]
 *   pamp-level --channels N [--rate HZ] [--skip-ms MS] [FILE|-]
 *
 * The file is untrusted: every header field is checked, chunk sizes are
 * bounded by what is actually there, a truncated data chunk is measured
 * as far as it goes. Exit status: 0, 1 for an unreadable or malformed
 * input, 2 for usage.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FULL_SCALE	32767.0
#define MAX_CHANNELS	1024
#define WAVE_FORMAT_PCM		0x0001
#define WAVE_FORMAT_EXTENSIBLE	0xfffe
#define MAX_SKIPPED_CHUNK	(16u << 20)	/* a non-audio chunk larger is bogus */

struct input {
	FILE *f;
	const char *name;
	unsigned int channels;
	unsigned int rate;
	uint64_t data_left;		/* bytes of sample data, UINT64_MAX: to EOF */
};

struct level {
	unsigned int channels;
	uint64_t frames;
	uint32_t *peak;			/* max |s| */
	double *sum_sq;
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int fail(const struct input *in, const char *fmt, const char *what)
{
	fprintf(stderr, "pamp-level: %s: ", in->name);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return -1;
}

static bool read_exact(FILE *f, void *buf, size_t len)
{
	return fread(buf, 1, len, f) == len;
}

static bool skip_bytes(FILE *f, uint64_t len)
{
	uint8_t buf[4096];

	while (len) {
		size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);

		if (fread(buf, 1, n, f) != n)
			return false;
		len -= n;
	}
	return true;
}

/* The KSDATAFORMAT_SUBTYPE_PCM GUID after its first two bytes. */
static const uint8_t pcm_guid_tail[14] = {
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
	0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
};

static int parse_fmt(struct input *in, const uint8_t *p, uint32_t len)
{
	uint16_t tag, channels, block_align, bits;
	uint32_t rate;

	if (len < 16)
		return fail(in, "%s", "fmt chunk shorter than 16 bytes");
	tag = le16(p);
	channels = le16(p + 2);
	rate = le32(p + 4);
	block_align = le16(p + 12);
	bits = le16(p + 14);
	if (tag == WAVE_FORMAT_EXTENSIBLE) {
		if (len < 40)
			return fail(in, "%s", "WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes");
		if (le16(p + 24) != WAVE_FORMAT_PCM ||
		    memcmp(p + 26, pcm_guid_tail, sizeof(pcm_guid_tail)))
			return fail(in, "%s", "WAVE_FORMAT_EXTENSIBLE but not PCM");
		if (le16(p + 18) != 16)
			return fail(in, "%s", "valid bits per sample is not 16");
	} else if (tag != WAVE_FORMAT_PCM) {
		return fail(in, "%s", "not PCM (format tag is neither 1 nor 0xfffe)");
	}
	if (bits != 16)
		return fail(in, "%s", "not 16 bits per sample (S16_LE expected)");
	if (channels == 0 || channels > MAX_CHANNELS)
		return fail(in, "%s", "channel count is 0 or above 1024");
	if (block_align != channels * 2u)
		return fail(in, "%s", "block align is not channels * 2");
	if (rate == 0)
		return fail(in, "%s", "sample rate 0");
	in->channels = channels;
	in->rate = rate;
	return 0;
}

/* Reads the RIFF header and the chunks up to the data chunk. */
static int parse_wav(struct input *in)
{
	uint8_t hdr[12], ck[8];
	bool have_fmt = false;

	if (!read_exact(in->f, hdr, sizeof(hdr)))
		return fail(in, "%s", "shorter than a RIFF header");
	if (memcmp(hdr, "RIFF", 4) || memcmp(hdr + 8, "WAVE", 4))
		return fail(in, "%s", "not a RIFF/WAVE file");
	for (;;) {
		uint32_t len;

		if (!read_exact(in->f, ck, sizeof(ck)))
			return fail(in, "%s", "no data chunk");
		len = le32(ck + 4);
		if (!memcmp(ck, "fmt ", 4)) {
			uint8_t fmt[64];

			if (have_fmt)
				return fail(in, "%s", "two fmt chunks");
			if (len > sizeof(fmt))
				return fail(in, "%s", "fmt chunk larger than 64 bytes");
			if (!read_exact(in->f, fmt, len) ||
			    ((len & 1) && !skip_bytes(in->f, 1)))
				return fail(in, "%s", "truncated fmt chunk");
			if (parse_fmt(in, fmt, len) < 0)
				return -1;
			have_fmt = true;
		} else if (!memcmp(ck, "data", 4)) {
			if (!have_fmt)
				return fail(in, "%s", "data chunk before the fmt chunk");
			/* A streaming writer leaves 0 or 0xffffffff: to EOF. */
			in->data_left = (len == 0 || len == 0xffffffffu) ?
					UINT64_MAX : len;
			return 0;
		} else {
			if (len > MAX_SKIPPED_CHUNK)
				return fail(in, "%s", "an oversized chunk before the data");
			if (!skip_bytes(in->f, (uint64_t)len + (len & 1)))
				return fail(in, "%s", "truncated chunk");
		}
	}
}

static int measure(struct input *in, struct level *lv, uint64_t skip_frames)
{
	size_t frame_bytes = in->channels * 2u;
	size_t cap = frame_bytes * 1024, have = 0;
	uint8_t *buf = malloc(cap);
	bool truncated = false;

	lv->channels = in->channels;
	lv->frames = 0;
	lv->peak = calloc(in->channels, sizeof(*lv->peak));
	lv->sum_sq = calloc(in->channels, sizeof(*lv->sum_sq));
	if (!buf || !lv->peak || !lv->sum_sq) {
		free(buf);
		return fail(in, "%s", "out of memory");
	}
	for (;;) {
		size_t want = cap - have, n, frames, i;
		unsigned int ch;

		if (in->data_left != UINT64_MAX && want > in->data_left)
			want = (size_t)in->data_left;
		if (!want && !have)
			break;
		n = want ? fread(buf + have, 1, want, in->f) : 0;
		if (in->data_left != UINT64_MAX)
			in->data_left -= n;
		have += n;
		if (n == 0) {
			if (in->data_left != UINT64_MAX && in->data_left)
				truncated = true;
			break;
		}
		frames = have / frame_bytes;
		for (i = 0; i < frames; i++) {
			const uint8_t *f = buf + i * frame_bytes;

			if (skip_frames) {
				skip_frames--;
				continue;
			}
			for (ch = 0; ch < in->channels; ch++) {
				int s = (int16_t)le16(f + 2 * ch);
				uint32_t a = (uint32_t)(s < 0 ? -s : s);

				if (a > lv->peak[ch])
					lv->peak[ch] = a;
				lv->sum_sq[ch] += (double)s * s;
			}
			lv->frames++;
		}
		memmove(buf, buf + frames * frame_bytes, have - frames * frame_bytes);
		have -= frames * frame_bytes;
	}
	if (ferror(in->f)) {
		free(buf);
		return fail(in, "read error: %s", strerror(errno));
	}
	if (truncated)
		fprintf(stderr, "pamp-level: %s: data chunk truncated; measured what is there\n",
			in->name);
	if (have)
		fprintf(stderr, "pamp-level: %s: %zu trailing bytes of a partial frame ignored\n",
			in->name, have);
	free(buf);
	return 0;
}

static void print_db(const char *name, double v)
{
	if (v <= 0.0)
		printf(" %s=-inf", name);
	else
		printf(" %s=%.2f", name, 20.0 * log10(v / FULL_SCALE));
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pamp-level [--skip-ms MS] [FILE.wav|-]\n"
		"       pamp-level --channels N [--rate HZ] [--skip-ms MS] [FILE|-]\n"
		"prints per channel: chN peak=DBFS rms=DBFS (-inf for silence)\n");
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && end != s && !*end && *s != '-' && *out <= max;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channels", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "skip-ms", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input in = { .rate = 48000 };
	struct level lv = { 0 };
	unsigned long channels = 0, rate = 48000, skip_ms = 0;
	unsigned int ch;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "c:r:s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!parse_uint(optarg, MAX_CHANNELS, &channels) ||
			    !channels) {
				fprintf(stderr, "pamp-level: --channels takes 1..%u\n",
					MAX_CHANNELS);
				return 2;
			}
			break;
		case 'r':
			if (!parse_uint(optarg, 1000000, &rate) || !rate) {
				fprintf(stderr, "pamp-level: bad --rate\n");
				return 2;
			}
			break;
		case 's':
			if (!parse_uint(optarg, 3600000, &skip_ms)) {
				fprintf(stderr, "pamp-level: bad --skip-ms\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "-")) {
		in.name = argv[optind];
		in.f = fopen(in.name, "rb");
		if (!in.f) {
			fprintf(stderr, "pamp-level: %s: %s\n", in.name,
				strerror(errno));
			return 1;
		}
	} else {
		in.name = "stdin";
		in.f = stdin;
	}
	if (channels) {
		in.channels = (unsigned int)channels;
		in.rate = (unsigned int)rate;
		in.data_left = UINT64_MAX;
	} else if (parse_wav(&in) < 0) {
		return 1;
	}
	ret = measure(&in, &lv, (uint64_t)skip_ms * in.rate / 1000);
	if (in.f != stdin)
		fclose(in.f);
	if (ret < 0)
		return 1;
	if (!lv.frames)
		fprintf(stderr, "pamp-level: %s: no frames\n", in.name);
	for (ch = 0; ch < lv.channels; ch++) {
		printf("ch%u", ch + 1);
		print_db("peak", lv.peak[ch]);
		print_db("rms", lv.frames ? sqrt(lv.sum_sq[ch] / (double)lv.frames)
				: 0.0);
		putchar('\n');
	}
	free(lv.peak);
	free(lv.sum_sq);
	return 0;
}
