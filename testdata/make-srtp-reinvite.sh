#!/bin/bash
# SDES-SRTP calls between two baresip UAs (no proxy) with re-INVITEs: the caller puts the
# call on hold (/hold: re-INVITE a=sendonly) and resumes it (/resume: re-INVITE a=sendrecv),
# then hangs up. mediaenc=srtp-mand (RTP/SAVP, a=crypto AES_CM_128_HMAC_SHA1_80), PCMU and
# telephone-event, rtcp_mux no. Both UAs play a generated tone (sox -R). baresip keeps its
# key and its SSRC across the re-INVITEs.
#
#   frag: srtp-reinvite-frag.pcap. The UAs sit in two namespaces joined by a veth pair whose
#         MTU is 576 (addresses from the benchmark range 198.18.0.0/15, which exist only inside
#         these namespaces): every INVITE and 200 OK with SDP (about 700-800 bytes) leaves the
#         sending kernel in two IPv4 fragments. Captured on the caller's veth (Ethernet).
#           baresip alice 198.18.1.1:5060  ->  baresip bob 198.18.1.2:5060 (answermode=auto)
#   rekey: srtp-reinvite.pcap, the same call on one namespace's loopback (alice 127.0.0.10,
#         bob 127.0.0.30), and srtp-rekey-same-ssrc.pcap: that call rewritten by
#         srtp-rekey-same-ssrc.py
#         (beside this script; it says exactly what it changes): the resume re-INVITE and its
#         200 OK get new a=crypto keys, and every SRTP/SRTCP packet sent after that 200 OK is
#         decrypted with the old key (its tag checked) and protected again with the new key,
#         same SSRC, sequence numbers and ROC. baresip itself never rekeys (REAL-PEERS.md).
# Usage: bash testdata/make-srtp-reinvite.sh [frag|rekey|all]     (default all)
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
WHAT=${1:-all}

sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/alice.wav" synth 10.0 sine 440 vol 0.5
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/bob.wav" synth 10.0 sine 350 sine 440 remix - vol 0.5

ua() {      # ua NAME IP RTP_PORTS : baresip config with SDES-SRTP, FIFO $TMP_DIR/NAME.in
    rm -rf "${TMP_DIR:?}/$1" "$TMP_DIR/$1.in"
    baresip_ua "$1" "$2" "$3" "$TMP_DIR/$1.wav" pcmu g711.so
    echo "module			srtp.so" >>"$TMP_DIR/$1/config"
    echo "<sip:$1@$2;transport=udp>;regint=0;mediaenc=srtp-mand;audio_codecs=pcmu;answermode=auto" \
        >"$TMP_DIR/$1/accounts"
}

# The call itself, once both UAs run: dial, hold, resume, hang up.
hold_resume() {     # hold_resume BOB_IP
    echo "/dial sip:bob@$1" >&7
    wait_log "$TMP_DIR/alice.log" "Call established" 10
    wait_log "$TMP_DIR/bob.log" "Call established" 10
    sleep 0.8
    echo "/hold" >&7
    sleep 0.8
    echo "/resume" >&7
    sleep 0.8
    echo "/hangup" >&7
    wait_log "$TMP_DIR/alice.log" "terminated" 5
    wait_log "$TMP_DIR/bob.log" "terminated" 5
    sleep 0.3
    echo q >&7; echo q >&8
    wait_pid "$ALICE" 5 || stop_pid "$ALICE"
    wait_pid "$BOB" 5 || stop_pid "$BOB"
    stop_capture "$TCPD"
    exec 7>&- 8>&-
}

frag() {
    local A=srtp-frag-a B=srtp-frag-b out=srtp-reinvite-frag.pcap
    ua alice 198.18.1.1 10000-10009
    ua bob 198.18.1.2 20000-20009
    exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"
    ns_add $A
    ns_add $B
    for n in $A $B; do   # keep the capture free of IPv6 link-local chatter
        ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    ip link add vsfrag-a netns $A type veth peer name vsfrag-b netns $B
    ip -n $A link set vsfrag-a mtu 576 up
    ip -n $B link set vsfrag-b mtu 576 up
    ip -n $A addr add 198.18.1.1/24 dev vsfrag-a
    ip -n $B addr add 198.18.1.2/24 dev vsfrag-b
    start_capture TCPD $A vsfrag-a "$TMP_DIR/frag.pcap"
    bg_run_stdin BOB "$TMP_DIR/bob.log" $B "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
    wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
    bg_run_stdin ALICE "$TMP_DIR/alice.log" $A "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
    wait_log "$TMP_DIR/alice.log" "baresip is ready" 10
    hold_resume 198.18.1.2
    cp "$TMP_DIR/frag.pcap" "$out"
    ip netns del $A; ip netns del $B
    echo "wrote $out: $(tshark -r "$out" -Y sip 2>/dev/null | wc -l) SIP messages," \
        "$(tshark -r "$out" -Y 'ip.flags.mf == 1' 2>/dev/null | wc -l) first fragments"
}

rekey() {
    local N=srtp-rekey out=srtp-rekey-same-ssrc.pcap
    ua alice 127.0.0.10 10000-10009
    ua bob 127.0.0.30 20000-20009
    exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"
    ns_add $N
    # baresip binds RTP to 0.0.0.0: make each UA's media leave from its own address.
    ip -n $N route add local 127.0.0.30/32 dev lo src 127.0.0.10 table local
    ip -n $N route add local 127.0.0.10/32 dev lo src 127.0.0.30 table local
    start_capture TCPD $N lo "$TMP_DIR/lo.pcap"
    bg_run_stdin BOB "$TMP_DIR/bob.log" $N "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
    wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
    bg_run_stdin ALICE "$TMP_DIR/alice.log" $N "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
    wait_log "$TMP_DIR/alice.log" "baresip is ready" 10
    hold_resume 127.0.0.30
    ip netns del $N
    cp "$TMP_DIR/lo.pcap" srtp-reinvite.pcap
    echo "wrote srtp-reinvite.pcap: $(tshark -r srtp-reinvite.pcap -Y sip 2>/dev/null | wc -l) SIP messages"
    python3 srtp-rekey-same-ssrc.py srtp-reinvite.pcap "$out"
}

case $WHAT in
    frag) frag ;;
    rekey) rekey ;;
    all) frag; rekey ;;
    *) echo "usage: $0 [frag|rekey|all]" >&2; exit 2 ;;
esac
