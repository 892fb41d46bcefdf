#!/usr/bin/env python3
"""term_check.py SIPSIFT: the calls table, flow and lint on a terminal (issue #13).

Runs sipsift with its stdout on a pseudo-terminal (the pty module) of several widths, set
through the terminal's window size (TIOCSWINSZ) or through COLUMNS, and checks what a person
sees there against what a pipe gets: every line fits the width, columns are left out in the
documented order, a cut value ends in "…", colours follow --color and NO_COLOR. Prints one
"ok NAME" or "not ok NAME: why" per case. Standard library only.
"""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

SIPSIFT = sys.argv[1] if len(sys.argv) > 1 else "./sipsift"
CAPS = ["testdata/call-cancel.pcap", "testdata/call-busy-486.pcap",
        "testdata/srtp-dtmf-call.pcap", "testdata/corpus/ndpi/fuzz-2006-06-26-2594.pcap"]
SGR = re.compile(r"\x1b\[[0-9;]*m")
# The documented order in which a narrow terminal leaves columns out.
DROP_ORDER = ["TRANSPORT", "MSGS", "JITTER", "LOSS", "RTP", "SETUP", "DTMF", "FINAL",
              "MOS", "DURATION"]
ALWAYS = ["#", "KIND", "FROM", "TO", "STATE", "REASON"]


def on_pty(args, cols=None, env_extra=None, rows=50):
    """Runs sipsift with stdout on a pty of cols columns; returns its stdout as text."""
    master, slave = pty.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm"
    env.update(env_extra or {})
    p = subprocess.Popen([SIPSIFT] + args, stdout=slave, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    p.wait()
    # The pty turns "\n" into "\r\n".
    return p.returncode, out.decode("utf-8").replace("\r\n", "\n")


def on_pipe(args, env_extra=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    r = subprocess.run([SIPSIFT] + args, capture_output=True, env=env)
    return r.returncode, r.stdout.decode("utf-8")


results = []


def check(name, cond, why=""):
    results.append(name)
    print(("ok term/%s" % name) if cond else ("not ok term/%s: %s" % (name, why)))


def header_cols(text):
    return SGR.sub("", text.splitlines()[0]).split()


def widest(text):
    return max(len(SGR.sub("", l)) for l in text.splitlines())


def main():
    rc, full = on_pipe(["calls"] + CAPS)
    full_width = widest(full)
    check("pipe-full-table", rc == 0 and "TRANSPORT" in full and "\x1b[" not in full
          and full_width > 200, "rc %d, widest %d" % (rc, full_width))
    # COLUMNS does not narrow a pipe.
    rc, piped = on_pipe(["calls"] + CAPS, {"COLUMNS": "60"})
    check("pipe-ignores-columns", piped == full, "a pipe with COLUMNS=60 differs")

    # A terminal as wide as the full table gets it, in colour.
    rc, wide = on_pty(["calls"] + CAPS, cols=full_width + 5)
    check("pty-wide-full", SGR.sub("", wide) == full, "differs from the pipe's table")
    check("pty-wide-colour", "\x1b[33mcancelled\x1b[0m" in wide, "no colour on a terminal")

    prev = None
    for cols in (200, 160, 120, 100, 80, 70, 62):
        for how in ("ioctl", "COLUMNS"):
            if how == "ioctl":
                rc, out = on_pty(["calls"] + CAPS, cols=cols)
            else:
                rc, out = on_pty(["calls"] + CAPS, cols=300, env_extra={"COLUMNS": str(cols)})
            w = widest(out)
            check("fits-%d-%s" % (cols, how), rc == 0 and w <= cols,
                  "widest line %d > %d" % (w, cols))
        head = header_cols(out.replace("START (UTC)", "START").replace("TIME (UTC)", "TIME"))
        # What is left out is a prefix of the documented order.
        gone = [c for c in DROP_ORDER if c not in head]
        check("drop-order-%d" % cols, gone == DROP_ORDER[:len(gone)],
              "left out %s" % gone)
        check("keeps-%d" % cols, all(c in head for c in ALWAYS), "header %s" % head)
        if prev is not None:
            check("narrower-drops-more-%d" % cols, set(head) <= set(prev) | {"TIME"},
                  "%s not within %s" % (head, prev))
        prev = head
        # Every call is still there, and a cut value ends in "…".
        lines = SGR.sub("", out).splitlines()
        check("all-calls-%d" % cols, lines[-1] == full.splitlines()[-1], lines[-1])
    rc, out = on_pty(["calls"] + CAPS, cols=80)
    plain = SGR.sub("", out)
    check("cut-with-ellipsis", "\u2026" in plain, "no … at 80 columns")
    check("time-of-day-at-80", "TIME (UTC)" in plain and not re.search(r"\d{4}-\d\d-\d\d", plain),
          "the date is still there at 80 columns")

    # Colours: --color and NO_COLOR.
    rc, out = on_pty(["calls"] + CAPS, cols=250, env_extra={"NO_COLOR": "1"})
    check("no-color-env", "\x1b[" not in out, "NO_COLOR=1 still coloured")
    rc, out = on_pty(["calls", "--color", "always"] + CAPS, cols=250, env_extra={"NO_COLOR": "1"})
    check("color-always-beats-no-color", "\x1b[" in out, "--color always not coloured")
    rc, out = on_pty(["calls", "--color", "never"] + CAPS, cols=250)
    check("color-never", "\x1b[" not in out, "--color never coloured")
    rc, out = on_pty(["calls"] + CAPS, cols=250, env_extra={"TERM": "dumb"})
    check("term-dumb", "\x1b[" not in out, "TERM=dumb coloured")
    rc, out = on_pipe(["calls", "--color", "always"] + CAPS)
    check("color-always-pipe", "\x1b[33mcancelled\x1b[0m" in out,
          "no yellow 'cancelled' in a pipe with --color always")

    # flow on a terminal: the (SDP) mark in colour, lines within the width.
    rc, out = on_pty(["flow", "testdata/call-forked.pcap"], cols=100)
    check("flow-sdp-colour", "\x1b[35m(SDP)\x1b[0m" in out, "no coloured (SDP)")
    for cols in (100, 90, 80):
        rc, out = on_pty(["flow", "testdata/call-forked.pcap", "testdata/flow-ipv6-ula.pcap"],
                         cols=cols)
        # The call's From/To lines are as long as the URIs; the ladder fits.
        ladder = [l for l in SGR.sub("", out).splitlines() if "|" in l or l.startswith("   ")]
        w = max(len(l) for l in ladder)
        check("flow-fits-%d" % cols, w <= cols, "widest ladder line %d" % w)
    rc, out = on_pty(["lint", "testdata/lint-cancel-after-final.pcap"], cols=100)
    check("lint-severity-colour", re.search(r"\x1b\[(1;31|33|36)m(error|warning|info)\x1b\[0m", out)
          is not None, "no coloured severity")


main()
