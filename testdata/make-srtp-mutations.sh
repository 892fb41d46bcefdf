#!/usr/bin/env bash
# The SRTP failure cases, made from the real baresip call by rewriting its
# SDES keys in place (tests/tools/mutate_sdp.py says how).
set -eu
cd "$(dirname "$0")/.."
python3 tests/tools/mutate_sdp.py testdata/srtp-dtmf-call.pcap testdata/srtp-wrong-key.pcap --wrong-key
python3 tests/tools/mutate_sdp.py testdata/srtp-dtmf-call.pcap testdata/srtp-no-key.pcap --no-crypto
python3 tests/tools/mutate_sdp.py testdata/srtp-dtmf-call.pcap testdata/srtp-bad-key.pcap --bad-key
