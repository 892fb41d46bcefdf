#!/bin/bash
# tls-kamailio-srtp.pcap: SIP over TLS end to end with real stacks, SDES SRTP keyed inside it.
#   baresip alice 127.0.0.10 (caller; registers over TLS, then calls)
#   -> kamailio 127.0.0.20:5061 (kamailio-tls.cfg: tls module, registrar, record-route)
#   -> baresip bob 127.0.0.30:5061 (callee, answermode=auto, TLS server with its own key)
# Both TLS legs are TLS 1.2 with RSA key exchange only (kamailio's tls.cfg cipher_list
# AES256-GCM-SHA384 for its server and its client side: alice offers more, kamailio picks
# this one; kamailio offers only this one to bob), so the servers' RSA keys decrypt them:
#   testdata/tls-server.key  kamailio (127.0.0.20:5061)
#   testdata/tls-bob.key     bob      (127.0.0.30:5061)
# Media: RTP/SAVP with a=crypto AES_CM_128_HMAC_SHA1_80 (mediaenc=srtp-mand), PCMU, rtcp_mux
# no. The caller plays srtp-dtmf-source.wav (4.5 s), sends the digits 1 2 3 # as RFC 4733
# events, and hangs up when its file ends; the callee plays a 6 s 350+440 Hz tone.
# What the UAs logged about SRTP and DTMF is kept in tls-kamailio-srtp.events.txt.
# Needs: kamailio, kamailio-tls-modules, baresip-core, tcpdump, sox, tshark (for the check).
# Regenerate: bash testdata/make-tls-kamailio-baresip.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=tls-kamailio-srtp.pcap
EVENTS=tls-kamailio-srtp.events.txt
NS=sipsift-tls-kam
DIGITS="1 2 3 #"

[ -f tls-bob.key ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout tls-bob.key \
    -out tls-bob.crt -days 36500 -subj /CN=sipsift-test-bob >/dev/null 2>&1
# baresip wants certificate and key in one file
cat tls-bob.crt tls-bob.key >"$TMP_DIR/bob.pem"
# alice needs no certificate of her own (she is only a TLS client); libre wants one to
# set up its TLS transport, so she gets a throwaway one.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP_DIR/alice.key" \
    -out "$TMP_DIR/alice.crt" -days 2 -subj /CN=alice >/dev/null 2>&1
cat "$TMP_DIR/alice.crt" "$TMP_DIR/alice.key" >"$TMP_DIR/alice.pem"

cat >"$TMP_DIR/tls.cfg" <<CFG
[server:default]
method = TLSv1.2
verify_certificate = no
require_certificate = no
private_key = $PWD/tls-server.key
certificate = $PWD/tls-server.crt
cipher_list = AES256-GCM-SHA384

[client:default]
method = TLSv1.2
verify_certificate = no
require_certificate = no
cipher_list = AES256-GCM-SHA384
CFG

sox -R -n -r 8000 -c 1 -b 16 "$TMP_DIR/callee.wav" synth 6.0 sine 350 sine 440 remix - vol 0.5

ua_config() {   # ua_config NAME IP RTP_PORTS WAV REGINT
    local dir="$TMP_DIR/$1"
    mkdir -p "$dir"
    cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		$2:5060
sip_certificate		$TMP_DIR/$1.pem
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
    echo "<sip:$1@127.0.0.20;transport=tls>;regint=$5;mediaenc=srtp-mand;audio_codecs=pcmu;outbound=\"sip:127.0.0.20:5061;transport=tls\";answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}
ua_config alice 127.0.0.10 10000-10009 "$PWD/srtp-dtmf-source.wav" 60
ua_config bob 127.0.0.30 20000-20009 "$TMP_DIR/callee.wav" 0
exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"

ns_add $NS
# baresip binds neither RTP nor its outgoing TLS connection: media between the UAs and
# alice's connection to the proxy leave from alice's (or bob's) own address.
ip -n $NS route add local 127.0.0.30/32 dev lo src 127.0.0.10 table local
ip -n $NS route add local 127.0.0.10/32 dev lo src 127.0.0.30 table local
ip -n $NS route add local 127.0.0.20/32 dev lo src 127.0.0.10 table local

mkdir -p "$TMP_DIR/kamailio"
bg_run KAM "$TMP_DIR/kamailio.log" $NS kamailio -f "$PWD/kamailio-tls.cfg" -DD -E \
    -A "TLSCFG=\"$TMP_DIR/tls.cfg\"" -Y "$TMP_DIR/kamailio" -w "$TMP_DIR/kamailio"
wait_listen $NS t 127.0.0.20:5061 10
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
bg_run_stdin ALICE "$TMP_DIR/alice.log" $NS "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
wait_log "$TMP_DIR/alice.log" "baresip is ready" 10
wait_log "$TMP_DIR/alice.log" "200 OK|registered" 10

echo "/dial sip:bob@127.0.0.20" >&7
wait_log "$TMP_DIR/alice.log" "Call established" 15
sleep 1
for d in $DIGITS; do
    printf '%s' "$d" >&7
    sleep 0.5
done
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
    echo "# $OUT: what the baresip UAs logged (extracted by make-tls-kamailio-baresip.sh)"
    echo "# caller alice 127.0.0.10 (source srtp-dtmf-source.wav), callee bob 127.0.0.30; digits sent: $DIGITS"
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/alice.log" |
        grep -aE "SRTP is Enabled|mediaenc event|send DTMF|Call established|terminated|registered" |
        sed 's/^/alice: /'
    sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9:]*\] audio=[0-9/]* (bit\/s) *//g' "$TMP_DIR/bob.log" |
        grep -aE "SRTP is Enabled|mediaenc event|received event|Call established|terminated|failed to decrypt" |
        sed 's/^/bob:   /'
} >"$EVENTS"
sent=$(grep -c "send DTMF digit:" "$EVENTS" || true)
recv=$(grep -c "received event: .* (end=1)" "$EVENTS" || true)
keys='uat:rsa_keys:"tls-server.key","","tls-bob.key",""'
echo "wrote $OUT: $(tshark -r "$OUT" 2>/dev/null | wc -l) packets," \
    "$(tshark -r "$OUT" -o "$keys" -Y sip 2>/dev/null | wc -l) SIP frames with the RSA keys," \
    "$(tshark -r "$OUT" -Y tls 2>/dev/null | wc -l) TLS frames; DTMF sent $sent, received $recv"
[ "$sent" = 4 ] && [ "$recv" = 4 ] || { echo "DTMF: expected 4 digits sent and received" >&2; exit 1; }
