#!/bin/bash
# sip-udp-kamailio.pcap: one call over UDP through a real record-routing proxy.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml: ACK/BYE to Contact with Route set)
#   -> kamailio 127.0.0.20:5060 (kamailio-proxy.cfg: record_route, loose_route, t_relay)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml)
# Both legs are in the capture (one loopback). Regenerate: bash testdata/make-sip-udp-kamailio.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=sip-udp-kamailio.pcap
NS=sipsift-udp-kam

ns_add $NS
start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-basic.xml -i 127.0.0.30 -p 5060 \
    -m 1 -nostdin -timeout 20s
wait_listen $NS u 127.0.0.30:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-basic.xml 127.0.0.20:5060 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -d 1000 -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
stop_pid "$KAM"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
