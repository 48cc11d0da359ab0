#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compares one D-Bus interface as a file describes it with the same
interface as a running service introspects it: every method (argument
names, types, directions), signal, property (type, access, whether and
how it emits PropertiesChanged), and nothing more on either side.
Comments and documentation do not count.

usage: xmlcompare.py SHIPPED.xml INTROSPECTED.xml INTERFACE
Prints one "ok" or "FAIL" line per member; exits 1 on any difference.
"""
import sys
import xml.etree.ElementTree as ET

ECS = "org.freedesktop.DBus.Property.EmitsChangedSignal"


def members(path, iface):
    root = ET.parse(path).getroot()
    found = [i for i in root.iter("interface") if i.get("name") == iface]
    if len(found) != 1:
        return None
    out = {}
    for m in found[0]:
        if m.tag not in ("method", "signal", "property"):
            continue
        key = "%s %s" % (m.tag, m.get("name"))
        if m.tag == "property":
            ann = {a.get("name"): a.get("value") for a in m.findall("annotation")}
            desc = (m.get("type"), m.get("access"), ann.get(ECS, "true"))
        else:
            desc = tuple((a.get("name"), a.get("type"),
                          a.get("direction", "out" if m.tag == "signal" else "in"))
                         for a in m.findall("arg"))
        out[key] = desc
    return out


def main():
    shipped, live, iface = sys.argv[1:4]
    want, have = members(shipped, iface), members(live, iface)
    if want is None or have is None:
        print("FAIL %s: %s" % (iface, "not in " + (shipped if want is None else live)))
        return 1
    bad = 0
    for key in sorted(set(want) | set(have)):
        if key not in have:
            print("FAIL %s %s: documented, but preampd does not have it" % (iface, key))
        elif key not in want:
            print("FAIL %s %s: preampd has it, the XML does not document it" % (iface, key))
        elif want[key] != have[key]:
            print("FAIL %s %s: XML %s, preampd %s" % (iface, key, want[key], have[key]))
        else:
            continue
        bad += 1
    print("%s %s: %d members compared" % ("ok  " if not bad else "FAIL", iface, len(want)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
