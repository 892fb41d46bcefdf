#!/bin/bash
# lint-alias-over-non-tls.pcap: an INVITE over TCP whose Via has ;alias (RFC 5923 allows it only over TLS).
#   sipp UAC 127.0.0.10 (scenarios/lint-uac-alias.xml, -t t1) -> sipp UAS 127.0.0.30:5060
#   (scenarios/uas-basic.xml, -t t1). INVITE/100/180/200/ACK/BYE/200 over one TCP connection.
# Regenerate: bash testdata/make-lint-alias-over-non-tls.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-alias-over-non-tls.pcap

lint_begin sipsift-lint-alias
lint_uas UAS scenarios/uas-basic.xml -t t1
lint_uac UAC scenarios/lint-uac-alias.xml 127.0.0.30:5060 -t t1 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
# (no check_sipp on the UAS: the caller closes the TCP connection during the UAS's final
# pause and sipp then counts its call as failed; check_flow covers the UAS's messages)
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_expect "$OUT" 'sip.Method == "INVITE" && tcp && sip.Via contains ";alias"' "INVITE over TCP with Via ;alias"
