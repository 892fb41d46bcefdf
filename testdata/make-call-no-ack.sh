#!/bin/bash
# call-no-ack.pcap: a 200 OK that is never ACKed, direct UDP sipp <-> sipp.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-no-ack.xml: no ACK, no BYE)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-no-ack.xml: retransmits the 200 OK, gives up)
# The UAS runs with shrunk timers, T1 = 50 ms and T2 = 400 ms (the RFC's 500 ms / 4 s divided
# by ten): the 200 OK is sent at 0, 0.05, 0.15, 0.35, 0.75, 1.15, ... 2.75 s, 10 times with the
# same Via branch and To tag, until sipp's limit of 64*T1 = 3.2 s (the 11th send, due at
# 3.15 s, falls after it because sipp's timers drift by a few ms per send). Neither side
# sends a BYE. T1=500 bash testdata/make-call-no-ack.sh gives the real 32 s schedule.
# Regenerate: bash testdata/make-call-no-ack.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-no-ack.pcap
NS=sipsift-call-noack
T1=${T1:-50}
T2=$((T1 * 8))

ns_add $NS
sed "s/retrans=\"50\" ontimeout/retrans=\"$T1\" ontimeout/" scenarios/uas-no-ack.xml >"$TMP_DIR/uas.xml"
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf "$TMP_DIR/uas.xml" -i 127.0.0.30 -p 5060 \
    -T2 $T2 -max_invite_retrans 11 -default_behaviors none -m 1 -nostdin -timeout 60s
wait_listen $NS u 127.0.0.30:5060 10
# the UAC stays (silently) until after the UAS has given up
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-no-ack.xml 127.0.0.30:5060 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -d $((T1 * 64 + T1 * 10)) -default_behaviors none \
    -nostdin -timeout 60s
wait_pid "$UAC" 60
wait_pid "$UAS" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE $(printf '200/INVITE %.0s' $(seq 10))"
