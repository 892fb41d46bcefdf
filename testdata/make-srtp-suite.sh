#!/bin/bash
# srtp-suite-<name>.pcap: a short SDES-SRTP call with a crypto suite other than the default
#   baresip alice 127.0.0.10 (caller) -> kamailio 127.0.0.20 (kamailio-proxy.cfg)
#   -> baresip bob 127.0.0.30 (callee, answermode=auto)
# Same setup as make-srtp-dtmf-call.sh (mediaenc=srtp-mand: RTP/SAVP, PCMU only, rtcp_mux no,
# SIP over UDP), no DTMF; the caller plays a 2.5 s file and hangs up when it ends.
#
# How the suite is chosen: baresip 1.0.0's srtp module has no config key or account parameter
# for the suite. The offerer always sends ONE a=crypto line with the compile-time constant
# `preferred_suite` (AES_CM_128_HMAC_SHA1_80); the answerer accepts any suite it supports
# (AES_CM_128_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_80, AEAD_AES_128_GCM, AEAD_AES_256_GCM) and
# answers with the same suite and a key of that suite's length. To make the offer carry
# another suite, this script runs both UAs with a copy of srtp.so (in its temp dir) in which
# the single instruction that loads `preferred_suite` (lea rsi,[rip+disp] before str_dup in
# media_alloc) points at another of the module's own suite-name strings. Nothing else changes:
# SDES, keys and SRTP are baresip's/libre's own code. The script checks the sha256 of the
# installed module and the bytes it patches, and stops if they are not the expected ones.
# AES_256_CM_HMAC_SHA1_80/_32 and AES_192_CM are not in baresip 1.0.0's srtp module at all.
# What the UAs logged about SRTP is kept in srtp-suite-<name>.events.txt.
# Usage: bash testdata/make-srtp-suite.sh aes-cm-128-32|gcm|gcm-256
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
NAME=${1:-}
case $NAME in
    aes-cm-128-32) SUITE=AES_CM_128_HMAC_SHA1_32; STR_ADDR=0x22d0 ;;
    gcm)           SUITE=AEAD_AES_128_GCM;        STR_ADDR=0x2290 ;;
    gcm-256)       SUITE=AEAD_AES_256_GCM;        STR_ADDR=0x2270 ;;
    *) echo "usage: $0 aes-cm-128-32|gcm|gcm-256" >&2; exit 2 ;;
esac
OUT=srtp-suite-$NAME.pcap
EVENTS=${OUT%.pcap}.events.txt
NS=sipsift-suite-$NAME

# --- patched copy of baresip's srtp module ------------------------------------------------
MODDIR=/usr/lib/baresip/modules
SRTP_SO=$MODDIR/srtp.so
SRTP_SHA256=1fb1f5bb10431a0aaa7dea2fc5ca6962c73df11271364d8ff08c7dbb67603575  # baresip-core 1.0.0-4+b3
LEA_OFF=$((0x1a87))    # 48 8d 35 <disp32>: lea rsi,[rip+disp]; rip after it = 0x1a8e
echo "$SRTP_SHA256  $SRTP_SO" | sha256sum -c --quiet - ||
    { echo "$SRTP_SO is not the baresip-core 1.0.0-4+b3 build this script patches" >&2; exit 1; }
mkdir -p "$TMP_DIR/modules"
for m in stdio g711 aufile alsa uuid account menu; do ln -s "$MODDIR/$m.so" "$TMP_DIR/modules/$m.so"; done
cp "$SRTP_SO" "$TMP_DIR/modules/srtp.so"
patch_check() {   # patch_check OFFSET HEX : the bytes at OFFSET must be HEX
    [ "$(xxd -p -s "$1" -l $(( ${#2} / 2 )) "$TMP_DIR/modules/srtp.so")" = "$2" ] ||
        { echo "unexpected bytes at $1 in srtp.so" >&2; exit 1; }
}
patch_check $LEA_OFF 488d3522080000                                         # -> 0x22b0
patch_check $((0x22b0)) "$(printf 'AES_CM_128_HMAC_SHA1_80\0' | xxd -p)"
patch_check $((STR_ADDR)) "$(printf '%s\0' "$SUITE" | xxd -p)"
disp=$(( STR_ADDR - 0x1a8e ))
printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((disp & 255)) $((disp >> 8 & 255)) $((disp >> 16 & 255)) $((disp >> 24 & 255)))" |
    dd of="$TMP_DIR/modules/srtp.so" bs=1 seek=$((LEA_OFF + 3)) conv=notrunc status=none
objdump -d --start-address=$LEA_OFF --stop-address=$((LEA_OFF + 7)) "$TMP_DIR/modules/srtp.so" |
    grep -q "# $(printf '%x' $((STR_ADDR))) " || { echo "patch did not take" >&2; exit 1; }

# --- audio ---------------------------------------------------------------------------------
# caller: 2.5 s 440 Hz (ends the call); callee: 4 s 350+440 Hz dual tone (never ends first)
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/caller.wav" synth 2.5 sine 440 vol 0.5
sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/callee.wav" synth 4.0 sine 350 sine 440 remix - vol 0.5

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
module_path		$TMP_DIR/modules
module			stdio.so
module			g711.so
module			aufile.so
module			alsa.so
module			srtp.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
CFG
    echo "<sip:$1@127.0.0.20;transport=udp>;regint=0;mediaenc=srtp-mand;audio_codecs=pcmu;outbound=\"sip:127.0.0.20;transport=udp\";answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009 "$TMP_DIR/caller.wav"
ua_config bob 127.0.0.30 20000-20009 "$TMP_DIR/callee.wav"
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
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
wait_log "$TMP_DIR/alice.log" "terminated" 10
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
    echo "# $OUT: what the baresip UAs logged (extracted by make-srtp-suite.sh $NAME)"
    echo "# caller alice 127.0.0.10, callee bob 127.0.0.30; offered suite $SUITE (patched preferred_suite)"
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/alice.log" |
        grep -aE "SRTP is Enabled|mediaenc event|Call established|terminated|incoming rtp|failed to (en|de)crypt|srtp: " |
        sed 's/^/alice: /'
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/bob.log" |
        grep -aE "SRTP is Enabled|mediaenc event|Call established|terminated|incoming rtp|failed to (en|de)crypt|srtp: " |
        sed 's/^/bob:   /'
} >"$EVENTS"
enabled=$(grep -c "SRTP is Enabled (cryptosuite=$SUITE)" "$EVENTS" || true)
failed=$(grep -c "failed to decrypt RTP" "$EVENTS" || true)
crypto=$(tshark -r "$OUT" -Y sdp -T fields -e sdp.media_attr 2>/dev/null | grep -o "crypto:[0-9]* [A-Z0-9_]*" | sort | uniq -c | tr '\n' ';')
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames; a=crypto: $crypto SRTP enabled with $SUITE: $enabled, RTP decrypt failures: $failed"
[ "$enabled" -ge 2 ] || { echo "expected both UAs to enable $SUITE" >&2; exit 1; }
[ "$failed" = 0 ] || { echo "a UA failed to decrypt RTP" >&2; exit 1; }
