#!/bin/bash
# call-cancel.pcap: a call cancelled while the callee rings, through a record-routing proxy.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-cancel.xml: CANCEL with the INVITE's branch)
#   -> kamailio 127.0.0.20:5060 (kamailio-proxy.cfg: answers the CANCEL, forwards it)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-ring-cancel.xml: 100/180, then 200 + 487)
# INVITE/100/180, CANCEL/200, 487/ACK on both legs (kamailio ACKs the callee's 487 itself
# and absorbs the caller's ACK). Regenerate: bash testdata/make-call-cancel.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-cancel.pcap
NS=sipsift-call-cancel

ns_add $NS
start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-ring-cancel.xml -i 127.0.0.30 -p 5060 \
    -m 1 -nostdin -timeout 20s
wait_listen $NS u 127.0.0.30:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-cancel.xml 127.0.0.20:5060 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -d 1000 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
stop_pid "$KAM"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
# both legs: INVITE 100 180, CANCEL 200, 487 ACK
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE CANCEL CANCEL
    200/CANCEL 200/CANCEL 487/INVITE 487/INVITE ACK ACK"
