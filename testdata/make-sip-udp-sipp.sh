#!/bin/bash
# sip-udp-sipp.pcap: one basic call, sipp UAC -> sipp UAS over UDP on 127.0.0.1,
# UAS on port 5070 (not 5060) so that "SIP on any port" is exercised.
# (UAS: scenarios/uas-basic.xml = built-in uas + 100 Trying; UAC: scenarios/uac-basic.xml,
# which sends ACK and BYE to the 200's Contact, the remote target, as RFC 3261 §12.2.1.1
# wants: sipp's built-in -sn uac sends them to sip:[service]@[remote_ip]:[remote_port].)
# INVITE/100/180/200/ACK/BYE/200. Regenerate: bash testdata/make-sip-udp-sipp.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=sip-udp-sipp.pcap
NS=sipsift-udp-sipp

ns_add $NS
start_capture TCP $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-basic.xml -i 127.0.0.1 -p 5070 -m 1 -nostdin -timeout 20s
sleep 0.5
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-basic.xml 127.0.0.1:5070 -i 127.0.0.1 -p 5061 -s bob \
    -m 1 -d 1000 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCP"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
