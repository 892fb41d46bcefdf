#!/usr/bin/env python3
"""RTCP round trip (RFC 3550 6.4.1) of sipsift against tshark, on captures with SR/RR.

For each report block whose LSR tshark matched to a captured SR (rtcp.lsr-frame), the round
trip is the report's capture time less the SR's, less DLSR; sipsift's per-stream samples
(count, min, max, mean) must equal those worked from tshark's fields to 1 microsecond, and
tshark's own rtcp.roundtrip-delay (whole ms, each term truncated) must be within 2 ms of them.
Usage: tests/rtt_check.py [SIPSIFT] CAPTURE...; prints ok/not ok lines."""
import json
import subprocess
import sys

sipsift = "./sipsift"
args = sys.argv[1:]
if args and not args[0].endswith(("cap", "pcap", "pcapng")):
    sipsift, args = args[0], args[1:]

def tshark(path):
    out = subprocess.run(
        ["tshark", "-r", path, "-o", "rtcp.show_roundtrip_calculation:TRUE",
         "-o", "rtcp.roundtrip_min_threshhold:0", "-Y", "rtcp", "-T", "fields",
         "-e", "frame.number", "-e", "frame.time_epoch", "-e", "rtcp.ssrc.identifier",
         "-e", "rtcp.ssrc.dlsr", "-e", "rtcp.lsr-frame", "-e", "rtcp.roundtrip-delay"],
        capture_output=True, text=True, check=True).stdout
    rows = [l.split("\t") for l in out.splitlines()]
    when = {r[0]: float(r[1]) for r in rows}
    samples = {}
    for fn, _, ids, dlsr, lsrf, ws in rows:
        if not lsrf or not dlsr:
            continue
        about = int(ids.split(",")[0], 16)
        ms = (when[fn] - when[lsrf]) * 1000.0 - int(dlsr.split(",")[0]) * 1000.0 / 65536
        if ms < -1.0 or ms > 10000.0:
            continue
        ms = max(ms, 0.0)
        samples.setdefault(about, []).append((ms, int(ws) if ws else None))
    return samples

fails = 0
for path in args:
    rep = json.loads(subprocess.run([sipsift, "analyze", "--format", "json", path],
                                    capture_output=True, text=True, check=True).stdout)
    ours = {int(s["ssrc"], 16): s["rtcp"] for s in rep["streams"]
            if s["kind"] == "rtp" and s.get("rtcp") and s["rtcp"]["rtt_samples"]}
    theirs = tshark(path)
    if not theirs:
        print("not ok rtt/%s: tshark finds no round trip to compare" % path)
        fails += 1
        continue
    for ssrc, smp in sorted(theirs.items()):
        name = "rtt/%s/0x%08x" % (path.split("/")[-1], ssrc)
        vals = [m for m, _ in smp]
        o = ours.get(ssrc)
        want = (len(vals), min(vals), max(vals), sum(vals) / len(vals))
        got = o and (o["rtt_samples"], o["rtt_ms_min"], o["rtt_ms_max"], o["rtt_ms_mean"])
        ws_ok = all(w is None or -1 <= w - m <= 2 for m, w in smp)
        if not got or got[0] != want[0] or any(abs(a - b) > 0.001 for a, b in zip(got[1:], want[1:])):
            print("not ok %s: sipsift %s, from tshark's fields %s" % (name, got, want))
            fails += 1
        elif not ws_ok:
            print("not ok %s: tshark's roundtrip-delay %s far from %s" % (name, [w for _, w in smp], vals))
            fails += 1
        else:
            print("ok %s: %d samples, mean %.3f ms (tshark %s ms)" % (name, want[0], want[3],
                  ",".join(str(w) for _, w in smp)))
sys.exit(1 if fails else 0)
