/* SPDX-License-Identifier: MIT */
/*
 * `preampctl monitor`: prints every change preampd announces, one line
 * each (one JSON object each with --json), until Ctrl-C.
 */
#pragma once

#include <stdbool.h>

#include "bus.h"

int pctl_monitor_run(struct pctl_bus *b, bool json, unsigned long count,
		     struct pctl_error *err);
