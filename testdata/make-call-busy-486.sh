#!/bin/bash
# call-busy-486.pcap: a call rejected with 486 Busy Here, through a record-routing proxy.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-busy.xml)
#   -> kamailio 127.0.0.20:5060 (kamailio-proxy.cfg)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-busy.xml: 100, 486 after 200 ms)
# INVITE/100/486/ACK on both legs (kamailio ACKs the callee's 486 itself, relays the 486
# upstream and absorbs the caller's ACK). Regenerate: bash testdata/make-call-busy-486.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-busy-486.pcap
NS=sipsift-call-busy

ns_add $NS
start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-busy.xml -i 127.0.0.30 -p 5060 \
    -m 1 -nostdin -timeout 20s
wait_listen $NS u 127.0.0.30:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-busy.xml 127.0.0.20:5060 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
stop_pid "$KAM"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 486/INVITE 486/INVITE ACK ACK"
