#!/bin/bash
# sip-udp-ipv6.pcap: the basic call of sip-udp-sipp.pcap over IPv6 on [::1]:
# sipp UAC [::1]:5061 (scenarios/uac-basic.xml: ACK/BYE to the 200's Contact) -> sipp UAS
# [::1]:5070 (scenarios/uas-basic.xml).
# Regenerate: bash testdata/make-sip-udp-ipv6.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=sip-udp-ipv6.pcap
NS=sipsift-udp-ipv6

ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-basic.xml -i ::1 -p 5070 \
    -m 1 -nostdin -timeout 20s
wait_listen $NS u '[::1]:5070' 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-basic.xml '[::1]:5070' -i ::1 -p 5061 -s bob \
    -m 1 -d 1000 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
