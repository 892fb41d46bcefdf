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
"

ns_add tlscap
# MSS 1460 on loopback: the padded INVITE spans segments.
ip netns exec tlscap ip link set lo mtu 1500
ip netns exec tlscap ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true

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
    start_capture cap tlscap lo "$TMP_DIR/$name.pcap"
    ip netns exec tlscap env OPENSSL_CONF="$conf" timeout 30 python3 tls_sip_peers.py \
        "tls-$name" "tls-$name.keys" tls-server.crt tls-server.key "$ver" "$ciphers" "$opts"
    stop_capture "$cap"
    # Only the TLS connections (no ARP etc. on lo, but be explicit).
    tcpdump -r "$TMP_DIR/$name.pcap" -w "tls-$name.pcap" 'tcp port 5061' 2>/dev/null
    case "$name" in tls12-rsa-*) rm -f "tls-$name.keys" ;; esac
    # Cross-check: tshark given the same keys dissects every SIP message
    # that was sent (one CSeq per message).
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
done
