#!/bin/bash
# media-nat.pcap: a UA behind NAT whose SDP advertises its private address: the classic cause
# of one-way audio. Three namespaces joined by veth pairs:
#   smd-nat-priv: baresip bob 10.0.0.2/24 (caller), default route via the router
#   smd-nat-rtr:  the router, 10.0.0.1 (inside) and 203.0.113.1 (outside), forwarding with
#                 nftables masquerade to the outside; from outside it forwards only what
#                 conntrack ties to a flow from inside (replies), as a home NAT does
#   smd-nat-pub:  baresip alice 203.0.113.10/24 (callee, answermode=auto), default route via
#                 the router
# bob dials sip:alice@203.0.113.10; his INVITE leaves the router from 203.0.113.1, but its
# SDP says c=IN IP4 10.0.0.2 (and his Via/Contact name 10.0.0.2). Alice sends her RTP and RTCP
# to 10.0.0.2, which the router drops (no flow); bob's RTP reaches alice from 203.0.113.1.
# PCMU, RTP/AVP, rtcp_mux no, ~3 s of media, then bob hangs up. Captured on alice's
# interface (the public side: what a provider sees).
# Usage: bash testdata/make-media-nat.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./media-lib.sh
lib_init
OUT=media-nat.pcap
PRIV=smd-nat-priv RTR=smd-nat-rtr PUB=smd-nat-pub

tone_wav "$TMP_DIR/alice.wav" 10 440
tone_wav "$TMP_DIR/bob.wav" 10 350 440
baresip_ua alice 203.0.113.10 10000-10009 "$TMP_DIR/alice.wav" pcmu g711.so
baresip_ua bob 10.0.0.2 20000-20009 "$TMP_DIR/bob.wav" pcmu g711.so
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $PRIV; ns_add $RTR; ns_add $PUB
ip link add b0 netns $PRIV type veth peer name r1 netns $RTR
ip link add a0 netns $PUB type veth peer name r0 netns $RTR
ip -n $PRIV addr add 10.0.0.2/24 dev b0
ip -n $RTR addr add 10.0.0.1/24 dev r1
ip -n $RTR addr add 203.0.113.1/24 dev r0
ip -n $PUB addr add 203.0.113.10/24 dev a0
for l in "$PRIV b0" "$RTR r1" "$RTR r0" "$PUB a0"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $PRIV route add default via 10.0.0.1
ip -n $PUB route add default via 203.0.113.1
ip netns exec $RTR sysctl -qw net.ipv4.ip_forward=1
ip netns exec $RTR nft -f - <<'NFT'
table ip nat {
    chain masq { type nat hook postrouting priority 100; oifname "r0" masquerade; }
}
table ip guard {
    chain forwarding {
        type filter hook forward priority 0; policy drop;
        iifname "r1" oifname "r0" accept
        iifname "r0" oifname "r1" ct state established,related accept
    }
}
NFT

start_capture TCPD $PUB a0 "$TMP_DIR/out.pcap"
bg_run_stdin ALICE "$TMP_DIR/alice.log" $PUB "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10
bg_run_stdin BOB "$TMP_DIR/bob.log" $PRIV "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
echo "/dial sip:alice@203.0.113.10" >&8
wait_log "$TMP_DIR/bob.log" "Call established" 10
wait_log "$TMP_DIR/alice.log" "Call established" 10
sleep 3
echo "/hangup" >&8
wait_log "$TMP_DIR/bob.log" "terminated" 5
wait_log "$TMP_DIR/alice.log" "terminated" 5
sleep 0.5
echo q >&7; echo q >&8
wait_pid "$ALICE" 5 || stop_pid "$ALICE"
wait_pid "$BOB" 5 || stop_pid "$BOB"
stop_capture "$TCPD"
exec 7>&- 8>&-

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames"
tshark -r "$OUT" -Y sdp -T fields -e ip.src -e sip.CSeq -e sdp.connection_info 2>/dev/null
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
