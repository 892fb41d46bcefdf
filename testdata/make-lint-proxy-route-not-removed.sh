#!/bin/bash
# lint-proxy-route-not-removed.pcap: a proxy that forwards in-dialog requests (ACK, BYE) with its own Route entry
# still on top (no loose_route()).
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml, correct) -> kamailio 127.0.0.20:5060
#   (kamailio-bad-route.cfg) -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml).
# INVITE/100/180/200/ACK/BYE/200 on both legs; the callee-side ACK and BYE carry
# Route: <sip:127.0.0.20;lr;ftag=...>.
# Regenerate: bash testdata/make-lint-proxy-route-not-removed.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-proxy-route-not-removed.pcap

lint_begin sipsift-lint-prn
start_kamailio KAM "$LINT_NS" kamailio-bad-route.cfg
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/uac-basic.xml 127.0.0.20:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE 200/INVITE 200/INVITE
    ACK ACK BYE BYE 200/BYE 200/BYE"
lint_expect "$OUT" '(sip.Method == "ACK" || sip.Method == "BYE") && ip.src == 127.0.0.20 && sip.Route.host == "127.0.0.20"' \
    "ACK/BYE forwarded by the proxy with its own Route on top"
