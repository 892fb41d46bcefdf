#!/usr/bin/env python3
"""term_cases.py TESTDATA_DIR

Two captures for the flow layout (issue #13), rewritten from real ones:

  flow-ipv6-ula.pcap   sip-udp-ipv6.pcap (sipp over [::1]) with each party moved to
                       its own address on one /64, as SLAAC gives hosts on one LAN:
                       port 5061 -> fd17:625c:f037:2:a00:27ff:fe4e:1a2b,
                       port 5070 -> fd17:625c:f037:2:a00:27ff:fe9c:3c4d
                       (UDP checksums recomputed; the SIP text is unchanged).
  call-midnight.pcap   sip-udp-sipp.pcap with its times shifted so that the call
                       starts 0.5 s before midnight UTC (2026-11-30 23:59:59.5) and
                       ends after it (the gaps between packets kept).
Standard library only.
"""
import ipaddress
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

ULA = {
    5061: ipaddress.IPv6Address("fd17:625c:f037:2:a00:27ff:fe4e:1a2b").packed,
    5070: ipaddress.IPv6Address("fd17:625c:f037:2:a00:27ff:fe9c:3c4d").packed,
}


def udp6_checksum(src, dst, udp):
    pseudo = src + dst + struct.pack("!I3xB", len(udp), 17)
    c = pcaplib.ip_checksum(pseudo + udp)
    return c or 0xFFFF


def ula(path_in, path_out):
    lt, pkts = pcaplib.read_packets(path_in)
    with pcaplib.Writer(path_out, lt) as w:
        for p in pkts:
            d = bytearray(p.data)
            if lt != pcaplib.LINKTYPE_ETHERNET or d[12:14] != b"\x86\xdd" or d[20] != 17:
                raise SystemExit("%s: expected Ethernet/IPv6/UDP" % path_in)
            ip, udp = 14, 54
            sport, dport = struct.unpack("!HH", d[udp:udp + 4])
            d[ip + 8:ip + 24] = ULA[sport]
            d[ip + 24:ip + 40] = ULA[dport]
            d[udp + 6:udp + 8] = b"\0\0"
            plen = struct.unpack("!H", d[ip + 4:ip + 6])[0]
            c = udp6_checksum(bytes(d[ip + 8:ip + 24]), bytes(d[ip + 24:ip + 40]),
                              bytes(d[udp:udp + plen]))
            d[udp + 6:udp + 8] = struct.pack("!H", c)
            w.write(p.ts_ns, bytes(d), p.orig_len)


def midnight(path_in, path_out):
    lt, pkts = pcaplib.read_packets(path_in)
    start = 1796083199500000000   # 2026-11-30 23:59:59.5 UTC, in ns
    shift = start - pkts[0].ts_ns
    with pcaplib.Writer(path_out, lt) as w:
        for p in pkts:
            w.write(p.ts_ns + shift, p.data, p.orig_len)


def main():
    d = sys.argv[1]
    ula(os.path.join(d, "sip-udp-ipv6.pcap"), os.path.join(d, "flow-ipv6-ula.pcap"))
    midnight(os.path.join(d, "sip-udp-sipp.pcap"), os.path.join(d, "call-midnight.pcap"))


if __name__ == "__main__":
    main()
