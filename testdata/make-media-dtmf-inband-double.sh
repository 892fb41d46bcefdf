#!/bin/bash
# media-dtmf-inband-double.pcap: a baresip <-> baresip call, direct UDP, plain
# RTP/AVP (PCMU + telephone-event/8000), in which the caller sends each key
# press twice: as RFC 4733 events (baresip's DTMF, typed on its console) and
# as dual tones in its audio (its source file holds the same digits, as a
# phone that leaves the tones in the audio while it also sends events does).
#   alice 127.0.0.44 (caller) plays a 4.5 s file: 1.0 s of silence, then the
#   digits 4 6 8 0 as 150 ms Q.23 dual tones (-9 dBFS each) 0.6 s apart;
#   at the same offsets from "Call established" the script types the same
#   digits on her console. She hangs up when the file ends.
#   bob 127.0.0.45 (callee, answermode=auto) plays a 350+440 Hz dial tone.
# Expected (lint --inband --rules media): dtmf-double, "sent both as RFC 4733
# events and as in-band tones", for the four digits. The tone plan and what
# the UAs logged about DTMF go to media-dtmf-inband-double.events.txt.
# Namespace sdm-dblib. Usage: bash testdata/make-media-dtmf-inband-double.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=media-dtmf-inband-double.pcap
EVENTS=${OUT%.pcap}.events.txt
NS=sdm-dblib
DIGITS=(4 6 8 0)

freqs() {
    case "$1" in
    4) echo "770 1209" ;; 6) echo "770 1477" ;; 8) echo "852 1336" ;; 0) echo "941 1336" ;;
    esac
}
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/lead.wav" trim 0 1.0
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/gap.wav" trim 0 0.45
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/tail.wav" trim 0 1.1
parts=("$TMP_DIR/lead.wav")
{
    echo "# $OUT: made by make-media-dtmf-inband-double.sh"
    echo "# tones in alice's audio file: digit  start_s  duration_ms  low_hz  high_hz"
} >"$EVENTS"
t=1.0
i=0
for d in "${DIGITS[@]}"; do
    read -r lo hi <<<"$(freqs "$d")"
    sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/d$i.wav" synth 0.15 sine "$lo" sine "$hi" remix - vol 0.35
    parts+=("$TMP_DIR/d$i.wav" "$TMP_DIR/gap.wav")
    printf '# %s  %.2f  150  %s  %s\n' "$d" "$t" "$lo" "$hi" >>"$EVENTS"
    t=$(echo "$t + 0.6" | bc)
    i=$((i + 1))
done
parts+=("$TMP_DIR/tail.wav")
sox -R "${parts[@]}" "$TMP_DIR/alice.wav"
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/bob.wav" synth 8.0 sine 350 sine 440 remix - vol 0.3

baresip_ua alice 127.0.0.44 10020-10029 "$TMP_DIR/alice.wav" pcmu g711.so
baresip_ua bob 127.0.0.45 20020-20029 "$TMP_DIR/bob.wav" pcmu g711.so
baresip_call $NS 127.0.0.44 127.0.0.45 "$TMP_DIR/out.pcap"
sleep 1.0
for d in "${DIGITS[@]}"; do printf '%s' "$d" >&7; sleep 0.6; done
baresip_end 10

cp "$TMP_DIR/out.pcap" "$OUT"
for u in alice bob; do
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/$u.log" |
        grep -aE "send DTMF|received event|Call established|terminated" |
        sed "s/^/$u: /"
done >>"$EVENTS"
sent=$(grep -c "send DTMF digit:" "$EVENTS" || true)
echo "wrote $OUT: $(tshark -r "$OUT" 2>/dev/null | wc -l) packets; DTMF events sent $sent"
[ "$sent" = 4 ] || { echo "DTMF: expected 4 digits sent as events" >&2; exit 1; }
