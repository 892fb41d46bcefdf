#!/usr/bin/env python3
"""Wrap SIP messages into a classic pcap, one UDP datagram per file.

Usage: wrap_sip.py OUT.pcap FILE...

Each FILE (e.g. an RFC 4475 torture message, testdata/torture/*.dat) is
sent byte for byte as the payload of one Ethernet/IPv4/UDP packet from
10.0.0.1:5060 to 10.0.0.2:5060, in argument order (frame N is the N-th
file), one second apart. A datagram may exceed an Ethernet MTU: the IPv4
header is still well formed (total length up to 65535), which is all a
capture reader needs. Standard library only.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

SRC = bytes([10, 0, 0, 1])
DST = bytes([10, 0, 0, 2])
PORT = 5060
MAC_SRC = bytes.fromhex("020000000001")
MAC_DST = bytes.fromhex("020000000002")
MAX_PAYLOAD = 65535 - 20 - 8
T0_NS = 1700000000 * 1000000000


def frame(payload, ident):
    """Ethernet + IPv4 + UDP around payload (UDP checksum 0: not computed)."""
    udp = struct.pack("!HHHH", PORT, PORT, 8 + len(payload), 0) + payload
    ip = pcaplib.ipv4_header(SRC, DST, 17, len(udp), ident=ident)
    return MAC_DST + MAC_SRC + struct.pack("!H", 0x0800) + ip + udp


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: wrap_sip.py OUT.pcap FILE...\n")
        return 2
    out, files = argv[1], argv[2:]
    payloads = []
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) > MAX_PAYLOAD:
            sys.stderr.write("wrap_sip.py: %s: %d bytes do not fit in one UDP datagram\n"
                             % (path, len(data)))
            return 1
        payloads.append(data)
    with pcaplib.Writer(out, pcaplib.LINKTYPE_ETHERNET) as w:
        for i, data in enumerate(payloads):
            w.write(T0_NS + i * 1000000000, frame(data, i + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
