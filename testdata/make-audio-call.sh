#!/bin/bash
# audio-<codec>.pcap: a short plain RTP/AVP call between two baresip UAs (no proxy) in the
# codec given, for the audio export (sipsift audio). The caller alice 127.0.0.10 plays
# audio-<codec>-source.wav (3 s at the codec's rate: 1 s 440 Hz, 1.5 s sweep 300-3000 Hz,
# 0.5 s 1 kHz; sox -R, byte-for-byte repeatable) and hangs up when it ends; the callee bob
# 127.0.0.30 (answermode=auto) plays a 350+440 Hz dual tone, longer than the caller's file.
# The decoded caller WAV must match the source (tests/cli.sh, tests/wavcorr.py).
# Usage: bash testdata/make-audio-call.sh pcma|g722|opus
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
CODEC=${1:-}
case $CODEC in
    pcma) RATE=8000;  MOD=g711.so ;;
    g722) RATE=16000; MOD=g722.so ;;
    opus) RATE=48000; MOD=opus.so ;;
    *) echo "usage: $0 pcma|g722|opus" >&2; exit 2 ;;
esac
OUT=audio-$CODEC.pcap
SRC_WAV=audio-$CODEC-source.wav
NS=sau-$CODEC

sox -R -n -r $RATE -c 1 -b 16 "$TMP_DIR/w1.wav" synth 1.0 sine 440 vol 0.5
sox -R -n -r $RATE -c 1 -b 16 "$TMP_DIR/w2.wav" synth 1.5 sine 300-3000 vol 0.5
sox -R -n -r $RATE -c 1 -b 16 "$TMP_DIR/w3.wav" synth 0.5 sine 1000 vol 0.25
sox -R "$TMP_DIR/w1.wav" "$TMP_DIR/w2.wav" "$TMP_DIR/w3.wav" "$SRC_WAV"
sox -R -n -r $RATE -c 1 -b 16 "$TMP_DIR/callee.wav" synth 5.0 sine 350 sine 440 remix - vol 0.5

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
module			$MOD
module			aufile.so
module			alsa.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
opus_stereo		no
opus_sprop_stereo	no
CFG
    echo "<sip:$1@$2>;regint=0;audio_codecs=$CODEC;answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009 "$PWD/$SRC_WAV"
ua_config bob 127.0.0.30 20000-20009 "$TMP_DIR/callee.wav"
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
ip -n $NS route add local 127.0.0.30/32 dev lo src 127.0.0.10 table local
ip -n $NS route add local 127.0.0.10/32 dev lo src 127.0.0.30 table local

start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10

echo "/dial sip:bob@127.0.0.30" >&7
wait_log "$TMP_DIR/alice.log" "Call established" 10
# the caller hangs up at the end of its source file
wait_log "$TMP_DIR/alice.log" "terminated" 15
wait_log "$TMP_DIR/bob.log" "terminated" 5
sleep 0.5
echo q >&7; echo q >&8
wait_pid "$ALICE" 5 || stop_pid "$ALICE"
wait_pid "$BOB" 5 || stop_pid "$BOB"
stop_capture "$TCPD"
exec 7>&- 8>&-

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames, $(tshark -r "$OUT" -Y "udp && !sip" 2>/dev/null | wc -l) other UDP (RTP, RTCP)"
