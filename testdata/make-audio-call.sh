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

baresip_ua alice 127.0.0.10 10000-10009 "$PWD/$SRC_WAV" $CODEC $MOD
baresip_ua bob 127.0.0.30 20000-20009 "$TMP_DIR/callee.wav" $CODEC $MOD
# the caller hangs up at the end of its source file
baresip_call $NS 127.0.0.10 127.0.0.30 "$TMP_DIR/out.pcap"
baresip_end 15

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames, $(tshark -r "$OUT" -Y "udp && !sip" 2>/dev/null | wc -l) other UDP (RTP, RTCP)"
