"""Writes the lint cases no real stack here produces on demand (see
testdata/README.md): each a short, otherwise correct flow with one fault.

usage: gen_lint.py OUTDIR
  lint-cancel-via-mismatch.pcap   CANCEL with the INVITE's branch but another
                                  Via sent-by (a UA that learned its public
                                  address through rport in between)
  lint-cancel-via-default-port.pcap  the same with sent-by hosts without
                                  a port (the default, 5060, is meant)
  lint-cancel-mid-transaction.pcap  a capture that starts after the INVITE:
                                  CANCEL, its 200, the INVITE's 487, ACK
  lint-ack-non2xx-ruri-mismatch.pcap  ACK for a 486 sent to the 486's Contact
                                  instead of the INVITE's Request-URI
  lint-tcp-response-new-connection.pcap  200 OK sent on a new TCP connection
                                  while the INVITE's connection is open
Standard library only; tests/tools/pcaplib.py writes the pcap.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402

A, B = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 20])
T0 = 1_795_000_000 * 10**9


def eth(ip):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def udp(src, sport, dst, dport, payload, ident):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return eth(pcaplib.ipv4_header(src, dst, 17, len(u), ident) + u)


def tcp(src, sport, dst, dport, seq, ack, flags, payload, ident):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    return eth(pcaplib.ipv4_header(src, dst, 6, len(t), ident) + t)


def msg(start, headers, body=b""):
    lines = [start] + headers + ["Content-Length: %d" % len(body), "", ""]
    return "\r\n".join(lines).encode() + body


def common(call_id, via, cseq, to_tag=None):
    return [
        "Via: SIP/2.0/%s" % via,
        "Max-Forwards: 70",
        "From: <sip:alice@example.com>;tag=a1",
        "To: <sip:bob@example.com>" + (";tag=%s" % to_tag if to_tag else ""),
        "Call-ID: %s" % call_id,
        "CSeq: %s" % cseq,
    ]


def write(path, frames):
    with pcaplib.Writer(path, 1) as w:
        for i, f in enumerate(frames):
            w.write(T0 + i * 20_000_000, f)


def cancel_via_mismatch(out, name="lint-cancel-via-mismatch.pcap",
                        sent_by1="192.0.2.10:5060", sent_by2="198.51.100.7:41000"):
    cid = "via-1@192.0.2.10"
    via1 = "UDP %s;branch=z9hG4bK-via1;rport" % sent_by1
    # The UA behind NAT learned 198.51.100.7:41000 from received/rport.
    via2 = "UDP %s;branch=z9hG4bK-via1;rport" % sent_by2
    inv = msg("INVITE sip:bob@192.0.2.20 SIP/2.0",
              common(cid, via1, "1 INVITE") + ["Contact: <sip:alice@192.0.2.10>"])
    resp_via = via1 + "=5060;received=192.0.2.10"
    ring = msg("SIP/2.0 180 Ringing", common(cid, resp_via, "1 INVITE", "b1") +
               ["Contact: <sip:bob@192.0.2.20>"])
    cancel = msg("CANCEL sip:bob@192.0.2.20 SIP/2.0", common(cid, via2, "1 CANCEL"))
    ok = msg("SIP/2.0 481 Call/Transaction Does Not Exist",
             common(cid, via2 + "=5060;received=192.0.2.10", "1 CANCEL", "b2"))
    final = msg("SIP/2.0 200 OK", common(cid, resp_via, "1 INVITE", "b1") +
                ["Contact: <sip:bob@192.0.2.20>"])
    ack = msg("ACK sip:bob@192.0.2.20 SIP/2.0",
              common(cid, "UDP 192.0.2.10:5060;branch=z9hG4bK-via3;rport", "1 ACK", "b1"))
    bye = msg("BYE sip:bob@192.0.2.20 SIP/2.0",
              common(cid, "UDP 192.0.2.10:5060;branch=z9hG4bK-via4;rport", "2 BYE", "b1"))
    bye_ok = msg("SIP/2.0 200 OK", common(cid, "UDP 192.0.2.10:5060;branch=z9hG4bK-via4;rport=5060;received=192.0.2.10", "2 BYE", "b1"))
    write(os.path.join(out, name), [
        udp(A, 5060, B, 5060, inv, 1), udp(B, 5060, A, 5060, ring, 2),
        udp(A, 5060, B, 5060, cancel, 3), udp(B, 5060, A, 5060, ok, 4),
        udp(B, 5060, A, 5060, final, 5), udp(A, 5060, B, 5060, ack, 6),
        udp(A, 5060, B, 5060, bye, 7), udp(B, 5060, A, 5060, bye_ok, 8)])


def cancel_mid_transaction(out):
    """The capture starts after the INVITE and its 180: the CANCEL, its
    200, the INVITE's 487 and the ACK are all there is."""
    cid = "mid-1@192.0.2.10"
    via = "UDP 192.0.2.10:5060;branch=z9hG4bK-mid1;rport"
    resp_via = via + "=5060;received=192.0.2.10"
    cancel = msg("CANCEL sip:bob@192.0.2.20 SIP/2.0", common(cid, via, "1 CANCEL"))
    ok = msg("SIP/2.0 200 OK", common(cid, resp_via, "1 CANCEL", "b1"))
    term = msg("SIP/2.0 487 Request Terminated", common(cid, resp_via, "1 INVITE", "b1"))
    ack = msg("ACK sip:bob@192.0.2.20 SIP/2.0", common(cid, via, "1 ACK", "b1"))
    write(os.path.join(out, "lint-cancel-mid-transaction.pcap"), [
        udp(A, 5060, B, 5060, cancel, 1), udp(B, 5060, A, 5060, ok, 2),
        udp(B, 5060, A, 5060, term, 3), udp(A, 5060, B, 5060, ack, 4)])


def ack_non2xx_ruri(out):
    cid = "ruri-1@192.0.2.10"
    via = "UDP 192.0.2.10:5060;branch=z9hG4bK-ruri1"
    inv = msg("INVITE sip:bob@example.com SIP/2.0",
              common(cid, via, "1 INVITE") + ["Contact: <sip:alice@192.0.2.10>"])
    trying = msg("SIP/2.0 100 Trying", common(cid, via, "1 INVITE"))
    busy = msg("SIP/2.0 486 Busy Here", common(cid, via, "1 INVITE", "b1") +
               ["Contact: <sip:bob@192.0.2.20:5070>"])
    # §17.1.1.3: the ACK's Request-URI must be the INVITE's; this UA used
    # the 486's Contact.
    ack = msg("ACK sip:bob@192.0.2.20:5070 SIP/2.0", common(cid, via, "1 ACK", "b1"))
    write(os.path.join(out, "lint-ack-non2xx-ruri-mismatch.pcap"), [
        udp(A, 5060, B, 5060, inv, 1), udp(B, 5060, A, 5060, trying, 2),
        udp(B, 5060, A, 5060, busy, 3), udp(A, 5060, B, 5060, ack, 4)])


def tcp_new_connection(out):
    cid = "tcp-1@192.0.2.10"
    via = "TCP 192.0.2.10:5060;branch=z9hG4bK-tcp1"
    inv = msg("INVITE sip:bob@192.0.2.20 SIP/2.0;transport=tcp".replace(" SIP/2.0;transport=tcp", ";transport=tcp SIP/2.0"),
              common(cid, via, "1 INVITE") + ["Contact: <sip:alice@192.0.2.10;transport=tcp>"])
    trying = msg("SIP/2.0 100 Trying", common(cid, via, "1 INVITE"))
    ok = msg("SIP/2.0 200 OK", common(cid, via, "1 INVITE", "b1") +
             ["Contact: <sip:bob@192.0.2.20;transport=tcp>"])
    ack = msg("ACK sip:bob@192.0.2.20;transport=tcp SIP/2.0",
              common(cid, "TCP 192.0.2.10:5060;branch=z9hG4bK-tcp2", "1 ACK", "b1"))
    SYN, ACKF, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    c1, s1 = 1000, 5000       # connection 1: 192.0.2.10:40001 -> 192.0.2.20:5060
    c2, s2 = 9000, 7000       # connection 2: 192.0.2.20:40002 -> 192.0.2.10:5060
    f = [
        tcp(A, 40001, B, 5060, c1, 0, SYN, b"", 1),
        tcp(B, 5060, A, 40001, s1, c1 + 1, SYN | ACKF, b"", 2),
        tcp(A, 40001, B, 5060, c1 + 1, s1 + 1, ACKF, b"", 3),
        tcp(A, 40001, B, 5060, c1 + 1, s1 + 1, ACKF | PSH, inv, 4),
        tcp(B, 5060, A, 40001, s1 + 1, c1 + 1 + len(inv), ACKF | PSH, trying, 5),
        # The 200 OK goes out on a new connection from the UAS, although
        # the INVITE's connection is still open (RFC 3261 §18.2.2).
        tcp(B, 40002, A, 5060, s2, 0, SYN, b"", 6),
        tcp(A, 5060, B, 40002, c2, s2 + 1, SYN | ACKF, b"", 7),
        tcp(B, 40002, A, 5060, s2 + 1, c2 + 1, ACKF, b"", 8),
        tcp(B, 40002, A, 5060, s2 + 1, c2 + 1, ACKF | PSH, ok, 9),
        tcp(A, 40001, B, 5060, c1 + 1 + len(inv), s1 + 1 + len(trying), ACKF | PSH, ack, 10),
        tcp(A, 40001, B, 5060, c1 + 1 + len(inv) + len(ack), s1 + 1 + len(trying), ACKF | FIN, b"", 11),
    ]
    write(os.path.join(out, "lint-tcp-response-new-connection.pcap"), f)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata"
    cancel_via_mismatch(out)
    # Sent-by without a port: 5060 is meant (RFC 3261 §19.1.2).
    cancel_via_mismatch(out, "lint-cancel-via-default-port.pcap",
                        "192.0.2.10", "198.51.100.7")
    cancel_mid_transaction(out)
    ack_non2xx_ruri(out)
    tcp_new_connection(out)
