#!/bin/bash
# rtp-*.pcap: RTP edge cases no real stack here makes on demand, written by
# tests/tools/gen_rtp.py (Python 3 standard library; its docstring says what
# each capture holds and which statistics it must give).
# Regenerate: bash testdata/make-rtp-generated.sh
set -eu
cd "$(dirname "$0")/.."
python3 tests/tools/gen_rtp.py testdata
for f in testdata/rtp-seq-wrap.pcap testdata/rtp-duplicates.pcap testdata/rtp-reorder.pcap \
         testdata/rtp-ssrc-change.pcap testdata/rtp-dtmf-lost-end.pcap; do
    echo "wrote $f: $(tshark -r "$f" 2>/dev/null | wc -l) packets"
done
