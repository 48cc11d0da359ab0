/* SPDX-License-Identifier: MIT */
/*
 * The main window: a page per interface with a switcher between them, a
 * page that says how to start preampd while it is not running, one that
 * says what to plug in while nothing is, and the message bar. It follows
 * the bus live: devices and inputs come and go, properties change.
 */
#pragma once

#include <adwaita.h>

GtkWindow *pg_window_new(AdwApplication *app);
