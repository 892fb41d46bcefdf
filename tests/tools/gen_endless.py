"""Writes to stdout a classic pcap of N SIP calls, one a second, each an
INVITE, 200 OK, ACK, BYE and 200 OK over UDP: a capture as long as
asked for, to read from a pipe (tests/cli.sh: NDJSON into a reader that
goes away must not read on to the end). The writer stops quietly when
its reader does.

usage: gen_endless.py N
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402

T0 = 1_795_200_000 * 10**9
A = bytes([192, 0, 2, 1])
B = bytes([192, 0, 2, 2])


def frame(src, dst, text, ident):
    payload = text.encode()
    u = struct.pack("!HHHH", 5060, 5060, 8 + len(payload), 0) + payload
    ip = pcaplib.ipv4_header(src, dst, 17, len(u), ident)
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + u


def msg(start, i, cseq, method, to_tag):
    to = "<sip:b@192.0.2.2>" + (";tag=b%d" % i if to_tag else "")
    mf = "" if start.startswith("SIP/") else "Max-Forwards: 70\r\n"
    return (start + "\r\n" + mf +
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK%d%s\r\n"
            "From: <sip:a@192.0.2.1>;tag=a%d\r\n"
            "To: %s\r\n"
            "Call-ID: endless-%d@192.0.2.1\r\n"
            "CSeq: %d %s\r\n"
            "Content-Length: 0\r\n\r\n") % (i, method, i, to, i, cseq, method)


def main():
    n = int(sys.argv[1])
    w = pcaplib.Writer("/dev/stdout", 1)
    try:
        for i in range(n):
            t = T0 + i * 10**9
            uri = "sip:b@192.0.2.2"
            seq = [
                (A, B, msg("INVITE %s SIP/2.0" % uri, i, 1, "INVITE", False)),
                (B, A, msg("SIP/2.0 200 OK", i, 1, "INVITE", True)),
                (A, B, msg("ACK %s SIP/2.0" % uri, i, 1, "ACK", True)),
                (A, B, msg("BYE %s SIP/2.0" % uri, i, 2, "BYE", True)),
                (B, A, msg("SIP/2.0 200 OK", i, 2, "BYE", True)),
            ]
            for k, (src, dst, text) in enumerate(seq):
                w.write(t + k * 10**6, frame(src, dst, text, i * 5 + k))
        w.close()
    except BrokenPipeError:
        # The reader went away: so do we, without a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
