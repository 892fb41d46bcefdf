#!/usr/bin/env python3
"""A minimal UDP UAS for lint-status-code-invalid.pcap (sipp refuses to send a status code
outside 100-699). It answers one INVITE with 100 Trying, then "SIP/2.0 700 Bad" as the final
response (echoing Via, From, Call-ID, CSeq; To with a tag), retransmitted every 500 ms until
the ACK arrives (at most 4 s). Usage: lint-uas-status.py ADDR PORT"""
import socket, sys, time

addr, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))
s.settimeout(10)
data, peer = s.recvfrom(65535)
head = data.split(b"\r\n\r\n", 1)[0].decode()
lines = head.split("\r\n")
hdrs = [l for l in lines[1:] if l.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id", "cseq")]

def resp(status, tag):
    out = ["SIP/2.0 " + status]
    for h in hdrs:
        if tag and h.lower().startswith("to:"):
            h += ";tag=py700uas"
        out.append(h)
    out.append("Content-Length: 0")
    return ("\r\n".join(out) + "\r\n\r\n").encode()

s.sendto(resp("100 Trying", False), peer)
time.sleep(0.2)
final = resp("700 Bad", True)
deadline = time.time() + 4
s.settimeout(0.5)
while time.time() < deadline:
    s.sendto(final, peer)
    try:
        d, _ = s.recvfrom(65535)
        if d.startswith(b"ACK "):
            break
    except socket.timeout:
        pass
