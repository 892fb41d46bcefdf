#!/usr/bin/env python3
"""A SIP-over-TLS UAC and UAS on CPython's ssl module (OpenSSL), for
make-tls-sip.sh: the UAS listens on 127.0.0.1:5061, the UAC connects,
sends an INVITE with an SDES a=crypto line, the UAS answers 100, 180
(back to back: two records in one segment) and 200 with its own a=crypto,
the UAC sends ACK and BYE, the UAS 200. Every byte each side sends is
also written to OUT.c2s / OUT.s2c so a test can compare the decrypted
stream with it.

usage: tls_sip_peers.py OUT KEYLOG CERT KEY VERSION CIPHERS OPTS
  VERSION 1.2 or 1.3; CIPHERS an OpenSSL cipher list (TLS 1.2; for 1.3
  the suite comes from OPENSSL_CONF); OPTS comma-separated among noetm,
  noems, resume (a second connection resumes the first: by ticket, or by
  session ID with noticket).

usage: tls_sip_peers.py --messages PREFIX
  writes the dialog's messages, one file each (PREFIX.invite, .r100,
  .r180, .r200, .ack, .bye, .r200bye), for a script that sends them
  through other TLS stacks (openssl s_client / s_server)."""
import socket
import ssl
import sys
import threading

if len(sys.argv) == 3 and sys.argv[1] == "--messages":
    OUT, VERSION, OPTS = sys.argv[2], "1.3", set()
else:
    OUT, KEYLOG, CERT, KEY, VERSION, CIPHERS, OPTS = sys.argv[1:8]
    OPTS = set(o for o in OPTS.split(",") if o)
ADDR = ("127.0.0.1", 5061)
# OpenSSL option bits Python does not name (include/openssl/ssl.h.in, 3.0).
OP_NO_EXTENDED_MASTER_SECRET = 1 << 0
OP_NO_ENCRYPT_THEN_MAC = 1 << 19


def sdp(ip, port, key):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % (ip, ip, port, key))


def msg(start, hdrs, body=""):
    h = start + "\r\n" + "".join("%s: %s\r\n" % kv for kv in hdrs)
    h += "Content-Length: %d\r\n\r\n" % len(body.encode())
    return (h + body).encode()


def dialog(n):
    cid = "tls-%s-%d@127.0.0.1" % (VERSION, n)
    base = [("Via", "SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK-%d" % n),
            ("From", "<sips:alice@127.0.0.1>;tag=a%d" % n),
            ("To", "<sips:bob@127.0.0.1>"), ("Call-ID", cid)]
    pad = [("X-Padding", "p" * 1400)] if n == 1 else []
    invite = msg("INVITE sips:bob@127.0.0.1:5061 SIP/2.0",
                 base + [("CSeq", "1 INVITE"), ("Contact", "<sips:alice@127.0.0.1:40000>"),
                         ("Content-Type", "application/sdp")] + pad,
                 sdp("127.0.0.1", 4000, "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"))
    to = [("To", "<sips:bob@127.0.0.1>;tag=b%d" % n)]
    resp = [h for h in base if h[0] != "To"]
    r100 = msg("SIP/2.0 100 Trying", resp + [("To", "<sips:bob@127.0.0.1>"), ("CSeq", "1 INVITE")])
    r180 = msg("SIP/2.0 180 Ringing", resp + to + [("CSeq", "1 INVITE")])
    r200 = msg("SIP/2.0 200 OK", resp + to + [("CSeq", "1 INVITE"),
               ("Contact", "<sips:bob@127.0.0.1:5061>"), ("Content-Type", "application/sdp")],
               sdp("127.0.0.1", 5000, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo5ODc2"))
    ack = msg("ACK sips:bob@127.0.0.1:5061 SIP/2.0", base[:1] + base[1:2] + to + base[3:] + [("CSeq", "1 ACK")])
    bye = msg("BYE sips:bob@127.0.0.1:5061 SIP/2.0", base[:2] + to + base[3:] + [("CSeq", "2 BYE")])
    r200b = msg("SIP/2.0 200 OK", resp + to + [("CSeq", "2 BYE")])
    return [invite], [r100 + b"", r180, r200], [ack, bye], [r200b]


def ctx_common(ctx):
    if VERSION == "1.3":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    else:
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers(CIPHERS)
    if "noetm" in OPTS:
        ctx.options |= OP_NO_ENCRYPT_THEN_MAC
    if "noems" in OPTS:
        ctx.options |= OP_NO_EXTENDED_MASTER_SECRET


def recv_until(s, want):
    buf = b""
    while len(buf) < want:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return buf


def main():
    nconn = 2 if "resume" in OPTS else 1
    srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    srv.load_cert_chain(CERT, KEY)
    ctx_common(srv)
    if "noticket" in OPTS:
        srv.options |= ssl.OP_NO_TICKET
    srv.num_tickets = 1
    cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cli.check_hostname = False
    cli.verify_mode = ssl.CERT_NONE
    cli.keylog_filename = KEYLOG
    ctx_common(cli)
    lsock = socket.create_server(ADDR)
    c2s = open(OUT + ".c2s", "wb")
    s2c = open(OUT + ".s2c", "wb")

    def server():
        for n in range(1, nconn + 1):
            conn, _ = lsock.accept()
            with srv.wrap_socket(conn, server_side=True) as t:
                inv, resps, reqs, last = dialog(n)
                recv_until(t, len(inv[0]))
                t.sendall(resps[0])
                t.sendall(resps[1])
                t.sendall(resps[2])
                recv_until(t, sum(len(r) for r in reqs))
                t.sendall(last[0])
                try:
                    t.recv(1)      # the client's close_notify
                    # A clean shutdown keeps the session resumable by ID.
                    t.unwrap()
                except (ssl.SSLError, OSError):
                    pass

    th = threading.Thread(target=server)
    th.start()
    session = None
    for n in range(1, nconn + 1):
        inv, resps, reqs, last = dialog(n)
        raw = socket.create_connection(ADDR, source_address=("127.0.0.1", 40000 + n))
        t = cli.wrap_socket(raw, session=session)
        t.sendall(inv[0])
        recv_until(t, sum(len(r) for r in resps))
        t.sendall(reqs[0])
        t.sendall(reqs[1])
        recv_until(t, len(last[0]))
        if session is None:
            session = t.session
        elif not t.session_reused:
            sys.exit("connection %d did not resume" % n)
        try:
            t.unwrap()
        except (ssl.SSLError, OSError):
            pass
        t.close()
        c2s.write(inv[0] + reqs[0] + reqs[1])
        s2c.write(b"".join(resps) + last[0])
    th.join(10)


def write_messages():
    inv, resps, reqs, last = dialog(1)
    for name, m in (("invite", inv[0]), ("r100", resps[0]), ("r180", resps[1]),
                    ("r200", resps[2]), ("ack", reqs[0]), ("bye", reqs[1]),
                    ("r200bye", last[0])):
        open("%s.%s" % (OUT, name), "wb").write(m)


if len(sys.argv) == 3 and sys.argv[1] == "--messages":
    write_messages()
else:
    main()
