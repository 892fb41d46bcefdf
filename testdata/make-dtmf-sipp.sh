#!/bin/bash
# dtmf-sipp-2833.pcap / dtmf-sip-info.pcap: DTMF from sipp, direct UDP sipp <-> sipp.
#   2833: sipp UAC 127.0.0.11 (scenarios/dtmf-uac-2833.xml) plays sipp's shipped RFC 2833
#         recordings /usr/share/sip-tester/dtmf_2833_{1..9,star,pound,0}.pcap (one event
#         each, end packet sent three times) with <exec play_pcap_audio>, from its media
#         port 6000 to the callee's SDP address; sipp UAS 127.0.0.12 (dtmf-uas-2833.xml,
#         telephone-event/8000 on PT 101 in both SDPs). Digits: 1 2 3 4 5 6 7 8 9 * # 0.
#   info: sipp UAC 127.0.0.11 (dtmf-uac-info.xml) sends INFO application/dtmf-relay
#         Signal=5 Duration=160, INFO application/dtmf "7", INFO dtmf-relay Signal=#
#         Duration=250 (its 200 OK comes 800 ms late from dtmf-uas-info.xml, so the caller
#         retransmits it once) and INFO dtmf-relay Signal=9 Duration=100. Digits: 5 7 # 9.
#   info-proxy: the same INFO call through kamailio (kamailio-proxy.cfg, record-routing):
#         UAC 127.0.0.10 -> kamailio 127.0.0.20 -> UAS 127.0.0.30; every INFO is seen on
#         both hops (and the retransmitted one twice on each), still four digits.
# Namespaces sdt-2833 / sdt-info / sdt-info-proxy.
# Usage: bash testdata/make-dtmf-sipp.sh [2833|info|info-proxy]
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
KIND=${1:-2833}
case $KIND in
    2833) OUT=dtmf-sipp-2833.pcap ;;
    info) OUT=dtmf-sip-info.pcap ;;
    info-proxy) OUT=dtmf-sip-info-proxy.pcap ;;
    *) echo "usage: $0 [2833|info|info-proxy]" >&2; exit 2 ;;
esac
NS=sdt-$KIND
SCEN=${KIND%-proxy}
UAC_IP=127.0.0.11 UAS_IP=127.0.0.12 NEXT=127.0.0.12
[ "$KIND" = info-proxy ] && { UAC_IP=127.0.0.10; UAS_IP=127.0.0.30; NEXT=127.0.0.20; }

ns_add $NS
[ "$KIND" = info-proxy ] && start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/dtmf-uas-$SCEN.xml -i $UAS_IP -p 5060 \
    -mi $UAS_IP -mp 7000 -m 1 -nostdin -timeout 30s
wait_listen $NS u $UAS_IP:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/dtmf-uac-$SCEN.xml $NEXT:5060 \
    -i $UAC_IP -p 5060 -mi $UAC_IP -mp 6000 -s bob -m 1 -nostdin -timeout 30s
wait_pid "$UAC" 30
wait_pid "$UAS" 10
stop_capture "$TCPD"
[ "$KIND" = info-proxy ] && stop_pid "$KAM"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP messages," \
    "$(tshark -r "$OUT" -Y rtpevent 2>/dev/null | wc -l) RTP event packets"
grep -aE "Successful call|Failed call" "$TMP_DIR/uac.log" | head -2 || true
