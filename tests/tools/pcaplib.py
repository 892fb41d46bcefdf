"""Minimal pcap / pcapng reading and writing for the sipsift test tools (standard library only).

Reader: classic pcap (either byte order, microsecond or nanosecond magic) and pcapng (SHB, IDB,
EPB, SPB, OPB; several interfaces; if_tsresol). Packets are returned as Packet(ts_ns, data,
orig_len, linktype). Writer: classic pcap (micro or nano) or pcapng (one IDB per link type).
"""

import struct
from collections import namedtuple

Packet = namedtuple("Packet", "ts_ns data orig_len linktype")

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
PCAPNG_SHB = 0x0A0D0D0A
PCAPNG_BOM = 0x1A2B3C4D

# link types used here (LINKTYPE_* values as written into files)
LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_LINUX_SLL2 = 276


class PcapError(Exception):
    pass


def read_packets(path):
    """Return (linktype_of_first_interface, [Packet, ...]) for a pcap or pcapng file."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 24:
        raise PcapError("%s: too short to be a capture" % path)
    magic_le = struct.unpack("<I", buf[:4])[0]
    magic_be = struct.unpack(">I", buf[:4])[0]
    if magic_le == PCAPNG_SHB:
        return _read_pcapng(path, buf)
    for endian, magic in (("<", magic_le), (">", magic_be)):
        if magic in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
            return _read_pcap(path, buf, endian, magic == PCAP_MAGIC_NS)
    raise PcapError("%s: not a pcap or pcapng file" % path)


def _read_pcap(path, buf, e, nano):
    _, _, _, _, _, snaplen, linktype = struct.unpack(e + "IHHiIII", buf[:24])
    linktype &= 0x0FFFFFFF
    pkts = []
    off = 24
    while off + 16 <= len(buf):
        sec, frac, incl, orig = struct.unpack(e + "IIII", buf[off:off + 16])
        off += 16
        if off + incl > len(buf):
            raise PcapError("%s: last packet cut off" % path)
        ts = sec * 1000000000 + (frac if nano else frac * 1000)
        pkts.append(Packet(ts, buf[off:off + incl], orig, linktype))
        off += incl
    return linktype, pkts


def _read_pcapng(path, buf):
    off = 0
    e = "<"
    ifaces = []  # (linktype, ts_units_per_second)
    pkts = []
    while off + 12 <= len(buf):
        btype = struct.unpack(e + "I", buf[off:off + 4])[0]
        if btype == PCAPNG_SHB:
            bom = buf[off + 8:off + 12]
            e = "<" if struct.unpack("<I", bom)[0] == PCAPNG_BOM else ">"
            ifaces = []
        blen = struct.unpack(e + "I", buf[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(buf):
            raise PcapError("%s: damaged pcapng block at offset %d" % (path, off))
        body = buf[off + 8:off + blen - 4]
        if btype == 1:  # IDB
            linktype = struct.unpack(e + "H", body[:2])[0]
            units = 1000000
            o = 8
            while o + 4 <= len(body):
                code, olen = struct.unpack(e + "HH", body[o:o + 4])
                if code == 0:
                    break
                if code == 9 and olen >= 1:  # if_tsresol
                    v = body[o + 4]
                    units = 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
                o += 4 + ((olen + 3) & ~3)
            ifaces.append((linktype, units))
        elif btype in (6, 2):  # EPB, obsolete PB
            if btype == 6:
                ifid, tsh, tsl, incl, orig = struct.unpack(e + "IIIII", body[:20])
            else:
                ifid, _, tsh, tsl, incl, orig = struct.unpack(e + "HHIIII", body[:20])
            lt, units = ifaces[ifid]
            ts = (tsh << 32) | tsl
            ts_ns = ts * 1000000000 // units
            pkts.append(Packet(ts_ns, body[20:20 + incl], orig, lt))
        elif btype == 3:  # SPB
            orig = struct.unpack(e + "I", body[:4])[0]
            lt, _ = ifaces[0]
            pkts.append(Packet(0, body[4:4 + orig], orig, lt))
        off += blen
    if not ifaces:
        raise PcapError("%s: pcapng file without an interface" % path)
    return ifaces[0][0], pkts


class Writer:
    """Write packets as classic pcap (default) or pcapng; nanosecond resolution on request."""

    def __init__(self, path, linktype, pcapng=False, nanosecond=False, snaplen=262144):
        self.f = open(path, "wb")
        self.pcapng = pcapng
        self.nano = nanosecond
        self.linktype = linktype
        self.snaplen = snaplen
        if pcapng:
            shb_body = struct.pack("<IHHq", PCAPNG_BOM, 1, 0, -1)
            opt = _pcapng_opt(4, b"sipsift tests/tools") + struct.pack("<HH", 0, 0)
            self._block(PCAPNG_SHB, shb_body + opt)
            idb = struct.pack("<HHI", linktype, 0, snaplen)
            opts = b""
            if nanosecond:
                opts += _pcapng_opt(9, b"\x09")
            opts += struct.pack("<HH", 0, 0)
            self._block(1, idb + opts)
        else:
            magic = PCAP_MAGIC_NS if nanosecond else PCAP_MAGIC_US
            self.f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))

    def _block(self, btype, body):
        pad = (-len(body)) % 4
        blen = 12 + len(body) + pad
        self.f.write(struct.pack("<II", btype, blen) + body + b"\0" * pad + struct.pack("<I", blen))

    def write(self, ts_ns, data, orig_len=None):
        if orig_len is None:
            orig_len = len(data)
        if self.pcapng:
            ts = ts_ns if self.nano else ts_ns // 1000
            body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), orig_len) + data
            pad = (-len(data)) % 4
            self._block(6, body + b"\0" * pad)
        else:
            sec, ns = divmod(ts_ns, 1000000000)
            frac = ns if self.nano else ns // 1000
            self.f.write(struct.pack("<IIII", sec, frac, len(data), orig_len) + data)

    def close(self):
        self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def _pcapng_opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * ((-len(value)) % 4)


def ip_checksum(hdr):
    if len(hdr) % 2:
        hdr += b"\0"
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4_header(src, dst, proto, payload_len, ident=0, ttl=64):
    """A 20-byte IPv4 header (DF not set, checksum filled in). src/dst as bytes(4)."""
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident & 0xFFFF, 0, ttl, proto, 0,
                    src, dst)
    return h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]
