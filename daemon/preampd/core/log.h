/* SPDX-License-Identifier: MIT */
/* preampd's log: stderr with sd-daemon priority prefixes (journald reads
 * them); debug lines only with PREAMPD_DEBUG set. */
#ifndef PREAMPD_LOG_H
#define PREAMPD_LOG_H

void pa_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...)   pa_log(3, __VA_ARGS__)
#define log_warning(...) pa_log(4, __VA_ARGS__)
#define log_notice(...)  pa_log(5, __VA_ARGS__)
#define log_info(...)    pa_log(6, __VA_ARGS__)
#define log_debug(...)   pa_log(7, __VA_ARGS__)

#endif
