/* SPDX-License-Identifier: MIT */
/*
 * The emulators' event log: a line on stderr with the monotonic time in
 * seconds, for what a test must be able to time from the device's side
 * ("48V input 1 on by host").
 */
#ifndef EMU_EVENT_H
#define EMU_EVENT_H

#include <stdint.h>

__attribute__((format(printf, 2, 3)))
void emu_event(uint64_t now_ns, const char *fmt, ...);

/* CLOCK_MONOTONIC in nanoseconds, for what happens outside a request. */
uint64_t emu_now_ns(void);

#endif /* EMU_EVENT_H */
