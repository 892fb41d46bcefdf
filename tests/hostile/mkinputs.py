#!/usr/bin/env python3
"""Makes the hostile suite's inputs in OUTDIR (tests/hostile/run.sh).

  many-calls.pcap   1500 INVITEs over UDP, each its own call: a report long
                    enough (hundreds of KiB) to fill a pipe whose reader
                    has gone away.
  hostile.pcap      testdata/lint-content-length-mismatch.pcap with the
                    Call-ID of its first call and the caller's user part
                    replaced, byte for byte (same lengths, so every length
                    field stays right), by terminal escapes, malformed
                    UTF-8, C1 controls and bidi overrides.
  frag-flood.pcap   an INVITE in two IPv4 fragments with 5,000 decoy
                    first fragments between them (more than the 4,096
                    datagrams reassembled at once): the INVITE is evicted.
  tcp-flood.pcap    70,000 TCP SYNs of distinct connections (more than the
                    65,536 directions tracked at once).
  bad-usec.pcap     one SIP packet whose microsecond field is 0xffffffff.
  ng-ts-ones.pcapng one SIP packet whose timestamp is all ones.
  txn-flood.pcap    10,000 OPTIONS of one call, each its own transaction
                    (more than the 1,024 a call tracks): all are listed,
                    8,976 in no transaction; none is a dropped message.

Usage: mkinputs.py TESTDATA_DIR OUTDIR
"""
import os
import struct
import sys


def pcap_header():
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_frame(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                     17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + udp


def record(ts_us, frame):
    return struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000,
                       len(frame), len(frame)) + frame


def many_calls(path, n=1500):
    out = [pcap_header()]
    t = 1764139200 * 1000000
    for i in range(n):
        sip = ("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:alice%d@192.0.2.1>;tag=a%d\r\n"
               "To: <sip:bob@192.0.2.2>\r\n"
               "Call-ID: many-%d@192.0.2.1\r\n"
               "CSeq: 1 INVITE\r\n"
               "Contact: <sip:alice@192.0.2.1:5060>\r\n"
               "Content-Length: 0\r\n\r\n" % (i, i, i, i)).encode()
        out.append(record(t + i * 10000,
                          udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060, sip)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ESC ] 0 ; BEL (sets a terminal's title), the one-byte CSI 0x9b, 0xff (never
# UTF-8), U+009B (C1 CSI, well-formed), U+202E RIGHT-TO-LEFT OVERRIDE, 'A',
# U+2066 LEFT-TO-RIGHT ISOLATE.
HOSTILE_CALL_ID = b"\x1b]0;\x07\x9b\xff\xc2\x9b\xe2\x80\xaeA\xe2\x81\xa6@h"
# U+202E and 0x9b in the caller's user part (the calls table's From column).
HOSTILE_USER = b"sip:\xe2\x80\xae\x9b@"


def hostile(testdata, path):
    with open(os.path.join(testdata, "lint-content-length-mismatch.pcap"), "rb") as f:
        d = f.read()
    old_id = b"1-22676@127.0.0.10"
    assert len(old_id) == len(HOSTILE_CALL_ID) and old_id in d
    d = d.replace(old_id, HOSTILE_CALL_ID)
    old_user = b"sip:sipp@"
    assert len(old_user) == len(HOSTILE_USER) and old_user in d
    d = d.replace(old_user, HOSTILE_USER)
    with open(path, "wb") as f:
        f.write(d)


INVITE = ("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
          "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-frag\r\n"
          "Max-Forwards: 70\r\n"
          "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
          "To: <sip:bob@192.0.2.2>\r\n"
          "Call-ID: frag-flood@192.0.2.1\r\n"
          "CSeq: 1 INVITE\r\n"
          "Contact: <sip:alice@192.0.2.1:5060>\r\n"
          "Content-Length: 0\r\n\r\n").encode()


def ip_frame(src, dst, proto, ident, flags_off, payload):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                     flags_off, 64, proto, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + payload


def frag_flood(path, decoys=5000):
    udp = struct.pack("!HHHH", 5060, 5060, 8 + len(INVITE), 0) + INVITE
    cut = 64  # a multiple of 8
    t = 1764139200 * 1000000
    out = [pcap_header()]
    out.append(record(t, ip_frame([192, 0, 2, 1], [192, 0, 2, 2], 17, 7,
                                  0x2000, udp[:cut])))
    for i in range(decoys):
        out.append(record(t + 10 + i, ip_frame(
            [198, 51, 100, 1], [198, 51, 100, 2], 17, 10000 + i, 0x2000,
            b"\0" * 16)))
    out.append(record(t + 100000, ip_frame([192, 0, 2, 1], [192, 0, 2, 2], 17,
                                           7, cut // 8, udp[cut:])))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def tcp_flood(path, n=70000):
    t = 1764139200 * 1000000
    out = [pcap_header()]
    for i in range(n):
        src = [10, 1 + (i >> 16), (i >> 8) & 255, i & 255]
        tcp = struct.pack("!HHIIBBHHH", 40000, 5060, 1000, 0, 5 << 4, 0x02,
                          65535, 0, 0)
        out.append(record(t + i, ip_frame(src, [192, 0, 2, 2], 6, 0, 0x4000,
                                          tcp)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def bad_usec(path):
    frame = udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060, INVITE)
    rec = struct.pack("<IIII", 1764139200, 0xFFFFFFFF, len(frame),
                      len(frame)) + frame
    with open(path, "wb") as f:
        f.write(pcap_header() + rec)


def ng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def ng_ts_ones(path):
    frame = udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060, INVITE)
    shb = ng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = ng_block(1, struct.pack("<HHI", 1, 0, 65535))
    epb = ng_block(6, struct.pack("<IIIII", 0, 0xFFFFFFFF, 0xFFFFFFFF,
                                  len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(shb + idb + epb)


def txn_flood(path, n=10000):
    out = [pcap_header()]
    t = 1764139200 * 1000000
    for i in range(n):
        sip = ("OPTIONS sip:bob@192.0.2.2 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-t%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
               "To: <sip:bob@192.0.2.2>\r\n"
               "Call-ID: txn-flood@192.0.2.1\r\n"
               "CSeq: %d OPTIONS\r\n"
               "Content-Length: 0\r\n\r\n" % (i, i + 1)).encode()
        out.append(record(t + i * 1000,
                          udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060, sip)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def sdp_caps(path, reinvites=40):
    """One call whose first INVITE's SDP has 66 m= lines (SDP cap 64), then
    re-INVITEs with 8 new a=crypto keys each: 320 keys, past the 256 a
    call keeps (media caps, issue #18)."""
    import base64
    import hashlib
    out = [pcap_header()]
    t = 1764139200 * 1000000

    def invite(cseq, body):
        sip = ("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caps-%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:alice@192.0.2.1>;tag=a1\r\n"
               "To: <sip:bob@192.0.2.2>\r\n"
               "Call-ID: sdp-caps@192.0.2.1\r\n"
               "CSeq: %d INVITE\r\n"
               "Contact: <sip:alice@192.0.2.1:5060>\r\n"
               "Content-Type: application/sdp\r\n"
               "Content-Length: %d\r\n\r\n" % (cseq, cseq, len(body))).encode() + body
        return sip
    head = "v=0\r\no=- 1 %d IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
    body = head % 1 + "".join("m=audio %d RTP/AVP 0\r\n" % (10000 + 2 * i) for i in range(66))
    out.append(record(t, udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060,
                                   invite(1, body.encode()))))
    k = 0
    for r in range(reinvites):
        lines = ""
        for j in range(8):
            key = base64.b64encode(hashlib.sha256(b"%d" % k).digest()[:30]).decode()
            lines += "a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % (j + 1, key)
            k += 1
        body = head % (r + 2) + "m=audio 20000 RTP/SAVP 0\r\n" + lines
        out.append(record(t + (r + 1) * 10000,
                          udp_frame([192, 0, 2, 1], [192, 0, 2, 2], 5060, 5060,
                                    invite(r + 2, body.encode()))))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def tcp_hold(path, n=1100, size=300):
    """One TCP direction whose second segment never comes: 1,100 segments
    of 300 bytes wait behind the hole, past the 256 KiB (and 1,024
    segments) a direction may hold, so the hole is skipped before its
    timeout (tcp_holes_skipped_by_cap)."""
    t = 1764139200 * 1000000
    out = [pcap_header()]

    def seg(seq, flags, payload=b""):
        tcp = struct.pack("!HHIIBBHHH", 40000, 5060, seq, 1, 5 << 4, flags,
                          65535, 0, 0) + payload
        return ip_frame([192, 0, 2, 1], [192, 0, 2, 2], 6, 0, 0x4000, tcp)
    out.append(record(t, seg(1000, 0x02)))
    out.append(record(t + 1, seg(1001, 0x18, b"OPTIONS sip:x SIP/2.0\r\n")))
    hole_end = 1001 + 24 + 100
    for i in range(n):
        out.append(record(t + 2 + i, seg(hole_end + i * size, 0x18, b"y" * size)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def sctp_evict(path, n=70):
    """SCTP: the first piece (B, no E) of 70 messages on 70 streams at
    once, past the 64 being rebuilt at once (sctp_messages_evicted)."""
    t = 1764139200 * 1000000
    out = [pcap_header()]
    for i in range(n):
        payload = b"INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
        chunk = struct.pack("!BBHIHHI", 0, 0x02, 16 + len(payload), 100 + i,
                            i, 0, 0) + payload
        chunk += b"\0" * (-len(chunk) % 4)
        sctp = struct.pack("!HHII", 5060, 5060, 1, 0) + chunk
        out.append(record(t + i, ip_frame([192, 0, 2, 1], [192, 0, 2, 2], 132,
                                          0, 0x4000, sctp)))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def main():
    testdata, outdir = sys.argv[1], sys.argv[2]
    txn_flood(os.path.join(outdir, "txn-flood.pcap"))
    frag_flood(os.path.join(outdir, "frag-flood.pcap"))
    tcp_flood(os.path.join(outdir, "tcp-flood.pcap"))
    bad_usec(os.path.join(outdir, "bad-usec.pcap"))
    ng_ts_ones(os.path.join(outdir, "ng-ts-ones.pcapng"))
    many_calls(os.path.join(outdir, "many-calls.pcap"))
    hostile(testdata, os.path.join(outdir, "hostile.pcap"))
    sdp_caps(os.path.join(outdir, "sdp-caps.pcap"))
    tcp_hold(os.path.join(outdir, "tcp-hold.pcap"))
    sctp_evict(os.path.join(outdir, "sctp-evict.pcap"))


if __name__ == "__main__":
    main()
