#!/usr/bin/env python3
"""extract -w, checked against tshark (issue 13): the packets written must
be, byte for byte and in capture order, the source frames that tshark says
carry the selected calls' SIP (the frame that completes each message, every
TCP segment and IP fragment of it) and the RTP/RTCP of their streams (the
UDP frames between the streams' addresses that sipsift's report names).

usage: extract-check.py SIPSIFT OUT.pcap SELECTION-ARGS... -- INPUT.pcap
(classic pcap input and output; one input). Prints ok/not ok lines."""
import json
import struct
import subprocess
import sys


def frames(path):
    """The frames of a classic pcap file, in order, as bytes."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        raise SystemExit('not a classic pcap: %s' % path)
    out, pos = [], 24
    while pos + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(e + 'IIII', data[pos:pos + 16])
        out.append(data[pos + 16:pos + 16 + caplen])
        pos += 16 + caplen
    return out


def tshark(path, flt, fields):
    cmd = ['tshark', '-r', path, '-Y', flt, '-T', 'fields', '-E', 'separator=;']
    for fl in fields:
        cmd += ['-e', fl]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line.split(';') for line in res.stdout.splitlines() if line]


def main():
    sipsift, out = sys.argv[1], sys.argv[2]
    sep = sys.argv.index('--')
    sel, src = sys.argv[3:sep], sys.argv[sep + 1]
    rsel = [a for a in sel if a != '--sip-only']
    rep = json.loads(subprocess.run([sipsift, 'analyze', '--format', 'json', '-q'] + rsel + [src],
                                    capture_output=True, text=True, check=True).stdout)
    want = set()
    for c in rep['calls']:
        cid = c['call_id']
        for row in tshark(src, 'sip.Call-ID == "%s"' % cid,
                          ['frame.number', 'tcp.segment', 'ip.fragment', 'ipv6.fragment']):
            for cell in row:
                want.update(int(x) for x in cell.split(',') if x)
    sip_only = '--sip-only' in sel
    if not sip_only:
        def hp(a):
            host, port = a.rsplit(':', 1)
            return host.strip('[]'), port
        for s in rep['streams']:
            (sh, sp), (dh, dp) = hp(s['src']), hp(s['dst'])
            ip = 'ipv6' if ':' in sh else 'ip'
            # ICMP errors quote a UDP header: not the stream's packets.
            flt = ('!icmp && !icmpv6 && %s.src == %s && udp.srcport == %s && %s.dst == %s && udp.dstport == %s'
                   % (ip, sh, sp, ip, dh, dp))
            want.update(int(r[0]) for r in tshark(src, flt, ['frame.number']))
    srcf, outf = frames(src), frames(out)
    expect = [srcf[n - 1] for n in sorted(want)]
    name = ' '.join(sel + [src])
    if outf == expect:
        print('ok extract/%s: %d frames' % (name, len(outf)))
        return 0
    got = {bytes(x) for x in outf}
    missing = [n for n in sorted(want) if srcf[n - 1] not in got]
    extra = len([x for x in outf if x not in set(expect)])
    print('not ok extract/%s: %d frames written, %d expected; missing frames %s; %d extra'
          % (name, len(outf), len(expect), missing[:20], extra))
    return 1


if __name__ == '__main__':
    sys.exit(main())
