#!/bin/bash
# srtp-late-join.pcap, srtp-rekey.pcap, srtp-mki.pcap, srtp-rtcp-mux.pcap, srtp-suite-aes-256.pcap:
# SDES-SRTP calls that no stack available here produces on demand, written by
# tests/tools/gen_srtp.c (C11 + libsrtp2: keys from the SDP, srtp_protect / srtp_protect_mki /
# srtp_protect_rtcp). Deterministic: the same files on every run. No network, no root needed.
# The keys, SSRCs and ROCs are printed (and listed in README.md).
# Usage: bash testdata/make-srtp-generated.sh
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
cc -O2 -std=c11 -Wall -Wextra -o build/gen_srtp tests/tools/gen_srtp.c $(pkg-config --cflags --libs libsrtp2)
build/gen_srtp testdata
