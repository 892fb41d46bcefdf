#!/bin/bash
# wss-kamailio.pcap: SIP over secure WebSocket (RFC 7118, wss) through a real proxy.
#   alice (127.0.0.10) and bob (127.0.0.30): wss_sip_peers.py (CPython ssl, our own RFC 6455
#   framing), each on its own TLS connection to kamailio's wss://127.0.0.20:8443/
#   (kamailio-wss.cfg: tls + xhttp + websocket modules, registrar, record-route)
# Both register, alice calls bob (INVITE with SDES SDP, 100, 180, 200, ACK, BYE, 200), both
# de-register and close the WebSocket and TLS cleanly. kamailio's server key is
# tls-server.key; the sessions are TLS 1.3 (no RSA key exchange), read with the clients'
# NSS key log wss-kamailio.keys.
# Needs: kamailio, kamailio-tls-modules, kamailio-websocket-modules, tcpdump, tshark (check).
# Regenerate: bash testdata/make-wss-kamailio.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
OUT=wss-kamailio.pcap
KEYS=wss-kamailio.keys
NS=sipsift-wss-kam

cat >"$TMP_DIR/tls.cfg" <<CFG
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $PWD/tls-server.key
certificate = $PWD/tls-server.crt
CFG

ns_add $NS
mkdir -p "$TMP_DIR/kamailio"
bg_run KAM "$TMP_DIR/kamailio.log" $NS kamailio -f "$PWD/kamailio-wss.cfg" -DD -E \
    -A "TLSCFG=\"$TMP_DIR/tls.cfg\"" -Y "$TMP_DIR/kamailio" -w "$TMP_DIR/kamailio"
wait_listen $NS t 127.0.0.20:8443 10
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
rm -f "$KEYS"
ip netns exec $NS timeout 30 python3 wss_sip_peers.py "$KEYS" 127.0.0.20 8443
stop_capture "$TCPD"
stop_pid "$KAM"
tcpdump -r "$TMP_DIR/out.pcap" -w "$OUT" 'tcp port 8443' 2>/dev/null
seen=$(tshark -r "$OUT" -o "tls.keylog_file:$KEYS" -Y sip -T fields -e sip.CSeq 2>/dev/null |
    tr ',' '\n' | grep -c . || true)
echo "wrote $OUT: $(tshark -r "$OUT" 2>/dev/null | wc -l) packets, $seen SIP messages (tshark with the key log)"
