#!/usr/bin/env python3
"""relink.py IN OUT --link TYPE [--pcapng] [--nanosecond] [--af6 N]

Rewrite every packet of an Ethernet capture (as tcpdump writes it on lo or a veth) into another
link layer or encapsulation, so that one real capture exercises every link-layer decoder.
Standard library only.

TYPE (link type written to OUT):
  ether    copy (Ethernet, 1)
  pcapng   same link layer, pcapng format (SHB + IDB + EPBs); same as --link ether --pcapng
  sll      Linux cooked v1 (113): 16-byte header, ARPHRD_ETHER, packet type "to us"
  sll2     Linux cooked v2 (276): 20-byte header with ifindex 1
  raw      raw IP (101): IPv4 and IPv6 packets only, others dropped
  ipv4     raw IPv4 (228): IPv4 packets only
  ipv6     raw IPv6 (229): IPv6 packets only
  null     BSD loopback DLT_NULL (0): 4-byte AF in host (here: little-endian) byte order,
           AF_INET=2, AF_INET6=--af6 (24 unless told: NetBSD/OpenBSD; 28 FreeBSD, 30 macOS)
  loop     OpenBSD loopback (108): 4-byte AF in network byte order
  vlan     Ethernet with an 802.1Q tag (TPID 0x8100, VID 100) inserted
  qinq     Ethernet with 802.1ad outer tag (TPID 0x88a8, VID 200) + 802.1Q inner tag (VID 100)
  gre      Ethernet + outer IPv4 (198.18.255.1 > .2, proto 47) + GRE (0x0800 / 0x86dd) + IP packet
  vxlan    Ethernet + outer IPv4 + UDP (dst 4789) + VXLAN (VNI 100) + original Ethernet frame
  ipip     Ethernet + outer IPv4 protocol 4 (IPv4 inner) / 41 (IPv6 inner) + IP packet
  pppoe    Ethernet type 0x8864 + PPPoE session header (session 1) + PPP 0x0021 / 0x0057 + IP
  erspan2  Ethernet + outer IPv4 + GRE (S bit, proto 0x88be) + 8-byte ERSPAN type II header
           (session 1) + original Ethernet frame
Encapsulations wrap IP packets only (vxlan and erspan2: every frame); a frame that cannot be
wrapped (ARP, say) is written unchanged as plain Ethernet, so packet numbers stay aligned with
the input, except for raw/ipv4/ipv6 which drop what they cannot carry (reported on stderr).

--pcapng writes pcapng instead of classic pcap; --nanosecond writes the nanosecond pcap magic
(pcapng: if_tsresol=9).
"""

import argparse
import struct
import sys
import zlib

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import pcaplib  # noqa: E402

ETH_IPV4, ETH_IPV6, ETH_ARP = 0x0800, 0x86DD, 0x0806
ETH_VLAN, ETH_QINQ, ETH_PPPOE_S, ETH_ERSPAN2 = 0x8100, 0x88A8, 0x8864, 0x88BE

OUTER_SRC_MAC = bytes.fromhex("020000000001")
OUTER_DST_MAC = bytes.fromhex("020000000002")
OUTER_SRC_IP = bytes([198, 18, 255, 1])
OUTER_DST_IP = bytes([198, 18, 255, 2])

LINKTYPES = {
    "ether": pcaplib.LINKTYPE_ETHERNET, "pcapng": pcaplib.LINKTYPE_ETHERNET,
    "sll": pcaplib.LINKTYPE_LINUX_SLL, "sll2": pcaplib.LINKTYPE_LINUX_SLL2,
    "raw": pcaplib.LINKTYPE_RAW, "ipv4": pcaplib.LINKTYPE_IPV4, "ipv6": pcaplib.LINKTYPE_IPV6,
    "null": pcaplib.LINKTYPE_NULL, "loop": pcaplib.LINKTYPE_LOOP,
    "vlan": pcaplib.LINKTYPE_ETHERNET, "qinq": pcaplib.LINKTYPE_ETHERNET,
    "gre": pcaplib.LINKTYPE_ETHERNET, "vxlan": pcaplib.LINKTYPE_ETHERNET,
    "ipip": pcaplib.LINKTYPE_ETHERNET, "pppoe": pcaplib.LINKTYPE_ETHERNET,
    "erspan2": pcaplib.LINKTYPE_ETHERNET,
}


def split_ether(frame):
    """(dst, src, ethertype, payload) of an Ethernet frame, skipping any VLAN tags."""
    if len(frame) < 14:
        return None
    dst, src = frame[0:6], frame[6:12]
    off = 12
    etype = struct.unpack("!H", frame[off:off + 2])[0]
    while etype in (ETH_VLAN, ETH_QINQ) and len(frame) >= off + 6:
        off += 4
        etype = struct.unpack("!H", frame[off:off + 2])[0]
    return dst, src, etype, frame[off + 2:]


class Relinker:
    def __init__(self, kind, af6):
        self.kind = kind
        self.af6 = af6
        self.ident = 0
        self.seq = 0

    def outer_ipv4_eth(self, proto, payload):
        self.ident += 1
        return (OUTER_DST_MAC + OUTER_SRC_MAC + struct.pack("!H", ETH_IPV4) +
                pcaplib.ipv4_header(OUTER_SRC_IP, OUTER_DST_IP, proto, len(payload), self.ident) +
                payload)

    def convert(self, frame):
        """Return the new frame bytes, or None to drop it."""
        k = self.kind
        if k in ("ether", "pcapng"):
            return frame
        parts = split_ether(frame)
        if parts is None:
            return None if k in ("raw", "ipv4", "ipv6", "null", "loop") else frame
        dst, src, etype, payload = parts
        is_ip = etype in (ETH_IPV4, ETH_IPV6)
        if k == "sll":
            return struct.pack("!HHH", 0, 1, 6) + src + b"\0\0" + struct.pack("!H", etype) + payload
        if k == "sll2":
            return (struct.pack("!HHIHBB", etype, 0, 1, 1, 0, 6) + src + b"\0\0" + payload)
        if k == "raw":
            return payload if is_ip else None
        if k == "ipv4":
            return payload if etype == ETH_IPV4 else None
        if k == "ipv6":
            return payload if etype == ETH_IPV6 else None
        if k in ("null", "loop"):
            if not is_ip:
                return None
            af = 2 if etype == ETH_IPV4 else self.af6
            return struct.pack("<I" if k == "null" else "!I", af) + payload
        if k == "vlan":
            return dst + src + struct.pack("!HHH", ETH_VLAN, 100, etype) + payload
        if k == "qinq":
            return dst + src + struct.pack("!HHHHH", ETH_QINQ, 200, ETH_VLAN, 100, etype) + payload
        if k == "gre":
            if not is_ip:
                return frame
            return self.outer_ipv4_eth(47, struct.pack("!HH", 0, etype) + payload)
        if k == "ipip":
            if not is_ip:
                return frame
            return self.outer_ipv4_eth(4 if etype == ETH_IPV4 else 41, payload)
        if k == "vxlan":
            vx = struct.pack("!BBHI", 0x08, 0, 0, 100 << 8) + frame
            sport = 49152 + (zlib.crc32(frame[:14]) & 0x3FFF)  # per-flow-ish, as VTEPs do
            udp = struct.pack("!HHHH", sport, 4789, 8 + len(vx), 0) + vx
            return self.outer_ipv4_eth(17, udp)
        if k == "pppoe":
            if not is_ip:
                return frame
            ppp = struct.pack("!H", 0x0021 if etype == ETH_IPV4 else 0x0057) + payload
            return (dst + src + struct.pack("!HBBHH", ETH_PPPOE_S, 0x11, 0x00, 0x0001, len(ppp)) +
                    ppp)
        if k == "erspan2":
            self.seq += 1
            # GRE: S bit (sequence number present) => ERSPAN type II
            gre = struct.pack("!HHI", 0x1000, ETH_ERSPAN2, self.seq)
            # ERSPAN II: Ver=1 | VLAN=0 ; COS=0 En=0 T=0 Session=1 ; Reserved=0 | Index=0
            ersp = struct.pack("!HHI", (1 << 12) | 0, 1, 0)
            return self.outer_ipv4_eth(47, gre + ersp + frame)
        raise ValueError(k)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--link", required=True, choices=sorted(LINKTYPES))
    ap.add_argument("--pcapng", action="store_true", help="write pcapng (EPB, one IDB)")
    ap.add_argument("--nanosecond", action="store_true", help="nanosecond timestamps")
    ap.add_argument("--af6", type=int, default=24,
                    help="AF_INET6 value for null/loop (default 24; FreeBSD 28, macOS 30)")
    a = ap.parse_args(argv)

    try:
        linktype, pkts = pcaplib.read_packets(a.input)
    except (OSError, pcaplib.PcapError) as e:
        print("relink.py: %s" % e, file=sys.stderr)
        return 3
    if linktype != pcaplib.LINKTYPE_ETHERNET:
        print("relink.py: %s: link type %d, only Ethernet (1) input is supported"
              % (a.input, linktype), file=sys.stderr)
        return 3
    r = Relinker(a.link, a.af6)
    dropped = 0
    with pcaplib.Writer(a.output, LINKTYPES[a.link], pcapng=a.pcapng or a.link == "pcapng",
                        nanosecond=a.nanosecond) as w:
        for p in pkts:
            out = r.convert(p.data)
            if out is None:
                dropped += 1
                continue
            w.write(p.ts_ns, out, p.orig_len + len(out) - len(p.data))
    if dropped:
        print("relink.py: %s: %d packet(s) not representable as %s were dropped"
              % (a.output, dropped, a.link), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
