#!/usr/bin/env python3
"""Captures for the HTML report's tests (tests/html.sh), SIP over UDP only.

  gen_html.py calls N OUT.pcap   N calls (INVITE, 100, 486, ACK), 10 ms
                                 apart, 200 parties on 10.1.x.x: the page
                                 of a large capture (the detail cap)
  gen_html.py hostile OUT.pcap   calls whose Call-ID, From, To and reason
                                 phrase hold markup ("</script>", "<!--",
                                 quotes, "&"), invalid UTF-8, C1 controls
                                 and U+FFFF: what the page must escape
Standard library only; the same arguments always give the same bytes.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcaplib  # noqa: E402

T0_NS = 1700000000 * 1000000000
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def frame(src, dst, payload, ident):
    udp = struct.pack("!HHHH", 5060, 5060, 8 + len(payload), 0) + payload
    ip = pcaplib.ipv4_header(bytes(src), bytes(dst), 17, len(udp), ident=ident & 0xffff)
    return MAC_B + MAC_A + struct.pack("!H", 0x0800) + ip + udp


def msgs(cid, frm, to, reason, a, b, n):
    """One rejected call: INVITE, 100 Trying, 486 (reason), ACK."""
    ha = "%d.%d.%d.%d" % tuple(a)
    via = b"Via: SIP/2.0/UDP " + ha.encode() + b":5060;branch=z9hG4bK" + b"%06d" % n + b"\r\n"
    common = (b"Max-Forwards: 70\r\nFrom: " + frm + b";tag=f" + b"%d" % n + b"\r\n"
              b"To: " + to + b"%s\r\nCall-ID: " + cid + b"\r\n")
    inv = (b"INVITE sip:bob@example.com SIP/2.0\r\n" + via + common % b"" +
           b"CSeq: 1 INVITE\r\nContact: <sip:alice@" + ha.encode() + b">\r\n"
           b"Content-Length: 0\r\n\r\n")
    trying = (b"SIP/2.0 100 Trying\r\n" + via + common % b"" +
              b"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    busy = (b"SIP/2.0 486 " + reason + b"\r\n" + via + common % b";tag=t1" +
            b"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    ack = (b"ACK sip:bob@example.com SIP/2.0\r\n" + via + common % b";tag=t1" +
           b"CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n")
    return [(a, b, inv), (b, a, trying), (b, a, busy), (a, b, ack)]


def main(argv):
    out = []
    if len(argv) == 4 and argv[1] == "calls":
        n = int(argv[2])
        path = argv[3]
        for i in range(n):
            a = [10, 1, (i % 200) // 100, i % 100 + 1]
            b = [10, 2, 0, 1]
            for k, m in enumerate(msgs(b"c%07d@gen" % i, b"<sip:%d@example.com>" % i,
                                       b"<sip:bob@example.com>", b"Busy Here", a, b, i)):
                out.append((i * 10000000 + k * 1000000, m))
    elif len(argv) == 3 and argv[1] == "hostile":
        path = argv[2]
        nasty = [
            (b"x</script><script>alert(1)</script>@h", b"\"<b>Eve</b> & co\" <sip:eve@h>",
             b"<sip:bob@example.com>", b"Busy </script><!-- Here"),
            (b"bad\xff\xfeutf8\xc3@h", b"<sip:\xe2\x80\xa8ls@h>", b"<sip:bob@example.com>",
             b"C1 \xc2\x85 and \xef\xbf\xbf noncharacter"),
            (b"q'\"&amp;<!--@h", b"<sip:'\"@h>", b"<sip:]]>@h>", b"&#0; &lt; </title>"),
        ]
        for i, (cid, frm, to, reason) in enumerate(nasty):
            for k, m in enumerate(msgs(cid, frm, to, reason, [10, 0, 0, 1],
                                       [10, 0, 0, 2], i)):
                out.append((i * 1000000000 + k * 1000000, m))
    else:
        sys.stderr.write(__doc__)
        return 2
    with pcaplib.Writer(path, pcaplib.LINKTYPE_ETHERNET) as w:
        for j, (t, (a, b, payload)) in enumerate(out):
            w.write(T0_NS + t, frame(a, b, payload, j + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
