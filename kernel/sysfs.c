// SPDX-License-Identifier: GPL-2.0
/*
 * What the mixer controls cannot say, as attributes of the bound interface:
 * "persistent" is 1 when the device keeps its own settings across power
 * cycles (FLAG_PERSISTENT); "inputN_label" is input N's label as the device
 * gave it (checked UTF-8, or "Line In N"). The controls keep the names of
 * the ALSA contract; user space that wants to show "Mic 1" or to restore
 * only what differs reads these. The ABI is described in
 * Documentation/ABI/testing/sysfs-driver-snd-usb-preamp.
 *
 * The driver core creates them (usb_driver.dev_groups) when probe has
 * returned, before the placement work adds the controls, so whoever finds
 * the controls finds them too; it removes them before disconnect runs, and
 * sysfs waits for a reader still inside.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>
#include <linux/usb.h>

#include "driver.h"
#include "sysfs.h"

static ssize_t persistent_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct pamp_dev *d = dev_get_drvdata(dev);

	if (!d)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n",
			  !!(d->info.flags & PAMP_FLAG_PERSISTENT));
}
static DEVICE_ATTR_RO(persistent);

/* The attribute's var holds the 1-based input number. */
static unsigned int pamp_attr_input(struct device_attribute *attr)
{
	return (uintptr_t)container_of(attr, struct dev_ext_attribute,
				       attr)->var - 1;
}

static ssize_t label_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct pamp_dev *d = dev_get_drvdata(dev);
	unsigned int i = pamp_attr_input(attr);

	if (!d || i >= d->info.num_inputs)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", d->in[i].label);
}

#define PAMP_LABEL_ATTR(n)						\
	static struct dev_ext_attribute dev_attr_input##n##_label = {	\
		__ATTR(input##n##_label, 0444, label_show, NULL),	\
		(void *)(uintptr_t)(n)					\
	}

PAMP_LABEL_ATTR(1);
PAMP_LABEL_ATTR(2);
PAMP_LABEL_ATTR(3);
PAMP_LABEL_ATTR(4);
PAMP_LABEL_ATTR(5);
PAMP_LABEL_ATTR(6);
PAMP_LABEL_ATTR(7);
PAMP_LABEL_ATTR(8);
PAMP_LABEL_ATTR(9);
PAMP_LABEL_ATTR(10);
PAMP_LABEL_ATTR(11);
PAMP_LABEL_ATTR(12);
PAMP_LABEL_ATTR(13);
PAMP_LABEL_ATTR(14);
PAMP_LABEL_ATTR(15);
PAMP_LABEL_ATTR(16);
PAMP_LABEL_ATTR(17);
PAMP_LABEL_ATTR(18);
PAMP_LABEL_ATTR(19);
PAMP_LABEL_ATTR(20);
PAMP_LABEL_ATTR(21);
PAMP_LABEL_ATTR(22);
PAMP_LABEL_ATTR(23);
PAMP_LABEL_ATTR(24);
PAMP_LABEL_ATTR(25);
PAMP_LABEL_ATTR(26);
PAMP_LABEL_ATTR(27);
PAMP_LABEL_ATTR(28);
PAMP_LABEL_ATTR(29);
PAMP_LABEL_ATTR(30);
PAMP_LABEL_ATTR(31);
PAMP_LABEL_ATTR(32);

static struct attribute *pamp_attrs[] = {
	&dev_attr_persistent.attr,
	&dev_attr_input1_label.attr.attr,
	&dev_attr_input2_label.attr.attr,
	&dev_attr_input3_label.attr.attr,
	&dev_attr_input4_label.attr.attr,
	&dev_attr_input5_label.attr.attr,
	&dev_attr_input6_label.attr.attr,
	&dev_attr_input7_label.attr.attr,
	&dev_attr_input8_label.attr.attr,
	&dev_attr_input9_label.attr.attr,
	&dev_attr_input10_label.attr.attr,
	&dev_attr_input11_label.attr.attr,
	&dev_attr_input12_label.attr.attr,
	&dev_attr_input13_label.attr.attr,
	&dev_attr_input14_label.attr.attr,
	&dev_attr_input15_label.attr.attr,
	&dev_attr_input16_label.attr.attr,
	&dev_attr_input17_label.attr.attr,
	&dev_attr_input18_label.attr.attr,
	&dev_attr_input19_label.attr.attr,
	&dev_attr_input20_label.attr.attr,
	&dev_attr_input21_label.attr.attr,
	&dev_attr_input22_label.attr.attr,
	&dev_attr_input23_label.attr.attr,
	&dev_attr_input24_label.attr.attr,
	&dev_attr_input25_label.attr.attr,
	&dev_attr_input26_label.attr.attr,
	&dev_attr_input27_label.attr.attr,
	&dev_attr_input28_label.attr.attr,
	&dev_attr_input29_label.attr.attr,
	&dev_attr_input30_label.attr.attr,
	&dev_attr_input31_label.attr.attr,
	&dev_attr_input32_label.attr.attr,
	NULL
};

static_assert(ARRAY_SIZE(pamp_attrs) == PAMP_MAX_INPUTS + 2);

/* inputN_label only for the inputs the device has */
static umode_t pamp_attr_visible(struct kobject *kobj, struct attribute *attr,
				 int n)
{
	struct pamp_dev *d = dev_get_drvdata(kobj_to_dev(kobj));

	if (n == 0)
		return attr->mode;
	return d && n - 1 < d->info.num_inputs ? attr->mode : 0;
}

static const struct attribute_group pamp_attr_group = {
	.attrs = pamp_attrs,
	.is_visible = pamp_attr_visible,
};

const struct attribute_group *pamp_groups[] = {
	&pamp_attr_group,
	NULL
};
