#!/usr/bin/env python3
"""gen_tcp.py [--from PCAP | --builtin] [--outdir DIR] [--cases-file FILE]

Write SIP-over-TCP captures for the stream-reassembly cases a real stack will not produce on
demand. The SIP messages are taken from a real TCP capture (default:
testdata/sip-tcp-segmented.pcap, made by two sipp instances: a 3.6 KB INVITE, 100, 180,
200, ACK, BYE, 200) or, with --builtin, from a small built-in call. Each case is one complete
TCP connection (handshake, data, ACKs, FIN) between 192.0.2.10:35060 (UAC) and
192.0.2.30:5060 (UAS), Ethernet, correct IPv4 and TCP checksums, 1 ms between packets.

Cases (one file each in DIR, default testdata/):
  tcp-ooo.pcap           the INVITE in 3 segments sent 1, 3, 2 (out of order)
  tcp-retrans.pcap       an INVITE segment retransmitted after a duplicate ACK, and the BYE
                         segment retransmitted whole
  tcp-overlap.pcap       INVITE segments that overlap by 500 bytes (same bytes), and a
                         retransmission that covers the end of one message and the start of
                         the next
  tcp-gap.pcap           the middle segment of the INVITE is missing from the capture (the
                         receiver ACKs it: a capture drop); the next SIP message (ACK) starts
                         in a later segment
  tcp-many-in-one.pcap   100+180+200 in one segment, ACK+BYE in one segment
  tcp-tiny-segments.pcap every message in 40-byte segments, with extra cuts inside the
                         CRLFCRLF that ends the INVITE's headers and inside "Content-Length"
  tcp-keepalive.pcap     RFC 5626 CRLFCRLF keep-alives (and CRLF pongs) before and between
                         messages, alone and in the same segment as a message
  tcp-compact-l.pcap     the INVITE and the 200 OK use the compact form "l:" for
                         Content-Length; the INVITE body spans two segments
  tcp-oversize.pcap      first on the connection, a MESSAGE claiming Content-Length
                         2000000 (past the 1 MiB a message may have) with a one-line
                         body; then the call: the MESSAGE is skipped and reported
                         (sip-message-oversize), the call is found whole

Writes FILE (default DIR/tcp-cases.txt): "file expected_sip_messages note" per case, where
expected_sip_messages counts the complete SIP messages a correct reassembler must deliver.
Standard library only.
"""

import argparse
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRC = os.path.normpath(os.path.join(HERE, "..", "..", "testdata", "sip-tcp-segmented.pcap"))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "testdata"))

C_IP, S_IP = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 30])
C_PORT, S_PORT = 35060, 5060
C_MAC, S_MAC = bytes.fromhex("02000000000a"), bytes.fromhex("02000000001e")
T0_NS = 1700000000 * 1000000000

# --------------------------------------------------------------------------------------------
# SIP messages


def split_sip(stream):
    """Split a byte stream into SIP messages (CRLFCRLF + Content-Length / l:)."""
    msgs = []
    off = 0
    while off < len(stream):
        while stream[off:off + 2] == b"\r\n":     # keep-alives between messages
            off += 2
        if off >= len(stream):
            break
        end = stream.find(b"\r\n\r\n", off)
        if end < 0:
            break
        hdr = stream[off:end].decode("latin-1")
        m = re.search(r"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", hdr, re.I | re.M)
        clen = int(m.group(1)) if m else 0
        stop = end + 4 + clen
        if stop > len(stream):
            break
        msgs.append(stream[off:stop])
        off = stop
    return msgs


def messages_from_pcap(path):
    """[(is_client, bytes)] in wire order from the first TCP connection of a real capture."""
    linktype, pkts = pcaplib.read_packets(path)
    if linktype != pcaplib.LINKTYPE_ETHERNET:
        raise SystemExit("gen_tcp.py: %s: need an Ethernet capture" % path)
    flows = {}    # (src, sport, dst, dport) -> {seq: (ts, payload)}
    first = None
    for p in pkts:
        d = p.data
        if len(d) < 34 or struct.unpack("!H", d[12:14])[0] != 0x0800:
            continue
        ihl = (d[14] & 0x0F) * 4
        if d[23] != 6:
            continue
        src, dst = d[26:30], d[30:34]
        t = 14 + ihl
        sport, dport, seq = struct.unpack("!HHI", d[t:t + 8])
        doff = (d[t + 12] >> 4) * 4
        tot = struct.unpack("!H", d[16:18])[0]
        payload = d[t + doff:14 + tot]
        key = (src, sport, dst, dport)
        if first is None and d[t + 13] & 0x02 and not d[t + 13] & 0x10:   # SYN
            first = key
        if payload:
            flows.setdefault(key, {}).setdefault(seq, (p.ts_ns, payload))
    if first is None:
        raise SystemExit("gen_tcp.py: %s: no TCP connection found" % path)
    rev = (first[2], first[3], first[0], first[1])
    out = []
    for key, is_client in ((first, True), (rev, False)):
        segs = sorted(flows.get(key, {}).items())
        stream = b""
        starts = []        # (offset in stream, ts)
        for seq, (ts, pl) in segs:
            starts.append((len(stream), ts))
            stream += pl
        off = 0
        for m in split_sip(stream):
            pos = stream.find(m, off)
            ts = max(t for o, t in starts if o <= pos)
            out.append((ts, pos, is_client, m))
            off = pos + len(m)
    out.sort(key=lambda x: (x[0], x[1]))
    return [(c, m) for _, _, c, m in out]


def builtin_messages():
    sdp = ("v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\n"
           "c=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    pad = "x" * 2600
    common = ("From: <sip:alice@192.0.2.10>;tag=a1\r\nTo: <sip:bob@192.0.2.30>%s\r\n"
              "Call-ID: builtin-1@192.0.2.10\r\n")
    via = "Via: SIP/2.0/TCP 192.0.2.10:35060;branch=z9hG4bK%s\r\n"

    def req(method, cseq, branch, totag, body=""):
        return ("%s sip:bob@192.0.2.30:5060;transport=tcp SIP/2.0\r\n" % method + via % branch +
                common % totag + "CSeq: %d %s\r\nMax-Forwards: 70\r\n" % (cseq, method) +
                "Contact: <sip:alice@192.0.2.10:35060;transport=tcp>\r\n" +
                ("X-Pad: %s\r\nContent-Type: application/sdp\r\n" % pad if body else "") +
                "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode()

    def resp(code, reason, cseq, method, branch, totag, body=""):
        return ("SIP/2.0 %d %s\r\n" % (code, reason) + via % branch + common % totag +
                "CSeq: %d %s\r\n" % (cseq, method) +
                ("Contact: <sip:bob@192.0.2.30:5060;transport=tcp>\r\n"
                 "Content-Type: application/sdp\r\n" if body else "") +
                "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode()

    return [
        (True, req("INVITE", 1, "inv", "", sdp)),
        (False, resp(100, "Trying", 1, "INVITE", "inv", "")),
        (False, resp(180, "Ringing", 1, "INVITE", "inv", ";tag=b1")),
        (False, resp(200, "OK", 1, "INVITE", "inv", ";tag=b1", sdp.replace("192.0.2.10", "192.0.2.30"))),
        (True, req("ACK", 1, "ack", ";tag=b1")),
        (True, req("BYE", 2, "bye", ";tag=b1")),
        (False, resp(200, "OK", 2, "BYE", "bye", ";tag=b1")),
    ]


def to_compact_l(msg):
    return re.sub(rb"(?im)^content-length[ \t]*:", b"l:", msg, count=1)


# --------------------------------------------------------------------------------------------
# TCP connection writer


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Conn:
    """One TCP connection between the UAC (client) and the UAS (server)."""

    def __init__(self, writer):
        self.w = writer
        self.t = T0_NS
        self.isn = {True: 1000, False: 500000}
        self.nxt = {True: 1001, False: 500001}      # next sequence number to send
        self.rcv = {True: 500001, False: 1001}      # what each side acknowledges
        self.ipid = {True: 100, False: 9000}
        self.frames = 0

    def _emit(self, client, flags, seq, ack, payload=b""):
        src, dst = (C_IP, S_IP) if client else (S_IP, C_IP)
        sp, dp = (C_PORT, S_PORT) if client else (S_PORT, C_PORT)
        tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                          flags, 65535, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum16(pseudo + tcp)) + tcp[18:]
        self.ipid[client] += 1
        ip = pcaplib.ipv4_header(src, dst, 6, len(tcp), self.ipid[client])
        ip = ip[:6] + b"\x40\x00" + ip[8:]          # DF, as Linux sets it on TCP
        ip = ip[:10] + b"\0\0" + ip[12:]
        ip = ip[:10] + struct.pack("!H", pcaplib.ip_checksum(ip)) + ip[12:]
        eth = ((S_MAC + C_MAC) if client else (C_MAC + S_MAC)) + b"\x08\x00"
        self.w.write(self.t, eth + ip + tcp)
        self.t += 1000000
        self.frames += 1

    def pause(self, ms):
        self.t += ms * 1000000

    def handshake(self):
        self._emit(True, 0x02, self.isn[True], 0)
        self._emit(False, 0x12, self.isn[False], self.nxt[True])
        self._emit(True, 0x10, self.nxt[True], self.nxt[False])

    def seg(self, client, data, offset=None, advance=True, psh=True):
        """Send data at stream offset (default: next). advance: move the send pointer."""
        base = self.isn[client] + 1
        seq = self.nxt[client] if offset is None else base + offset
        self._emit(client, 0x18 if psh else 0x10, seq, self.rcv[client], data)
        if advance:
            self.nxt[client] = max(self.nxt[client], seq + len(data))
        return seq

    def ack(self, client_acks, upto=None):
        """The peer of the sender acknowledges; client_acks: the client sends the ACK."""
        other = not client_acks
        val = self.nxt[other] if upto is None else upto
        self.rcv[client_acks] = max(self.rcv[client_acks], val)
        self._emit(client_acks, 0x10, self.nxt[client_acks], val)

    def close(self):
        self._emit(True, 0x11, self.nxt[True], self.nxt[False])
        self.nxt[True] += 1
        self._emit(False, 0x11, self.nxt[False], self.nxt[True])
        self.nxt[False] += 1
        self._emit(True, 0x10, self.nxt[True], self.nxt[False])

    def offset(self, client):
        return self.nxt[client] - self.isn[client] - 1


def send_msg(c, client, msg, chunk=1448):
    """Send one message in MSS-sized segments, then the peer ACKs."""
    for i in range(0, len(msg), chunk):
        c.seg(client, msg[i:i + chunk])
    c.ack(not client)
    c.pause(5)


def thirds(msg):
    a, b = len(msg) // 3, 2 * len(msg) // 3
    return [msg[:a], msg[a:b], msg[b:]]


# --------------------------------------------------------------------------------------------
# cases: each returns (expected complete SIP messages, note)


def case_ooo(c, msgs):
    inv = msgs[0][1]
    parts = thirds(inv)
    base = c.offset(True)
    c.seg(True, parts[0])
    c.seg(True, parts[2], offset=base + len(parts[0]) + len(parts[1]))
    c.ack(False, upto=c.isn[True] + 1 + base + len(parts[0]))     # dup ACK for the hole
    c.seg(True, parts[1], offset=base + len(parts[0]))
    c.ack(False)
    for client, m in msgs[1:]:
        send_msg(c, client, m)
    return len(msgs), "INVITE in 3 segments sent in the order 1,3,2"


def case_retrans(c, msgs):
    inv = msgs[0][1]
    parts = thirds(inv)
    base = c.offset(True)
    c.seg(True, parts[0])
    c.seg(True, parts[1])
    c.ack(False, upto=c.isn[True] + 1 + base + len(parts[0]))
    c.seg(True, parts[2])
    c.ack(False, upto=c.isn[True] + 1 + base + len(parts[0]))     # dup ACK
    c.seg(True, parts[1], offset=base + len(parts[0]))             # retransmission
    c.ack(False)
    for client, m in msgs[1:]:
        if client and m.startswith(b"BYE"):
            off = c.offset(True)
            c.seg(True, m)
            c.pause(200)
            c.seg(True, m, offset=off)                             # RTO retransmission
            c.ack(False)
            c.pause(5)
        else:
            send_msg(c, client, m)
    return len(msgs), "an INVITE segment retransmitted after a dup ACK; the BYE segment sent twice"


def case_overlap(c, msgs):
    inv = msgs[0][1]
    base = c.offset(True)
    cut1, cut2 = 1500, 3000 if len(inv) > 3200 else len(inv) * 2 // 3
    c.seg(True, inv[:cut1])
    c.seg(True, inv[cut1 - 500:cut2], offset=base + cut1 - 500)    # overlaps 500 bytes
    c.seg(True, inv[cut2:])
    c.ack(False)
    rest = msgs[1:]
    # client messages after the INVITE: ACK and BYE. Send the ACK, then a segment that
    # repeats the last 100 bytes of the ACK and carries the whole BYE.
    for client, m in rest:
        if client and m.startswith(b"ACK"):
            ack_off = c.offset(True)
            c.seg(True, m)
            ack_msg = m
        elif client and m.startswith(b"BYE"):
            c.seg(True, ack_msg[-100:] + m, offset=ack_off + len(ack_msg) - 100)
            c.ack(False)
            c.pause(5)
        else:
            send_msg(c, client, m)
    return len(msgs), "INVITE segments overlap by 500 identical bytes; BYE segment repeats the last 100 bytes of the ACK"


def case_gap(c, msgs):
    inv = msgs[0][1]
    parts = thirds(inv)
    base = c.offset(True)
    c.seg(True, parts[0])
    c.pause(1)
    c.nxt[True] += len(parts[1])      # segment 2 was sent but is not in the capture
    c.t += 1000000
    c.seg(True, parts[2], offset=base + len(parts[0]) + len(parts[1]))
    c.ack(False)                       # the UAS got everything
    for client, m in msgs[1:]:
        send_msg(c, client, m)
    return len(msgs) - 1, ("middle INVITE segment missing from the capture: INVITE incomplete "
                           "and lost; the ACK starts a later segment, reassembly must resync there")


def case_many(c, msgs):
    # client: INVITE normally; server: 100+180+200 in one segment; client: ACK+BYE in one
    send_msg(c, msgs[0][0], msgs[0][1])
    srv = [m for cl, m in msgs[1:] if not cl]
    cli = [m for cl, m in msgs[1:] if cl]
    c.seg(False, srv[0] + srv[1] + srv[2])
    c.ack(True)
    c.pause(5)
    c.seg(True, cli[0] + cli[1])
    c.ack(False)
    c.pause(5)
    for m in srv[3:]:
        send_msg(c, False, m)
    return len(msgs), "100+180+200 in one segment, ACK+BYE in one segment"


def case_tiny(c, msgs):
    for client, m in msgs:
        cuts = set(range(40, len(m), 40))
        he = m.find(b"\r\n\r\n")
        cuts.update({he + 1, he + 2, he + 3})
        cl = m.lower().find(b"content-length")
        if cl >= 0:
            cuts.update({cl + 3, cl + 9})
        cuts = sorted(x for x in cuts if 0 < x < len(m))
        prev = 0
        for x in cuts + [len(m)]:
            c.seg(client, m[prev:x])
            prev = x
            if len(cuts) > 20 and (x // 40) % 8 == 0:
                c.ack(not client)
        c.ack(not client)
        c.pause(5)
    return len(msgs), "every message in <=40-byte segments; cuts inside CRLFCRLF and Content-Length"


def case_keepalive(c, msgs):
    c.seg(True, b"\r\n\r\n")                      # ping before the first request
    c.seg(False, b"\r\n")                          # pong
    c.ack(True)
    for i, (client, m) in enumerate(msgs):
        if client and m.startswith(b"BYE"):
            c.seg(True, b"\r\n\r\n" + m)             # ping in the same segment as a message
            c.ack(False)
            c.pause(5)
        else:
            send_msg(c, client, m)
        if client and m.startswith(b"ACK"):
            c.pause(100)
            c.seg(True, b"\r\n\r\n")
            c.seg(False, b"\r\n")
            c.ack(True)
    return len(msgs), "CRLFCRLF pings (alone and before the BYE in one segment) and CRLF pongs"


def case_compact(c, msgs):
    out = []
    for client, m in msgs:
        if re.search(rb"(?im)^CSeq:[ \t]*\d+[ \t]+INVITE", m) and (
                m.startswith(b"INVITE") or m.startswith(b"SIP/2.0 200")):
            m = to_compact_l(m)
        out.append((client, m))
    inv = out[0][1]
    he = inv.find(b"\r\n\r\n") + 4
    cut = he + (len(inv) - he) // 2                 # body spans two segments
    c.seg(True, inv[:cut])
    c.seg(True, inv[cut:])
    c.ack(False)
    for client, m in out[1:]:
        send_msg(c, client, m)
    return len(msgs), "INVITE and 200 OK (INVITE) use compact 'l:'; the INVITE body spans two segments"


def case_oversize(c, msgs):
    big = ("MESSAGE sip:bob@192.0.2.30:5060;transport=tcp SIP/2.0\r\n"
           "Via: SIP/2.0/TCP 192.0.2.10:35060;branch=z9hG4bKbig\r\n"
           "From: <sip:alice@192.0.2.10>;tag=m1\r\nTo: <sip:bob@192.0.2.30>\r\n"
           "Call-ID: oversize-1@192.0.2.10\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
           "Content-Type: text/plain\r\nContent-Length: 2000000\r\n\r\n"
           "a body that is not two million bytes long\r\n").encode()
    send_msg(c, True, big)
    for client, m in msgs:
        send_msg(c, client, m)
    return len(msgs), "first a MESSAGE claiming Content-Length 2000000 (skipped), then the call"


CASES = [
    ("tcp-ooo.pcap", case_ooo),
    ("tcp-retrans.pcap", case_retrans),
    ("tcp-overlap.pcap", case_overlap),
    ("tcp-gap.pcap", case_gap),
    ("tcp-many-in-one.pcap", case_many),
    ("tcp-tiny-segments.pcap", case_tiny),
    ("tcp-keepalive.pcap", case_keepalive),
    ("tcp-compact-l.pcap", case_compact),
    ("tcp-oversize.pcap", case_oversize),
]


def retarget(msgs):
    """Rewrite the real capture's addresses to the generator's, keeping lengths consistent."""
    out = []
    for client, m in msgs:
        head, sep, body = m.partition(b"\r\n\r\n")
        for old, new in ((b"127.0.0.10", b"192.0.2.10"), (b"127.0.0.30", b"192.0.2.30")):
            head = head.replace(old, new)
            body = body.replace(old, new)
        mo = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)", head)
        if sep and mo and int(mo.group(1)) != len(body):
            head = head[:mo.start(1)] + str(len(body)).encode() + head[mo.end(1):]
        out.append((client, head + sep + body))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--from", dest="src", default=DEFAULT_SRC, help="real SIP/TCP capture")
    g.add_argument("--builtin", action="store_true", help="use the built-in sample call")
    ap.add_argument("--outdir", default=DEFAULT_OUT)
    ap.add_argument("--cases-file", default=None)
    a = ap.parse_args(argv)

    if a.builtin:
        msgs, origin = builtin_messages(), "built-in sample call"
    else:
        msgs = retarget(messages_from_pcap(a.src))
        origin = os.path.basename(a.src)
    if len(msgs) < 7 or not msgs[0][1].startswith(b"INVITE"):
        raise SystemExit("gen_tcp.py: expected a call starting with an INVITE, got %d messages"
                         % len(msgs))
    os.makedirs(a.outdir, exist_ok=True)
    lines = []
    for name, fn in CASES:
        path = os.path.join(a.outdir, name)
        with pcaplib.Writer(path, pcaplib.LINKTYPE_ETHERNET) as w:
            c = Conn(w)
            c.handshake()
            expected, note = fn(c, list(msgs))
            c.close()
        lines.append("%s %d %s (messages from %s)" % (name, expected, note, origin))
        print("%-24s %3d frames, %d SIP messages expected" % (name, c.frames, expected))
    cases_file = a.cases_file or os.path.join(a.outdir, "tcp-cases.txt")
    with open(cases_file, "w") as f:
        f.write("# file expected_sip_messages note  (written by tests/tools/gen_tcp.py)\n")
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
