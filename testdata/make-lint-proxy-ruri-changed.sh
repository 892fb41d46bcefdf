#!/bin/bash
# lint-proxy-ruri-changed.pcap: a proxy that rewrites the Request-URI of in-dialog requests (ACK, BYE) it
# loose-routes: the callee receives them for sip:someone@127.0.0.30:5060 instead of its
# Contact sip:127.0.0.30:5060;transport=UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml, correct) -> kamailio 127.0.0.20:5060
#   (kamailio-bad-ruri.cfg) -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml).
# INVITE/100/180/200/ACK/BYE/200 on both legs.
# Regenerate: bash testdata/make-lint-proxy-ruri-changed.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-proxy-ruri-changed.pcap

lint_begin sipsift-lint-prc
start_kamailio KAM "$LINT_NS" kamailio-bad-ruri.cfg
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/uac-basic.xml 127.0.0.20:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE 200/INVITE 200/INVITE
    ACK ACK BYE BYE 200/BYE 200/BYE"
lint_expect "$OUT" '(sip.Method == "ACK" || sip.Method == "BYE") && ip.src == 127.0.0.20 && sip.r-uri.user == "someone"' \
    "ACK/BYE forwarded with a rewritten Request-URI"
lint_expect "$OUT" '(sip.Method == "ACK" || sip.Method == "BYE") && ip.src == 127.0.0.10 && !sip.r-uri.user' \
    "the caller's ACK/BYE to the Contact"
