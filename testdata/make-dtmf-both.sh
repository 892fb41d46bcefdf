#!/bin/bash
# dtmf-both.pcap: a baresip <-> baresip call, direct UDP, plain RTP/AVP (PCMU +
# telephone-event/8000), in which BOTH sides send RFC 4733 DTMF digits:
#   alice 127.0.0.40 (caller) sends 1 2 3, then bob 127.0.0.41 (callee, answermode=auto)
#   sends 9 8 *, then alice sends #. Alice hangs up when her 4 s source file ends.
# What the UAs logged about DTMF (sent and received) is kept in dtmf-both.events.txt.
# Namespace sdt-both. Usage: bash testdata/make-dtmf-both.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=dtmf-both.pcap
EVENTS=${OUT%.pcap}.events.txt
NS=sdt-both

# Short, repeatable audio (sox -R): 4 s for the caller, 8 s for the callee.
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/alice.wav" synth 4.0 sine 440 vol 0.3
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/bob.wav" synth 8.0 sine 660 vol 0.3

baresip_ua alice 127.0.0.40 10000-10009 "$TMP_DIR/alice.wav" pcmu g711.so
baresip_ua bob 127.0.0.41 20000-20009 "$TMP_DIR/bob.wav" pcmu g711.so
baresip_call $NS 127.0.0.40 127.0.0.41 "$TMP_DIR/out.pcap"
sleep 0.5
for d in 1 2 3; do printf '%s' "$d" >&7; sleep 0.4; done
for d in 9 8 '*'; do printf '%s' "$d" >&8; sleep 0.4; done
printf '#' >&7
baresip_end 10

cp "$TMP_DIR/out.pcap" "$OUT"
{
    echo "# $OUT: what the baresip UAs logged about DTMF (extracted by make-dtmf-both.sh)"
    echo "# alice 127.0.0.40 sends 1 2 3 #, bob 127.0.0.41 sends 9 8 *"
    for u in alice bob; do
        sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/$u.log" |
            grep -aE "send DTMF|received event|Call established|terminated" |
            sed "s/^/$u: /"
    done
} >"$EVENTS"
sent=$(grep -c "send DTMF digit:" "$EVENTS" || true)
recv=$(grep -c "received event: .* (end=1)" "$EVENTS" || true)
echo "wrote $OUT: $(tshark -r "$OUT" 2>/dev/null | wc -l) packets; DTMF sent $sent, received $recv"
[ "$sent" = 7 ] && [ "$recv" = 7 ] || { echo "DTMF: expected 7 digits sent and received" >&2; exit 1; }
