#!/bin/bash
# dtmf-inband.pcap: a baresip <-> baresip call, direct UDP, plain RTP/AVP in
# PCMA with NO telephone-event: the caller's audio file itself holds DTMF
# tones (in-band DTMF, as an analogue phone behind a gateway sends them).
#   alice 127.0.0.42 (caller) plays inband.wav: 0.6 s of silence, then the
#   digits 1 5 9 # 0 * D as dual tones of 120 ms (ITU-T Q.23 frequencies,
#   each tone -9 dBFS) with 120 ms of silence between them, then 1 s of
#   silence; it hangs up when the file ends.
#   bob 127.0.0.43 (callee, answermode=auto) plays a 350+440 Hz dial tone
#   (no DTMF: the detector must stay quiet on it).
# The tone plan is written to dtmf-inband.tones.txt (the evidence: what the
# file holds). Namespace sdi-inband. Usage: bash testdata/make-dtmf-inband.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=dtmf-inband.pcap
TONES=${OUT%.pcap}.tones.txt
NS=sdi-inband
DIGITS=(1 5 9 "#" 0 "*" D)

# Q.23: rows 697 770 852 941 Hz, columns 1209 1336 1477 1633 Hz.
freqs() {
    case "$1" in
    1) echo "697 1209" ;; 2) echo "697 1336" ;; 3) echo "697 1477" ;; A) echo "697 1633" ;;
    4) echo "770 1209" ;; 5) echo "770 1336" ;; 6) echo "770 1477" ;; B) echo "770 1633" ;;
    7) echo "852 1209" ;; 8) echo "852 1336" ;; 9) echo "852 1477" ;; C) echo "852 1633" ;;
    '*') echo "941 1209" ;; 0) echo "941 1336" ;; '#') echo "941 1477" ;; D) echo "941 1633" ;;
    esac
}
parts=()
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/gap.wav" trim 0 0.12
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/lead.wav" trim 0 0.6
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/tail.wav" trim 0 1.0
parts+=("$TMP_DIR/lead.wav")
i=0
{
    echo "# $OUT: the DTMF tones in the caller's audio file (made by make-dtmf-inband.sh)"
    echo "# digit  start_s  duration_ms  low_hz  high_hz"
} >"$TONES"
t=0.6
for d in "${DIGITS[@]}"; do
    read -r lo hi <<<"$(freqs "$d")"
    sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/d$i.wav" synth 0.12 sine "$lo" sine "$hi" remix - vol 0.35
    parts+=("$TMP_DIR/d$i.wav" "$TMP_DIR/gap.wav")
    printf '%s  %.2f  120  %s  %s\n' "$d" "$t" "$lo" "$hi" >>"$TONES"
    t=$(echo "$t + 0.24" | bc)
    i=$((i + 1))
done
parts+=("$TMP_DIR/tail.wav")
sox -R "${parts[@]}" "$TMP_DIR/alice.wav"
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/bob.wav" synth 6.0 sine 350 sine 440 remix - vol 0.3

baresip_ua alice 127.0.0.42 10010-10019 "$TMP_DIR/alice.wav" pcma g711.so
baresip_ua bob 127.0.0.43 20010-20019 "$TMP_DIR/bob.wav" pcma g711.so
baresip_call $NS 127.0.0.42 127.0.0.43 "$TMP_DIR/out.pcap"
baresip_end 15

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" 2>/dev/null | wc -l) packets, $(tshark -r "$OUT" -Y rtpevent 2>/dev/null | wc -l) RFC 4733 packets (expected 0)"
