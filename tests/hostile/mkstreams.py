#!/usr/bin/env python3
"""Makes the hostile suite's stream inputs in OUTDIR (tests/hostile/run.sh):
SIP over TCP and WebSocket messages past the framer's caps, each followed on
the same connection by a whole call (the built-in call of
tests/tools/gen_tcp.py: INVITE, 100, 180, 200, ACK, BYE, 200; Call-ID
builtin-1@192.0.2.10) that must still be found.

  tcp-headers-64k.pcap   first message: an INVITE whose headers run 70 KiB
                         without their end (Call-ID oversize@192.0.2.10)
  tcp-start-line-8k.pcap first message: an INVITE whose Request-URI is
                         9,000 bytes long
  tcp-clen-1m.pcap       first message: a MESSAGE with Content-Length
                         2,000,000 and 3,000 bytes of body (a line: the
                         framer resynchronises at a start line that begins
                         a line)
  tcp-clen-fin.pcap      the only message: Content-Length 5,000, 100 bytes
                         of body, then FIN
  ws-huge-claim.pcap     WebSocket: a frame claiming 2^63 bytes, then the call
  ws-6mb.pcap            WebSocket: a 6 MB message in 64 KiB fragments, then
                         the call

Usage: mkstreams.py OUTDIR
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import gen_tcp  # noqa: E402
import pcaplib  # noqa: E402

CALL = gen_tcp.builtin_messages()
SEG = 1448  # the MSS of a 1500-byte MTU


def send(c, client, data):
    for i in range(0, len(data), SEG):
        c.seg(client, data[i:i + SEG])
    c.ack(not client)
    c.pause(5)


def call(c, wrap=None):
    for client, msg in CALL:
        send(c, client, wrap(client, msg) if wrap else msg)


def big_headers():
    head = ("INVITE sip:bob@192.0.2.30 SIP/2.0\r\n"
            "Via: SIP/2.0/TCP 192.0.2.10:35060;branch=z9hG4bKbig\r\n"
            "Call-ID: oversize@192.0.2.10\r\n").encode()
    pad = b"X-Padding: " + b"p" * 60 + b"\r\n"
    return head + pad * (70 * 1024 // len(pad)) + b"\r\n"


def long_start_line():
    return ("INVITE sip:%s@192.0.2.30 SIP/2.0\r\n"
            "Via: SIP/2.0/TCP 192.0.2.10:35060;branch=z9hG4bKlong\r\n"
            "Call-ID: oversize@192.0.2.10\r\n"
            "Content-Length: 0\r\n\r\n" % ("a" * 9000)).encode()


def clen(n, body):
    return ("MESSAGE sip:bob@192.0.2.30 SIP/2.0\r\n"
            "Via: SIP/2.0/TCP 192.0.2.10:35060;branch=z9hG4bKclen\r\n"
            "From: <sip:alice@192.0.2.10>;tag=m1\r\n"
            "To: <sip:bob@192.0.2.30>\r\n"
            "Call-ID: oversize@192.0.2.10\r\n"
            "CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: %d\r\n\r\n" % n).encode() + b"b" * body + b"\r\n"


KEY = b"\x11\x22\x33\x44"


def ws_frame(op, fin, payload, claim=None, mask=True):
    n = len(payload) if claim is None else claim
    b = bytes([(0x80 if fin else 0) | op])
    m = 0x80 if mask else 0
    if n < 126:
        b += bytes([m | n])
    elif n <= 0xFFFF:
        b += bytes([m | 126]) + struct.pack("!H", n)
    else:
        b += bytes([m | 127]) + struct.pack("!Q", n)
    if mask:
        b += KEY
        payload = bytes(x ^ KEY[i & 3] for i, x in enumerate(payload))
    return b + payload


def ws_open(c):
    send(c, True, b"GET / HTTP/1.1\r\nHost: 192.0.2.30\r\nUpgrade: websocket\r\n"
         b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         b"Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n")
    send(c, False, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
         b"Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
         b"Sec-WebSocket-Protocol: sip\r\n\r\n")


def ws_msg(client, msg):
    return ws_frame(1, True, msg, mask=client)


def ws_big(c):
    chunk, total = 64 * 1024, 6 * 1024 * 1024
    head = clen(total, 0)
    pay = head + b"z" * (chunk - len(head))
    for sent in range(0, total, chunk):
        send(c, True, ws_frame(0 if sent else 1, sent + chunk >= total,
                               pay if not sent else b"z" * chunk, mask=False))


def write(path, body):
    with pcaplib.Writer(path, pcaplib.LINKTYPE_ETHERNET) as w:
        c = gen_tcp.Conn(w)
        c.handshake()
        body(c)
        c.close()


def main():
    out = sys.argv[1]
    write(os.path.join(out, "tcp-headers-64k.pcap"),
          lambda c: (send(c, True, big_headers()), call(c)))
    write(os.path.join(out, "tcp-start-line-8k.pcap"),
          lambda c: (send(c, True, long_start_line()), call(c)))
    write(os.path.join(out, "tcp-clen-1m.pcap"),
          lambda c: (send(c, True, clen(2000000, 3000)), call(c)))
    write(os.path.join(out, "tcp-clen-fin.pcap"),
          lambda c: send(c, True, clen(5000, 100)))
    write(os.path.join(out, "ws-huge-claim.pcap"),
          lambda c: (ws_open(c), send(c, True, ws_frame(1, True, b"junk", claim=1 << 63)),
                     call(c, ws_msg)))
    write(os.path.join(out, "ws-6mb.pcap"),
          lambda c: (ws_open(c), ws_big(c), call(c, ws_msg)))


if __name__ == "__main__":
    main()
