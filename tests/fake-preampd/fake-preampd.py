#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A stand-in for preampd's D-Bus API (docs/dbus-api.md): the test double of
preampctl's and preamp-gtk's checks, and, with --simulate, a simulation to
try both without hardware (tests/fake-preampd/try.sh, `make try`). It keeps
its state in memory, has no hardware and no polkit, and adds a control
interface, org.preampd.Fake on /org/preampd/Preamp1, through which a test
plugs and unplugs devices, turns a knob, injects errors, and reads what the
client sent.

It answers on whatever bus DBUS_SYSTEM_BUS_ADDRESS names: run it on a
private dbus-daemon, never on the real system bus.
"""

import math
import os
import random
import sys
import time

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.preampd.Preamp1"
ROOT = "/org/preampd/Preamp1"
IF_MANAGER = "org.preampd.Preamp1.Manager"
IF_DEVICE = "org.preampd.Preamp1.Device"
IF_INPUT = "org.preampd.Preamp1.Input"
IF_PROPS = "org.freedesktop.DBus.Properties"
IF_OM = "org.freedesktop.DBus.ObjectManager"
IF_FAKE = "org.preampd.Fake"
ERR = "org.preampd.Preamp1.Error."

IF_INTROSPECT = "org.freedesktop.DBus.Introspectable"
HERE = os.path.dirname(os.path.abspath(__file__))
# the API's own introspection XML, served as this stand-in's introspection
IFACE_DIR = os.environ.get("FAKE_INTERFACES_DIR",
                           os.path.join(HERE, "..", "..", "daemon", "interfaces"))
SIMULATE = False    # --simulate: levels follow the gain, autogain listens in passes

ALL_CAPS = ["gain", "phantom", "pad", "phase", "highpass", "air", "level", "meter", "autogain"]

# name, usb id, serial, card id, inputs: (label, caps, gain min, max, step, phantom group),
# and optionally the driver and whether the device keeps its own settings
SCARLETT_CAPS = ["gain", "phantom", "air", "level", "meter", "autogain"]
MODELS = {
    # like a Focusrite Scarlett 2i2 (4th gen) under Linux's scarlett2 driver
    "scarlett": ("Scarlett 2i2 4th Gen", "1235:8219", "S2I2-000042", "Gen", [
        ("Analogue 1", SCARLETT_CAPS, 0.0, 69.0, 1.0, 0),
        ("Analogue 2", SCARLETT_CAPS, 0.0, 69.0, 1.0, 0),
    ], "scarlett2", True),
    "quad": ("Quad Mic Pre", "1d6b:0104", "PAMP0001", "Quad", [
        ("Mic 1", ALL_CAPS, 0.0, 60.0, 1.0, 0),
        ("Mic 2", ALL_CAPS, 0.0, 60.0, 1.0, 0),
        ("Inst 3", ["gain", "phantom", "pad", "level", "meter", "autogain"], 0.0, 60.0, 0.5, 1),
        ("Line 4", ["gain", "meter"], -10.0, 20.0, 0.5, None),
    ]),
    "solo": ("Solo Pre", "1d6b:0101", "", "Solo", [
        ("Mic 1", ["gain", "phantom", "meter", "autogain"], 0.0, 56.0, 1.0, 0),
    ]),
    "duo": ("Duo Pre", "1d6b:0102", "DUO-0007", "Duo", [
        ("Mic 1", ["gain", "phantom", "pad"], 0.0, 50.0, 1.0, 0),
        ("Mic 2", ["gain", "phantom", "pad"], 0.0, 50.0, 1.0, 1),
    ]),
    # every string a USB device could send that a terminal or JSON must survive
    "hostile": ('Evil "Pre"\\ \x1b[2J\x1b[31mred\x07\u202eoops\n\t\u4e2d\u6587 \U0001f3a4',
                "1d6b:0666", "X\x1b]0;pwned\x07", "Evil", [
        ("Mic\x1b[1;1H\r\"1\"", ["gain", "meter"], 0.0, 60.0, 1.0, None),
        ("\u00e9\u0301 \u200b\u2028end", ["gain"], 0.0, 60.0, 1.0, None),
    ]),
}


class Error(dbus.exceptions.DBusException):
    def __init__(self, name, message):
        super().__init__(message)
        self._dbus_error_name = name if "." in name else ERR + name


def escape_label(s):
    """sd_bus_path_encode()'s escaping of one path label."""
    if not s:
        return "_"
    out = []
    for i, ch in enumerate(s.encode()):
        c = chr(ch)
        if (c.isascii() and c.isalnum() and not (i == 0 and c.isdigit())):
            out.append(c)
        else:
            out.append("_%02x" % ch)
    return "".join(out)


def interface_xml(name):
    """The <interface> element of daemon/interfaces/NAME.xml, or ""."""
    try:
        with open(os.path.join(IFACE_DIR, name + ".xml"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return ""
    start = text.find("<interface ")
    end = text.find("</interface>")
    return text[start:end + len("</interface>")] if start >= 0 and end > start else ""


STANDARD_XML = """<interface name="org.freedesktop.DBus.Peer"><method name="Ping"/>
<method name="GetMachineId"><arg type="s" name="machine_uuid" direction="out"/></method></interface>
<interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect">
<arg type="s" name="xml_data" direction="out"/></method></interface>
<interface name="org.freedesktop.DBus.Properties">
<method name="Get"><arg type="s" name="interface_name" direction="in"/>
<arg type="s" name="property_name" direction="in"/><arg type="v" name="value" direction="out"/></method>
<method name="GetAll"><arg type="s" name="interface_name" direction="in"/>
<arg type="a{sv}" name="props" direction="out"/></method>
<method name="Set"><arg type="s" name="interface_name" direction="in"/>
<arg type="s" name="property_name" direction="in"/><arg type="v" name="value" direction="in"/></method>
<signal name="PropertiesChanged"><arg type="s" name="interface_name"/>
<arg type="a{sv}" name="changed_properties"/><arg type="as" name="invalidated_properties"/></signal>
</interface>"""


class PropsObject(dbus.service.Object):
    """An object whose properties live in self.props[interface][name]."""

    def __init__(self, conn, path):
        super().__init__(conn, path)
        self.path = path
        self.props = {}

    def extra_xml(self):
        return ""

    @dbus.service.method(IF_INTROSPECT, out_signature="s", path_keyword="object_path",
                         connection_keyword="connection")
    def Introspect(self, object_path, connection):
        """The API's own XML (with every property), not dbus-python's."""
        ifaces = "".join(interface_xml(i) for i in self.props)
        children = "".join('<node name="%s"/>' % c for c in connection.list_exported_child_objects(object_path))
        return ('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
                ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n'
                "<node>%s%s%s%s</node>" % (STANDARD_XML, ifaces, self.extra_xml(), children))

    @dbus.service.method(IF_PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, name):
        try:
            return self.props[iface][name]
        except KeyError:
            raise Error("org.freedesktop.DBus.Error.UnknownProperty", "no property %s" % name)

    @dbus.service.method(IF_PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, iface):
        if iface not in self.props:
            raise Error("org.freedesktop.DBus.Error.UnknownInterface", "no interface %s" % iface)
        return dbus.Dictionary(self.props[iface], signature="sv")

    @dbus.service.signal(IF_PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, iface, changed, invalidated):
        pass

    def set(self, iface, **changes):
        changed = {}
        for k, v in changes.items():
            if self.props[iface].get(k) != v or type(self.props[iface].get(k)) != type(v):
                self.props[iface][k] = v
                changed[k] = v
        if changed:
            self.PropertiesChanged(iface, dbus.Dictionary(changed, signature="sv"),
                                   dbus.Array([], signature="s"))


class Input(PropsObject):
    def __init__(self, fake, dev, path, number, label, caps, gmin, gmax, step):
        super().__init__(fake.conn, path)
        self.fake, self.dev, self.number = fake, dev, number
        self.group = [self]
        self.saved_gain = None
        self.autogain_timer = None
        self.autogain_result = "done"
        self.clips = 0
        self.last_clip_signal = 0.0
        self.loudness = random.uniform(-50.0, -40.0)   # the simulated source, at 0 dB gain
        self.props[IF_INPUT] = {
            "Number": dbus.UInt32(number),
            "Label": dbus.String(label),
            "Capabilities": dbus.Array(caps, signature="s"),
            "Gain": dbus.Double(max(gmin, min(gmax, 20.0))),
            "GainMin": dbus.Double(gmin),
            "GainMax": dbus.Double(gmax),
            "GainStep": dbus.Double(step),
            "Phantom": dbus.Boolean(False),
            "PhantomGroup": dbus.Array([path], signature="o"),
            "PhantomLocked": dbus.Boolean(False),
            "Pad": dbus.Boolean(False),
            "Phase": dbus.Boolean(False),
            "HighPass": dbus.Boolean(False),
            "Air": dbus.Boolean(False),
            "Level": dbus.String("line" if "level" in caps else ""),
            "AutoGainState": dbus.String("idle"),
        }

    def p(self, name):
        return self.props[IF_INPUT][name]

    def caps(self):
        return list(self.p("Capabilities"))

    def need(self, cap, member, interactive):
        self.fake.record(member, interactive, self.path)
        self.fake.check(member, interactive)
        if cap not in self.caps():
            raise Error("NotSupported", "%s has no %s capability" % (self.p("Label"), cap))

    def snap(self, db):
        step = float(self.p("GainStep")) or 1.0
        lo, hi = float(self.p("GainMin")), float(self.p("GainMax"))
        v = lo + round((db - lo) / step) * step
        return max(lo, min(hi, v))

    @dbus.service.method(IF_INPUT, in_signature="db", out_signature="d")
    def SetGain(self, db, interactive):
        self.need("gain", "SetGain", interactive)
        if math.isnan(db) or math.isinf(db):
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "the gain must be a number")
        lo, hi = float(self.p("GainMin")), float(self.p("GainMax"))
        if db < lo or db > hi:
            raise Error("OutOfRange", "%.1f dB is outside %.1f..%.1f dB" % (db, lo, hi))
        v = self.snap(db)
        self.set(IF_INPUT, Gain=dbus.Double(v))
        return v

    @dbus.service.method(IF_INPUT, in_signature="db", out_signature="d")
    def AdjustGain(self, delta, interactive):
        self.need("gain", "AdjustGain", interactive)
        if math.isnan(delta) or math.isinf(delta):
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "the change must be a number")
        v = self.snap(float(self.p("Gain")) + delta)
        self.set(IF_INPUT, Gain=dbus.Double(v))
        return v

    @dbus.service.method(IF_INPUT, in_signature="bb")
    def SetPhantom(self, on, interactive):
        self.need("phantom", "SetPhantom", interactive)
        if on and any(i.p("PhantomLocked") for i in self.group):
            raise Error("Locked", "48 V is locked off on this 48 V group")
        for i in self.group:
            i.set(IF_INPUT, Phantom=dbus.Boolean(on))

    @dbus.service.method(IF_INPUT, in_signature="bb")
    def SetPhantomLock(self, locked, interactive):
        self.need("phantom", "SetPhantomLock", interactive)
        self.set(IF_INPUT, PhantomLocked=dbus.Boolean(locked))
        if locked:
            for i in self.group:
                i.set(IF_INPUT, Phantom=dbus.Boolean(False))

    @dbus.service.method(IF_INPUT, in_signature="sbb")
    def SetSwitch(self, name, on, interactive):
        props = {"pad": "Pad", "phase": "Phase", "highpass": "HighPass", "air": "Air"}
        if name not in props:
            self.fake.record("SetSwitch", interactive, self.path)
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "no switch named %s" % name)
        self.need(name, "SetSwitch", interactive)
        self.set(IF_INPUT, **{props[name]: dbus.Boolean(on)})

    @dbus.service.method(IF_INPUT, in_signature="sb")
    def SetLevel(self, level, interactive):
        self.need("level", "SetLevel", interactive)
        if level not in ("line", "inst"):
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "level is line or inst")
        self.set(IF_INPUT, Level=dbus.String(level))

    @dbus.service.method(IF_INPUT, in_signature="dub")
    def StartAutoGain(self, target, listen_ms, interactive):
        self.need("autogain", "StartAutoGain", interactive)
        if not 1000 <= listen_ms <= 60000:
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "listen_ms is 1000..60000")
        if self.p("AutoGainState") == "listening":
            raise Error("Busy", "autogain already runs on this input")
        self.saved_gain = float(self.p("Gain"))
        self.target = target
        self.set(IF_INPUT, AutoGainState=dbus.String("listening"))
        # scaled down so that tests are quick; FAKE_LISTEN_SCALE=1 for real time
        ms = int(listen_ms * float(os.environ.get("FAKE_LISTEN_SCALE",
                                                  "1" if SIMULATE else "0.5")))
        if self.autogain_result == "hold":
            # listens until cancelled: a test's window that does not close by itself
            ms = 3600 * 1000
        if SIMULATE:
            self.passes = 0
            self.autogain_timer = GLib.timeout_add(ms, self.simulated_pass)
            return
        self.autogain_timer = GLib.timeout_add(ms, self.autogain_done)

    def simulated_pass(self):
        """One pass heard the loudest peak; the next tries the gain that puts
        it at the target, until it lands in [target - 1.5, target]."""
        self.passes += 1
        gain = float(self.p("Gain"))
        # the loudest phrase of the pass, as the meters would have caught it
        peak = min(self.loudness + gain - random.uniform(0.0, 1.0), 0.0)
        lo, hi = float(self.p("GainMin")), float(self.p("GainMax"))
        result = None
        if peak < -80:
            result, gain, peak = "too-quiet", self.saved_gain, float("-inf")
        elif self.target - 1.5 <= peak <= self.target and peak < 0:
            result = "done"
        else:
            want = self.snap(gain + (self.target - 0.75) - peak)
            if peak < self.target and gain >= hi:
                result = "max-gain"
            elif peak >= 0 and gain <= lo:
                result = "min-gain"
            elif self.passes >= 6:
                result = "done" if peak < 0 else "failed"
            else:
                self.set(IF_INPUT, Gain=dbus.Double(want))
                return True     # the next pass
        self.autogain_timer = None
        self.set(IF_INPUT, Gain=dbus.Double(gain), AutoGainState=dbus.String(result))
        self.AutoGainFinished(result, gain, peak)
        return False

    def autogain_done(self):
        self.autogain_timer = None
        result = "done" if self.autogain_result == "hold" else self.autogain_result
        gain = float(self.p("Gain"))
        peak = self.target - 0.8
        if result in ("done", "no-signal"):
            gain = self.snap(37.0)
        elif result == "max-gain":
            gain, peak = float(self.p("GainMax")), -31.5
        elif result == "min-gain":
            gain, peak = float(self.p("GainMin")), 0.0
        elif result == "too-quiet":
            gain, peak = self.saved_gain, float("-inf")
        state = "done" if result == "no-signal" else result
        self.set(IF_INPUT, Gain=dbus.Double(gain), AutoGainState=dbus.String(state))
        if result != "no-signal":
            self.AutoGainFinished(result, gain, peak)
        return False

    @dbus.service.method(IF_INPUT, in_signature="b")
    def CancelAutoGain(self, interactive):
        self.need("autogain", "CancelAutoGain", interactive)
        if self.autogain_timer is None:
            return
        GLib.source_remove(self.autogain_timer)
        self.autogain_timer = None
        self.set(IF_INPUT, Gain=dbus.Double(self.saved_gain),
                 AutoGainState=dbus.String("cancelled"))
        self.AutoGainFinished("cancelled", self.saved_gain, float("-inf"))

    @dbus.service.signal(IF_INPUT, signature="sdd")
    def AutoGainFinished(self, result, gain_db, peak_dbfs):
        pass

    @dbus.service.signal(IF_INPUT, signature="u")
    def Clipped(self, clip_count):
        pass

    def level(self, t):
        """A moving test signal; input 4 of a quad clips now and then."""
        if self.dev.mode == "silent":
            return (float("-inf"), self.clips)
        if SIMULATE and self.dev.mode == "sine":
            return self.simulated_level(t)
        phase = t * 2 * math.pi * 0.4 + self.number
        peak = -30.0 + 26.0 * math.sin(phase)
        if self.dev.mode == "clip" or (self.number == 4 and math.sin(phase) > 0.99):
            peak = self.clipped(t)
        return (peak, self.clips)

    def clipped(self, t):
        """A clip: counted, and signalled at most four times a second."""
        self.clips += 1
        if t - self.last_clip_signal >= 0.25:
            self.last_clip_signal = t
            self.Clipped(self.clips)
        return 0.0

    def simulated_level(self, t):
        """A performer: phrases whose peaks follow the gain; past 0 dBFS, clips."""
        phrase = 0.5 + 0.5 * math.sin(t * 0.9 + self.number * 1.7)
        peak = self.loudness + float(self.p("Gain")) - 14.0 * (1 - phrase) + random.uniform(-1.5, 0)
        if peak >= 0:
            peak = self.clipped(t)
        return (peak, self.clips)


class Device(PropsObject):
    def __init__(self, fake, model, serial, path_suffix=None):
        name, usb, default_serial, card_id, inputs = MODELS[model][:5]
        driver, persistent = (MODELS[model][5:7] if len(MODELS[model]) > 5
                              else ("snd-usb-preamp", False))
        serial = default_serial if serial is None else serial
        vid, pid = usb.split(":")
        key = "%s-%s-%s" % (vid, pid, serial) if serial else "%s-%s-path-pci-0000_00_14_0-usb-0_%d" % (vid, pid, fake.next_card)
        key = "".join(c if (c.isascii() and (c.isalnum() or c in "._-")) else "_" for c in key)[:96]
        if path_suffix:
            key += path_suffix
        path = ROOT + "/devices/" + escape_label(key)
        super().__init__(fake.conn, path)
        self.fake, self.key, self.mode = fake, key, "sine"
        self.card = fake.next_card
        fake.next_card += 1
        self.inputs = []
        groups = {}
        for n, (label, caps, lo, hi, step, group) in enumerate(inputs, 1):
            i = Input(fake, self, "%s/inputs/%d" % (path, n), n, label, caps, lo, hi, step)
            self.inputs.append(i)
            if group is not None:
                groups.setdefault(group, []).append(i)
        for members in groups.values():
            for i in members:
                i.group = members
                i.props[IF_INPUT]["PhantomGroup"] = dbus.Array([m.path for m in members],
                                                                 signature="o")
        self.presets = {}
        self.props[IF_DEVICE] = {
            "Key": dbus.String(key),
            "Name": dbus.String(name),
            "UsbId": dbus.String(usb),
            "Serial": dbus.String(serial),
            "Card": dbus.Int32(self.card),
            "CardId": dbus.String(card_id if self.card < 2 else "%s_%d" % (card_id, self.card)),
            "Driver": dbus.String(driver),
            "Inputs": dbus.Array([i.path for i in self.inputs], signature="o"),
            "Persistent": dbus.Boolean(persistent),
            "PhantomPolicy": dbus.String("off"),
            "Presets": dbus.Array([], signature="s"),
        }
        if model == "hostile":
            # properties of the wrong type: a client must ignore them
            self.props[IF_DEVICE]["Card"] = dbus.String("two")
            self.props[IF_DEVICE]["Persistent"] = dbus.UInt32(7)
            self.inputs[0].props[IF_INPUT]["Level"] = dbus.Int32(-5)
            self.inputs[1].props[IF_INPUT]["Gain"] = dbus.String("loud")
            self.inputs[1].props[IF_INPUT]["Capabilities"] = dbus.Array(
                ["gain", "telepathy", ""], signature="s")

    def objects(self):
        return [self] + self.inputs

    def remove(self):
        for o in self.objects():
            if o is not self and o.autogain_timer:
                GLib.source_remove(o.autogain_timer)
            o.remove_from_connection()

    @dbus.service.method(IF_DEVICE, in_signature="", out_signature="a(du)")
    def GetLevels(self):
        self.fake.record("GetLevels", None, self.path)
        self.fake.check("GetLevels", False)
        if not any("meter" in i.caps() for i in self.inputs):
            raise Error("NotSupported", "this device has no meters")
        t = time.monotonic()
        return dbus.Array([dbus.Struct(i.level(t), signature="du") for i in self.inputs],
                          signature="(du)")

    def change(self, member, interactive):
        self.fake.record(member, interactive, self.path)
        self.fake.check(member, interactive)

    @staticmethod
    def valid_preset(name):
        return (0 < len(name.encode()) <= 64 and "/" not in name and
                not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in name))

    @dbus.service.method(IF_DEVICE, in_signature="sb")
    def SetPhantomPolicy(self, policy, interactive):
        self.change("SetPhantomPolicy", interactive)
        if policy not in ("off", "restore", "device"):
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "policy is off, restore or device")
        self.set(IF_DEVICE, PhantomPolicy=dbus.String(policy))

    def publish_presets(self):
        self.set(IF_DEVICE, Presets=dbus.Array(sorted(self.presets), signature="s"))

    @dbus.service.method(IF_DEVICE, in_signature="sb")
    def SavePreset(self, name, interactive):
        self.change("SavePreset", interactive)
        if not self.valid_preset(name):
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "invalid preset name")
        self.presets[str(name)] = [{k: i.p(k) for k in ("Gain", "Pad", "Phase", "HighPass",
                                                         "Air", "Level")} for i in self.inputs]
        self.publish_presets()

    @dbus.service.method(IF_DEVICE, in_signature="sb")
    def ApplyPreset(self, name, interactive):
        self.change("ApplyPreset", interactive)
        if name not in self.presets:
            raise Error("NoSuchPreset", "there is no preset called %s" % name)
        for i, saved in zip(self.inputs, self.presets[name]):
            i.set(IF_INPUT, **saved)

    @dbus.service.method(IF_DEVICE, in_signature="sb")
    def DeletePreset(self, name, interactive):
        self.change("DeletePreset", interactive)
        if name not in self.presets:
            raise Error("NoSuchPreset", "there is no preset called %s" % name)
        del self.presets[name]
        self.publish_presets()


OBJECT_MANAGER_XML = """<interface name="org.freedesktop.DBus.ObjectManager">
<method name="GetManagedObjects"><arg type="a{oa{sa{sv}}}" name="object_paths_interfaces_and_properties" direction="out"/></method>
<signal name="InterfacesAdded"><arg type="o" name="object_path"/><arg type="a{sa{sv}}" name="interfaces_and_properties"/></signal>
<signal name="InterfacesRemoved"><arg type="o" name="object_path"/><arg type="as" name="interfaces"/></signal>
</interface>"""


class Root(PropsObject):
    def __init__(self, fake):
        super().__init__(fake.conn, ROOT)
        self.fake = fake
        self.props[IF_MANAGER] = {
            "Version": dbus.String("0.0-fake"),
            "Devices": dbus.Array([], signature="o"),
        }

    def extra_xml(self):
        return OBJECT_MANAGER_XML

    @dbus.service.method(IF_OM, out_signature="a{oa{sa{sv}}}")
    def GetManagedObjects(self):
        self.fake.record("GetManagedObjects", None, ROOT)
        self.fake.check("GetManagedObjects", False)
        out = {}
        for d in self.fake.devices:
            for o in d.objects():
                out[o.path] = o.props
        return dbus.Dictionary(out, signature="oa{sa{sv}}")

    @dbus.service.signal(IF_OM, signature="oa{sa{sv}}")
    def InterfacesAdded(self, path, ifaces):
        pass

    @dbus.service.signal(IF_OM, signature="oas")
    def InterfacesRemoved(self, path, ifaces):
        pass

    @dbus.service.method(IF_MANAGER, in_signature="i", out_signature="o")
    def GetDeviceByCard(self, card):
        for d in self.fake.devices:
            if d.card == card:
                return d.path
        raise Error("NoSuchDevice", "no preamp on card %d" % card)

    # ---- the test's controls ----

    @dbus.service.method(IF_FAKE, in_signature="ss", out_signature="s")
    def AddDevice(self, model, serial):
        """serial "-": the model's own; "": none (the key then uses the path)."""
        d = Device(self.fake, model, None if serial == "-" else serial)
        self.fake.devices.append(d)
        for o in d.objects():
            self.InterfacesAdded(o.path, o.props)
        self.publish()
        return d.key

    @dbus.service.method(IF_FAKE, in_signature="s")
    def RemoveDevice(self, key):
        d = self.fake.device(key)
        self.fake.devices.remove(d)
        for o in reversed(d.objects()):
            self.InterfacesRemoved(o.path, list(o.props))
        d.remove()
        self.publish()

    @dbus.service.method(IF_FAKE, in_signature="susv")
    def Knob(self, key, number, name, value):
        """A change made on the interface itself (a knob, alsamixer): the
        input's property name takes value, with PropertiesChanged."""
        i = self.fake.device(key).inputs[number - 1]
        if name not in i.props[IF_INPUT]:
            raise Error("org.freedesktop.DBus.Error.InvalidArgs", "no property %s" % name)
        old = i.props[IF_INPUT][name]
        i.set(IF_INPUT, **{str(name): type(old)(value)})

    @dbus.service.method(IF_FAKE, in_signature="ss")
    def SetMode(self, key, mode):
        """Levels: "sine" (default), "clip" (every input clips), "silent"."""
        self.fake.device(key).mode = mode

    @dbus.service.method(IF_FAKE, in_signature="sus")
    def SetAutoGainResult(self, key, number, result):
        """What the next autogain ends with; "no-signal": the state changes,
        but AutoGainFinished never comes; "hold": it listens until cancelled."""
        self.fake.device(key).inputs[number - 1].autogain_result = result

    @dbus.service.method(IF_FAKE, in_signature="sss")
    def FailNext(self, member, error, message):
        """The next call of member fails with this error."""
        self.fake.failures[str(member)] = (str(error), str(message))

    @dbus.service.method(IF_FAKE, in_signature="s")
    def SetAuth(self, mode):
        """"allow" (default), "deny": every change is AccessDenied,
        "deny-all": GetLevels too (the monitor action),
        "interactive": a change needs interactive=true."""
        self.fake.auth = str(mode)

    @dbus.service.method(IF_FAKE, in_signature="s", out_signature="a(sbs)")
    def Calls(self, member):
        """Every call of member so far (or of all with ""): member,
        interactive, path."""
        return [(m, bool(i), p) for (m, i, p) in self.fake.calls
                if not member or m == member]

    @dbus.service.method(IF_FAKE)
    def ClearCalls(self):
        self.fake.calls.clear()

    @dbus.service.method(IF_FAKE)
    def Quit(self):
        GLib.idle_add(self.fake.loop.quit)

    def publish(self):
        self.set(IF_MANAGER, Devices=dbus.Array([d.path for d in self.fake.devices],
                                                signature="o"))


CHANGES = {"SetGain", "AdjustGain", "SetPhantom", "SetPhantomLock", "SetSwitch", "SetLevel",
           "StartAutoGain", "CancelAutoGain", "SetPhantomPolicy", "SavePreset",
           "ApplyPreset", "DeletePreset"}


class Fake:
    def __init__(self):
        DBusGMainLoop(set_as_default=True)
        self.conn = dbus.SystemBus()
        self.devices = []
        self.failures = {}
        self.calls = []
        self.auth = "allow"
        self.next_card = 1
        self.root = Root(self)
        self.name = dbus.service.BusName(NAME, self.conn)
        self.loop = GLib.MainLoop()

    def device(self, key):
        for d in self.devices:
            if d.key == key:
                return d
        raise Error("NoSuchDevice", "no device %s" % key)

    def record(self, member, interactive, path):
        self.calls.append((member, bool(interactive), path))
        del self.calls[:-1000]

    def check(self, member, interactive):
        if member in self.failures:
            name, message = self.failures.pop(member)
            raise Error(name, message)
        if member == "GetLevels" and self.auth == "deny-all":
            raise Error("org.freedesktop.DBus.Error.AccessDenied",
                        "not authorized to read the levels")
        if member in CHANGES:
            if self.auth in ("deny", "deny-all"):
                raise Error("org.freedesktop.DBus.Error.AccessDenied",
                            "not authorized to change preamp settings")
            if self.auth == "interactive" and not interactive:
                raise Error("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
                            "authentication is required")


def main():
    global SIMULATE
    args = sys.argv[1:]
    if args[:1] == ["--simulate"]:
        SIMULATE = True
        args = args[1:]
    fake = Fake()
    for spec in args:	# MODEL or MODEL:SERIAL, plugged in at start
        model, _, serial = spec.partition(":")
        fake.root.AddDevice(model, serial if _ else "-")
    print("fake-preampd ready", flush=True)
    fake.loop.run()


if __name__ == "__main__":
    main()
