#!/usr/bin/env python3
"""Compare sipsift's per-stream RTP statistics with tshark's.

For every capture given, the RTP streams sipsift finds (signalled by SDP)
are matched by source, destination and SSRC to the rows of
`tshark -q -z rtp,streams` and must agree on packets, lost and max
jitter (within 0.1 ms). A difference that is understood is listed, with
its reason, in the diffs file (tests/rtp-diffs.txt: "file src dst ssrc
field  # why"); any other difference fails. Prints "ok NAME" or "not ok NAME: why" per stream."""
import json
import re
import subprocess
import sys

ROW = re.compile(r'^\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+'
                 r'(0x[0-9A-Fa-f]+)\s+(.*?)\s+(\d+)\s+(-?\d+)\s+\([^)]*\)\s+'
                 r'([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)')


def addr(ip, port):
    return ('[%s]:%s' % (ip, port)) if ':' in ip else ('%s:%s' % (ip, port))


def tshark_streams(path):
    out = subprocess.run(['tshark', '-n', '-r', path, '-q', '-o',
                          'rtp.heuristic_rtp:FALSE', '-z', 'rtp,streams'],
                         capture_output=True, text=True, check=False).stdout
    rows = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        key = (addr(m.group(3), m.group(4)), addr(m.group(5), m.group(6)),
               m.group(7).lower())
        rows[key] = {'packets': int(m.group(9)), 'lost': int(m.group(10)),
                     'jitter_ms_max': float(m.group(16))}
    return rows


def our_streams(path):
    out = subprocess.run(['./sipsift', 'analyze', '--format', 'json', path],
                         capture_output=True, text=True, check=False).stdout
    rows = {}
    for s in json.loads(out)['streams']:
        if s['kind'] != 'rtp' or s['call_id'] is None:
            continue
        rows[(s['src'], s['dst'], s['ssrc'])] = s
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
    for path in paths:
        theirs = tshark_streams(path)
        for key, s in our_streams(path).items():
            t = theirs.get(key)
            if t is None:
                continue
            compared += 1
            bad = 0
            for field in ('packets', 'lost', 'jitter_ms_max'):
                a, b = s[field], t[field]
                same = (a is not None and abs(a - b) <= 0.1) \
                    if field == 'jitter_ms_max' else a == b
                if same or (path, *key, field) in known:
                    continue
                print('not ok rtp/%s/%s>%s/%s/%s: sipsift %s, tshark %s'
                      % (path, *key, field, a, b))
                bad += 1
            if not bad:
                print('ok rtp/%s/%s>%s/%s' % (path, *key))
    if not compared:
        print('not ok rtp: no stream compared')
    return 0


if __name__ == '__main__':
    sys.exit(main())
