#!/usr/bin/env python3
"""Checks of the HTML report (issue #15), standard library only.

  html_check.py static REPORT.html REPORT.json ...
      The page is valid HTML (a strict parser: every element closed, in
      order, no duplicate ids), self-contained (nothing it would fetch),
      and its contract attributes agree with the JSON report: one
      section[data-call-id] per call, one data-frame arrow per message in
      order, one data-ssrc per stream, one data-rule per finding.
  html_check.py outline REPORT.html
      The page's structure as text, for golden files (not its bytes).
  html_check.py browser [--shot PNG] REPORT.html REPORT.json ...
      Opens each page in headless Chromium (DevTools protocol on
      loopback), JavaScript on: no console errors or exceptions, the DOM's
      calls, arrows per call and streams equal the JSON's, a mouse click
      on an arrow shows its message, the filter and sort work, and the
      ladders are there with JavaScript off too.

Prints "ok NAME" / "not ok NAME: why" lines (tests/run-all.sh counts
them); NAME is the report's file name without .html.
"""
import base64
import html.parser
import json
import math
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
# SVG elements written self-closed (<line/>): legal in foreign content.
SVG_VOID_OK = {"line", "path", "rect", "circle", "polygon", "polyline"}


class Strict(html.parser.HTMLParser):
    """Collects structure errors and the contract attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.ids = set()
        self.calls = []      # [call_id, data-call, [frames]]
        self.timing = []     # per call section {data-*-ms: int}
        self.ssrcs = []
        self.plots = []      # [stream id, data-lost, DTMF marks]
        self.audio = []      # (call, data-wav of its figure, src)
        self.wav_kind = None
        self.rules = []
        self.outline = []
        self.in_svg = 0
        self.scripts = 0
        self.data = None     # the text of <script id="sipsift-data">
        self.in_data = False
        self.doctype = False

    def err(self, msg):
        if len(self.errors) < 20:
            line, col = self.getpos()
            self.errors.append("line %d col %d: %s" % (line, col, msg))

    def handle_decl(self, decl):
        if decl.lower() == "doctype html":
            self.doctype = True

    def attrs_check(self, tag, attrs):
        d = {}
        for k, v in attrs:
            if k in d:
                self.err("duplicate attribute %s on <%s>" % (k, tag))
            d[k] = v
        if "id" in d:
            if d["id"] in self.ids:
                self.err("duplicate id %r" % d["id"])
            self.ids.add(d["id"])
        for k in ("src", "href", "action", "srcset", "poster", "data"):
            v = d.get(k)
            if tag == "audio" and k == "src" and v is not None:
                # A WAV file beside the page (a relative path), or in it.
                if not (v.startswith("data:audio/wav;base64,") or
                        re.match(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)[^?#]+$", v)):
                    self.err("<audio src=%r> is neither relative nor embedded" % v[:60])
                # Outside a call's section: the streams of no call, whose
                # files are numbered as call 0.
                self.audio.append((self.calls[-1][1] if self.in_call() else "0",
                                   self.wav_kind, v))
                continue
            if v is not None and k != "data" and not v.startswith("#"):
                self.err("<%s %s=%r> would leave the file" % (tag, k, v))
        if tag in ("link", "iframe", "object", "embed", "img", "base"):
            self.err("<%s> in a self-contained page" % tag)
        if tag == "script" and d.get("src") is not None:
            self.err("external script")
        return d

    def contract(self, tag, d):
        if tag == "section" and "data-call-id" in d:
            self.calls.append([d["data-call-id"], d.get("data-call"), []])
            self.timing.append({})
            self.outline.append("call %s" % d.get("data-call"))
        if "data-frame" in d:
            if not self.calls:
                self.err("arrow outside a call section")
            else:
                self.calls[-1][2].append(int(d["data-frame"]))
        for k in TIMING:
            if k in d and self.calls:
                self.timing[-1][k] = int(d[k])
        if tag == "figure" and "data-wav" in d:
            self.wav_kind = d["data-wav"]
        if tag == "figure" and "data-plot" in d:
            self.plots.append([int(d["data-plot"]), int(d["data-lost"]), 0])
            self.outline.append("plot %s" % d["data-plot"])
        if "data-digit" in d and self.plots:
            self.plots[-1][2] += 1
        if "data-ssrc" in d:
            self.ssrcs.append(d["data-ssrc"])
            self.outline.append("stream %s" % d["data-ssrc"])
        if "data-rule" in d:
            self.rules.append(d["data-rule"])
            where = "call %s" % self.calls[-1][1] if self.in_call() else "page"
            self.outline.append("finding %s in %s" % (d["data-rule"], where))
        if tag in ("h2", "table", "svg") or (tag == "section" and "id" in d
                                              and "data-call-id" not in d):
            self.outline.append("%s%s" % (tag, "#" + d["id"] if "id" in d else ""))

    def in_call(self):
        return any(t == "section" and a for t, a in self.stack)

    def handle_starttag(self, tag, attrs):
        d = self.attrs_check(tag, attrs)
        self.contract(tag, d)
        if tag == "svg":
            self.in_svg += 1
        if tag == "script":
            self.scripts += 1
            self.in_data = d.get("id") == "sipsift-data"
        if tag in VOID:
            return
        self.stack.append((tag, "data-call-id" in d))

    def handle_startendtag(self, tag, attrs):
        d = self.attrs_check(tag, attrs)
        self.contract(tag, d)
        if tag in VOID:
            return
        if not self.in_svg or tag not in SVG_VOID_OK:
            self.err("<%s/> self-closed outside SVG" % tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.err("end tag of void element </%s>" % tag)
            return
        if not self.stack:
            self.err("stray </%s>" % tag)
            return
        self.in_data = False
        top = self.stack.pop()[0]
        if top != tag:
            self.err("</%s> closes <%s>" % (tag, top))
        if tag == "svg":
            self.in_svg -= 1

    def handle_data(self, data):
        if self.in_data:
            self.data = (self.data or "") + data
            return
        for ch in data:
            o = ord(ch)
            if (o < 0x20 and ch not in "\t\n\r") or 0x7f <= o <= 0x9f:
                self.err("control character U+%04X" % o)
                break

    def close(self):
        super().close()
        if self.stack:
            self.err("unclosed: %s" % " ".join(t for t, _ in self.stack))
        if not self.doctype:
            self.err("no <!DOCTYPE html>")


TIMING = ("data-pdd-ms", "data-setup-ms", "data-ring-ms", "data-duration-ms")


def phases(call):
    """The timing the page should show, from the JSON (the man page's
    definitions): post-dial delay INVITE to first 18x, ring from it to the
    final response of its CSeq; setup and duration as the JSON says."""
    want = {}
    if call.get("setup_ms") is not None:
        want["data-setup-ms"] = call["setup_ms"]
    if call.get("duration_ms") is not None:
        want["data-duration-ms"] = call["duration_ms"]
    msgs = call["messages"]
    ring = next((i for i, m in enumerate(msgs)
                 if 180 <= (m.get("status") or 0) <= 199
                 and m.get("cseq_method") == "INVITE"), None)
    if ring is None:
        return want
    cseq = msgs[ring]["cseq"]
    t = msgs[ring]["ts"]
    inv = next((m["ts"] for m in msgs[:ring] if m.get("method") == "INVITE"
                and m.get("cseq") == cseq and m.get("cseq_method") == "INVITE"), None)
    fin = next((m["ts"] for m in msgs[ring + 1:] if (m.get("status") or 0) >= 200
                and m.get("cseq_method") == "INVITE" and m.get("cseq") == cseq), None)
    if inv is not None and t >= inv:
        want["data-pdd-ms"] = math.floor((t - inv) * 1000.0 + 0.5)
    if fin is not None and fin >= t:
        want["data-ring-ms"] = math.floor((fin - t) * 1000.0 + 0.5)
    return want


def start_line(m):
    """What the text of message m starts with."""
    if m.get("method"):
        return m["method"] + " "
    return "SIP/2.0 %d" % m["status"]


def audio_check(hpath, jpath):
    """html_check.py audio PAGE.html REPORT.json [embedded]: the page made
    with -d DIR has a player per stream file the JSON names (its wav) and
    one stereo player per call with any (the streams of no call too, as
    call 0), each src a file that exists beside the page (or embedded: the
    same bytes)."""
    name = name_of(hpath)
    p = parse(hpath)
    with open(jpath) as f:
        doc = json.load(f)
    why = list(p.errors[:3])
    base = os.path.dirname(os.path.abspath(hpath))
    streams = {s["id"]: s for s in doc["streams"]}
    want = set()
    for c in doc["calls"][:1000]:
        wavs = {streams[i]["wav"] for i in c.get("streams") or [] if streams[i].get("wav")}
        for i in c.get("streams") or []:
            if streams[i].get("wav"):
                want.add((str(c["index"]), streams[i]["wav"]))
        if wavs:
            want.add((str(c["index"]), "stereo"))
    # The streams of no call (the heuristic), under the streams table.
    nocall = {s["wav"] for s in doc["streams"] if s["call_id"] is None and s.get("wav")}
    for w in nocall:
        want.add(("0", w))
    if nocall:
        want.add(("0", "stereo"))
    got = set()
    for call, kind, src in p.audio:
        if src.startswith("data:"):
            data = base64.b64decode(src.split(",", 1)[1])
        else:
            path = os.path.join(base, urllib.parse.unquote(src))
            if not os.path.isfile(path):
                why.append("%s: no such file beside the page" % src)
                continue
            with open(path, "rb") as f:
                data = f.read()
        if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
            why.append("%s is no WAV" % src[:60])
        if kind == "stereo":
            got.add((call, "stereo"))
        else:
            sid = int(kind.split()[1])
            wav = streams[sid].get("wav")
            if not wav or (not src.startswith("data:") and
                           os.path.realpath(os.path.join(base, urllib.parse.unquote(src)))
                           != os.path.realpath(wav)):
                why.append("stream %d's player plays %s, the JSON names %s" % (sid, src[:40], wav))
            got.add((call, wav))
    if got != want:
        why.append("players for %s, expected %s" % (sorted(got)[:4], sorted(want)[:4]))
    print(("not ok html/%s/audio: %s" % (name, "; ".join(why))) if why else "ok html/%s/audio" % name)
    return p


def lazy_check(p, doc):
    """The calls listed past the detail sections (up to the table's 5000
    rows) are in the page's data, with their messages, for the browser to
    draw when opened."""
    try:
        data = json.loads(p.data or "")
    except ValueError:
        return []
    got = [(c["index"], [m["frame"] for m in c["messages"]]) for c in data.get("lazy", [])]
    want = [(c["index"], [m["frame"] for m in c["messages"]]) for c in doc["calls"][1000:5000]]
    if got != want:
        return ["%d calls to draw on demand, expected %d" % (len(got), len(want))]
    return []


def plots_check(p, doc):
    """One plot per RTP stream of a detailed call (or of none), in order;
    its loss summed over time is the stream's; its DTMF marks are the
    events the JSON gives that stream."""
    detailed = {c["call_id"] for c in doc["calls"][:1000]}
    want = [s["id"] for s in doc["streams"] if s["kind"] == "rtp"
            and (s["call_id"] is None or s["call_id"] in detailed)][:2000]
    got = [x[0] for x in p.plots]
    if got != want:
        return ["plots of streams %s, expected %s" % (got[:6], want[:6])]
    by_id = {s["id"]: s for s in doc["streams"]}
    dtmf = {}
    for c in doc["calls"]:
        for e in c.get("dtmf") or []:
            if e.get("stream") is not None:
                dtmf[e["stream"]] = dtmf.get(e["stream"], 0) + 1
    for sid, lost, marks in p.plots:
        if lost != by_id[sid]["lost"]:
            return ["stream %d: its plot sums %d lost, the JSON says %d"
                    % (sid, lost, by_id[sid]["lost"])]
        if marks != dtmf.get(sid, 0):
            return ["stream %d: %d DTMF marks, the JSON has %d events"
                    % (sid, marks, dtmf.get(sid, 0))]
    return []


def texts_check(p, doc):
    """Every message of a detailed call carries its text in the page's
    data, and that text is the message's (its start line), unless the page
    says the text cap was hit."""
    try:
        data = json.loads(p.data or "")
    except ValueError as e:
        return ["the data script is not JSON: %s" % e]
    capped = "texts-capped" in p.ids
    if "texts-none" in p.ids:
        if any("text" in m for c in data.get("calls", []) for m in c.get("messages") or []):
            return ["the page says it has no message text but has some"]
        return []
    by_index = {c["index"]: c for c in doc["calls"]}
    have = missing = 0
    for c in data.get("calls", []):
        for i, m in enumerate(c.get("messages") or []):
            want = by_index[c["index"]]["messages"][i]
            t = m.get("text")
            if t is None:
                missing += 1
                continue
            have += 1
            if not t.startswith(start_line(want)):
                return ["call %d message %d: text starts %r, not %r"
                        % (c["index"], i, t[:30], start_line(want))]
    if missing and not capped:
        return ["%d messages have no text and the page does not say why" % missing]
    if capped and not missing:
        return ["the page says the text cap was hit but every message has its text"]
    return []


def parse(path):
    with open(path, "rb") as f:
        raw = f.read()
    p = Strict()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        p.errors.append("not UTF-8: %s" % e)
        text = raw.decode("utf-8", "replace")
    if re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", text):
        p.errors.append("a reference that would leave the file (url(), @import, http)")
    p.feed(text)
    p.close()
    return p


def expected(jpath):
    with open(jpath) as f:
        doc = json.load(f)
    calls = [(c["call_id"], [m["frame"] for m in c["messages"]])
             for c in doc["calls"]]
    return doc, calls


def name_of(path):
    return os.path.basename(path)[:-5] if path.endswith(".html") else path


def static(hpath, jpath):
    name = name_of(hpath)
    p = parse(hpath)
    if p.errors:
        print("not ok html/%s/valid: %s" % (name, "; ".join(p.errors[:5])))
    else:
        print("ok html/%s/valid" % name)
    doc, calls = expected(jpath)
    got = [(c[0], c[2]) for c in p.calls]
    why = []
    if got != calls[:len(got)]:
        why.append("call sections or their arrows differ from the JSON")
    if len(got) != min(len(calls), 1000):
        why.append("%d call sections, JSON has %d calls" % (len(got), len(calls)))
    if p.ssrcs != [s["ssrc"] for s in doc["streams"]]:
        why.append("data-ssrc %s, JSON %s" % (p.ssrcs[:4], [s["ssrc"] for s in doc["streams"]][:4]))
    if sorted(p.rules) != sorted(f["rule"] for f in doc["findings"]):
        why.append("data-rule %d, JSON findings %d" % (len(p.rules), len(doc["findings"])))
    for c, got_t in zip(doc["calls"], p.timing):
        want = phases(c)
        if got_t != want:
            why.append("call %d timing %s, JSON gives %s" % (c["index"], got_t, want))
            break
    why += texts_check(p, doc)
    why += plots_check(p, doc)
    why += lazy_check(p, doc)
    if p.scripts != 2:
        why.append("%d script elements, expected 2 (data and code)" % p.scripts)
    if why:
        print("not ok html/%s/contract: %s" % (name, "; ".join(why)))
    else:
        print("ok html/%s/contract" % name)


def outline(hpath):
    p = parse(hpath)
    for line in p.outline:
        print(line)
    for c in p.calls:
        print("call %s arrows %s" % (c[1], " ".join(map(str, c[2]))))


# DevTools protocol over a minimal WebSocket client (RFC 6455), loopback.

class CDP:
    def __init__(self, ws_url, timeout):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", ws_url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (m.group(3), m.group(1), m.group(2), key))
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise OSError("websocket handshake: %r" % head[:80])
        self.buf = head.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        self.events = []
        self.timeout = timeout

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("DevTools connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _recv(self):
        data = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            op = b0 & 0x0f
            if op in (1, 2, 0):
                data += payload
                if b0 & 0x80:
                    return json.loads(data.decode())
            elif op == 8:
                raise OSError("DevTools connection closed")

    def send(self, method, **params):
        self.next_id += 1
        msg = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        n = len(msg)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(msg)))
        want = self.next_id
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            r = self._recv()
            if r.get("id") == want:
                if "error" in r:
                    raise OSError("%s: %s" % (method, r["error"].get("message")))
                return r.get("result", {})
            if "method" in r:
                self.events.append(r)
        raise OSError("%s: no answer" % method)

    def wait_event(self, name):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e["method"] == name:
                    self.events.remove(e)
                    return e
            r = self._recv()
            if "method" in r:
                self.events.append(r)
        raise OSError("no %s" % name)

    def eval(self, expr):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise OSError("evaluate: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")


def start_browser(timeout):
    prof = tempfile.mkdtemp(prefix="sipsift-chromium-")
    proc = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--disable-background-networking", "--disable-sync",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--user-data-dir=" + prof, "--window-size=1400,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + timeout
    port = None
    err = b""
    while time.monotonic() < deadline and port is None:
        r, _, _ = select.select([proc.stderr], [], [], 0.5)
        if r:
            line = proc.stderr.readline()
            if not line:
                break
            err += line
            m = re.search(rb"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
    if port is None:
        stop_browser(proc, prof)
        raise OSError("chromium did not start: %s" % err[-300:].decode(errors="replace"))
    # Drain stderr so that chromium never blocks on a full pipe.
    threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()
    return proc, prof, port


def stop_browser(proc, prof):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    subprocess.run(["rm", "-rf", prof])


def page_ws(port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=5) as r:
            for t in json.load(r):
                if t.get("type") == "page":
                    return t["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise OSError("no page target")


COUNT_JS = r"""(() => {
  const calls = [...document.querySelectorAll('section[data-call-id]')].map(s =>
    [s.getAttribute('data-call-id'),
     [...s.querySelectorAll('[data-frame]')].map(g => +g.getAttribute('data-frame'))]);
  return {calls, streams: document.querySelectorAll('[data-ssrc]').length,
          rules: document.querySelectorAll('[data-rule]').length,
          rows: document.querySelectorAll('#calltable tbody tr').length,
          plots: document.querySelectorAll('figure.plot > svg polyline').length ?
            document.querySelectorAll('figure.plot > svg').length : 0};
})()"""

# The first arrow of the first call with one, brought into view: its line's
# centre, where a person would click.
ARROW_JS = r"""(() => {
  const g = document.querySelector('section[data-call-id] g[data-frame]');
  if (!g) return null;
  g.scrollIntoView({block: 'center'});
  const r = g.querySelector('.a').getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2,
          call: g.closest('section').getAttribute('data-call'),
          msg: +g.getAttribute('data-msg'), frame: +g.getAttribute('data-frame')};
})()"""

SHOWN_JS = r"""(() => {
  const s = document.querySelector('section[data-call="%s"]');
  const box = s.querySelector('aside.msginfo');
  const sel = s.querySelector('g.msg.sel');
  const pre = box.querySelector('pre.sip');
  return {title: (box.querySelector('h4') || {}).textContent || '',
          text: box.textContent, sel: sel ? +sel.getAttribute('data-msg') : -1,
          sip: pre ? pre.textContent : null,
          sdp: box.querySelectorAll('table.sdp tbody tr').length};
})()"""

FILTER_JS = r"""(() => {
  const f = document.getElementById('filter');
  f.value = %s;
  f.dispatchEvent(new Event('input', {bubbles: true}));
  const n = [...document.querySelectorAll('#calltable tbody tr')].filter(r => !r.hidden)
    .map(r => +r.getAttribute('data-call'));
  f.value = '';
  f.dispatchEvent(new Event('input', {bubbles: true}));
  return n;
})()"""

SORT_JS = r"""(() => {
  const th = document.querySelector('#calltable thead th');
  th.click(); th.click();
  const v = [...document.querySelectorAll('#calltable tbody tr')].map(r => +r.getAttribute('data-call'));
  th.click();
  return v;
})()"""


# Each player's duration once its metadata loaded (-1: error, -2: timeout).
AUDIO_JS = r"""Promise.all([...document.querySelectorAll('audio')].map(a => new Promise(res => {
  if (a.readyState >= 1) return res(a.duration);
  a.addEventListener('loadedmetadata', () => res(a.duration));
  a.addEventListener('error', () => res(-1));
  a.load();
  setTimeout(() => res(-2), 15000);
})))"""


LAZY_JS = r"""(() => {
  const tr = document.querySelector('#calltable tbody tr[data-call="%d"]');
  if (!tr) return null;
  tr.cells[1].click();
  const s = document.getElementById('call-' + tr.getAttribute('data-call'));
  if (!s) return null;
  const g = s.querySelector('g[data-frame]');
  g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return {frames: [...s.querySelectorAll('g[data-frame]')].map(x => +x.getAttribute('data-frame')),
          title: (s.querySelector('aside.msginfo h4') || {}).textContent || ''};
})()"""


def browse_one(cdp, hpath, jpath, shot):
    name = name_of(hpath)
    doc, calls = expected(jpath)
    cdp.events = []
    cdp.send("Page.navigate", url="file://" + os.path.abspath(hpath))
    cdp.wait_event("Page.loadEventFired")
    if os.environ.get("HTML_VERBOSE"):
        sys.stderr.write("%s: loaded\n" % name)
    why = []
    errors = [e for e in cdp.events if e["method"] == "Runtime.exceptionThrown"
              or (e["method"] == "Runtime.consoleAPICalled"
                  and e["params"].get("type") in ("error", "assert"))
              or (e["method"] == "Log.entryAdded"
                  and e["params"]["entry"].get("level") == "error")]
    for e in errors[:3]:
        p = e["params"]
        txt = (p.get("exceptionDetails", {}).get("exception", {}).get("description")
               or p.get("entry", {}).get("text") or json.dumps(p.get("args", ""))[:200])
        why.append("console error: %s" % txt)
    got = cdp.eval(COUNT_JS)
    if [tuple(c) for c in got["calls"]] != calls[:1000]:
        why.append("DOM has %d call sections / arrows that differ from the JSON's %d calls"
                   % (len(got["calls"]), len(calls)))
    if got["streams"] != len(doc["streams"]):
        why.append("DOM has %d streams, JSON %d" % (got["streams"], len(doc["streams"])))
    if got["rules"] != len(doc["findings"]):
        why.append("DOM has %d findings, JSON %d" % (got["rules"], len(doc["findings"])))
    detailed = {c["call_id"] for c in doc["calls"][:1000]}
    nplots = len([s for s in doc["streams"] if s["kind"] == "rtp"
                  and (s["call_id"] is None or s["call_id"] in detailed)][:2000])
    if got["plots"] != nplots:
        why.append("DOM has %d stream plots (with lines), %d RTP streams" % (got["plots"], nplots))
    if got["rows"] != min(len(calls), 5000):
        why.append("calls table has %d rows, JSON %d calls" % (got["rows"], len(calls)))
    a = cdp.eval(ARROW_JS)
    if a is not None:
        for t in ("mousePressed", "mouseReleased"):
            cdp.send("Input.dispatchMouseEvent", type=t, x=a["x"], y=a["y"],
                     button="left", clickCount=1)
        shown = cdp.eval(SHOWN_JS % a["call"])
        call = next(c for c in doc["calls"] if str(c["index"]) == a["call"])
        m = call["messages"][a["msg"]]
        want = m.get("method") or str(m.get("status"))
        if shown["sel"] != a["msg"] or not shown["title"].startswith(want) \
                or str(m["frame"]) not in shown["text"]:
            why.append("clicking the arrow of frame %d showed %r" % (a["frame"], shown["title"]))
        # Its full text, and its SDP read out when it carries one.
        if shown["sip"] is None or not shown["sip"].startswith(start_line(m)):
            why.append("clicking the arrow of frame %d showed the text %r"
                       % (a["frame"], (shown["sip"] or "")[:40]))
        # The same text as sipsift show prints (NAME.show.json beside
        # NAME.json, when html.sh made it): its start line and Call-ID,
        # markup and all, as they were on the wire.
        spath = jpath[:-5] + ".show.json"
        if os.path.exists(spath):
            with open(spath) as f:
                sm = next((x for x in json.load(f)["messages"] if x["frame"] == m["frame"]
                           and x["call"] == call["index"]), None)
            if sm is None:
                why.append("sipsift show has no frame %d" % m["frame"])
            else:
                text = shown["sip"] or ""
                for want in [sm["start_line"]] + ["%s: %s" % (h["name"], h["value"])
                                                   for h in sm["headers"]
                                                   if h["name"] == "Call-ID"]:
                    if want not in text:
                        why.append("frame %d: %r not in the text shown" % (m["frame"], want[:60]))
        ms = m.get("sdp_summary") or {}
        if shown["sdp"] != len(ms.get("media") or []):
            why.append("frame %d: %d SDP media rows shown, JSON has %d"
                       % (a["frame"], shown["sdp"], len(ms.get("media") or [])))
    if len(calls) > 1000:
        # A row past the detail sections draws its call when opened, and
        # its arrows work as the others do.
        c = doc["calls"][min(len(calls), 5000) - 1]
        got = cdp.eval(LAZY_JS % c["index"])
        want = [m["frame"] for m in c["messages"]]
        if not got or got["frames"] != want or not got["title"].startswith(start_line(c["messages"][0]).strip()):
            why.append("opening call %d's row drew %s" % (c["index"], got))
    if calls:
        listed = doc["calls"][:5000]
        last = listed[-1]
        shown = cdp.eval(FILTER_JS % json.dumps(last["call_id"]))
        if last["index"] not in shown:
            why.append("filter on call %d's Call-ID hides it" % last["index"])
        if cdp.eval(FILTER_JS % json.dumps("no such call \u2603")):
            why.append("a filter that matches nothing shows rows")
        order = cdp.eval(SORT_JS)
        if order != sorted((c["index"] for c in listed), reverse=True):
            why.append("sorting by # twice does not give descending order")
    if shot:
        cdp.send("Emulation.setDeviceMetricsOverride", width=1400, height=1000,
                 deviceScaleFactor=1, mobile=False)
        cdp.eval("window.scrollTo(0, 0)")
        r = cdp.send("Page.captureScreenshot", format="png",
                     clip={"x": 0, "y": 0, "width": 1400, "height": 1800, "scale": 1},
                     captureBeyondViewport=True)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(r["data"]))
        cdp.send("Emulation.clearDeviceMetricsOverride")
    # Without JavaScript the tables and ladders are all there.
    cdp.send("Emulation.setScriptExecutionDisabled", value=True)
    cdp.send("Page.navigate", url="file://" + os.path.abspath(hpath))
    cdp.wait_event("Page.loadEventFired")
    cdp.send("Emulation.setScriptExecutionDisabled", value=False)
    nojs = cdp.send("Runtime.evaluate", expression=
                    "document.querySelectorAll('section[data-call-id] [data-frame]').length",
                    returnByValue=True)["result"].get("value")
    if nojs != sum(len(f) for _, f in calls[:1000]):
        why.append("without JavaScript %s arrows" % nojs)
    if why:
        print("not ok html/%s/browser: %s" % (name, "; ".join(why)))
    elif os.environ.get("HTML_AUDIO"):
        cdp.send("Page.navigate", url="file://" + os.path.abspath(hpath))
        cdp.wait_event("Page.loadEventFired")
        d = cdp.eval(AUDIO_JS)
        if not d or min(d) <= 0:
            print("not ok html/%s/browser: audio players' durations %s" % (name, d))
        else:
            print("ok html/%s/browser" % name)
    else:
        print("ok html/%s/browser" % name)
    sys.stdout.flush()


def browser(args):
    shot = None
    if args and args[0] == "--shot":
        shot, args = args[1], args[2:]
    # HTML_TIMEOUT: seconds any one step may take (a loaded machine, a
    # 50,000-call page).
    limit = float(os.environ.get("HTML_TIMEOUT", "60"))
    proc, prof, port = start_browser(limit)
    try:
        cdp = CDP(page_ws(port, 10), limit)
        cdp.send("Page.enable")
        cdp.send("Runtime.enable")
        cdp.send("Log.enable")
        for i in range(0, len(args), 2):
            try:
                browse_one(cdp, args[i], args[i + 1], shot if i == 0 else None)
            except (OSError, ValueError, KeyError, TypeError) as e:
                print("not ok html/%s/browser: %s" % (name_of(args[i]), e))
    finally:
        stop_browser(proc, prof)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "static":
        for i in range(2, len(sys.argv) - 1, 2):
            static(sys.argv[i], sys.argv[i + 1])
    elif len(sys.argv) >= 4 and sys.argv[1] == "audio":
        p = audio_check(sys.argv[2], sys.argv[3])
        embedded = [a for a in p.audio if a[2].startswith("data:")]
        if len(sys.argv) == 5 and sys.argv[4] == "embedded" and (not p.audio or len(embedded) != len(p.audio)):
            print("not ok html/%s/embedded: %d of %d players embedded"
                  % (name_of(sys.argv[2]), len(embedded), len(p.audio)))
        elif len(sys.argv) == 5:
            print("ok html/%s/embedded" % name_of(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "outline":
        outline(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "browser":
        try:
            browser(sys.argv[2:])
        except OSError as e:
            print("not ok html/browser: %s" % e)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
