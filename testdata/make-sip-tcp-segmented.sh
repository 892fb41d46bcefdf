#!/bin/bash
# sip-tcp-segmented.pcap: one call over SIP/TCP between two real sipp instances where
#  (a) the INVITE (~3.5 KB, scenarios/uac-big-invite-tcp.xml) spans several TCP segments
#      (lo MTU 1500 -> MSS 1460; TSO/GSO/GRO off so the capture shows wire-size segments),
#  (b) ACK and BYE are written with one send and share one segment.
# sipp UAC 127.0.0.10 -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml), both -t t1.
# Regenerate: bash testdata/make-sip-tcp-segmented.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=sip-tcp-segmented.pcap
NS=sipsift-tcp-seg

ns_add $NS
ip netns exec $NS ip link set lo mtu 1500
ip netns exec $NS ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || \
    ip netns exec $NS ethtool -K lo tso off gso off >/dev/null
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/uas-basic.xml -t t1 -i 127.0.0.30 -p 5060 \
    -m 1 -nostdin -timeout 20s
wait_listen $NS t 127.0.0.30:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/uac-big-invite-tcp.xml 127.0.0.30:5060 -t t1 \
    -i 127.0.0.10 -p 5060 -s bob -m 1 -pause_msg_ign -nostdin -timeout 20s
wait_pid "$UAC" 20
wait_pid "$UAS" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) frames with SIP"
