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
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
CFG
    echo "<sip:$1@$2;transport=udp>;regint=0;audio_codecs=pcmu;answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.40 10000-10009 "$TMP_DIR/alice.wav"
ua_config bob 127.0.0.41 20000-20009 "$TMP_DIR/bob.wav"
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
# baresip binds RTP to 0.0.0.0: make each UA's media leave from its own address.
ip -n $NS route add local 127.0.0.41/32 dev lo src 127.0.0.40 table local
ip -n $NS route add local 127.0.0.40/32 dev lo src 127.0.0.41 table local

start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10

echo "/dial sip:bob@127.0.0.41" >&7
wait_log "$TMP_DIR/alice.log" "Call established" 10
wait_log "$TMP_DIR/bob.log" "Call established" 10
sleep 0.5
for d in 1 2 3; do printf '%s' "$d" >&7; sleep 0.4; done
for d in 9 8 '*'; do printf '%s' "$d" >&8; sleep 0.4; done
printf '#' >&7
wait_log "$TMP_DIR/alice.log" "terminated" 10
wait_log "$TMP_DIR/bob.log" "terminated" 5
sleep 0.5
echo q >&7; echo q >&8
wait_pid "$ALICE" 5 || stop_pid "$ALICE"
wait_pid "$BOB" 5 || stop_pid "$BOB"
stop_capture "$TCPD"
exec 7>&- 8>&-

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
