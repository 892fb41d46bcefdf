"""Cross-check sipsift against tshark, run now, on every capture in
testdata/: SIP messages, calls (distinct Call-IDs), the count of each
method and status over all messages, and each call's final status. tests/testdata-diffs.txt lists the
knowing differences ("path check expected why"; "-" skips a check).

Prints "ok NAME" or "not ok NAME: why" per check (see tests/run-all.sh).
"""
import collections
import glob
import json
import os
import subprocess
import xml.etree.ElementTree as ET

import tshark_cache

sipsift = os.environ.get("SIPSIFT", "./sipsift")

diffs = {}
with open("tests/testdata-diffs.txt") as f:
    for line in f:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        path, check, value, _why = line.split(None, 3)
        diffs[(path, check)] = value


def fields(elem, out):
    """The show= values of the fields under elem, by name (first wins)."""
    for f in elem.iter("field"):
        out.setdefault(f.get("name"), f.get("show"))
    return out


def tshark_view(path):
    """What tshark sees, one entry per SIP message (PDML keeps the messages
    of one frame apart)."""
    xml = subprocess.run(
        ["tshark", "-o", "tcp.reassemble_out_of_order:TRUE", "-r", path,
         "-Y", "sip", "-T", "pdml"], capture_output=True).stdout
    msgs, calls = 0, set()
    methods, statuses = collections.Counter(), collections.Counter()
    opener, finals = {}, {}
    for pkt in ET.fromstring(xml).iter("packet"):
        net = {}
        for proto in pkt.iter("proto"):
            if proto.get("name") in ("ip", "ipv6"):
                net = fields(proto, {})   # the innermost, under tunnels
        dst = net.get("ip.dst") or net.get("ipv6.dst")
        src = net.get("ip.src") or net.get("ipv6.src")
        for proto in pkt.iter("proto"):
            if proto.get("name") != "sip":
                continue
            f = fields(proto, {})
            cid, meth = f.get("sip.Call-ID"), f.get("sip.Method")
            status, cmeth = f.get("sip.Status-Code"), f.get("sip.CSeq.method")
            msgs += 1
            if cid:
                calls.add(cid)
            if meth:
                methods[meth] += 1
                # The caller: who sent the first request of the call.
                if cid not in opener or (opener[cid][2] and
                                         meth not in ("ACK", "CANCEL")):
                    opener[cid] = (meth, src, False)
            if status:
                statuses[status] += 1
                # Without the request, its response names the method and,
                # by where it goes, the caller (until a request shows).
                if cid not in opener and cmeth not in ("ACK", "CANCEL"):
                    opener[cid] = (cmeth, dst, True)
                # A call's final status: the last final response to its
                # opening method that reached the caller (a challenge is
                # answered by a new request; a proxy's other legs are not
                # the caller's).
                m, caller, _ = opener.get(cid, (None, None, None))
                if int(status) >= 200 and cmeth == m and dst == caller:
                    finals[cid] = int(status)
    return {"sip_messages": msgs, "calls": len(calls),
            "methods": dict(methods), "statuses": dict(statuses),
            "finals": finals}


def our_view(path):
    r = subprocess.run([sipsift, "analyze", "-q", "--format", "json", path],
                       capture_output=True, text=True)
    report = json.loads(r.stdout)
    methods, statuses = collections.Counter(), collections.Counter()
    for call in report["calls"]:
        for m in call["messages"]:
            if "method" in m:
                methods[m["method"]] += 1
            else:
                statuses[str(m["status"])] += 1
    finals = {c["call_id"]: c["final_status"] for c in report["calls"]
              if c["final_status"] is not None}
    return {"sip_messages": report["summary"]["sip_messages"],
            "calls": report["summary"]["calls"],
            "methods": dict(methods), "statuses": dict(statuses),
            "finals": finals}


files = sorted(glob.glob("testdata/*.pcap") + glob.glob("testdata/*.pcapng") +
               glob.glob("testdata/linktypes/*.pcap*"))
# The public corpus: its counts are checked against catalog.json
# (tests/corpus_check.py); here only what the catalog does not hold, each
# call's final status.
corpus = sorted(glob.glob("testdata/corpus/*/*.pcap*"))
for path in files + corpus:
    try:
        ours = our_view(path)
    except ValueError as e:
        print(f"not ok tshark/{path}: no report ({e})")
        continue
    theirs = tshark_cache.view("sip", tshark_view, path)
    for check in ours:
        if path in corpus and check != "finals":
            continue
        known = diffs.get((path, check))
        if known == "-":
            continue
        want = theirs[check] if known is None else int(known)
        if ours[check] == want:
            print(f"ok tshark/{path}/{check}")
        else:
            print(f"not ok tshark/{path}/{check}: {ours[check]}, expected {want} (tshark: {theirs[check]})")
if tshark_cache.misses():
    print(f"note: tshark ran on {tshark_cache.misses()} captures not in tests/tshark-cache.json (tests/tshark-cache-update adds them)")
