#!/bin/bash
# lint-ack-lost.pcap: the caller's ACK for the 200 OK goes to a wrong port (127.0.0.30:5999, nobody
# listens: ICMP port unreachable), so the callee never gets it and retransmits its 200 OK,
# each retransmission answered by another misdirected ACK. Direct UDP, shrunk timers as in
# make-call-no-ack.sh (T1 = 50 ms, T2 = 400 ms: the 200 is sent 10 times over 3.2 s).
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-lost.xml: setdest before the ACK)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-no-ack.xml: gives up silently, no BYE)
# Regenerate: bash testdata/make-lint-ack-lost.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-lost.pcap

lint_begin sipsift-lint-al
lint_uas UAS scenarios/uas-no-ack.xml -T2 400 -max_invite_retrans 11 -default_behaviors none
lint_uac UAC scenarios/lint-uac-ack-lost.xml 127.0.0.30:5060 -default_behaviors none
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
lint_expect "$OUT" 'sip.Method == "ACK" && udp.dstport == 5999 && !icmp' "ACK sent to port 5999"
lint_expect "$OUT" 'icmp.type == 3 && icmp.code == 3' "ICMP port unreachable for the ACK"
n=$(tshark -r "$OUT" -Y 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"' 2>/dev/null | wc -l)
[ "$n" -ge 5 ] || { echo "$OUT: only $n 200 OKs, expected retransmissions" >&2; exit 1; }
echo "$OUT: $n x 200 OK (INVITE) after the ACK went astray"
