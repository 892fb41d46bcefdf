#!/usr/bin/env bash
# SIP over TLS captures for the TLS decryption stage (src/tls, issue #14):
# a UAC and a UAS on CPython's ssl module (OpenSSL 3) in a namespace of our
# own, one capture per TLS version / cipher suite / option, each with the
# client's NSS key log. The RSA key exchange cases come with the server key
# (testdata/tls-server.key) instead of a key log entry being needed.
#
#   bash testdata/make-tls-sip.sh        # all cases below
#   bash testdata/make-tls-sip.sh NAME   # one case (e.g. tls12-resume-id)
#
# tls13-hrr-keyupdate is made with openssl s_server / s_client instead:
# the client offers a key share for X25519 only and the server accepts
# only P-256 (HelloRetryRequest); after the 200 OK the client sends a
# KeyUpdate that requests the server's (both sides rekey once).
#
# Outputs per case NAME: tls-NAME.pcap, tls-NAME.keys (key log), and the
# bytes each side sent: tls-NAME.c2s, tls-NAME.s2c.
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init

if [ ! -f tls-server.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout tls-server.key \
        -out tls-server.crt -days 36500 -subj /CN=sipsift-test-server >/dev/null 2>&1
fi
# Another server's key: must not decrypt (RSA key does not fit).
[ -f tls-other.key ] || openssl genrsa -out tls-other.key 2048 >/dev/null 2>&1
# A server with an ECDSA (P-256) certificate: ECDHE-ECDSA only, no RSA key
# exchange possible (the ecdsa cases; --tls-key with this key is refused).
if [ ! -f tls-server-ec.key ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout tls-server-ec.key -out tls-server-ec.crt -days 36500 \
        -subj /CN=sipsift-test-server-ec >/dev/null 2>&1
fi

# NAME VERSION CIPHERS(1.2) / SUITE(1.3) OPTS
cases="
tls13-aes128gcm 1.3 TLS_AES_128_GCM_SHA256 -
tls13-aes256gcm 1.3 TLS_AES_256_GCM_SHA384 -
tls13-chacha20 1.3 TLS_CHACHA20_POLY1305_SHA256 -
tls12-ecdhe-aes128gcm 1.2 ECDHE-RSA-AES128-GCM-SHA256 -
tls12-ecdhe-chacha20 1.2 ECDHE-RSA-CHACHA20-POLY1305 -
tls12-ecdhe-cbc-sha-etm 1.2 ECDHE-RSA-AES128-SHA -
tls12-ecdhe-cbc-sha-noetm 1.2 ECDHE-RSA-AES128-SHA noetm
tls12-ecdhe-cbc-sha384 1.2 ECDHE-RSA-AES256-SHA384 noetm
tls12-rsa-aes256gcm 1.2 AES256-GCM-SHA384 -
tls12-rsa-cbc-sha256-noems 1.2 AES128-SHA256 noems,noetm
tls12-resume-ticket 1.2 ECDHE-RSA-AES128-GCM-SHA256 resume
tls12-resume-id 1.2 ECDHE-RSA-AES128-GCM-SHA256 resume,noticket
tls12-rsa-resume-ticket 1.2 AES256-GCM-SHA384 resume
tls12-rsa-resume-id 1.2 AES128-SHA256 resume,noticket,noetm
tls12-ecdsa-aes256gcm 1.2 ECDHE-ECDSA-AES256-GCM-SHA384 ecdsa
tls13-ecdsa-aes128gcm 1.3 TLS_AES_128_GCM_SHA256 ecdsa
"

ns_add tlscap
# MSS 1460 on loopback: the padded INVITE spans segments.
ip netns exec tlscap ip link set lo mtu 1500
ip netns exec tlscap ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true

check_tshark() {    # check_tshark NAME : tshark with the keys sees every SIP message sent
    local name=$1 key_opt seen sent
    if [ -f "tls-$name.keys" ]; then
        key_opt="tls.keylog_file:tls-$name.keys"
    else
        key_opt='uat:rsa_keys:"tls-server.key",""'
    fi
    seen=$(tshark -r "tls-$name.pcap" -o "$key_opt" -Y sip -T fields -e sip.CSeq 2>/dev/null |
        tr ',' '\n' | grep -c .)
    sent=$(cat "tls-$name.c2s" "tls-$name.s2c" | grep -ac '^CSeq:')
    echo "$name: $(tshark -r "tls-$name.pcap" 2>/dev/null | wc -l) packets, SIP sent $sent, tshark $seen"
    [ "$seen" = "$sent" ] || { echo "tshark disagrees on $name" >&2; exit 1; }
}

hrr_keyupdate() {
    local name=tls13-hrr-keyupdate m="$TMP_DIR/msg" spid cpid cap
    python3 tls_sip_peers.py --messages "$m"
    mkfifo "$TMP_DIR/srv.in" "$TMP_DIR/cli.in"
    rm -f "tls-$name.keys"
    start_capture cap tlscap lo "$TMP_DIR/$name.pcap"
    # The FIFOs stay open (fds 7, 8) so that neither tool sees EOF.
    ip netns exec tlscap openssl s_server -accept 127.0.0.1:5061 -cert tls-server.crt \
        -key tls-server.key -tls1_3 -groups P-256 -num_tickets 0 \
        -ciphersuites TLS_AES_128_GCM_SHA256 <"$TMP_DIR/srv.in" >"$TMP_DIR/srv.log" 2>&1 &
    spid=$!; PID_LIST="$PID_LIST $spid"
    exec 7>"$TMP_DIR/srv.in"
    wait_listen tlscap t 127.0.0.1:5061 10
    ip netns exec tlscap openssl s_client -connect 127.0.0.1:5061 -tls1_3 \
        -groups X25519:P-256 -keylogfile "tls-$name.keys" \
        <"$TMP_DIR/cli.in" >"$TMP_DIR/cli.log" 2>&1 &
    cpid=$!; PID_LIST="$PID_LIST $cpid"
    exec 8>"$TMP_DIR/cli.in"
    wait_log "$TMP_DIR/cli.log" "Verify return code" 10
    cat "$m.invite" >&8
    wait_log "$TMP_DIR/srv.log" "^a=crypto" 10
    cat "$m.r100" "$m.r180" "$m.r200" >&7
    wait_log "$TMP_DIR/cli.log" "^a=crypto" 10
    printf 'K\n' >&8
    wait_log "$TMP_DIR/cli.log" "KEYUPDATE" 10
    sleep 0.3
    cat "$m.ack" "$m.bye" >&8
    wait_log "$TMP_DIR/srv.log" "CSeq: 2 BYE" 10
    cat "$m.r200bye" >&7
    wait_log "$TMP_DIR/cli.log" "CSeq: 2 BYE" 10
    printf 'Q\n' >&8
    wait_pid "$cpid" 10 || stop_pid "$cpid"
    exec 8>&-
    stop_pid "$spid"
    exec 7>&-
    stop_capture "$cap"
    tcpdump -r "$TMP_DIR/$name.pcap" -w "tls-$name.pcap" 'tcp port 5061' 2>/dev/null
    cat "$m.invite" "$m.ack" "$m.bye" >"tls-$name.c2s"
    cat "$m.r100" "$m.r180" "$m.r200" "$m.r200bye" >"tls-$name.s2c"
    check_tshark "$name"
}

if [ -z "${1:-}" ] || [ "$1" = tls13-hrr-keyupdate ]; then
    hrr_keyupdate
fi

echo "$cases" | while read -r name ver ciphers opts; do
    [ -n "$name" ] || continue
    [ -z "${1:-}" ] || [ "$1" = "$name" ] || continue
    [ "$opts" = - ] && opts=""
    conf="$TMP_DIR/$name.cnf"
    suite=""
    [ "$ver" = 1.3 ] && suite="Ciphersuites = $ciphers"
    cat >"$conf" <<CNF
openssl_conf = conf
[conf]
ssl_conf = ssl
[ssl]
system_default = sys
[sys]
$suite
CNF
    rm -f "tls-$name.keys"
    cert=tls-server
    case ",$opts," in *,ecdsa,*) cert=tls-server-ec ;; esac
    start_capture cap tlscap lo "$TMP_DIR/$name.pcap"
    ip netns exec tlscap env OPENSSL_CONF="$conf" timeout 30 python3 tls_sip_peers.py \
        "tls-$name" "tls-$name.keys" "$cert.crt" "$cert.key" "$ver" "$ciphers" "$opts"
    stop_capture "$cap"
    # Only the TLS connections (no ARP etc. on lo, but be explicit).
    tcpdump -r "$TMP_DIR/$name.pcap" -w "tls-$name.pcap" 'tcp port 5061' 2>/dev/null
    case "$name" in tls12-rsa-*) rm -f "tls-$name.keys" ;; esac
    # Cross-check: tshark given the same keys dissects every SIP message
    # that was sent (one CSeq per message).
    check_tshark "$name"
done
# The key log inside the capture (pcapng Decryption Secrets Block): read
# with no --tls-keylog (tests/TESTLIST tls13-dsb-pcapng).
if [ -f tls-tls13-chacha20.keys ]; then
    editcap --inject-secrets tls,tls-tls13-chacha20.keys tls-tls13-chacha20.pcap \
        tls-tls13-chacha20-dsb.pcapng
fi
