// SPDX-License-Identifier: GPL-2.0
/*
 * What the mixer controls cannot say, as attributes of the bound interface
 * (hwmon's naming): "persistent" is 1 when the device keeps its own
 * settings across power cycles (FLAG_PERSISTENT); "inN_label" is input N's
 * label as the device gave it (checked UTF-8, or "Line In N"). The
 * controls keep the names of the ALSA contract; user space that wants to
 * show "Mic 1" or to restore only what differs reads these.
 *
 * They are created before the controls are added, so that whoever finds
 * the controls finds them too (dev_groups would come after probe), and
 * removed first at disconnect; sysfs waits for a reader still inside.
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
	static struct dev_ext_attribute dev_attr_in##n##_label = {	\
		__ATTR(in##n##_label, 0444, label_show, NULL),		\
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
	&dev_attr_in1_label.attr.attr,
	&dev_attr_in2_label.attr.attr,
	&dev_attr_in3_label.attr.attr,
	&dev_attr_in4_label.attr.attr,
	&dev_attr_in5_label.attr.attr,
	&dev_attr_in6_label.attr.attr,
	&dev_attr_in7_label.attr.attr,
	&dev_attr_in8_label.attr.attr,
	&dev_attr_in9_label.attr.attr,
	&dev_attr_in10_label.attr.attr,
	&dev_attr_in11_label.attr.attr,
	&dev_attr_in12_label.attr.attr,
	&dev_attr_in13_label.attr.attr,
	&dev_attr_in14_label.attr.attr,
	&dev_attr_in15_label.attr.attr,
	&dev_attr_in16_label.attr.attr,
	&dev_attr_in17_label.attr.attr,
	&dev_attr_in18_label.attr.attr,
	&dev_attr_in19_label.attr.attr,
	&dev_attr_in20_label.attr.attr,
	&dev_attr_in21_label.attr.attr,
	&dev_attr_in22_label.attr.attr,
	&dev_attr_in23_label.attr.attr,
	&dev_attr_in24_label.attr.attr,
	&dev_attr_in25_label.attr.attr,
	&dev_attr_in26_label.attr.attr,
	&dev_attr_in27_label.attr.attr,
	&dev_attr_in28_label.attr.attr,
	&dev_attr_in29_label.attr.attr,
	&dev_attr_in30_label.attr.attr,
	&dev_attr_in31_label.attr.attr,
	&dev_attr_in32_label.attr.attr,
	NULL
};

static_assert(ARRAY_SIZE(pamp_attrs) == PAMP_MAX_INPUTS + 2);

/* inN_label only for the inputs the device has */
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

/* The interface's drvdata must point at d already. */
int pamp_sysfs_add(struct pamp_dev *d)
{
	return sysfs_create_group(&d->intf->dev.kobj, &pamp_attr_group);
}

void pamp_sysfs_remove(struct pamp_dev *d)
{
	sysfs_remove_group(&d->intf->dev.kobj, &pamp_attr_group);
}
