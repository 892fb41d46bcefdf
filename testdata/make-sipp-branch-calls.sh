#!/usr/bin/env bash
# sipp-branch-calls.pcapng: eight calls taken whole from the public
# sipp-branch capture (testdata/corpus/sipnab/sipp-branch-scenario.pcapng,
# NormB/sipnab tests/pcap-samples, MIT OR Apache-2.0; see
# testdata/corpus/CATALOG.md). Each of its Call-IDs carries a REGISTER
# (answered 200) and then an INVITE; these eight are the first call of each
# way the INVITE ends there: 180 then 403 and a BYE, 100 and 180 with no
# final, 403 without BYE, 200/ACK/BYE, 200/ACK without BYE, BYE without any
# response to the INVITE, 403 with an unanswered BYE, no response at all.
# Every frame of the eight Call-IDs is kept, in capture order, unchanged.
# Needs tshark (4.0.17 was used).
set -eu
cd "$(dirname "$0")"
src=corpus/sipnab/sipp-branch-scenario.pcapng
ids=""
for n in 1 2 12 20 26 36 73 76; do
	ids="$ids${ids:+, }\"$n-4461@127.0.1.1\""
done
tshark -r "$src" -Y "sip.Call-ID in {$ids}" -F pcapng -w sipp-branch-calls.pcapng
