#!/bin/bash
# lint-cancel-route-missing.pcap: the INVITE carries a preloaded Route (<sip:127.0.0.20;lr>, the proxy), its CANCEL
# carries none (RFC 3261 9.1: MUST copy the INVITE's Route values).
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-no-route.xml)
#   -> kamailio 127.0.0.20:5060 (kamailio-preloaded-route.cfg: removes the preloaded Route,
#      record-routes, answers the CANCEL itself and sends its own CANCEL to the callee)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-ring-cancel.xml)
# INVITE/100/180, CANCEL/200, 487/ACK on both legs, as call-cancel.pcap.
# Regenerate: bash testdata/make-lint-cancel-route-missing.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-route-missing.pcap

lint_begin sipsift-lint-crm
start_kamailio KAM "$LINT_NS" kamailio-preloaded-route.cfg
lint_uas UAS scenarios/uas-ring-cancel.xml
lint_uac UAC scenarios/lint-uac-cancel-no-route.xml 127.0.0.20:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE CANCEL CANCEL
    200/CANCEL 200/CANCEL 487/INVITE 487/INVITE ACK ACK"
lint_expect "$OUT" 'sip.Method == "INVITE" && ip.src == 127.0.0.10 && sip.Route' "INVITE with Route"
lint_expect "$OUT" 'sip.Method == "CANCEL" && ip.src == 127.0.0.10 && !sip.Route' "CANCEL without Route"
