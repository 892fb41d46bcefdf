"""Writes a capture of N calls that are all in progress at once, each with a
few RTP packets: what makes the cost of finishing a call show (releasing a
call must cost what that call owns, not what all calls own).

usage: gen_concurrent.py N OUT.pcap [RTP_PER_DIRECTION]

Every call i has its own caller 10.a.b.c and callee 10.128+a.b.c (so that
every SDP endpoint is distinct), an INVITE and a 200 OK with SDP (PCMU), an
ACK; then, once every call is set up, RTP_PER_DIRECTION (default 3) RTP
packets each way for every call (20 ms apart, the calls interleaved); then
BYE and 200 OK for every call; then one last SIP OPTIONS 60 s later, past
the linger time, so the calls are finished while the capture runs (NDJSON
releases them there), not only at its end. Standard library only;
tests/tools/pcaplib.py writes the pcap.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402

T0 = 1_795_200_000 * 10**9
STEP_NS = 10_000  # between packets: 100k packets a second


def eth(ip):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def udp(src, sport, dst, dport, payload, ident):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return eth(pcaplib.ipv4_header(src, dst, 17, len(u), ident) + u)


def addr(i, callee):
    return bytes([10, (128 if callee else 0) + ((i >> 16) & 0x7F), (i >> 8) & 0xFF, i & 0xFF])


def dotted(a):
    return ".".join(str(b) for b in a)


def sdp(ip, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (ip, ip, port)).encode()


def msg(start, headers, body=b"", ctype=None):
    if ctype:
        headers = headers + ["Content-Type: %s" % ctype]
    lines = [start] + headers + ["Content-Length: %d" % len(body), "", ""]
    return "\r\n".join(lines).encode() + body


def common(i, branch, cseq, to_tag=None):
    a = dotted(addr(i, False))
    return ["Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%d-%s" % (a, i, branch),
            "Max-Forwards: 70", "From: <sip:a%d@example.com>;tag=f%d" % (i, i),
            "To: <sip:b%d@example.com>" % i + (";tag=t%d" % i if to_tag else ""),
            "Call-ID: conc-%d@example.com" % i, "CSeq: %s" % cseq]


def rtp(seq, ts, ssrc):
    return struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + b"\xff" * 160


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen_concurrent.py N OUT.pcap [RTP_PER_DIRECTION]")
    n = int(sys.argv[1])
    per = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    if not 1 <= n <= 1_000_000 or not 0 <= per <= 1000:
        sys.exit("gen_concurrent.py: N in 1..1000000, RTP_PER_DIRECTION in 0..1000")
    t = T0
    ident = 0
    with pcaplib.Writer(sys.argv[2], 1) as w:
        def put(src, sport, dst, dport, payload):
            nonlocal t, ident
            ident += 1
            w.write(t, udp(src, sport, dst, dport, payload, ident))
            t += STEP_NS

        for i in range(n):
            a, b = addr(i, False), addr(i, True)
            put(a, 5060, b, 5060, msg("INVITE sip:b%d@%s SIP/2.0" % (i, dotted(b)),
                                      common(i, "1", "1 INVITE") +
                                      ["Contact: <sip:a@%s>" % dotted(a)],
                                      sdp(dotted(a), 4000), "application/sdp"))
            put(b, 5060, a, 5060, msg("SIP/2.0 200 OK", common(i, "1", "1 INVITE", True) +
                                      ["Contact: <sip:b@%s>" % dotted(b)],
                                      sdp(dotted(b), 6000), "application/sdp"))
            put(a, 5060, b, 5060, msg("ACK sip:b@%s SIP/2.0" % dotted(b),
                                      common(i, "2", "1 ACK", True)))
        for k in range(per):
            for i in range(n):
                a, b = addr(i, False), addr(i, True)
                put(a, 4000, b, 6000, rtp(100 + k, 160 * k, 0x10000000 + i))
                put(b, 6000, a, 4000, rtp(500 + k, 160 * k, 0x20000000 + i))
        for i in range(n):
            a, b = addr(i, False), addr(i, True)
            put(a, 5060, b, 5060, msg("BYE sip:b@%s SIP/2.0" % dotted(b),
                                      common(i, "3", "2 BYE", True)))
            put(b, 5060, a, 5060, msg("SIP/2.0 200 OK", common(i, "3", "2 BYE", True)))
        t += 60 * 10**9
        a, b = addr(0, False), addr(0, True)
        put(a, 5060, b, 5060, msg("OPTIONS sip:b@%s SIP/2.0" % dotted(b),
                                  ["Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-end" % dotted(a),
                                   "Max-Forwards: 70", "From: <sip:a@example.com>;tag=end",
                                   "To: <sip:b@example.com>", "Call-ID: conc-end@example.com",
                                   "CSeq: 1 OPTIONS"]))


if __name__ == "__main__":
    main()
