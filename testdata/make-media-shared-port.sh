#!/bin/bash
# media-shared-port.pcap: three calls at once whose callee answers every one with the same
# media address, as sipp's uas does (sipp's built-in scenarios, direct UDP, one namespace).
#   sipp -sn uac_pcap 127.0.0.1 (SIP 5060; media port 6000, 6004, 6008: one a call) calls
#   sipp -sn uas -rtp_echo 127.0.0.2 (SIP 5070; answers 127.0.0.2:6000 in every 200 OK)
#   at 5 calls/s. Each caller plays sipp's shipped g711a.pcap (PCMA, with one RFC 2833
#   digit) from its own port to 127.0.0.2:6000, which echoes it back. For each call the
#   RTP to 127.0.0.2:6000 belongs to the call whose SDP names its sender: 4 streams a call
#   (PCMA and the digit, each way), as tshark's rtp,streams lists them.
# Namespace smd-shared.
# Usage: bash testdata/make-media-shared-port.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=media-shared-port.pcap
NS=smd-shared

# The built-in uac_pcap plays pcap/g711a.pcap and pcap/dtmf_2833_1.pcap from where it runs.
mkdir "$TMP_DIR/pcap"
ln -s /usr/share/sip-tester/g711a.pcap /usr/share/sip-tester/dtmf_2833_1.pcap "$TMP_DIR/pcap/"
ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sn uas -rtp_echo -i 127.0.0.2 -p 5070 \
    -mi 127.0.0.2 -mp 6000 -m 3 -nostdin -timeout 60s
wait_listen $NS u 127.0.0.2:5070 10
(cd "$TMP_DIR" && bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sn uac_pcap 127.0.0.2:5070 -i 127.0.0.1 -p 5060 \
    -mi 127.0.0.1 -mp 6000 -r 5 -m 3 -nostdin -timeout 60s
    echo "$UAC" >"$TMP_DIR/uac.pid")
UAC=$(cat "$TMP_DIR/uac.pid")
PID_LIST="$PID_LIST $UAC"
wait_pid "$UAC" 60
stop_pid "$UAS"
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP messages"
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
