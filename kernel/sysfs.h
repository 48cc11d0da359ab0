/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __SND_USB_PREAMP_SYSFS_H
#define __SND_USB_PREAMP_SYSFS_H

struct pamp_dev;

int pamp_sysfs_add(struct pamp_dev *d);
void pamp_sysfs_remove(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_SYSFS_H */
