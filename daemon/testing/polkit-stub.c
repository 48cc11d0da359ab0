// SPDX-License-Identifier: MIT
/*
 * pa-polkit-stub: a stand-in for polkitd in the VM scenarios. It owns
 * org.freedesktop.PolicyKit1 on the system bus and answers
 * CheckAuthorization by the word in MODE_FILE: "allow", "deny" or
 * "challenge" (an administrator's password would be needed). Every request
 * is printed as one line: ACTION FLAGS SUBJECT-KIND SUBJECT-NAME.
 *
 *   pa-polkit-stub MODE_FILE
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

static const char *mode_file;

static int check_authorization(sd_bus_message *m, void *userdata,
			       sd_bus_error *err)
{
	const char *kind, *key, *name = "?", *action;
	char mode[32] = "deny";
	uint32_t flags;
	FILE *f;
	int r;

	(void)userdata;
	(void)err;
	r = sd_bus_message_enter_container(m, 'r', "sa{sv}");
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &kind);
	if (r < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r > 0 &&
	       (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && !strcmp(key, "name"))
			r = sd_bus_message_read(m, "v", "s", &name);
		else if (r >= 0)
			r = sd_bus_message_skip(m, "v");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
		if (r >= 0)
			r = 1;
	}
	if (r < 0)
		return r;
	r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &action);
	if (r >= 0)
		r = sd_bus_message_skip(m, "a{ss}");
	if (r >= 0)
		r = sd_bus_message_read(m, "u", &flags);
	if (r < 0)
		return r;

	f = fopen(mode_file, "r");
	if (f) {
		if (fscanf(f, "%31s", mode) != 1)
			snprintf(mode, sizeof(mode), "deny");
		fclose(f);
	}
	printf("%s %u %s %s -> %s\n", action, flags, kind, name, mode);
	return sd_bus_reply_method_return(m, "(bba{ss})",
					  !strcmp(mode, "allow"),
					  !strcmp(mode, "challenge"), 0);
}

static const sd_bus_vtable authority_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("CheckAuthorization", "(sa{sv})sa{ss}us", "(bba{ss})",
		      check_authorization, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

int main(int argc, char **argv)
{
	sd_event *e = NULL;
	sd_bus *bus = NULL;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: pa-polkit-stub MODE_FILE\n");
		return 2;
	}
	mode_file = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = sd_event_default(&e);
	if (r >= 0)
		r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_attach_event(bus, e, 0);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL,
					     "/org/freedesktop/PolicyKit1/Authority",
					     "org.freedesktop.PolicyKit1.Authority",
					     authority_vtable, NULL);
	if (r >= 0)
		r = sd_bus_request_name(bus, "org.freedesktop.PolicyKit1", 0);
	if (r >= 0)
		r = sd_event_loop(e);
	if (r < 0)
		fprintf(stderr, "pa-polkit-stub: %s\n", strerror(-r));
	sd_bus_unref(bus);
	sd_event_unref(e);
	return r < 0 ? 1 : 0;
}
