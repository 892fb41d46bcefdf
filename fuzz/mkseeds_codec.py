"""Seeds for fuzz_codec (see its header comment) from the RTP payloads of
the bundled plain RTP calls, and a few made here.

usage: mkseeds_codec.py OUTDIR
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "tools"))
import pcaplib  # noqa: E402

CODECS = {"pcmu": 0, "pcma": 1, "g722": 2, "g729": 3, "opus": 4, "l16": 5}
here = os.path.join(os.path.dirname(__file__), "..", "testdata")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def rec(payload, flags=0, step=160):
    return struct.pack("!HBH", len(payload), flags, step) + payload


def payloads(path, src=b"\x7f\x00\x00\x0a", limit=40):
    _, pkts = pcaplib.read_packets(path)
    for p in pkts:
        d = p.data
        if len(d) < 54 or d[12:14] != b"\x08\x00" or d[23] != 17 or d[26:30] != src:
            continue
        u = 14 + (d[14] & 15) * 4
        pl = d[u + 8:]
        if len(pl) > 12 and pl[0] == 0x80 and not pl.startswith(b"SIP"):
            yield pl[12:]
            limit -= 1
            if not limit:
                return


for name, step in (("pcma", 160), ("g722", 160), ("opus", 960)):
    seed = bytes([CODECS[name], 0])
    for i, pl in enumerate(payloads(os.path.join(here, "audio-%s.pcap" % name))):
        flags = [0, 0, 0, 0, 0, 2, 0, 4, 0, 8, 1, 0, 24][i % 13]
        seed += rec(pl, flags, step if i % 7 != 3 else 2 * step)
    open(os.path.join(out, "%s.seed" % name), "wb").write(seed)
rnd = random.Random(7)
# G.729: 10-byte frames, a 2-byte SID, a 7-byte runt.
seed = bytes([CODECS["g729"], 0])
for i in range(20):
    seed += rec(bytes(rnd.randrange(256) for _ in range(20)), 0, 160)
seed += rec(b"\x12\x34", 0, 160) + rec(b"\x01" * 7, 0, 160) + rec(b"\x00" * 12, 0, 160)
open(os.path.join(out, "g729.seed"), "wb").write(seed)
# L16 stereo, odd lengths; PCMU with every flag.
seed = bytes([CODECS["l16"], 1]) + rec(bytes(range(64)), 0, 16) + rec(b"\x01\x02\x03", 0, 16)
open(os.path.join(out, "l16.seed"), "wb").write(seed)
seed = bytes([CODECS["pcmu"], 0]) + b"".join(rec(bytes([i]) * 160, i, 160) for i in range(32))
open(os.path.join(out, "pcmu.seed"), "wb").write(seed)
