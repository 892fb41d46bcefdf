#!/usr/bin/env python3
"""srtp-early-tcp.pcap: the real baresip call over TCP (srtp-dtmf-call-tcp.pcap,
baresip -> kamailio -> baresip, SDES-SRTP) with the two 200 OKs that carry the
answer's key (and the TCP ACKs and SIP ACKs around them) moved after frame
100, as a capture taken where the TCP signalling is late would hold them: the
first 80 or so SRTP/SRTCP packets of both directions precede the SDP with
their key.  Nothing else changes (bytes, order of the rest); the moved packets
take timestamps just after frame 100's, so that time still runs forward.

    python3 testdata/make-srtp-early-tcp.py   (from the top of the tree)
"""
import struct
import sys

sys.path.insert(0, "tests/tools")
import pcaplib  # noqa: E402

SRC = "testdata/srtp-dtmf-call-tcp.pcap"
OUT = "testdata/srtp-early-tcp.pcap"
MOVED = [19, 20, 21, 22, 23, 26, 27]   # 1-based frame numbers
AFTER = 100

linktype, pkts = pcaplib.read_packets(SRC)
moved = [pkts[i - 1] for i in MOVED]
rest = [p for i, p in enumerate(pkts, 1) if i not in MOVED]
at = rest.index(pkts[AFTER - 1]) + 1
base = pkts[AFTER - 1].ts_ns
moved = [p._replace(ts_ns=base + 1000 * (k + 1)) for k, p in enumerate(moved)]
out = rest[:at] + moved + rest[at:]
assert all(a.ts_ns <= b.ts_ns for a, b in zip(out, out[1:])), "time runs back"
with open(OUT, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
    for p in out:
        f.write(struct.pack("<IIII", p.ts_ns // 10**9, (p.ts_ns % 10**9) // 1000,
                            len(p.data), p.orig_len))
        f.write(p.data)
print("%s: %d packets, frames %s moved after frame %d" % (OUT, len(out), MOVED, AFTER))
