// SPDX-License-Identifier: MIT
/*
 * pa-polkit-stub: a stand-in for polkitd in the VM scenarios. It owns
 * org.freedesktop.PolicyKit1 on the system bus and answers
 * CheckAuthorization by the word in MODE_FILE: "allow", "deny",
 * "challenge" (an administrator's password would be needed), "temporary"
 * (allowed by a temporary authorization, as after a password given for
 * auth_admin_keep: the answer carries polkit.temporary_authorization_id)
 * or "hang" (no answer until CancelCheckAuthorization: an agent that never
 * answers). Every request is printed as one line:
 *   ACTION FLAGS SUBJECT-KIND SUBJECT-NAME uid=UID -> MODE
 * and every cancelled one as "cancelled ID".
 * SIGUSR1 makes it emit the Authority's Changed signal, as polkitd does
 * when its rules, actions or sessions change.
 *
 *   pa-polkit-stub MODE_FILE
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

static const char *mode_file;
static struct {
	sd_bus_message *call;
	char id[64];	/* its cancellation id */
} held[4096];
static size_t n_held;

static int check_authorization(sd_bus_message *m, void *userdata,
			       sd_bus_error *err)
{
	const char *kind, *key, *name = "?", *action, *cancel_id;
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
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &cancel_id);
	if (r < 0)
		return r;

	f = fopen(mode_file, "r");
	if (f) {
		if (fscanf(f, "%31s", mode) != 1)
			snprintf(mode, sizeof(mode), "deny");
		fclose(f);
	}
	{
		sd_bus_creds *c = NULL;
		uid_t uid = (uid_t)-1;

		if (sd_bus_get_name_creds(sd_bus_message_get_bus(m), name,
					  SD_BUS_CREDS_EUID, &c) >= 0)
			sd_bus_creds_get_euid(c, &uid);
		sd_bus_creds_unref(c);
		printf("%s %u %s %s uid=%d -> %s\n", action, flags, kind, name,
		       (int)uid, mode);
	}
	if (!strcmp(mode, "hang")) {
		/* held until the stand-in exits: the caller waits */
		if (n_held < sizeof(held) / sizeof(held[0])) {
			held[n_held].call = sd_bus_message_ref(m);
			snprintf(held[n_held].id, sizeof(held[n_held].id), "%s",
				 cancel_id);
			n_held++;
		}
		return 1;
	}
	if (!strcmp(mode, "temporary"))
		return sd_bus_reply_method_return(m, "(bba{ss})", 1, 0, 1,
						  "polkit.temporary_authorization_id",
						  "tmpauthz7");
	return sd_bus_reply_method_return(m, "(bba{ss})",
					  !strcmp(mode, "allow"),
					  !strcmp(mode, "challenge"), 0);
}

/* CancelCheckAuthorization: the held request with that id is answered
 * Cancelled, as polkitd answers it */
static int cancel_check(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const char *id;
	int r;

	(void)userdata;
	(void)err;
	r = sd_bus_message_read(m, "s", &id);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_held; i++) {
		if (!held[i].call || !id[0] || strcmp(held[i].id, id))
			continue;
		printf("cancelled %s\n", id);
		sd_bus_reply_method_errorf(held[i].call,
					   "org.freedesktop.PolicyKit1.Error.Cancelled",
					   "The authentication was cancelled");
		held[i].call = sd_bus_message_unref(held[i].call);
		return sd_bus_reply_method_return(m, NULL);
	}
	return sd_bus_reply_method_errorf(m, "org.freedesktop.PolicyKit1.Error.Failed",
					  "No such authentication: %s", id);
}

static int on_usr1(sd_event_source *s, const struct signalfd_siginfo *si,
		   void *userdata)
{
	(void)s;
	(void)si;
	return sd_bus_emit_signal(userdata, "/org/freedesktop/PolicyKit1/Authority",
				  "org.freedesktop.PolicyKit1.Authority",
				  "Changed", NULL);
}

static const sd_bus_vtable authority_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("CheckAuthorization", "(sa{sv})sa{ss}us", "(bba{ss})",
		      check_authorization, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("CancelCheckAuthorization", "s", "", cancel_check,
		      SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

int main(int argc, char **argv)
{
	sd_event *e = NULL;
	sd_bus *bus = NULL;
	sigset_t mask;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: pa-polkit-stub MODE_FILE\n");
		return 2;
	}
	mode_file = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r = sd_event_default(&e);
	if (r >= 0)
		r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_event_add_signal(e, NULL, SIGUSR1, on_usr1, bus);
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
	for (size_t i = 0; i < n_held; i++)
		sd_bus_message_unref(held[i].call);
	sd_bus_unref(bus);
	sd_event_unref(e);
	return r < 0 ? 1 : 0;
}
