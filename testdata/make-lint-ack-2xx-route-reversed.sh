#!/bin/bash
# lint-ack-2xx-route-reversed.pcap: two record-routing proxies in a chain; the caller's ACK for the 200 OK carries
# the Route set in the wrong order (the 200's Record-Route values as received, not reversed);
# the BYE's Route set is right.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-route-unreversed.xml)
#   -> kamailio A 127.0.0.20:5060 -> kamailio B 127.0.0.21:5060 -> sipp UAS 127.0.0.30:5060
#      (scenarios/uas-basic.xml). A and B run kamailio-proxy.cfg rewritten by sed at run time:
#      A relays initial requests to 127.0.0.21 instead of .30; B listens on .21.
# What the proxies do with the misordered ACK is captured as it happens.
# Regenerate: bash testdata/make-lint-ack-2xx-route-reversed.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-2xx-route-reversed.pcap

lint_begin sipsift-lint-arr
sed 's/127\.0\.0\.30/127.0.0.21/g' kamailio-proxy.cfg >"$TMP_DIR/kam-a.cfg"
sed 's/127\.0\.0\.20/127.0.0.21/g' kamailio-proxy.cfg >"$TMP_DIR/kam-b.cfg"
mkdir -p "$TMP_DIR/kam-a" "$TMP_DIR/kam-b"
bg_run KAMA "$TMP_DIR/kam-a.log" "$LINT_NS" kamailio -f "$TMP_DIR/kam-a.cfg" -DD -E -Y "$TMP_DIR/kam-a" -w "$TMP_DIR/kam-a"
bg_run KAMB "$TMP_DIR/kam-b.log" "$LINT_NS" kamailio -f "$TMP_DIR/kam-b.cfg" -DD -E -Y "$TMP_DIR/kam-b" -w "$TMP_DIR/kam-b"
wait_listen "$LINT_NS" u 127.0.0.20:5060 10
wait_listen "$LINT_NS" u 127.0.0.21:5060 10
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/lint-uac-ack-route-unreversed.xml 127.0.0.20:5060 -d 1200
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAMA"
stop_pid "$KAMB"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
# the BYE's Route (right order: A then B) differs from the ACK's (B then A)
lint_differ "$OUT" 'sip.Method == "ACK" && ip.src == 127.0.0.10' 'sip.Method == "BYE" && ip.src == 127.0.0.10' \
    sip.Route "caller's ACK Route vs its BYE Route"
lint_expect "$OUT" 'sip.Method == "ACK" && ip.src == 127.0.0.10 && sip.Route.host == "127.0.0.21"' \
    "ACK whose first Route is proxy B"
