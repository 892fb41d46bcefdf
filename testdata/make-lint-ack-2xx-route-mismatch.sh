#!/bin/bash
# lint-ack-2xx-route-mismatch.pcap: through a record-routing proxy, the caller's ACK for the 200 OK carries no Route
# header although the 200 had a Record-Route (the BYE carries it).
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-no-route.xml)
#   -> kamailio 127.0.0.20:5060 (kamailio-proxy.cfg) -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml)
# What kamailio does with it is captured as it happens (see testdata/README.md).
# Regenerate: bash testdata/make-lint-ack-2xx-route-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-2xx-route-mismatch.pcap

lint_begin sipsift-lint-arm
start_kamailio KAM "$LINT_NS" kamailio-proxy.cfg
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/lint-uac-ack-no-route.xml 127.0.0.20:5060 -d 1200
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
lint_expect "$OUT" 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE" && ip.dst == 127.0.0.10 && sip.Record-Route' \
    "200 OK with Record-Route to the caller"
lint_expect "$OUT" 'sip.Method == "ACK" && ip.src == 127.0.0.10 && !sip.Route' "caller's ACK without Route"
lint_expect "$OUT" 'sip.Method == "BYE" && ip.src == 127.0.0.10 && sip.Route' "caller's BYE with Route"
