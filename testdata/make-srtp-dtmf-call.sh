#!/bin/bash
# srtp-dtmf-call.pcap (UDP) / srtp-dtmf-call-tcp.pcap (SIP over TCP): the main demo capture.
#   baresip alice 127.0.0.10 (caller) -> kamailio 127.0.0.20 (kamailio-proxy.cfg)
#   -> baresip bob 127.0.0.30 (callee, answermode=auto)
# SDES SRTP (mediaenc=srtp-mand: RTP/SAVP, a=crypto AES_CM_128_HMAC_SHA1_80), PCMU only,
# rtcp_mux no. The caller plays srtp-dtmf-source.wav (4.5 s: 1.5 s 440 Hz, 2 s sweep
# 300-3000 Hz, 1 s 1 kHz), sends the DTMF digits 1 2 3 # as RFC 4733 events during the call
# and hangs up when its file ends (baresip's menu ends a call when the aufile source reaches
# end of file). The callee plays a longer, different file (6 s, 350+440 Hz dual tone,
# generated in the temp dir with sox -R: repeatable), so it never hangs up first.
# What the UAs logged about SRTP and DTMF is kept in srtp-dtmf-call[-tcp].events.txt.
# Usage: bash testdata/make-srtp-dtmf-call.sh [udp|tcp]     (default udp)
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
TRANSPORT=${1:-udp}
case $TRANSPORT in
    udp) OUT=srtp-dtmf-call.pcap ;;
    tcp) OUT=srtp-dtmf-call-tcp.pcap ;;
    *) echo "usage: $0 [udp|tcp]" >&2; exit 2 ;;
esac
EVENTS=${OUT%.pcap}.events.txt
NS=sipsift-srtp-$TRANSPORT
DIGITS="1 2 3 #"

# Caller audio: kept in testdata; sox -R makes it byte-for-byte repeatable.
SRC_WAV=srtp-dtmf-source.wav
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/w1.wav" synth 1.5 sine 440 vol 0.5
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/w2.wav" synth 2.0 sine 300-3000 vol 0.5
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/w3.wav" synth 1.0 sine 1000 vol 0.25
sox -R "$TMP_DIR/w1.wav" "$TMP_DIR/w2.wav" "$TMP_DIR/w3.wav" "$SRC_WAV"
# Callee audio: 6 s dual tone, longer than the caller's file.
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/callee.wav" synth 6.0 sine 350 sine 440 remix - vol 0.5

ua_config() {   # ua_config NAME IP RTP_PORTS WAV
    local dir="$TMP_DIR/$1"
    mkdir -p "$dir"
    cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		$2:5060
call_local_timeout	120
call_max_calls		4
audio_player		alsa,null
audio_source		aufile,$4
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
module			srtp.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
CFG
    echo "<sip:$1@127.0.0.20;transport=$TRANSPORT>;regint=0;mediaenc=srtp-mand;audio_codecs=pcmu;outbound=\"sip:127.0.0.20;transport=$TRANSPORT\";answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009 "$PWD/$SRC_WAV"
ua_config bob 127.0.0.30 20000-20009 "$TMP_DIR/callee.wav"
# keep both FIFOs open for the whole run (baresip must not see EOF on stdin)
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
# baresip binds RTP (and outgoing TCP) to 0.0.0.0: make traffic between the UAs, and the
# caller's TCP connection to the proxy, leave from the sending UA's own address.
ip -n $NS route add local 127.0.0.30/32 dev lo src 127.0.0.10 table local
ip -n $NS route add local 127.0.0.10/32 dev lo src 127.0.0.30 table local
[ "$TRANSPORT" = tcp ] && ip -n $NS route add local 127.0.0.20/32 dev lo src 127.0.0.10 table local

start_kamailio KAM $NS kamailio-proxy.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10

echo "/dial sip:bob@127.0.0.20" >&7
wait_log "$TMP_DIR/alice.log" "180 Ringing|Ringing" 10 || true
wait_log "$TMP_DIR/alice.log" "Call established" 10
sleep 1
for d in $DIGITS; do
    printf '%s' "$d" >&7
    sleep 0.5
done
# the caller hangs up at the end of its source file
wait_log "$TMP_DIR/alice.log" "terminated" 15
wait_log "$TMP_DIR/bob.log" "terminated" 5
sleep 0.5
echo q >&7; echo q >&8
wait_pid "$ALICE" 5 || stop_pid "$ALICE"
wait_pid "$BOB" 5 || stop_pid "$BOB"
stop_capture "$TCPD"
stop_pid "$KAM"
exec 7>&- 8>&-

cp "$TMP_DIR/out.pcap" "$OUT"
{
    echo "# $OUT: what the baresip UAs logged (extracted by make-srtp-dtmf-call.sh)"
    echo "# caller alice 127.0.0.10 (source $SRC_WAV), callee bob 127.0.0.30; digits sent: $DIGITS"
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/alice.log" |
        grep -aE "SRTP is Enabled|mediaenc event|send DTMF|Call established|terminated|starting RTCP|incoming rtp" |
        sed 's/^/alice: /'
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/bob.log" |
        grep -aE "SRTP is Enabled|mediaenc event|received event|Call established|terminated|starting RTCP|incoming rtp|failed to decrypt" |
        sed 's/^/bob:   /'
} >"$EVENTS"
sent=$(grep -c "send DTMF digit:" "$EVENTS" || true)
recv=$(grep -c "received event: .* (end=1)" "$EVENTS" || true)
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames; DTMF sent $sent, received $recv"
[ "$sent" = 4 ] && [ "$recv" = 4 ] || { echo "DTMF: expected 4 digits sent and received" >&2; exit 1; }
