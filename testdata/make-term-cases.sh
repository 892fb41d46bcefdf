#!/usr/bin/env bash
# flow-ipv6-ula.pcap and call-midnight.pcap, rewritten from real captures by
# tests/tools/term_cases.py (see there): two hosts on one IPv6 /64, whose
# names do not fit a ladder column; and a call that crosses midnight UTC.
set -eu
cd "$(dirname "$0")"
python3 ../tests/tools/term_cases.py .
