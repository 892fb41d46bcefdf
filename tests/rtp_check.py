#!/usr/bin/env python3
"""Compare sipsift's per-stream RTP statistics with tshark's.

For every capture given, the RTP streams sipsift finds (signalled by SDP)
are matched by source, destination and SSRC to the rows of
`tshark -q -z rtp,streams` (with tshark's RTP heuristic off for streams an
SDP announced, on for those sipsift found by its own heuristic) and must
agree on packets, lost and max
jitter (within 0.1 ms), and be one stream each, as tshark's are (field
"split" in the diffs file for one that sipsift rightly splits). A difference that is understood is listed, with
its reason, in the diffs file (tests/rtp-diffs.txt: "file src dst ssrc
field  # why", field "stream" for a stream tshark does not see); any
other difference fails. Prints "ok NAME" or "not ok NAME: why" per stream."""
import json
import re
import subprocess
import sys

import tshark_cache

ROW = re.compile(r'^\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+'
                 r'(0x[0-9A-Fa-f]+)\s+(.*?)\s+(\d+)\s+(-?\d+)\s+\([^)]*\)\s+'
                 r'(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)')


def addr(ip, port):
    return ('[%s]:%s' % (ip, port)) if ':' in ip else ('%s:%s' % (ip, port))


def tshark_streams(path, heuristic):
    out = subprocess.run(['tshark', '-n', '-r', path, '-q', '-o',
                          'rtp.heuristic_rtp:%s' % ('TRUE' if heuristic else 'FALSE'),
                          '-z', 'rtp,streams'],
                         capture_output=True, text=True, check=False).stdout
    rows = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        key = (addr(m.group(3), m.group(4)), addr(m.group(5), m.group(6)),
               m.group(7).lower())
        # A minimum jitter of -1 is tshark saying it measured none (no
        # clock rate for the payload type).
        rows[key] = {'packets': int(m.group(9)), 'lost': int(m.group(10)),
                     'jitter_ms_max': None if float(m.group(14)) < 0
                     else float(m.group(16))}
    return rows


def tshark_rtcp(path):
    """Report blocks per (reported SSRC, reporter IP): count and the
    cumulative lost of the last one, as tshark dissects them."""
    out = subprocess.run(['tshark', '-n', '-r', path, '-Y', 'rtcp', '-T',
                          'json', '--no-duplicate-keys'],
                         capture_output=True, text=True, check=False).stdout
    seen = {}
    for pkt in json.loads(out or '[]'):
        layers = pkt['_source']['layers']
        ipl = layers.get('ip') or layers.get('ipv6') or {}
        ip = ipl.get('ip.src') or ipl.get('ipv6.src')
        if isinstance(ip, list):        # tunnelled: the inner header
            ip = ip[-1]
        rtcp = layers.get('rtcp', [])
        for part in rtcp if isinstance(rtcp, list) else [rtcp]:
            for k, v in part.items():
                if not k.startswith('Source ') or 'rtcp.ssrc.identifier' not in v:
                    continue
                key = ('0x%08x' % int(v['rtcp.ssrc.identifier'], 16), ip)
                lost = int(v['SSRC contents']['rtcp.ssrc.cum_nr'])
                n, _ = seen.get(key, (0, 0))
                seen[key] = (n + 1, lost)
    return seen


def host(a):
    return a[1:a.index(']')] if a.startswith('[') else a.rsplit(':', 1)[0]


def our_streams(path):
    out = subprocess.run(['./sipsift', 'analyze', '--format', 'json', path],
                         capture_output=True, text=True, check=False).stdout
    rows = {}
    for s in json.loads(out)['streams']:
        if s['kind'] != 'rtp' or s['found_by'] == 'key':
            continue
        key = (s['src'], s['dst'], s['ssrc'])
        # The same source, destination and SSRC in two streams: the
        # pieces are counted, the last one compared.
        s['pieces'] = rows[key]['pieces'] + 1 if key in rows else 1
        rows[key] = s
    return rows


def main():
    diffs_file, paths = sys.argv[1], sys.argv[2:]
    known = set()
    with open(diffs_file) as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if len(line) == 5:
                known.add(tuple(line))
    bad = compared = 0
    rtcp_cache = {}
    for path in paths:
        theirs = {}
        ours = our_streams(path)
        for key, s in ours.items():
            h = s['found_by'] == 'heuristic'
            if h not in theirs:
                theirs[h] = tshark_cache.view('rtp,streams', tshark_streams, path, h)
            t = theirs[h].get(key)
            if t is None:
                # tshark's heuristic is looser than ours: a stream only
                # ours finds is a false positive.
                if h and (path, *key, 'stream') not in known:
                    print('not ok rtp/%s/%s>%s/%s: found by the heuristic, '
                          'tshark sees no RTP there' % (path, *key))
                continue
            compared += 1
            bad = 0
            if s['pieces'] > 1 and (path, *key, 'split') not in known:
                print('not ok rtp/%s/%s>%s/%s/split: sipsift %d streams, '
                      'tshark one' % (path, *key, s['pieces']))
                bad += 1
            for field in ('packets', 'lost', 'jitter_ms_max'):
                a, b = s[field], t[field]
                if field == 'lost':
                    # tshark's lost is expected less every packet received,
                    # duplicates too (RFC 3550 A.3 lets it go negative);
                    # sipsift counts duplicates apart.
                    a -= s['duplicates']
                if field == 'jitter_ms_max':
                    same = a == b if a is None or b is None \
                        else abs(a - b) <= 0.1
                else:
                    same = a == b
                if same or (path, *key, field) in known:
                    continue
                print('not ok rtp/%s/%s>%s/%s/%s: sipsift %s, tshark %s'
                      % (path, *key, field, a, b))
                bad += 1
            if s['rtcp'] and s['rtcp']['reports'] and not s['srtp']:
                # What RTCP said, as tshark reads the same report blocks.
                if path not in rtcp_cache:
                    rtcp_cache[path] = tshark_cache.view('rtcp', tshark_rtcp, path)
                t = rtcp_cache[path].get((s['ssrc'], host(s['dst'])))
                ours = (s['rtcp']['reports'], s['rtcp']['lost'])
                if t != ours and (path, *key, 'rtcp') not in known:
                    print('not ok rtp/%s/%s>%s/%s/rtcp: sipsift %s report '
                          'blocks, last lost %s; tshark %s'
                          % (path, *key, ours[0], ours[1], t))
                    bad += 1
            if not bad:
                print('ok rtp/%s/%s>%s/%s' % (path, *key))
    if not compared:
        print('not ok rtp: no stream compared')
    if tshark_cache.misses():
        print('note: tshark ran on %d views not in tests/tshark-cache.json '
              '(tests/tshark-cache-update adds them)' % tshark_cache.misses())
    return 0


if __name__ == '__main__':
    sys.exit(main())
