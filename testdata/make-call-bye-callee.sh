#!/bin/bash
# call-bye-callee.pcap: a basic call, direct UDP sipp <-> sipp, where the CALLEE hangs up.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-bye-callee.xml: waits for the BYE, answers 200)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-bye-callee.xml: BYE 1 s after the ACK)
# INVITE/100/180/200/ACK, then BYE from 127.0.0.30 and its 200 from 127.0.0.10.
# Regenerate: bash testdata/make-call-bye-callee.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-bye-callee.pcap
NS=sipsift-call-byecallee

ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-bye-callee.xml -i 127.0.0.30 -p 5060 \
    -m 1 -d 1000 -nostdin -timeout 20s
wait_listen $NS u 127.0.0.30:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-bye-callee.xml 127.0.0.30:5060 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
