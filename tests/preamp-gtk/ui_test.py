#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""preamp-gtk driven as a person (or a screen reader) drives it: through
GTK's accessibility tree (AT-SPI), against a real dbus-daemon and the
stand-in of preampd (tests/fake-preampd), which records every call.

Run by tests/preamp-gtk/ui-test.sh under Xvfb and a session bus (for
AT-SPI). Arguments: APP OUTDIR. Prints "ok"/"FAIL" lines, screenshots into
OUTDIR, and "ui: N passed, N failed".
"""
import os
import subprocess
import sys
import time

import dbus
import pyatspi

APP, OUT = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "fake-preampd", "fake-preampd.py")
ADDR = "unix:path=" + os.path.join(OUT, "bus")
Q1, Q2, SC = "1d6b-0104-PAMP0001", "1d6b-0104-PAMP0002", "1235-8219-S2I2-000042"
DEV = "/org/preampd/Preamp1/devices/"
WAIT = float(os.environ.get("UI_WAIT", "30"))   # a generous deadline, not a speed target
passed = failed = 0
procs = {}


def ok(name):
    global passed
    passed += 1
    print("ok   " + name, flush=True)


def bad(name, *lines):
    global failed
    failed += 1
    print("FAIL " + name, flush=True)
    for line in lines:
        print("     " + str(line), flush=True)


def wait_for(fn, timeout=WAIT):
    """fn() until it gives something true; None when it never did."""
    end = time.monotonic() + timeout
    while True:
        try:
            v = fn()
        except Exception:   # an object that went away mid-walk: look again
            v = None
        if v:
            return v
        if time.monotonic() > end:
            return None
        time.sleep(0.15)


def check(name, fn, *explain, timeout=WAIT):
    v = wait_for(fn, timeout)
    if v:
        ok(name)
    else:
        bad(name, *[e() if callable(e) else e for e in explain])
    return v


# ---- the stand-in daemon ----

def start_fake():
    log = open(os.path.join(OUT, "fake.log"), "a")
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=ADDR, FAKE_LISTEN_SCALE="0.2")
    procs["fake"] = subprocess.Popen(["/usr/bin/python3", FAKE, "quad:PAMP0001",
                                      "quad:PAMP0002", "scarlett"], env=env, stdout=log,
                                     stderr=subprocess.STDOUT)
    return wait_for(lambda: dbus_iface().NameHasOwner("org.preampd.Preamp1"))


_conn = None


def bus():
    global _conn
    if _conn is None:
        _conn = dbus.bus.BusConnection(ADDR)
    return _conn


def dbus_iface():
    return dbus.Interface(bus().get_object("org.freedesktop.DBus", "/org/freedesktop/DBus"),
                          "org.freedesktop.DBus")


def fake(method, *args):
    obj = bus().get_object("org.preampd.Preamp1", "/org/preampd/Preamp1")
    return getattr(dbus.Interface(obj, "org.preampd.Fake"), method)(*args)


def prop(path, iface, name):
    obj = bus().get_object("org.preampd.Preamp1", path)
    return dbus.Interface(obj, "org.freedesktop.DBus.Properties").Get(iface, name)


def calls(member, path_prefix=""):
    return [c for c in fake("Calls", member) if str(c[2]).startswith(path_prefix)]


# ---- the accessibility tree ----

def app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        if a is not None and a.name in ("Preamp", "preamp-gtk"):
            return a
    return None


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.childCount):
        yield from walk(node.getChildAtIndex(i), depth + 1)


def find(name=None, role=None, contains=None, within=None):
    """The first node under within (or the app) with this name (or a name
    or text holding contains) and role. GTK 4.8 does not tell AT-SPI what
    is on screen, so a test looks inside the page it means."""
    for n in walk(within or app()):
        if role and n.getRoleName() != role:
            continue
        label = (n.name or "").replace("_", "")
        if name is not None and label != name:
            continue
        if contains is not None and contains not in label and \
                contains not in text_of(n):
            continue
        return n
    return None


def text_of(n):
    try:
        t = n.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return ""


def find_text(fragment, within=None):
    """A label whose text holds fragment."""
    for n in walk(within or app()):
        if n.getRoleName() == "label" and fragment in (n.name or ""):
            return n
    return None


def click(node):
    node.queryAction().doAction(0)


def shot(name):
    path = os.path.join(OUT, name + ".png")
    time.sleep(0.5)     # let the last frame be drawn
    subprocess.run(["import", "-window", "root", "-crop", "1260x860+0+0", "+repage", path],
                   check=False)
    if os.path.exists(path):
        ok("screenshot " + name)
    else:
        bad("screenshot " + name, "import made no " + path)


def main():
    check("the stand-in preampd owns its name", start_fake)
    fake("SetMode", Q2, "silent")
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=ADDR, GSK_RENDERER="cairo",
               XDG_CONFIG_HOME=os.path.join(OUT, "config"))
    procs["app"] = subprocess.Popen([APP], env=env,
                                    stdout=open(os.path.join(OUT, "app.log"), "w"),
                                    stderr=subprocess.STDOUT)
    if not check("the window appears in the accessibility tree", app):
        return

    # identical interfaces, told apart
    for title in ("Quad Mic Pre (PAMP0001)", "Quad Mic Pre (PAMP0002)", "Scarlett 2i2 4th Gen"):
        check("the device switcher shows " + title,
              lambda t=title: find(name=t, role="page tab"))
    check("the first page is the first interface plugged in",
          lambda: find(name="Quad Mic Pre (PAMP0001)", role="page tab").getState().contains(
              pyatspi.STATE_SELECTED))
    q1 = check("its page is there", lambda: find(name="Quad Mic Pre (PAMP0001)", role="panel"))
    check("it says what tells it apart", lambda: find_text("serial PAMP0001", q1))

    # a slider moved: SetGain arrives, interactive, and the daemon has the value
    slider = check("Mic 1 has a gain slider", lambda: find(name="Gain of Mic 1", role="slider", within=q1))
    if slider:
        v = slider.queryValue()
        check("its range is the device's (0..60 dB)",
              lambda: (v.minimumValue, v.maximumValue) == (0.0, 60.0),
              lambda: (v.minimumValue, v.maximumValue))
        fake("ClearCalls")
        v.currentValue = 30.0
        check("moving it sends SetGain with interactive = true",
              lambda: any(c[1] for c in calls("SetGain", DEV + "_31d6b_2d0104_2dPAMP0001/inputs/1")),
              lambda: fake("Calls", "SetGain"))
        check("the daemon's gain follows: 30 dB",
              lambda: prop(DEV + "_31d6b_2d0104_2dPAMP0001/inputs/1",
                           "org.preampd.Preamp1.Input", "Gain") == 30.0)
        check("the strip shows 30 dB", lambda: find_text("30 dB", q1))
        v.currentValue = 31.3
        check("a value between steps snaps to the step: 31 dB",
              lambda: prop(DEV + "_31d6b_2d0104_2dPAMP0001/inputs/1",
                           "org.preampd.Preamp1.Input", "Gain") == 31.0)

    # a knob turned on the interface: the slider moves
    fake("Knob", Q1, dbus.UInt32(2), "Gain", dbus.Double(42.0))
    s2 = find(name="Gain of Mic 2", role="slider", within=q1)
    check("a knob turned on the interface moves the slider to 42 dB",
          lambda: s2 and s2.queryValue().currentValue == 42.0,
          lambda: s2 and s2.queryValue().currentValue)

    # 48 V: a confirmation that names the group, then SetPhantom
    b48 = check("Mic 1 has a 48 V button", lambda: find(contains="48 V of Mic 1", role="push button", within=q1))
    check("its group is shown: shared by inputs 1 and 2",
          lambda: find_text("shared by inputs 1 and 2", q1))
    if b48:
        fake("ClearCalls")
        click(b48)
        yes = check("clicking asks first", lambda: find(name="Switch On", role="push button"))
        check("the question names the group", lambda: find_text("inputs 1 and 2"))
        check("nothing was switched before the answer", lambda: not calls("SetPhantom"), timeout=1)
        if yes:
            click(yes)
        check("confirming sends SetPhantom(true)",
              lambda: prop(DEV + "_31d6b_2d0104_2dPAMP0001/inputs/2",
                           "org.preampd.Preamp1.Input", "Phantom"))
        check("the button says 48 V is on",
              lambda: find(contains="48 V of Mic 1: on", role="push button", within=q1))

    # a refused call gets a message; the control shows the daemon's state
    fake("SetAuth", "deny")
    pad = find(name="Pad of Mic 1", role="push button", within=q1)
    if check("Mic 1 has a Pad button", lambda: pad):
        click(pad)
        check("a refusal is said in words", lambda: find_text("was not allowed"))
        check("the pad stays off", lambda: not pad.getState().contains(pyatspi.STATE_CHECKED))
        shot("refused")
        dismiss = find(name="Dismiss the message", role="push button")
        if dismiss:
            click(dismiss)
    fake("SetAuth", "allow")

    # unplugged during a call
    fake("FailNext", "SetGain", "org.preampd.Preamp1.Error.DeviceGone", "the device went away")
    if slider:
        slider.queryValue().currentValue = 12.0
        check("a device gone mid-call is said in words", lambda: find_text("went away (unplugged?)"))
        check("the slider goes back to the daemon's gain",
              lambda: slider.queryValue().currentValue == 31.0,
              lambda: slider.queryValue().currentValue)
        dismiss = find(name="Dismiss the message", role="push button")
        if dismiss:
            click(dismiss)

    # AutoGain: progress, cancel, result
    ag = check("Mic 1 has AutoGain", lambda: find(name="AutoGain of Mic 1", role="push button", within=q1))
    if ag:
        fake("SetAutoGainResult", Q1, dbus.UInt32(1), "done")
        click(ag)
        check("AutoGain shows its progress", lambda: find_text("Listening, pass 1", q1))
        shot("autogain")
        cancel = find(name="Cancel AutoGain of Mic 1", role="push button", within=q1)
        if check("it can be cancelled", lambda: cancel):
            click(cancel)
        check("CancelAutoGain was sent", lambda: calls("CancelAutoGain"))
        check("the result is said in words: cancelled", lambda: find_text("Cancelled; the gain is back"))
        click(ag)
        check("a second run ends with its result in words",
              lambda: find_text("Done: the gain is 37 dB"))

    # presets: save, apply, delete
    entry = find(name="New preset name", role="text", within=q1)
    if check("there is a field for a preset name", lambda: entry):
        entry.queryEditableText().setTextContents("Vocals")
        save = find(name="Save Preset", role="push button", within=q1)
        if save:
            click(save)
        check("SavePreset creates it", lambda: list(prop(DEV + "_31d6b_2d0104_2dPAMP0001",
                                                         "org.preampd.Preamp1.Device", "Presets")) == ["Vocals"])
        apply_ = check("it is listed with Apply", lambda: find(name="Apply preset Vocals", within=q1))
        if apply_:
            fake("ClearCalls")
            click(apply_)
            check("Apply sends ApplyPreset", lambda: calls("ApplyPreset"))
        delete = find(name="Delete preset Vocals", within=q1)
        if delete:
            click(delete)
            yes = wait_for(lambda: find(name="Delete", role="push button"))
            if yes:
                click(yes)
        check("Delete removes it", lambda: not find(name="Apply preset Vocals", within=q1))

    # the 48 V policy
    restore = check("the policy offers Restore", lambda: find(contains="Restore as saved", role="check box", within=q1))
    if restore:
        click(restore)
        check("choosing it sends SetPhantomPolicy(restore)",
              lambda: prop(DEV + "_31d6b_2d0104_2dPAMP0001", "org.preampd.Preamp1.Device",
                           "PhantomPolicy") == "restore")
    shot("main")

    # the meters poll GetLevels only while their strips are on screen
    quad1 = DEV + "_31d6b_2d0104_2dPAMP0001"
    scar = DEV + "_31235_2d8219_2dS2I2_2d000042"
    fake("ClearCalls")
    check("the page on screen polls GetLevels", lambda: calls("GetLevels", quad1))
    tab = find(name="Scarlett 2i2 4th Gen", role="page tab")
    if tab:
        click(tab)
    sc = check("the Scarlett's page shows its inputs",
               lambda: find(name="Scarlett 2i2 4th Gen", role="panel"))
    time.sleep(0.5)     # a call already on its way may still land
    fake("ClearCalls")
    check("the Scarlett's meters are polled", lambda: calls("GetLevels", scar))
    time.sleep(1.0)
    n = len(calls("GetLevels", quad1))
    if n == 0:
        ok("the hidden page's meters are not polled (none in 1 s or more)")
    else:
        bad("the hidden page's meters are not polled", "%d GetLevels calls" % n)

    # the clip light stays until clicked
    fake("SetMode", SC, "clip")
    light = check("a clip lights the clip light",
                  lambda: find(contains="Clip light of Analogue 1: clipped", role="push button", within=sc))
    shot("clip")
    fake("SetMode", SC, "silent")
    time.sleep(1.0)
    check("it stays lit after the clipping stops",
          lambda: find(contains="Clip light of Analogue 1: clipped", role="push button", within=sc))
    if light:
        click(light)
    check("clicking clears it", lambda: find(contains="Clip light of Analogue 1: no clip",
                                             role="push button", within=sc))

    # unplug and replug
    fake("RemoveDevice", Q2)
    check("an unplugged interface's page goes",
          lambda: not find(name="Quad Mic Pre (PAMP0002)", role="page tab"))
    check("its twin is no longer told apart by serial",
          lambda: find(name="Quad Mic Pre", role="page tab"))
    fake("AddDevice", "quad", "PAMP0002")
    check("a replug brings it back",
          lambda: find(name="Quad Mic Pre (PAMP0002)", role="page tab"))

    # a name of the user's
    tab = find(name="Quad Mic Pre (PAMP0001)", role="page tab")
    if tab:
        click(tab)
    ren = check("there is a Rename button", lambda: find(contains="Rename Quad Mic Pre (PAMP0001)", role="push button", within=q1))
    if ren:
        click(ren)
        e = wait_for(lambda: find(name="Name of the interface", role="text"))
        if e:
            e.queryEditableText().setTextContents("Studio left")
            s = wait_for(lambda: find(name="Save", role="push button"))
            if s:
                click(s)
        check("the user's name replaces the product's",
              lambda: find(name="Studio left", role="page tab"))
        path = os.path.join(OUT, "config", "preamp", "device-names.ini")
        check("it is kept in $XDG_CONFIG_HOME/preamp/device-names.ini, by key",
              lambda: os.path.exists(path) and Q1 + "=Studio left" in open(path).read())

    # the daemon stops: the window says how to start it, then recovers
    check("while preampd runs, nothing says how to start it",
          lambda: not find_text("systemctl start preampd"), timeout=2)
    fake("Quit")
    procs["fake"].wait(timeout=WAIT)
    check("a daemon that is not running is said", lambda: find_text("preampd is not running"))
    check("with how to start it", lambda: find_text("systemctl start preampd"))
    shot("not-running")
    start_fake()
    check("when it is back, so are the interfaces",
          lambda: find(name="Scarlett 2i2 4th Gen", role="page tab"))
    check("the window never stopped answering: the app is alive",
          lambda: procs["app"].poll() is None)


try:
    main()
finally:
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    print("ui: %d passed, %d failed" % (passed, failed), flush=True)
sys.exit(1 if failed else 0)
