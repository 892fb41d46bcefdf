#!/bin/bash
# call-forked.pcap: a parallel-forked INVITE with two early dialogs, one answered, one CANCELled.
#   baresip bob1 127.0.0.30 and bob2 127.0.0.40, both registered as sip:bob@127.0.0.20
#   (digest auth) at kamailio 127.0.0.20 (kamailio-registrar.cfg: lookup("location") puts
#   both contacts in the destination set, t_relay() forks in parallel);
#   baresip alice 127.0.0.10 dials sip:bob@127.0.0.20 through kamailio.
# Both callees ring (answermode=manual: two 180s with different To tags reach alice), bob2
# accepts after ~0.7 s (200), kamailio CANCELs bob1's branch (200 for the CANCEL, 487, ACK
# hop by hop), alice ACKs the 200; ~1 s of plain PCMU RTP between alice and bob2, then alice
# hangs up (BYE). The registrations happen before the capture starts: one Call-ID.
# Regenerate: bash testdata/make-call-forked.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=call-forked.pcap
NS=sipsift-call-forked

sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/tone.wav" synth 10.0 sine 440 vol 0.5

ua_config() {   # ua_config NAME IP RTP_PORTS ACCOUNT
    local dir="$TMP_DIR/$1"
    mkdir -p "$dir"
    cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		$2:5060
call_local_timeout	120
call_max_calls		4
audio_player		alsa,null
audio_source		aufile,$TMP_DIR/tone.wav
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
    echo "$4" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009 \
    '<sip:alice@127.0.0.20;transport=udp>;regint=0;audio_codecs=pcmu;outbound="sip:127.0.0.20;transport=udp"'
ua_config bob1 127.0.0.30 20000-20009 \
    '<sip:bob@127.0.0.20;transport=udp>;auth_pass=secret;regint=60;audio_codecs=pcmu;answermode=manual'
ua_config bob2 127.0.0.40 30000-30009 \
    '<sip:bob@127.0.0.20;transport=udp>;auth_pass=secret;regint=60;audio_codecs=pcmu;answermode=manual'
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob1.in" 9<>"$TMP_DIR/bob2.in"

ns_add $NS
# baresip binds RTP to 0.0.0.0: make RTP between alice and bob2 leave from each UA's address
ip -n $NS route add local 127.0.0.40/32 dev lo src 127.0.0.10 table local
ip -n $NS route add local 127.0.0.10/32 dev lo src 127.0.0.40 table local

start_kamailio KAM $NS kamailio-registrar.cfg
bg_run_stdin BOB1 "$TMP_DIR/bob1.log" $NS "$TMP_DIR/bob1.in" baresip -f "$TMP_DIR/bob1" -v
bg_run_stdin BOB2 "$TMP_DIR/bob2.log" $NS "$TMP_DIR/bob2.in" baresip -f "$TMP_DIR/bob2" -v
wait_log "$TMP_DIR/bob1.log" "registered successfully" 10
wait_log "$TMP_DIR/bob2.log" "registered successfully" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10

start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
echo "/dial sip:bob@127.0.0.20" >&7
wait_log "$TMP_DIR/bob1.log" "Incoming call" 10
wait_log "$TMP_DIR/bob2.log" "Incoming call" 10
sleep 0.7
echo "/accept" >&9
wait_log "$TMP_DIR/alice.log" "Call established" 10
wait_log "$TMP_DIR/bob1.log" "session closed|terminated" 5
sleep 1
echo "/hangup" >&7
wait_log "$TMP_DIR/alice.log" "terminated" 5
wait_log "$TMP_DIR/bob2.log" "terminated" 5
sleep 0.3
stop_capture "$TCPD"
echo q >&7; echo q >&8; echo q >&9
wait_pid "$ALICE" 5 || stop_pid "$ALICE"
wait_pid "$BOB1" 5 || stop_pid "$BOB1"
wait_pid "$BOB2" 5 || stop_pid "$BOB2"
stop_pid "$KAM"
exec 7>&- 8>&- 9>&-
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP frames"
# alice->kamailio: INVITE 100 180 180 200 ACK BYE 200; kamailio->bob1: INVITE 180 CANCEL
# 200 487 ACK; kamailio->bob2: INVITE 180 200 ACK BYE 200
check_flow "$OUT" "INVITE INVITE INVITE 100/INVITE 180/INVITE 180/INVITE 180/INVITE 180/INVITE
    CANCEL 200/CANCEL 487/INVITE ACK 200/INVITE 200/INVITE ACK ACK BYE BYE 200/BYE 200/BYE"
