#!/usr/bin/env python3
"""Rewrites a real capture (Ethernet/IPv4/UDP) for the audio export tests.

    audio_mutate.py loss IN OUT SRC_IP
        RTP sent from SRC_IP: every 10th packet dropped, every 11th swapped
        with the one after it, every 13th sent twice. Prints the RTP
        timestamp span of what is left (last - first + one packet's step),
        which the decoded WAV must be as long as.
    audio_mutate.py jump IN OUT SRC_IP
        RTP sent from SRC_IP: from the middle packet on, timestamps leap
        by two hours (a sender that reset its clock). Prints the span the
        timestamps had before.
    audio_mutate.py stray IN OUT SRC_IP
        RTP sent from SRC_IP: the first packet's payload type becomes 99,
        which no rtpmap names (a stray packet before the audio).
    audio_mutate.py ahead IN OUT SRC_IP
        RTP sent from SRC_IP: packet k's timestamp moves 59 s * k ahead
        (each step under a reset's 60 s, together far ahead of the capture
        clock). Prints the capture span of those packets in ms.
    audio_mutate.py names IN OUT
        SIP: the caller's user part and the Call-ID become path tricks
        (../../etc/passwd); IP and UDP lengths follow.

Standard library only."""
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

EVIL = b"../../etc/passwd"


def udp_of(data):
    """(ip header offset, ihl, udp offset, payload) or None."""
    if len(data) < 14 + 20 + 8 or data[12:14] != b"\x08\x00":
        return None
    ihl = (data[14] & 0x0F) * 4
    if data[14 + 9] != 17:
        return None
    u = 14 + ihl
    return 14, ihl, u, data[u + 8:]


def rtp_ts(payload):
    if len(payload) < 12 or payload[0] >> 6 != 2 or 72 <= (payload[1] & 0x7F) <= 76:
        return None
    if payload.startswith(b"SIP/2.0") or b" SIP/2.0\r\n" in payload[:200]:
        return None
    return struct.unpack("!I", payload[4:8])[0]


def loss(src, dst, ip):
    lt, pkts = pcaplib.read_packets(src)
    want = bytes(int(x) for x in ip.split("."))
    out, mine = [], []
    for p in pkts:
        u = udp_of(p.data)
        if u and p.data[u[0] + 12:u[0] + 16] == want and rtp_ts(u[3]) is not None:
            mine.append(len(out))
        out.append(p)
    keep = []
    for i, p in enumerate(out):
        if i in mine:
            k = mine.index(i)
            if k % 10 == 3:
                continue
            if k % 13 == 0:
                keep.append(p)
        keep.append(p)
    # Swaps, among the kept packets of the direction (times stay in order).
    idx = [i for i, p in enumerate(keep) if id(p) in {id(out[m]) for m in mine}]
    for n in range(5, len(idx) - 1, 11):
        a, b = idx[n], idx[n + 1]
        keep[a], keep[b] = (keep[b]._replace(ts_ns=keep[a].ts_ns),
                            keep[a]._replace(ts_ns=keep[b].ts_ns))
    tss = sorted({rtp_ts(udp_of(keep[i].data)[3]) for i in idx})
    steps = sorted(b - a for a, b in zip(tss, tss[1:]))
    step = steps[len(steps) // 2]
    with pcaplib.Writer(dst, lt) as w:
        for p in keep:
            w.write(p.ts_ns, p.data, p.orig_len)
    print(tss[-1] - tss[0] + step)


def jump(src, dst, ip):
    lt, pkts = pcaplib.read_packets(src)
    want = bytes(int(x) for x in ip.split("."))
    mine = [i for i, p in enumerate(pkts)
            if (u := udp_of(p.data)) and p.data[u[0] + 12:u[0] + 16] == want
            and rtp_ts(u[3]) is not None]
    tss = [rtp_ts(udp_of(pkts[i].data)[3]) for i in mine]
    steps = sorted(b - a for a, b in zip(tss, tss[1:]))
    print(tss[-1] - tss[0] + steps[len(steps) // 2])
    with pcaplib.Writer(dst, lt) as w:
        for i, p in enumerate(pkts):
            data = p.data
            if i in mine[len(mine) // 2:]:
                u = udp_of(data)
                off = u[2] + 8 + 4
                ts = (struct.unpack("!I", data[off:off + 4])[0] + 2 * 3600 * 8000) & 0xFFFFFFFF
                data = data[:off] + struct.pack("!I", ts) + data[off + 4:]
            w.write(p.ts_ns, data, p.orig_len)


def rewrite(src, dst, ip, fix):
    """Writes src to dst with fix(k, rtp bytes) applied to the k-th RTP
    packet sent from ip; returns the capture times of those packets."""
    lt, pkts = pcaplib.read_packets(src)
    want = bytes(int(x) for x in ip.split("."))
    times, k = [], 0
    with pcaplib.Writer(dst, lt) as w:
        for p in pkts:
            data = p.data
            u = udp_of(data)
            if u and data[u[0] + 12:u[0] + 16] == want and rtp_ts(u[3]) is not None:
                off = u[2] + 8
                data = data[:off] + fix(k, data[off:])
                times.append(p.ts_ns)
                k += 1
            w.write(p.ts_ns, data, p.orig_len)
    return times


def stray(src, dst, ip):
    rewrite(src, dst, ip, lambda k, r: r if k else r[:1] + bytes([(r[1] & 0x80) | 99]) + r[2:])


def ahead(src, dst, ip):
    def fix(k, r):
        ts = (struct.unpack("!I", r[4:8])[0] + k * 59 * 8000) & 0xFFFFFFFF
        return r[:4] + struct.pack("!I", ts) + r[8:]
    times = rewrite(src, dst, ip, fix)
    print((times[-1] - times[0]) // 1000000)


def names(src, dst):
    lt, pkts = pcaplib.read_packets(src)
    with pcaplib.Writer(dst, lt) as w:
        for p in pkts:
            u = udp_of(p.data)
            data = p.data
            if u and (b"SIP/2.0" in u[3][:300]):
                ipo, ihl, uo, body = u
                body = body.replace(b"sip:alice@", b"sip:" + EVIL + b"@")
                body = re.sub(rb"(?im)^(call-id|i):[ \t]*", lambda m: m.group(0) + EVIL + b"/", body)
                # Content-Length counts the body only: unchanged (SDP untouched).
                iph = bytearray(data[ipo:ipo + ihl])
                struct.pack_into("!H", iph, 2, ihl + 8 + len(body))
                struct.pack_into("!H", iph, 10, 0)
                struct.pack_into("!H", iph, 10, pcaplib.ip_checksum(bytes(iph)))
                udph = bytearray(data[uo:uo + 8])
                struct.pack_into("!HH", udph, 4, 8 + len(body), 0)
                data = data[:ipo] + bytes(iph) + bytes(udph) + body
            w.write(p.ts_ns, data, len(data))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "loss":
        loss(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "jump":
        jump(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "stray":
        stray(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "ahead":
        ahead(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "names":
        names(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
