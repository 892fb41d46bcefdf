"""Writes a classic pcap of one long call and a few short ones, all over
UDP: the long one an INVITE, 200 OK and ACK, then N in-dialog OPTIONS
each answered 200 OK, then BYE and 200 OK; after it, three calls of five
messages. The long call's NDJSON line runs past a megabyte for N in the
thousands (tests/cli.sh: the line buffer that report_json.c keeps from
line to line lets go of such a line and writes the next ones whole).

usage: gen_long_call.py N OUT.pcap
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pcaplib  # noqa: E402
from gen_endless import A, B, T0, frame, msg  # noqa: E402


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    uri = "sip:b@192.0.2.2"
    w = pcaplib.Writer(out, 1)
    t, ident = T0, 0

    def put(src, dst, text):
        nonlocal t, ident
        w.write(t, frame(src, dst, text, ident & 0xFFFF))
        t += 10**6
        ident += 1

    put(A, B, msg("INVITE %s SIP/2.0" % uri, 0, 1, "INVITE", False))
    put(B, A, msg("SIP/2.0 200 OK", 0, 1, "INVITE", True))
    put(A, B, msg("ACK %s SIP/2.0" % uri, 0, 1, "ACK", True))
    for k in range(n):
        put(A, B, msg("OPTIONS %s SIP/2.0" % uri, 0, 2 + k, "OPTIONS", True))
        put(B, A, msg("SIP/2.0 200 OK", 0, 2 + k, "OPTIONS", True))
    put(A, B, msg("BYE %s SIP/2.0" % uri, 0, 2 + n, "BYE", True))
    put(B, A, msg("SIP/2.0 200 OK", 0, 2 + n, "BYE", True))
    for i in range(1, 4):
        put(A, B, msg("INVITE %s SIP/2.0" % uri, i, 1, "INVITE", False))
        put(B, A, msg("SIP/2.0 200 OK", i, 1, "INVITE", True))
        put(A, B, msg("ACK %s SIP/2.0" % uri, i, 1, "ACK", True))
        put(A, B, msg("BYE %s SIP/2.0" % uri, i, 2, "BYE", True))
        put(B, A, msg("SIP/2.0 200 OK", i, 2, "BYE", True))
    w.close()


if __name__ == "__main__":
    main()
