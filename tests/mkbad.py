"""Writes damaged and unusual captures for tests/cli.sh, from a good one.

usage: mkbad.py GOOD.pcap OUTDIR
Writes: snapped.pcap (every packet cut to 60 bytes by "snaplen"),
linktype147.pcap (the same packets under an unsupported link type),
damaged.pcapng (a pcapng whose third block has an impossible length),
mixed.pcapng (interfaces of two link types: Ethernet and Linux SLL2).
"""
import os
import struct
import sys

good, out = sys.argv[1], sys.argv[2]
data = open(good, "rb").read()
magic = struct.unpack("<I", data[:4])[0]
assert magic == 0xA1B2C3D4, "expects a little-endian microsecond pcap"
hdr = bytearray(data[:24])
pkts = []
off = 24
while off + 16 <= len(data):
    sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
    pkts.append((sec, usec, orig, data[off + 16:off + 16 + incl]))
    off += 16 + incl


def pcap(path, linktype, cut=None):
    h = bytearray(hdr)
    struct.pack_into("<I", h, 20, linktype)
    if cut:
        struct.pack_into("<I", h, 16, cut)
    with open(os.path.join(out, path), "wb") as f:
        f.write(h)
        for sec, usec, orig, p in pkts:
            p = p[:cut] if cut else p
            f.write(struct.pack("<IIII", sec, usec, len(p), orig) + p)


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(linktype):
    return block(1, struct.pack("<HHI", linktype, 0, 262144))


def epb(iface, sec, usec, p, orig):
    ts = sec * 1000000 + usec
    return block(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF,
                                len(p), orig) + p)


def sll2(p):
    # SLL2: protocol, reserved, ifindex, arphrd, pkttype, addrlen, addr[8]
    return struct.pack(">HHIHBB8s", struct.unpack(">H", p[12:14])[0], 0, 1,
                       1, 0, 6, p[6:12] + b"\0\0") + p[14:]


pcap("snapped.pcap", 1, cut=60)
pcap("linktype147.pcap", 147)
with open(os.path.join(out, "damaged.pcapng"), "wb") as f:
    f.write(shb() + idb(1))
    sec, usec, orig, p = pkts[0]
    f.write(epb(0, sec, usec, p, orig))
    f.write(struct.pack("<II", 6, 7) + b"\0" * 64)
with open(os.path.join(out, "mixed.pcapng"), "wb") as f:
    f.write(shb() + idb(1) + idb(276))
    for i, (sec, usec, orig, p) in enumerate(pkts):
        if i % 2:
            q = sll2(p)
            f.write(epb(1, sec, usec, q, len(q)))
        else:
            f.write(epb(0, sec, usec, p, orig))
