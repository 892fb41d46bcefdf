"""Writes small captures of one call whose RTP does something a real stack
here will not do on demand (see testdata/README.md). Each holds a SIP
INVITE/200/ACK with SDP (so the media belongs to the call: PCMU on PT 0,
telephone-event/8000 on PT 101), one RTP stream 192.0.2.10:4000 ->
192.0.2.20:6000 of 20 ms PCMU packets, then BYE/200.

usage: gen_rtp.py OUTDIR
  rtp-seq-wrap.pcap      60 packets, sequence 65500 .. 65535, 0 .. 23: the
                         sequence number wraps; 65535 and 2 are not sent
                         (expected 60, lost 2)
  rtp-duplicates.pcap    40 packets (seq 1000 ..), 1010 and 1020 sent twice
                         (lost 0, duplicates 2)
  rtp-reorder.pcap       40 packets (seq 2000 ..), 2011 after 2012 and 2026
                         after 2027 (lost 0, out of order 2)
  rtp-ssrc-change.pcap   30 packets of SSRC 0x11111111 (seq 100 ..), then the
                         sender restarts as SSRC 0x22222222 (seq 9000 ..), 30
                         packets: two streams, no loss in either
  rtp-dtmf-lost-end.pcap 79 packets sent (seq 3000 .. 3078, 73 captured) in which
                         the sender sends
                         four RFC 4733 events in place of audio: 4 (end sent
                         three times), 5 whose three end packets were all lost
                         (lost 3), 6 (end three times), 7 whose end packets
                         were lost at the end of the stream: events 4 5 6 7,
                         5 and 7 without end
Standard library only; tests/tools/pcaplib.py writes the pcap.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402

A, B = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20])
T0 = 1_795_100_000 * 10**9
PTIME_NS = 20_000_000


def eth(ip):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def udp(src, sport, dst, dport, payload, ident):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return eth(pcaplib.ipv4_header(src, dst, 17, len(u), ident) + u)


def sdp(ip, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n" % (ip, ip, port)).encode()


def msg(start, headers, body=b"", ctype=None):
    if ctype:
        headers = headers + ["Content-Type: %s" % ctype]
    lines = [start] + headers + ["Content-Length: %d" % len(body), "", ""]
    return "\r\n".join(lines).encode() + body


def common(cid, branch, cseq, to_tag=None, caller=True):
    via = "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-%s" % branch
    return [via, "Max-Forwards: 70", "From: <sip:alice@example.com>;tag=a1",
            "To: <sip:bob@example.com>" + (";tag=%s" % to_tag if to_tag else ""),
            "Call-ID: %s" % cid, "CSeq: %s" % cseq]


def rtp(seq, ts, ssrc, pt=0, marker=False, payload=b"\xff" * 160):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + payload


def event(ev, end, dur, vol=10):
    return struct.pack("!BBH", ev, (0x80 if end else 0) | vol, dur)


class Call:
    """A call: SIP setup, then RTP packets at 20 ms steps, then teardown."""

    def __init__(self, name):
        self.cid = "%s@192.0.2.10" % name
        self.frames = []
        self.t = T0
        self.ident = 1
        c = self.cid
        self.sip(A, B, msg("INVITE sip:bob@192.0.2.20 SIP/2.0",
                           common(c, name + "-1", "1 INVITE") +
                           ["Contact: <sip:alice@192.0.2.10>"], sdp("192.0.2.10", 4000),
                           "application/sdp"))
        self.sip(B, A, msg("SIP/2.0 200 OK", common(c, name + "-1", "1 INVITE", "b1") +
                           ["Contact: <sip:bob@192.0.2.20>"], sdp("192.0.2.20", 6000),
                           "application/sdp"))
        self.sip(A, B, msg("ACK sip:bob@192.0.2.20 SIP/2.0",
                           common(c, name + "-2", "1 ACK", "b1")))

    def add(self, frame, step=True):
        self.frames.append((self.t, frame))
        self.ident += 1
        if step:
            self.t += PTIME_NS

    def sip(self, src, dst, m):
        self.add(udp(src, 5060, dst, 5060, m, self.ident))

    def media(self, payload, step=True):
        self.add(udp(A, 4000, B, 6000, payload, self.ident), step)

    def skip(self):
        """A packet the network lost: its time passes, nothing is captured."""
        self.t += PTIME_NS

    def write(self, path):
        c = self.cid
        self.sip(A, B, msg("BYE sip:bob@192.0.2.20 SIP/2.0",
                           common(c, "bye", "2 BYE", "b1")))
        self.sip(B, A, msg("SIP/2.0 200 OK", common(c, "bye", "2 BYE", "b1")))
        with pcaplib.Writer(path, 1) as w:
            for t, f in self.frames:
                w.write(t, f)


def seq_wrap(out):
    c = Call("rtp-seq-wrap")
    for i in range(60):
        seq = (65500 + i) & 0xFFFF
        if seq in (65535, 2):
            c.skip()
            continue
        c.media(rtp(seq, 1000 + 160 * i, 0x5EC0A1, marker=(i == 0)))
    c.write(os.path.join(out, "rtp-seq-wrap.pcap"))


def duplicates(out):
    c = Call("rtp-duplicates")
    for i in range(40):
        p = rtp(1000 + i, 160 * i, 0xD0B1E, marker=(i == 0))
        if 1000 + i in (1010, 1020):
            # the same packet twice, 1 ms apart (a switch port mirrored twice)
            c.media(p, step=False)
            c.t += 1_000_000
            c.media(p)
            c.t -= 1_000_000
        else:
            c.media(p)
    c.write(os.path.join(out, "rtp-duplicates.pcap"))


def reorder(out):
    c = Call("rtp-reorder")
    order = list(range(40))
    for a, b in ((11, 12), (26, 27)):
        order[a], order[b] = order[b], order[a]
    for i in order:
        c.media(rtp(2000 + i, 500 + 160 * i, 0x0DE7, marker=(i == 0)))
    c.write(os.path.join(out, "rtp-reorder.pcap"))


def ssrc_change(out):
    c = Call("rtp-ssrc-change")
    for i in range(30):
        c.media(rtp(100 + i, 160 * i, 0x11111111, marker=(i == 0)))
    for i in range(30):
        c.media(rtp(9000 + i, 777000 + 160 * i, 0x22222222, marker=(i == 0)))
    c.write(os.path.join(out, "rtp-ssrc-change.pcap"))


def dtmf_lost_end(out):
    c = Call("rtp-dtmf-lost-end")
    ssrc = 0xD7F0
    seq = 3000
    ts = 8000

    def audio(n):
        nonlocal seq, ts
        for _ in range(n):
            c.media(rtp(seq, ts, ssrc, marker=(seq == 3000)))
            seq += 1
            ts += 160

    def digit(ev, updates, end_lost):
        """RFC 4733 §2.5.1: the event's packets keep the timestamp of its
        start, the duration grows by 160 every 20 ms, the first carries the
        marker bit, the end packet is sent three times."""
        nonlocal seq, ts
        start = ts
        for i in range(updates):
            c.media(rtp(seq, start, ssrc, pt=101, marker=(i == 0),
                        payload=event(ev, False, 160 * (i + 1))))
            seq += 1
        # The three end packets leave at one instant (sent or lost): the
        # next packet comes one packet time later either way.
        for _ in range(3):
            if not end_lost:
                c.media(rtp(seq, start, ssrc, pt=101,
                            payload=event(ev, True, 160 * updates)), step=False)
            seq += 1
        c.t += PTIME_NS
        ts = start + 160 * (updates + 1)

    audio(10)
    digit(4, 8, False)
    audio(10)
    digit(5, 8, True)
    audio(10)
    digit(6, 6, False)
    audio(10)
    digit(7, 5, True)
    c.write(os.path.join(out, "rtp-dtmf-lost-end.pcap"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    seq_wrap(out)
    duplicates(out)
    reorder(out)
    ssrc_change(out)
    dtmf_lost_end(out)


if __name__ == "__main__":
    main()
