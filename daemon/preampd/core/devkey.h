/* SPDX-License-Identifier: MIT */
/*
 * Device keys (dbus-api.md section 5): "<vid>-<pid>-<serial>", or
 * "<vid>-<pid>-path-<ID_PATH>" without a serial. Safe as a file name and
 * bounded, whatever bytes the USB device sent.
 */
#ifndef PREAMPD_DEVKEY_H
#define PREAMPD_DEVKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_KEY_MAX 96

/*
 * The key of a device. serial may hold any bytes (serial_len of them; 0 or
 * NULL: no serial); id_path is used only without a serial. -EINVAL when
 * there is neither.
 */
int pa_devkey_make(uint16_t vid, uint16_t pid, const char *serial,
		   size_t serial_len, const char *id_path,
		   char out[PA_KEY_MAX + 1]);

/*
 * The key of a device plugged in while another one holds base: base with
 * "-path-<ID_PATH>" appended, bounded like every key.
 */
int pa_devkey_disambiguate(const char *base, const char *id_path,
			   char out[PA_KEY_MAX + 1]);

/* A well-formed key: 1..96 of [A-Za-z0-9._-], not starting with '.'. */
bool pa_devkey_valid(const char *key);

/*
 * The USB device's part of a sound card's ID_PATH: the interface suffix
 * ":<config>.<interface>" removed ("pci-0000:00:14.0-usb-0:2:1.0" gives
 * "pci-0000:00:14.0-usb-0:2"), so that every card of one device has the
 * same path. Writes into out (outsz bytes); -ENAMETOOLONG if it won't fit.
 */
int pa_usb_path_of_card(const char *card_id_path, char *out, size_t outsz);

#endif
