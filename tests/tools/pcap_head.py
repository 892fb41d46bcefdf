#!/usr/bin/env python3
"""pcap_head.py IN N OUT: the first N records of the classic pcap IN,
byte for byte (header included), into OUT. For the benchmark's "first
10 % of a capture" (editcap would do, but tshark is not always there)."""
import struct
import sys


def main():
    src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(src, "rb") as f, open(dst + ".tmp", "wb") as o:
        hdr = f.read(24)
        if len(hdr) < 24:
            sys.exit(f"pcap_head: {src}: not a pcap file (too short)")
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            end = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            end = ">"
        else:
            sys.exit(f"pcap_head: {src}: not a classic pcap file")
        o.write(hdr)
        for _ in range(n):
            rec = f.read(16)
            if len(rec) < 16:
                break
            caplen = struct.unpack(end + "I", rec[8:12])[0]
            data = f.read(caplen)
            if len(data) < caplen:
                break
            o.write(rec)
            o.write(data)
    import os
    os.replace(dst + ".tmp", dst)


if __name__ == "__main__":
    main()
