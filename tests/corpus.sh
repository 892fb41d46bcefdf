#!/usr/bin/env bash
# Cross-checks the number of SIP messages sipsift finds against tshark:
#  - on every public capture in testdata/corpus (a copy of the shared corpus;
#    tshark's counts are
#    in its catalog.json), where tests/corpus-diffs.txt lists and explains
#    each capture on which we knowingly differ, with the count we expect;
#  - on every capture in testdata/, against tshark run now, when installed
#    (tests/tshark_check.py; knowing differences in tests/testdata-diffs.txt).
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
CORPUS=${SIFT_CORPUS:-testdata/corpus}
export SIPSIFT CORPUS

if [ -f "$CORPUS/catalog.json" ]; then
	python3 tests/corpus_check.py
else
	echo "not ok corpus: $CORPUS/catalog.json not found (set SIFT_CORPUS)"
fi

if command -v tshark >/dev/null 2>&1; then
	python3 tests/tshark_check.py
else
	echo "note: tshark not installed; testdata cross-check skipped"
fi

# Per-stream RTP packets, lost and max jitter against tshark -z rtp,streams
# (knowing differences in tests/rtp-diffs.txt).
if command -v tshark >/dev/null 2>&1; then
	# shellcheck disable=SC2046
	python3 tests/rtp_check.py tests/rtp-diffs.txt $(find testdata -name '*.pcap*' | sort)
fi

# RTCP round trips (RFC 3550 §6.4.1) against tshark's fields, on the capture
# whose RTCP is in the clear with SR/RR pairs both ways.
if command -v tshark >/dev/null 2>&1; then
	python3 tests/rtt_check.py "${SIPSIFT:-./sipsift}" testdata/corpus/wireshark-wiki/rtp_conversacion.pcap
fi
