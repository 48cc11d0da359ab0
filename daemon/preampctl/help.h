/* SPDX-License-Identifier: MIT */
/*
 * The texts of --help: the whole program's, and one per command
 * (`preampctl gain --help`, `preampctl help gain`). Pure.
 */
#pragma once

#include <stdbool.h>

/* preampctl --help */
extern const char pctl_help_text[];

/*
 * The help of one command (a word of the command line: "gain", "pad",
 * "preset", ...), ending in a newline; NULL when there is no such command.
 */
const char *pctl_command_help(const char *command);
