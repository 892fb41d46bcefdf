#!/bin/bash
# lint-rr-not-loose.pcap: a proxy that record-routes without ;lr (Record-Route: <sip:127.0.0.20>, a strict
# router); kamailio's rr module always writes ;lr, so kamailio-strict-rr.cfg inserts the header
# itself with textops insert_hf(). The caller (sipp, route set from the 200) then strict-routes:
# ACK/BYE with Request-URI = the proxy and the callee's Contact as the last Route.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml) -> kamailio 127.0.0.20:5060
#   (kamailio-strict-rr.cfg) -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml).
# Regenerate: bash testdata/make-lint-rr-not-loose.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-rr-not-loose.pcap

lint_begin sipsift-lint-rnl
start_kamailio KAM "$LINT_NS" kamailio-strict-rr.cfg
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/uac-basic.xml 127.0.0.20:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE 200/INVITE 200/INVITE
    ACK ACK BYE BYE 200/BYE 200/BYE"
lint_expect "$OUT" 'sip.Record-Route && !(sip.Record-Route contains ";lr")' "Record-Route without ;lr"
