#!/bin/bash
# call-reinvite-hold.pcap: a call put on hold and resumed with re-INVITEs, plain RTP.
#   baresip alice 127.0.0.10 (caller) -> kamailio 127.0.0.20 (kamailio-proxy.cfg)
#   -> baresip bob 127.0.0.30 (callee, answermode=auto)
# PCMU, RTP/AVP (no SRTP), rtcp_mux no. After ~0.8 s of media the caller types /hold
# (re-INVITE with a=sendonly, answered a=recvonly), ~0.8 s later /resume (re-INVITE with
# a=sendrecv), ~0.8 s later /hangup (BYE). Both UAs play a generated tone (sox -R).
# Regenerate: bash testdata/make-call-reinvite-hold.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-reinvite-hold.pcap
NS=sipsift-call-hold

sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/alice.wav" synth 10.0 sine 440 vol 0.5
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/bob.wav" synth 10.0 sine 350 sine 440 remix - vol 0.5

ua_config() {   # ua_config NAME IP RTP_PORTS
    local dir="$TMP_DIR/$1"
    mkdir -p "$dir"
    cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		$2:5060
call_local_timeout	120
call_max_calls		4
audio_player		alsa,null
audio_source		aufile,$TMP_DIR/$1.wav
audio_alert		alsa,null
audio_buffer		20-160
rtp_ports		$3
rtcp_mux		no
jitter_buffer_delay	5-10
rtp_stats		no
net_interface		$2
module_path		/usr/lib/baresip/modules
module			stdio.so
module			g711.so
module			aufile.so
module			alsa.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
CFG
    echo "<sip:$1@127.0.0.20;transport=udp>;regint=0;audio_codecs=pcmu;outbound=\"sip:127.0.0.20;transport=udp\";answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009
ua_config bob 127.0.0.30 20000-20009
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
# baresip binds RTP to 0.0.0.0: make each UA's RTP leave from its own address
ip -n $NS route add local 127.0.0.30/32 dev lo src 127.0.0.10 table local
ip -n $NS route add local 127.0.0.10/32 dev lo src 127.0.0.30 table local

start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10

echo "/dial sip:bob@127.0.0.20" >&7
wait_log "$TMP_DIR/alice.log" "Call established" 10
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
stop_pid "$KAM"
exec 7>&- 8>&-
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP frames"
# baresip sends no 100 Trying: the three 100s are kamailio's
check_flow "$OUT" "INVITE INVITE 100/INVITE 180/INVITE 180/INVITE 200/INVITE 200/INVITE
    ACK ACK INVITE INVITE 100/INVITE 200/INVITE 200/INVITE ACK ACK
    INVITE INVITE 100/INVITE 200/INVITE 200/INVITE ACK ACK BYE BYE 200/BYE 200/BYE"
