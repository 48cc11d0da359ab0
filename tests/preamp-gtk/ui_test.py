#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""preamp-gtk driven as a person (or a screen reader) drives it: through
GTK's accessibility tree (AT-SPI), against a real dbus-daemon and the
stand-in of preampd (tests/fake-preampd), which records every call.

Run by tests/preamp-gtk/ui-test.sh under Xvfb and a session bus (for
AT-SPI). Arguments: APP OUTDIR. Prints "ok"/"FAIL" lines, screenshots into
OUTDIR, and "ui: N passed, N failed".

Every wait has a generous deadline (UI_WAIT, 60 s) and fails only when what
it waits for never happens: nothing here assumes the machine is fast. Where
a check is about something that must NOT happen, it counts the app's own
progress (its polls of another page) instead of a time.
"""
import os
import subprocess
import sys
import time
import traceback

import dbus
import pyatspi

APP, OUT = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "fake-preampd", "fake-preampd.py")
ADDR = "unix:path=" + os.path.join(OUT, "bus")
Q1, Q2, SC = "1d6b-0104-PAMP0001", "1d6b-0104-PAMP0002", "1235-8219-S2I2-000042"
DEV = "/org/preampd/Preamp1/devices/"
QUAD1 = DEV + "_31d6b_2d0104_2dPAMP0001"
QUAD2 = DEV + "_31d6b_2d0104_2dPAMP0002"
SCAR = DEV + "_31235_2d8219_2dS2I2_2d000042"
IN, DEVICE = "org.preampd.Preamp1.Input", "org.preampd.Preamp1.Device"
WAIT = float(os.environ.get("UI_WAIT", "60"))   # a generous deadline, not a speed target
POLL = 0.15
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
        time.sleep(POLL)


def check(name, fn, *explain, timeout=WAIT):
    """Passes as soon as fn() is true; fails when it never became true."""
    v = wait_for(fn, timeout)
    if v:
        ok(name)
    else:
        bad(name, *[safe(e) for e in explain])
    return v


def check_now(name, fn, *explain):
    """fn() once, now: for a state that must hold at this moment."""
    try:
        v = fn()
    except Exception as e:
        v, explain = None, explain + ("raised %r" % e,)
    if v:
        ok(name)
    else:
        bad(name, *[safe(e) for e in explain])
    return v


def safe(e):
    try:
        return e() if callable(e) else e
    except Exception as x:
        return "(could not tell: %r)" % x


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


def children(node):
    return [node.getChildAtIndex(i) for i in range(node.childCount)]


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for c in children(node):
        yield from walk(c, depth + 1)


def text_of(n):
    try:
        t = n.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return ""


def find(name=None, role=None, contains=None, within=None):
    """The first node under within (or the app) with this name (or a name
    or text holding contains) and role. GTK 4.8 does not tell AT-SPI what
    is on screen, so a test looks inside the page it means."""
    for n in walk(within or app()):
        if role and n.getRoleName() != role:
            continue
        if name is not None and n.name != name:
            continue
        if contains is not None and contains not in (n.name or "") and \
                contains not in text_of(n):
            continue
        return n
    return None


def find_text(fragment, within=None):
    """A label whose text holds fragment."""
    for n in walk(within or app()):
        if n.getRoleName() == "label" and fragment in (n.name or ""):
            return n
    return None


def on_screen(n):
    """Laid out with a size: of the two button rows a dialog keeps (wide
    and narrow), only the one shown is."""
    e = n.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return e.width > 0 and e.height > 0


def button(label, within):
    """A push button as a person finds it: by its accessible name or by
    the text on it. GTK 4.8 names a button whose label has a mnemonic
    "Switch _On Switch On"; its label child says "Switch On"."""
    for n in walk(within):
        if n.getRoleName() != "push button":
            continue
        if n.name == label or any(c.getRoleName() == "label" and c.name == label
                                  for c in children(n)):
            if on_screen(n):
                return n
    return None


def dialog(heading):
    """A dialog of the app (a window of its own) by its heading."""
    for c in children(app()):
        if c.getRoleName() in ("dialog", "alert") and c.name == heading:
            return c
    return None


def window():
    for c in children(app()):
        if c.getRoleName() == "frame" and c.name == "Preamp":
            return c
    return None


def slider_value(s):
    return s.queryValue().currentValue


def click(node):
    node.queryAction().doAction(0)


def mouse_click(node):
    """A click of the mouse in the middle of node, through the X server:
    for what GTK 4.8 gives no AT-SPI action (a check box). Without a
    window manager the window sits at the screen's corner, so its
    coordinates are the screen's."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(e.x + e.width // 2, e.y + e.height // 2,
                                        pyatspi.MOUSE_B1C)


def gone(node):
    """True once an accessible object has left the tree."""
    try:
        return node.getIndexInParent() < 0 or node.parent is None
    except Exception:
        return True


def settle():
    """The app has answered AT-SPI three times since the state it shows
    was seen, with pauses between: its main loop ran idle, and a pending
    frame was drawn. Only for screenshots."""
    for _ in range(3):
        wait_for(lambda: app().childCount >= 1)
        time.sleep(POLL)


def shot(name, node=None):
    """A screenshot of node's window (the main window when not given),
    as a PNG of few colours, into OUTDIR."""
    path = os.path.join(OUT, name + ".png")
    try:
        # a window's own size; it sits at the screen's corner (no window manager)
        e = (node or window()).queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        geometry = "%dx%d+0+0" % (e.width, e.height)
    except Exception as x:
        bad("screenshot " + name, "no window to take: %r" % x)
        return
    settle()
    r = subprocess.run(["import", "-window", "root", "-crop", geometry, "+repage",
                        "-colors", "256", "PNG8:" + path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode == 0 and os.path.exists(path):
        ok("screenshot " + name)
    else:
        bad("screenshot " + name, "import: " + r.stdout.strip())


def dismiss_message():
    d = wait_for(lambda: find(name="Dismiss the message", role="push button", within=window()))
    if d:
        click(d)


# ---- the scenes ----

def start():
    check("the stand-in preampd owns its name", start_fake)
    fake("SetMode", Q2, "silent")
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=ADDR, GSK_RENDERER="cairo")
    procs["app"] = subprocess.Popen([APP], env=env,
                                    stdout=open(os.path.join(OUT, "app.log"), "w"),
                                    stderr=subprocess.STDOUT)
    # whether the app has ended first: window() raises while there is no app
    w = wait_for(lambda: procs["app"].poll() is not None or window())
    if w is True:
        log = open(os.path.join(OUT, "app.log"), errors="replace").read().splitlines()
        x = subprocess.run(["xprop", "-root", "-len", "0"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.STDOUT).returncode
        bad("the window appears in the accessibility tree",
            "the app ended (status %s):" % procs["app"].poll(), *log[-10:],
            "the X server %s" % ("answers" if x == 0 else "does not answer (xprop: %d)" % x))
        return None
    if w:
        ok("the window appears in the accessibility tree")
    else:
        bad("the window appears in the accessibility tree")
    return w


def told_apart():
    for title in ("Quad Mic Pre (PAMP0001)", "Quad Mic Pre (PAMP0002)", "Scarlett 2i2 4th Gen"):
        check("the device switcher shows " + title,
              lambda t=title: find(name=t, role="page tab"))
    check("the first page is the first interface plugged in",
          lambda: find(name="Quad Mic Pre (PAMP0001)", role="page tab").getState().contains(
              pyatspi.STATE_SELECTED))
    q1 = check("its page is there", lambda: find(name="Quad Mic Pre (PAMP0001)", role="panel"))
    if q1:
        check("it says what tells it apart", lambda: find_text("serial PAMP0001", q1))
    return q1


def gain(q1):
    """A slider moved: SetGain arrives, interactive; the daemon has it."""
    slider = check("Mic 1 has a gain slider",
                   lambda: find(name="Gain of Mic 1", role="slider", within=q1))
    if not slider:
        return None
    v = slider.queryValue()
    check("its range is the device's (0..60 dB)",
          lambda: (v.minimumValue, v.maximumValue) == (0.0, 60.0),
          lambda: (v.minimumValue, v.maximumValue))
    fake("ClearCalls")
    v.currentValue = 30.0
    check("moving it sends SetGain with interactive = true",
          lambda: any(c[1] for c in calls("SetGain", QUAD1 + "/inputs/1")),
          lambda: fake("Calls", "SetGain"))
    check("the daemon's gain follows: 30 dB",
          lambda: prop(QUAD1 + "/inputs/1", IN, "Gain") == 30.0,
          lambda: prop(QUAD1 + "/inputs/1", IN, "Gain"))
    check("the strip shows 30 dB", lambda: find_text("30 dB", q1))
    v.currentValue = 31.3
    check("a value between steps snaps to the step: the daemon gets 31 dB",
          lambda: prop(QUAD1 + "/inputs/1", IN, "Gain") == 31.0,
          lambda: prop(QUAD1 + "/inputs/1", IN, "Gain"), lambda: fake("Calls", "SetGain"))
    check("and the slider rests on the step",
          lambda: slider_value(slider) == 31.0, lambda: slider_value(slider))

    # a knob turned on the interface: the slider moves
    fake("Knob", Q1, dbus.UInt32(2), "Gain", dbus.Double(42.0))
    s2 = check("Mic 2 has a gain slider",
               lambda: find(name="Gain of Mic 2", role="slider", within=q1))
    if s2:
        check("a knob turned on the interface moves the slider to 42 dB",
              lambda: slider_value(s2) == 42.0, lambda: slider_value(s2))
    return slider


def phantom(q1):
    """48 V: a confirmation that names the group, then SetPhantom."""
    b48 = check("Mic 1 has a 48 V button",
                lambda: find(contains="48 V of Mic 1", role="push button", within=q1))
    check("its group is shown: shared by inputs 1 and 2",
          lambda: find_text("shared by inputs 1 and 2", q1))
    if not b48:
        return
    fake("ClearCalls")
    click(b48)
    d = check("clicking asks first", lambda: dialog("Switch 48 V on?"))
    if not d:
        return
    no = check("it has a Cancel button", lambda: button("Cancel", d))
    if no:
        click(no)
        check("Cancel closes the question", lambda: not dialog("Switch 48 V on?"))
        click(b48)
        d = check("clicking again asks again", lambda: dialog("Switch 48 V on?"))
        if not d:
            return
    check("the question names the group", lambda: find_text("inputs 1 and 2", d))
    yes = check("it has a Switch On button", lambda: button("Switch On", d))
    # the app sends its calls from its main loop, in order: a SetPhantom on
    # Cancel would be on the bus before this second question was shown
    check_now("nothing was switched by Cancel, nor before the answer",
              lambda: not calls("SetPhantom"),
              lambda: fake("Calls", "SetPhantom"))
    shot("phantom-confirm", d)
    if not yes:
        return
    click(yes)
    check("confirming sends SetPhantom(true), interactive",
          lambda: any(c[1] for c in calls("SetPhantom", QUAD1)),
          lambda: fake("Calls", "SetPhantom"))
    for n in (1, 2):
        check("48 V is on for input %d of the group" % n,
              lambda n=n: prop(QUAD1 + "/inputs/%d" % n, IN, "Phantom"))
    check("the dialog has gone", lambda: not dialog("Switch 48 V on?"))
    check("the button says 48 V is on",
          lambda: find(contains="48 V of Mic 1: on", role="push button", within=q1))
    check("so does its twin in the group",
          lambda: find(contains="48 V of Mic 2: on", role="push button", within=q1))


def phantom_hold(q1):
    """48 V by holding the button: no question; switching off: none either."""
    b48 = check("Inst 3 has a 48 V button of its own",
                lambda: find(contains="48 V of Inst 3: off", role="push button", within=q1))
    if not b48:
        return
    fake("ClearCalls")
    e = b48.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    x, y = e.x + e.width // 2, e.y + e.height // 2
    pyatspi.Registry.generateMouseEvent(x, y, "b1p")
    # held until the call arrives, however long the app takes to see the hold
    held = check("holding it sends SetPhantom(true), interactive",
                 lambda: any(c[1] for c in calls("SetPhantom", QUAD1 + "/inputs/3")),
                 lambda: fake("Calls", "SetPhantom"))
    pyatspi.Registry.generateMouseEvent(x, y, "b1r")
    if not held:
        return
    check("48 V is on for Inst 3", lambda: prop(QUAD1 + "/inputs/3", IN, "Phantom"))
    check("the button says so",
          lambda: find(contains="48 V of Inst 3: on", role="push button", within=q1))
    check_now("a hold asks no question", lambda: not dialog("Switch 48 V on?"))
    fake("ClearCalls")
    click(b48)
    check("a click switches it off, without a question",
          lambda: not prop(QUAD1 + "/inputs/3", IN, "Phantom") and not dialog("Switch 48 V on?"),
          lambda: fake("Calls", "SetPhantom"))
    check("the button says 48 V is off again",
          lambda: find(contains="48 V of Inst 3: off", role="push button", within=q1))


def refused(q1):
    """A refused call gets a message; the control shows the daemon's state."""
    fake("SetAuth", "deny")
    pad = check("Mic 1 has a Pad button",
                lambda: find(name="Pad of Mic 1", role="push button", within=q1))
    if pad:
        click(pad)
        check("a refusal is said in words", lambda: find_text("was not allowed", window()))
        check("the pad stays off", lambda: not pad.getState().contains(pyatspi.STATE_CHECKED))
        check_now("and the daemon's pad is off", lambda: not prop(QUAD1 + "/inputs/1", IN, "Pad"))
        shot("refused")
        dismiss_message()
        check("the message can be dismissed",
              lambda: not find_text("was not allowed", window()))
    fake("SetAuth", "allow")


def gone_mid_call(slider):
    fake("FailNext", "SetGain", "org.preampd.Preamp1.Error.DeviceGone", "the device went away")
    slider.queryValue().currentValue = 12.0
    check("a device gone mid-call is said in words",
          lambda: find_text("went away (unplugged?)", window()))
    check("the slider goes back to the daemon's gain",
          lambda: slider_value(slider) == 31.0, lambda: slider_value(slider))
    dismiss_message()


def autogain(q1):
    """AutoGain: progress, cancel, result."""
    ag = check("Mic 1 has AutoGain",
               lambda: find(name="AutoGain of Mic 1", role="push button", within=q1))
    if not ag:
        return
    fake("SetAutoGainResult", Q1, dbus.UInt32(1), "hold")   # listens until cancelled
    click(ag)
    check("AutoGain shows its progress", lambda: find_text("Listening, pass 1", q1))
    check("the daemon listens", lambda: prop(QUAD1 + "/inputs/1", IN,
                                             "AutoGainState") == "listening")
    shot("autogain")
    cancel = check("it can be cancelled",
                   lambda: find(name="Cancel AutoGain of Mic 1", role="push button", within=q1))
    if cancel:
        click(cancel)
    check("CancelAutoGain was sent", lambda: calls("CancelAutoGain", QUAD1))
    check("the result is said in words: cancelled",
          lambda: find_text("Cancelled; the gain is back to 31 dB", q1))
    fake("SetAutoGainResult", Q1, dbus.UInt32(1), "done")
    check("AutoGain can start again", lambda: ag.getState().contains(pyatspi.STATE_SENSITIVE))
    click(ag)
    check("a second run ends with its result in words",
          lambda: find_text("Done: the gain is 37 dB", q1))
    check("and the slider shows the gain it found",
          lambda: slider_value(find(name="Gain of Mic 1", role="slider", within=q1)) == 37.0)


def presets(q1):
    """Presets: save, apply, delete."""
    entry = check("there is a field for a preset name",
                  lambda: find(name="New preset name", role="text", within=q1))
    if not entry:
        return
    entry.queryEditableText().setTextContents("Vocals")
    save = check("Save Preset can be pressed once there is a name",
                 lambda: (lambda b: b if b and b.getState().contains(pyatspi.STATE_SENSITIVE)
                          else None)(button("Save Preset", q1)))
    if save:
        fake("ClearCalls")
        click(save)
    check("SavePreset creates it, interactive",
          lambda: list(prop(QUAD1, DEVICE, "Presets")) == ["Vocals"] and
          any(c[1] for c in calls("SavePreset", QUAD1)),
          lambda: list(prop(QUAD1, DEVICE, "Presets")), lambda: fake("Calls", "SavePreset"))
    check("the field is emptied", lambda: text_of(entry) == "", lambda: text_of(entry))
    apply_ = check("it is listed with Apply",
                   lambda: find(name="Apply preset Vocals", role="push button", within=q1))
    if apply_:
        # the gain moves away from what was saved; Apply brings it back
        saved = prop(QUAD1 + "/inputs/1", IN, "Gain")
        fake("Knob", Q1, dbus.UInt32(1), "Gain", dbus.Double(10.0))
        s1 = find(name="Gain of Mic 1", role="slider", within=q1)
        check("a knob moves Mic 1 away from the preset: 10 dB",
              lambda: slider_value(s1) == 10.0, lambda: slider_value(s1))
        fake("ClearCalls")
        click(apply_)
        check("Apply sends ApplyPreset(Vocals), interactive",
              lambda: any(c[1] for c in calls("ApplyPreset", QUAD1)),
              lambda: fake("Calls", "ApplyPreset"))
        check("and the slider goes back to the preset's %g dB" % saved,
              lambda: slider_value(s1) == saved, lambda: slider_value(s1))
    shot("main")
    delete = check("it is listed with Delete",
                   lambda: find(name="Delete preset Vocals", role="push button", within=q1))
    if not delete:
        return
    click(delete)
    d = check("deleting asks first", lambda: dialog("Delete the preset?"))
    yes = d and check("with a Delete button", lambda: button("Delete", d))
    if yes:
        click(yes)
    check("DeletePreset removes it",
          lambda: list(prop(QUAD1, DEVICE, "Presets")) == [],
          lambda: list(prop(QUAD1, DEVICE, "Presets")))
    check("and its row goes", lambda: not find(name="Apply preset Vocals", within=q1))


def policy(q1):
    restore = check("the policy offers Restore as saved",
                    lambda: find(name="Restore as saved", role="check box", within=q1),
                    lambda: [n.name for n in walk(q1) if n.getRoleName() == "check box"])
    if not restore:
        return
    mouse_click(restore)
    check("choosing it sends SetPhantomPolicy(restore)",
          lambda: prop(QUAD1, DEVICE, "PhantomPolicy") == "restore",
          lambda: prop(QUAD1, DEVICE, "PhantomPolicy"))
    check("and it shows as chosen", lambda: restore.getState().contains(pyatspi.STATE_CHECKED))


def polls_of(path):
    return len(calls("GetLevels", path))


def hidden_page_quiet(visible, hidden, n=10):
    """Over n polls of the visible page, none of the hidden one: its timer
    has stopped. A poll of the hidden page sent before it was hidden may
    still land, and the page switch fades for a moment, so look again
    until the stretch is clean (or the deadline says it never is)."""
    fake("ClearCalls")
    if not wait_for(lambda: polls_of(visible) >= n):
        return None
    return polls_of(hidden) == 0


def levels(q1):
    """The meters poll GetLevels only while their strips are on screen."""
    fake("ClearCalls")
    check("the page on screen polls GetLevels", lambda: calls("GetLevels", QUAD1))
    check("the hidden pages are not polled (none in 10 polls of the shown one)",
          lambda: hidden_page_quiet(QUAD1, SCAR) and polls_of(QUAD2) == 0,
          lambda: "%d polls of the Scarlett, %d of the twin" % (polls_of(SCAR),
                                                                polls_of(QUAD2)))
    tab = check("the Scarlett has a tab", lambda: find(name="Scarlett 2i2 4th Gen", role="page tab"))
    if tab:
        click(tab)
    sc = check("its page shows its inputs",
               lambda: find(name="Scarlett 2i2 4th Gen", role="panel"))
    check("the Scarlett's meters are polled", lambda: calls("GetLevels", SCAR))
    check("the hidden page's meters are no longer polled (none in 10 polls of the shown one)",
          lambda: hidden_page_quiet(SCAR, QUAD1),
          lambda: "%d polls of the hidden page" % polls_of(QUAD1))
    return sc


def clip(sc):
    """The clip light stays until clicked."""
    fake("SetMode", SC, "clip")
    light = check("a clip lights the clip light",
                  lambda: find(contains="Clip light of Analogue 1: clipped",
                               role="push button", within=sc))
    shot("clip")
    fake("SetMode", SC, "silent")
    # the app has read silence at least four times: its 5th poll goes out
    # only once the 4th has been answered
    fake("ClearCalls")
    check("the meters read silence again", lambda: polls_of(SCAR) >= 5)
    check_now("the light stays lit after the clipping stopped",
              lambda: find(contains="Clip light of Analogue 1: clipped",
                           role="push button", within=sc))
    if light:
        click(light)
    check("clicking clears it", lambda: find(contains="Clip light of Analogue 1: no clip",
                                             role="push button", within=sc))


def replug():
    q2 = check("the twin's page has its strips",
               lambda: find(name="Gain of Mic 1", role="slider",
                            within=find(name="Quad Mic Pre (PAMP0002)", role="panel")))
    fake("RemoveDevice", Q2)
    check("an unplugged interface's tab goes",
          lambda: not find(name="Quad Mic Pre (PAMP0002)", role="page tab"))
    if q2:
        check("and its strips with it", lambda: gone(q2))
    check("its twin is no longer told apart by serial",
          lambda: find(name="Quad Mic Pre", role="page tab"))
    fake("AddDevice", "quad", "PAMP0002")
    check("a replug brings its tab back",
          lambda: find(name="Quad Mic Pre (PAMP0002)", role="page tab"))
    check("and its strips",
          lambda: find(name="Gain of Mic 1", role="slider",
                       within=find(name="Quad Mic Pre (PAMP0002)", role="panel")))


def rename(q1):
    tab = check("the first interface's tab is back to its serial",
                lambda: find(name="Quad Mic Pre (PAMP0001)", role="page tab"))
    if tab:
        click(tab)
    ren = check("there is a Rename button",
                lambda: find(name="Rename Quad Mic Pre (PAMP0001)", role="push button",
                             within=q1))
    if not ren:
        return
    click(ren)
    d = check("renaming asks for a name", lambda: dialog("Name this interface"))
    if not d:
        return
    e = check("in a field", lambda: find(name="Name of the interface", role="text", within=d))
    if e:
        e.queryEditableText().setTextContents("Studio left")
    s = check("with a Save button", lambda: button("Save", d))
    if s:
        click(s)
    check("the user's name replaces the product's",
          lambda: find(name="Studio left", role="page tab"))
    check("the page says it too, with the serial",
          lambda: find_text("serial PAMP0001", q1) and find(name="Studio left", role="label",
                                                            within=q1))
    path = os.path.join(os.environ["XDG_CONFIG_HOME"], "preamp", "device-names.ini")
    check("it is kept in $XDG_CONFIG_HOME/preamp/device-names.ini, by key",
          lambda: os.path.exists(path) and Q1 + "=Studio left" in open(path).read())


def daemon_down():
    """The daemon stops: the window says how to start it, then recovers."""
    check_now("while preampd runs, nothing says how to start it",
              lambda: not find_text("systemctl start preampd", window()))
    fake("Quit")
    procs["fake"].wait(timeout=WAIT)
    check("a daemon that is not running is said",
          lambda: find_text("preampd is not running", window()))
    check("with how to start it", lambda: find_text("sudo systemctl start preampd", window()))
    shot("not-running")
    check("the stand-in preampd comes back", start_fake)
    check("when it is back, so are the interfaces",
          lambda: find(name="Scarlett 2i2 4th Gen", role="page tab"))
    check("and the message of how to start it goes",
          lambda: not find_text("systemctl start preampd", window()))
    check_now("the app never stopped: it is alive", lambda: procs["app"].poll() is None)


def main():
    if not start():
        return
    q1 = told_apart()
    if not q1:
        return
    slider = gain(q1)
    phantom(q1)
    phantom_hold(q1)
    refused(q1)
    if slider:
        gone_mid_call(slider)
    autogain(q1)
    presets(q1)
    policy(q1)
    sc = levels(q1)
    if sc:
        clip(sc)
    replug()
    rename(q1)
    daemon_down()


try:
    main()
except Exception:
    bad("the test ran to its end", *traceback.format_exc().splitlines())
finally:
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                p.kill()
    print("ui: %d passed, %d failed" % (passed, failed), flush=True)
sys.exit(1 if failed else 0)
