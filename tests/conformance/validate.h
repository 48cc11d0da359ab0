/* SPDX-License-Identifier: MIT */
/*
 * What a host makes of a device's self-description (spec section 6): the
 * checks the first reference client applies to GET_INFO and GET_INPUT_INFO
 * before it trusts them, and the verdict: use the device, use it degraded
 * (an input without gain control, no meters, a replaced label), or refuse
 * it.
 */
#ifndef PAMP_VALIDATE_H
#define PAMP_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "preamp-protocol.h"

enum pv_verdict {
	PV_OK,
	PV_DEGRADED,
	PV_REFUSED,
};

/* Findings, as bits; each has a verdict of its own (pv_issue_verdict). */
enum pv_issue {
	/* GET_INFO */
	PV_INFO_SHORT		= 1u << 0,	/* refuse */
	PV_INFO_MAGIC		= 1u << 1,	/* refuse */
	PV_INFO_MAJOR		= 1u << 2,	/* refuse */
	PV_INFO_NO_INPUTS	= 1u << 3,	/* refuse: 0 */
	PV_INFO_TOO_MANY	= 1u << 4,	/* refuse: above 32 */
	PV_INFO_WINDOW		= 1u << 5,	/* degrade: no meters */
	/* GET_INPUT_INFO, per input */
	PV_IN_SHORT		= 1u << 8,	/* refuse */
	PV_IN_GAIN_RANGE	= 1u << 9,	/* degrade: no gain control */
	PV_IN_GROUP_SPLIT	= 1u << 10,	/* degrade: own phantom switch */
	PV_IN_LABEL_NO_NUL	= 1u << 11,	/* degrade: label replaced */
	PV_IN_LABEL_UTF8	= 1u << 12,	/* degrade: label replaced */
	/* notes only: ignored on receipt */
	PV_RESERVED_NONZERO	= 1u << 16,
	PV_UNKNOWN_FLAGS	= 1u << 17,
	PV_UNKNOWN_CAPS		= 1u << 18,
};

#define PV_MAX_MSGS	8
#define PV_MSG_LEN	160

struct pv_result {
	unsigned int issues;		/* enum pv_issue bits */
	enum pv_verdict verdict;	/* the worst of the issues' */
	unsigned int num_msgs;
	char msg[PV_MAX_MSGS][PV_MSG_LEN];	/* one log line per finding */
};

/* The input as the host would expose it after validation. */
struct pv_input {
	unsigned int issues;
	uint16_t caps;			/* CAP_GAIN dropped if the range is bad */
	int16_t gain_min, gain_max;
	uint16_t gain_step;
	uint8_t phantom_group;		/* 0 if the group was split */
	char label[PAMP_LABEL_LEN + 1];	/* printable UTF-8, or "Input N" */
};

const char *pv_verdict_name(enum pv_verdict v);
enum pv_verdict pv_issue_verdict(unsigned int issue);
/* The names of the issue bits, space separated, for messages. */
void pv_issue_names(unsigned int issues, char *out, size_t out_len);

/* GET_INFO as received (len bytes, possibly short). */
void pv_check_info(const uint8_t *buf, size_t len, struct pv_result *res);

/*
 * Every GET_INPUT_INFO of a device whose GET_INFO passed: bufs[i] holds
 * lens[i] bytes. Fills out[i] and merges the findings into res.
 */
void pv_check_inputs(const uint8_t (*bufs)[sizeof(struct pamp_input_info)],
		     const size_t *lens, unsigned int num_inputs,
		     struct pv_input *out, struct pv_result *res);

/* Printable UTF-8 (no control characters, no overlong forms). */
int pv_printable_utf8(const uint8_t *s, size_t len);

#endif /* PAMP_VALIDATE_H */
