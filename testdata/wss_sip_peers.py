#!/usr/bin/env python3
"""Two SIP user agents over secure WebSocket (RFC 7118 over RFC 6455 over TLS) for
make-wss-kamailio.sh: alice (from 127.0.0.10) and bob (from 127.0.0.30) each open wss://PROXY/ (the HTTP upgrade with
Sec-WebSocket-Protocol: sip), REGISTER, then alice calls bob through the proxy: INVITE with
SDES SDP, 100, 180, 200, ACK, BYE, 200; both close the WebSocket and TLS cleanly. The RFC 6455
framing is our own (a client masks its frames, §5.3); the TLS is CPython's ssl with the NSS
key log of both connections in KEYLOG.

usage: wss_sip_peers.py KEYLOG PROXY_IP PROXY_PORT
"""
import base64
import os
import re
import socket
import ssl
import struct
import sys

KEYLOG, PROXY, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
TIMEOUT = 10


def ws_frame(payload, opcode=1):
    """One final, masked client frame."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        hdr = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        hdr = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class UA:
    def __init__(self, name, src, ctx):
        self.name = name
        raw = socket.create_connection((PROXY, PORT), timeout=TIMEOUT, source_address=(src, 0))
        self.s = ctx.wrap_socket(raw, server_hostname="proxy.sipsift.test")
        self.buf = b""
        self.host = "%s.invalid" % base64.b32encode(os.urandom(5)).decode().lower()
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                        "Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n"
                        "Origin: https://%s\r\n\r\n" % (PROXY, PORT, key, PROXY)).encode())
        while b"\r\n\r\n" not in self.buf:
            self._more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            sys.exit("%s: no upgrade: %r" % (name, head[:80]))

    def _more(self):
        d = self.s.recv(65536)
        if not d:
            sys.exit("%s: connection closed" % self.name)
        self.buf += d

    def send(self, text):
        self.s.sendall(ws_frame(text.encode()))

    def recv(self):
        """The next SIP message (one text frame from the server, unmasked)."""
        while True:
            while len(self.buf) < 2:
                self._more()
            b0, b1 = self.buf[0], self.buf[1]
            n, off = b1 & 0x7F, 2
            if n == 126:
                while len(self.buf) < 4:
                    self._more()
                n, off = struct.unpack("!H", self.buf[2:4])[0], 4
            elif n == 127:
                while len(self.buf) < 10:
                    self._more()
                n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
            while len(self.buf) < off + n:
                self._more()
            payload, self.buf = self.buf[off:off + n], self.buf[off + n:]
            if b0 & 0x0F in (1, 2):
                return payload.decode()

    def close(self):
        self.s.sendall(ws_frame(struct.pack("!H", 1000), opcode=8))
        try:
            while True:
                while len(self.buf) < 2:
                    self._more()
                if self.buf[0] & 0x0F == 8:
                    break
                self.recv()
        except SystemExit:
            pass
        try:
            self.s.unwrap()   # close_notify (kamailio may close first)
        except (ssl.SSLError, OSError):
            pass
        self.s.close()


def hdr(msg, name):
    m = re.search(r"^%s:\s*(.*?)\r$" % name, msg, re.M | re.I)
    return m.group(1) if m else ""


def expect(ua, start):
    m = ua.recv()
    if not m.startswith(start):
        sys.exit("%s: expected %r, got %r" % (ua.name, start, m.split("\r\n", 1)[0]))
    return m


def msg(start, headers, body=""):
    out = start + "\r\n" + "".join("%s: %s\r\n" % h for h in headers)
    return out + "Content-Length: %d\r\n\r\n" % len(body.encode()) + body


def register(ua, n):
    via = "SIP/2.0/WSS %s;branch=z9hG4bK-reg-%s-%d;rport" % (ua.host, ua.name, n)
    ua.send(msg("REGISTER sip:%s SIP/2.0" % PROXY, [
        ("Via", via), ("Max-Forwards", "70"),
        ("From", "<sip:%s@%s>;tag=reg-%s" % (ua.name, PROXY, ua.name)),
        ("To", "<sip:%s@%s>" % (ua.name, PROXY)),
        ("Call-ID", "reg-%s@%s" % (ua.name, ua.host)), ("CSeq", "%d REGISTER" % n),
        ("Contact", "<sip:%s@%s;transport=ws>;expires=%d" % (ua.name, ua.host, 600 if n == 1 else 0)),
        ("User-Agent", "sipsift-wss-peer")]))
    expect(ua, "SIP/2.0 200")


def sdp(ip, port, key):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % (ip, ip, port, key))


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.keylog_filename = KEYLOG
    alice, bob = UA("alice", "127.0.0.10", ctx), UA("bob", "127.0.0.30", ctx)
    register(alice, 1)
    register(bob, 1)
    cid = "wss-call-%s" % base64.b32encode(os.urandom(5)).decode().lower()
    afrom = "<sip:alice@%s>;tag=a1" % PROXY
    ato = "<sip:bob@%s>" % PROXY
    avia = "SIP/2.0/WSS %s;branch=z9hG4bK-inv-1;rport" % alice.host
    alice.send(msg("INVITE sip:bob@%s SIP/2.0" % PROXY, [
        ("Via", avia), ("Max-Forwards", "70"), ("From", afrom), ("To", ato), ("Call-ID", cid),
        ("CSeq", "1 INVITE"), ("Contact", "<sip:alice@%s;transport=ws>" % alice.host),
        ("Content-Type", "application/sdp")],
        sdp("127.0.0.10", 4000, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0")))
    expect(alice, "SIP/2.0 100")
    inv = expect(bob, "INVITE ")
    vias = re.findall(r"^Via:\s*(.*?)\r$", inv, re.M | re.I)
    rr = re.findall(r"^Record-Route:\s*(.*?)\r$", inv, re.M | re.I)
    base = [("Via", v) for v in vias] + [("From", hdr(inv, "From")),
                                          ("To", hdr(inv, "To") + ";tag=b1"), ("Call-ID", cid)]
    base += [("Record-Route", r) for r in rr]
    bob.send(msg("SIP/2.0 180 Ringing", base + [("CSeq", "1 INVITE"),
                                                ("Contact", "<sip:bob@%s;transport=ws>" % bob.host)]))
    bob.send(msg("SIP/2.0 200 OK", base + [("CSeq", "1 INVITE"),
                                           ("Contact", "<sip:bob@%s;transport=ws>" % bob.host),
                                           ("Content-Type", "application/sdp")],
                 sdp("127.0.0.30", 5000, "WllYV1ZVVFNSUVBPTk1MS0pJSEdGRURDQkE5ODc2")))
    expect(alice, "SIP/2.0 180")
    ok = expect(alice, "SIP/2.0 200")
    contact = re.search(r"<([^>]+)>", hdr(ok, "Contact")).group(1)
    routes = [("Route", r) for r in reversed(re.findall(r"^Record-Route:\s*(.*?)\r$", ok, re.M | re.I))]
    ato_tag = hdr(ok, "To")
    for n, (meth, cseq) in enumerate((("ACK", "1 ACK"), ("BYE", "2 BYE"))):
        alice.send(msg("%s %s SIP/2.0" % (meth, contact), [
            ("Via", "SIP/2.0/WSS %s;branch=z9hG4bK-%s-%d;rport" % (alice.host, meth.lower(), n)),
            ("Max-Forwards", "70")] + routes + [("From", afrom), ("To", ato_tag), ("Call-ID", cid),
                                                ("CSeq", cseq)]))
        req = expect(bob, meth + " ")
    vias = re.findall(r"^Via:\s*(.*?)\r$", req, re.M | re.I)
    bob.send(msg("SIP/2.0 200 OK", [("Via", v) for v in vias] + [
        ("From", hdr(req, "From")), ("To", hdr(req, "To")), ("Call-ID", cid), ("CSeq", "2 BYE")]))
    expect(alice, "SIP/2.0 200")
    register(bob, 2)
    register(alice, 2)
    alice.close()
    bob.close()
    print("wss call done")


main()
