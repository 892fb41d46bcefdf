#!/bin/bash
# media-clean.pcap / media-loss-random.pcap / media-loss-bursty.pcap: the same G.711 call
# clean, with ~5 % random packet loss and with ~5 % loss in bursts, for the quality score's
# ordering (clean > random > bursty).
#   sipp UAC 127.0.0.11 (scenarios/media-uac-play.xml, media port 6000) calls sipp UAS
#   127.0.0.12 (media-uas-play.xml, media port 7000), direct UDP, PCMA; both play sipp's
#   shipped recording /usr/share/sip-tester/g711a.pcap (30 ms packets, 7 s, ~236 packets)
#   until the caller's BYE. sipp paces the replay by the recording's timestamps: on a loaded
#   build machine baresip's sender pacing was the machine's load (bursts, 100-300 ms stalls,
#   a drift of 5 %) and blurred the loss; sipp keeps the recording's own, small jitter.
# The loss is made by nftables at the egress hook of the namespace's loopback, on RTP only
# (UDP to ports 6000 and 7000), in both directions; a packet dropped there never reaches the
# capture's tap, so the capture shows the sequence gaps, and the sender sees no error (a drop
# in the output hook makes sendto() fail with EPERM, and sipp then stops its replay). The
# kernel here has no netem qdisc; nftables does the same job.
#   random: each RTP packet dropped with probability 5 % (numgen random mod 1000 < 50).
#   bursty: a Gilbert-like two-state loss: a packet starts a burst with probability 1.7 %
#           (numgen random mod 1000 < 17); while the burst lasts (a per-destination-port set
#           element with an 80 ms timeout) every packet to that port is dropped: bursts of 3
#           packets at 30 ms, ~5 % in all (3p / (1 + 2p)).
# Each run draws new random numbers: the committed captures are one draw each (see
# media-captures.txt for what they hold).
# Namespace smd-loss-KIND. Usage: bash testdata/make-media-loss.sh clean|random|bursty
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./media-lib.sh
lib_init
KIND=${1:-}
case $KIND in
    clean) OUT=media-clean.pcap ;;
    random) OUT=media-loss-random.pcap ;;
    bursty) OUT=media-loss-bursty.pcap ;;
    *) echo "usage: $0 clean|random|bursty" >&2; exit 2 ;;
esac
NS=smd-loss-$KIND

ns_add $NS
case $KIND in
random) ip netns exec $NS nft -f - <<'NFT' ;;
table netdev loss {
    chain out {
        type filter hook egress device "lo" priority 0;
        udp dport { 6000, 7000 } numgen random mod 1000 < 50 drop
    }
}
NFT
bursty) ip netns exec $NS nft -f - <<'NFT' ;;
table netdev loss {
    set burst { type inet_service; flags dynamic,timeout; }
    chain out {
        type filter hook egress device "lo" priority 0;
        udp dport @burst drop
        udp dport { 6000, 7000 } numgen random mod 1000 < 17 add @burst { udp dport timeout 80ms } drop
    }
}
NFT
esac
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf scenarios/media-uas-play.xml -i 127.0.0.12 -p 5060 \
    -mi 127.0.0.12 -mp 7000 -m 1 -nostdin -timeout 30s
wait_listen $NS u 127.0.0.12:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf scenarios/media-uac-play.xml 127.0.0.12:5060 \
    -i 127.0.0.11 -p 5060 -mi 127.0.0.11 -mp 6000 -s bob -m 1 -nostdin -timeout 30s
renice_all "$UAS" "$UAC"
wait_pid "$UAC" 30
wait_pid "$UAS" 10
stop_capture "$TCPD"

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP messages"
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
