"""Rewrites the SDES keys in a capture's SDP, in place in each packet, to
make the SRTP cases a real stack will not produce on purpose.

usage: mutate_sdp.py IN OUT --wrong-key | --no-crypto | --bad-key
  --wrong-key  every a=crypto inline key gets its first base64 character
               changed (same length: the SIP message stays valid), so no
               key of the call authenticates the media
  --no-crypto  every "a=crypto:" becomes "a=crypt0:" (same length), so the
               SDP offers RTP/SAVP without any SDES key
  --bad-key    every inline key gets a '*' for its first character: no
               base64, the a=crypto line is unusable
UDP checksums of changed packets are zeroed (no checksum, RFC 768).
"""
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402

src, dst, mode = sys.argv[1], sys.argv[2], sys.argv[3]
lt, pkts = pcaplib.read_packets(src)


def mutate(data):
    if mode == "--no-crypto":
        return data.replace(b"a=crypto:", b"a=crypt0:")
    if mode == "--bad-key":
        return re.sub(rb"inline:[A-Za-z0-9+/]", b"inline:*", data)

    def swap(m):
        k = m.group(1)
        first = b"B" if k[:1] != b"B" else b"C"
        return b"inline:" + first + k[1:]
    return re.sub(rb"inline:([A-Za-z0-9+/])", swap, data)


with pcaplib.Writer(dst, lt) as w:
    for p in pkts:
        d = bytearray(p.data)
        new = mutate(bytes(d))
        if new != bytes(d):
            d = bytearray(new)
            # Ethernet + IPv4 + UDP on our loopback captures: zero the UDP
            # checksum so that nothing claims the old bytes.
            if lt == 1 and d[12:14] == b"\x08\x00" and d[23] == 17:
                ihl = (d[14] & 15) * 4
                struct.pack_into("!H", d, 14 + ihl + 6, 0)
        w.write(p.ts_ns, bytes(d), p.orig_len)
