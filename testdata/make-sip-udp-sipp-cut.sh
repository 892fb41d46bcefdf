#!/usr/bin/env bash
# sip-udp-sipp-cut.pcap: sip-udp-sipp.pcap with its last 20 bytes cut off,
# as a capture killed while writing looks. The last packet (the final 200)
# is cut: everything before it must still be read, with one warning.
set -eu
cd "$(dirname "$0")"
n=$(stat -c %s sip-udp-sipp.pcap)
head -c $((n - 20)) sip-udp-sipp.pcap > sip-udp-sipp-cut.pcap
