#!/usr/bin/env python3
"""Makes the hostile suite's inputs in OUTDIR (tests/hostile/run.sh).

  many-calls.pcap   1500 INVITEs over UDP, each its own call: a report long
                    enough (hundreds of KiB) to fill a pipe whose reader
                    has gone away.
  hostile.pcap      testdata/lint-content-length-mismatch.pcap with the
                    Call-ID of its first call and the caller's user part
                    replaced, byte for byte (same lengths, so every length
                    field stays right), by terminal escapes, malformed
                    UTF-8, C1 controls and bidi overrides.

Usage: mkinputs.py TESTDATA_DIR OUTDIR
"""
import os
import struct
import sys


def pcap_header():
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_frame(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                     17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + udp


def record(ts_us, frame):
    return struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000,
                       len(frame), len(frame)) + frame


def many_calls(path, n=1500):
    out = [pcap_header()]
    t = 1764139200 * 1000000
    for i in range(n):
        sip = ("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:alice%d@192.0.2.1>;tag=a%d\r\n"
               "To: <sip:bob@192.0.2.2>\r\n"
               "Call-ID: many-%d@192.0.2.1\r\n"
               "CSeq: 1 INVITE\r\n"
               "Contact: <sip:alice@192.0.2.1:5060>\r\n"
               "Content-Length: 0\r\n\r\n" % (i, i, i, i)).encode()
        out.append(record(t + i * 10000,
                          udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060, sip)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ESC ] 0 ; BEL (sets a terminal's title), the one-byte CSI 0x9b, 0xff (never
# UTF-8), U+009B (C1 CSI, well-formed), U+202E RIGHT-TO-LEFT OVERRIDE, 'A',
# U+2066 LEFT-TO-RIGHT ISOLATE.
HOSTILE_CALL_ID = b"\x1b]0;\x07\x9b\xff\xc2\x9b\xe2\x80\xaeA\xe2\x81\xa6@h"
# U+202E and 0x9b in the caller's user part (the calls table's From column).
HOSTILE_USER = b"sip:\xe2\x80\xae\x9b@"


def hostile(testdata, path):
    with open(os.path.join(testdata, "lint-content-length-mismatch.pcap"), "rb") as f:
        d = f.read()
    old_id = b"1-22676@127.0.0.10"
    assert len(old_id) == len(HOSTILE_CALL_ID) and old_id in d
    d = d.replace(old_id, HOSTILE_CALL_ID)
    old_user = b"sip:sipp@"
    assert len(old_user) == len(HOSTILE_USER) and old_user in d
    d = d.replace(old_user, HOSTILE_USER)
    with open(path, "wb") as f:
        f.write(d)


def main():
    testdata, outdir = sys.argv[1], sys.argv[2]
    many_calls(os.path.join(outdir, "many-calls.pcap"))
    hostile(testdata, os.path.join(outdir, "hostile.pcap"))


if __name__ == "__main__":
    main()
