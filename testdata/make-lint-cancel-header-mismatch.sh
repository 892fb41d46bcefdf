#!/bin/bash
# lint-cancel-header-mismatch.pcap: a CANCEL whose Request-URI (alice, not bob) and From tag differ from the INVITE's, direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-header-mismatch.xml) -> sipp UAS
#   127.0.0.30:5060 (scenarios/lint-uas-ring-cancel.xml, matches by Call-ID only).
#   INVITE/100/180, CANCEL/200, 487/ACK.
# Regenerate: bash testdata/make-lint-cancel-header-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-header-mismatch.pcap

lint_begin sipsift-lint-chm
lint_uas UAS scenarios/lint-uas-ring-cancel.xml
lint_uac UAC scenarios/lint-uac-cancel-header-mismatch.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE CANCEL 200/CANCEL 487/INVITE ACK"
lint_differ "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.r-uri "CANCEL Request-URI"
lint_differ "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.from.tag "CANCEL From tag"
