#!/bin/bash
# lint-rport-response-wrong-port.pcap: the caller sends from port 5060 with "Via: SIP/2.0/UDP 127.0.0.10:5999;rport"
# and the callee, ignoring rport (RFC 3581), sends every response to the Via port 5999
# (nobody listens: ICMP port unreachable) instead of the source port 5060. The caller never
# gets an answer and retransmits its INVITE; both give up after ~3 s (callee T1 = 50 ms,
# T2 = 400 ms, as in make-call-no-ack.sh). Direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-rport.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-no-rport.xml: a setdest action to 127.0.0.10:5999 after the INVITE).
# Regenerate: bash testdata/make-lint-rport-response-wrong-port.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-rport-response-wrong-port.pcap

lint_begin sipsift-lint-rport
lint_uas UAS scenarios/lint-uas-no-rport.xml -T2 400 -max_invite_retrans 11 -default_behaviors none
lint_uac UAC scenarios/lint-uac-rport.xml 127.0.0.30:5060 -default_behaviors none
lint_end "$OUT" "$UAC" "$UAS"
lint_expect "$OUT" 'sip.Method == "INVITE" && udp.srcport == 5060 && sip.Via.sent-by.port == 5999 && sip.Via.rport && !icmp' \
    "INVITE from port 5060 with Via port 5999 and rport"
lint_expect "$OUT" 'sip.Status-Code && udp.dstport == 5999 && !icmp' "responses sent to port 5999"
lint_expect "$OUT" 'icmp.type == 3 && icmp.code == 3' "ICMP port unreachable"
