/* SPDX-License-Identifier: MIT */
/*
 * A polkit text agent (pkttyagent) for the length of one change, so that
 * polkit can ask for a password on the terminal when no desktop agent is
 * running, as systemctl and hostnamectl do.
 */
#pragma once

/* Starts the agent if stdin is a terminal and pkttyagent exists. */
void pctl_agent_open(void);
void pctl_agent_close(void);
