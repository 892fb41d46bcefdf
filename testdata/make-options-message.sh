#!/bin/bash
# options-message.pcap: out-of-dialog requests and a subscription, direct UDP sipp <-> sipp,
# caller 127.0.0.10:5060, answerer 127.0.0.30:5060, three sipp runs one after the other
# (so three distinct Call-IDs, as real UAs would use):
#   1. OPTIONS / 200                    (scenarios/uac-options.xml -> uas-answer-200.xml)
#   2. MESSAGE text/plain / 200         (scenarios/uac-message.xml -> uas-answer-200.xml)
#   3. SUBSCRIBE (presence) / 200, NOTIFY active / 200, SUBSCRIBE Expires 0 / 200,
#      NOTIFY terminated / 200          (scenarios/uac-subscribe.xml -> uas-subscribe.xml)
# Regenerate: bash testdata/make-options-message.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=options-message.pcap
NS=sipsift-options-msg

run_pair() {    # run_pair NAME UAS_XML UAC_XML
    local uas uac
    bg_run uas "$TMP_DIR/$1-uas.log" $NS sipp -sf "scenarios/$2" -i 127.0.0.30 -p 5060 -s bob \
        -m 1 -nostdin -timeout 20s
    wait_listen $NS u 127.0.0.30:5060 10
    bg_run uac "$TMP_DIR/$1-uac.log" $NS sipp -sf "scenarios/$3" 127.0.0.30:5060 \
        -i 127.0.0.10 -p 5060 -s bob -m 1 -nostdin -timeout 20s
    wait_pid "$uac" 20
    wait_pid "$uas" 10
    check_sipp "$TMP_DIR/$1-uac.log"
    check_sipp "$TMP_DIR/$1-uas.log"
}

ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
run_pair options uas-answer-200.xml uac-options.xml
run_pair message uas-answer-200.xml uac-message.xml
run_pair subscribe uas-subscribe.xml uac-subscribe.xml
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_flow "$OUT" "OPTIONS 200/OPTIONS MESSAGE 200/MESSAGE SUBSCRIBE 200/SUBSCRIBE NOTIFY
    200/NOTIFY SUBSCRIBE 200/SUBSCRIBE NOTIFY 200/NOTIFY"
