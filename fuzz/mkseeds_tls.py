"""Seeds for fuzz_tls (see its header comment): each testdata/tls-*.pcap
with its key log, and the RFC 8448 trace from tests/unit/tls_rfc8448.h.

usage: mkseeds_tls.py OUTDIR   (run from the repository root)
"""
import glob
import os
import re
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def chunk(side, data, flags=0):
    return bytes([side | flags]) + len(data).to_bytes(2, "big") + data


def pcap_chunks(path):
    b = open(path, "rb").read()
    assert struct.unpack("<I", b[:4])[0] == 0xA1B2C3D4
    pos, seen, res, last = 24, {}, b"", 0
    while pos + 16 <= len(b):
        cl = struct.unpack("<I", b[pos + 8:pos + 12])[0]
        e = b[pos + 16:pos + 16 + cl]
        pos += 16 + cl
        if len(e) < 54 or e[12:14] != b"\x08\x00":
            continue
        ip = e[14:]
        if ip[9] != 6:
            continue     # TCP only (the kamailio capture has RTP too)
        ihl = (ip[0] & 15) * 4
        tcp = ip[ihl:]
        thl = (tcp[12] >> 4) * 4
        plen = struct.unpack(">H", ip[2:4])[0] - ihl - thl
        sport, dport = struct.unpack(">HH", tcp[:4])
        payload = tcp[thl:thl + plen]
        client = dport if sport == 5061 else sport
        conn = seen.setdefault(client, len(seen))
        if not payload:
            continue
        # Connections one after another (they do not overlap here): the
        # first chunk of each later one starts it (flag 8).
        flags = 8 if conn != last else 0
        last = conn
        res += chunk(1 if sport == 5061 else 0, payload, flags if conn else 0)
    return res


for path in sorted(glob.glob("testdata/tls-*.pcap")):
    keys = path[:-5] + ".keys"
    kl = open(keys, "rb").read() if os.path.exists(keys) else b""
    seed = len(kl).to_bytes(2, "big") + kl + pcap_chunks(path)
    name = os.path.basename(path)[:-5] + ".seed"
    open(os.path.join(out, name), "wb").write(seed)
    # A resumed session with only the full handshake's key log line: it
    # reads with the secret kept from that handshake (sessions store).
    lines = [x for x in kl.splitlines(keepends=True) if not x.startswith(b"#")]
    if "resume" in path and len(lines) > 1:
        seed = len(lines[0]).to_bytes(2, "big") + lines[0] + pcap_chunks(path)
        open(os.path.join(out, name[:-5] + "-store.seed"), "wb").write(seed)

# The RFC 8448 trace: arrays from the test header, with its secrets.
h = open("tests/unit/tls_rfc8448.h").read()
arr = {m.group(1): bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})", m.group(2)))
       for m in re.finditer(r"static const uint8_t (\w+)\[\d+\] = \{(.*?)\};", h, re.S)}
off = int(re.search(r"RFC8448_CLIENT_FIN_OFF (\d+)", h).group(1))
cr = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
kl = ("CLIENT_HANDSHAKE_TRAFFIC_SECRET %s b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21\n"
      "SERVER_HANDSHAKE_TRAFFIC_SECRET %s b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38\n"
      "CLIENT_TRAFFIC_SECRET_0 %s 9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5\n"
      "SERVER_TRAFFIC_SECRET_0 %s a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643\n"
      % (cr, cr, cr, cr)).encode()
cli, srv = arr["rfc8448_client"], arr["rfc8448_server"]
seed = len(kl).to_bytes(2, "big") + kl + chunk(0, cli[:off]) + chunk(1, srv) + chunk(0, cli[off:], 4)
open(os.path.join(out, "rfc8448.seed"), "wb").write(seed)
# The same cut in 7-byte pieces, sides alternating where they can.
seed = len(kl).to_bytes(2, "big") + kl
for i in range(0, off, 7):
    seed += chunk(0, cli[i:i + 7])
for i in range(0, len(srv), 7):
    seed += chunk(1, srv[i:i + 7])
for i in range(off, len(cli), 7):
    seed += chunk(0, cli[i:i + 7])
open(os.path.join(out, "rfc8448-split.seed"), "wb").write(seed)
# Not TLS at all, and a key log with a bad line.
open(os.path.join(out, "plain-sip.seed"), "wb").write(
    b"\x00\x10CLIENT_RANDOM 00" + chunk(0, b"INVITE sip:a@b SIP/2.0\r\n\r\n"))
