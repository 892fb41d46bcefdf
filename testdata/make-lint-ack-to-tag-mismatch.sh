#!/bin/bash
# lint-ack-to-tag-mismatch.pcap: the ACK for the 200 OK has a To tag that is not the 200's, direct UDP (sipp's UAS
# matches by Call-ID and takes it; the BYE has the right tag).
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-to-tag.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/uas-basic.xml). INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-ack-to-tag-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-to-tag-mismatch.pcap

lint_begin sipsift-lint-att
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/lint-uac-ack-to-tag.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_differ "$OUT" 'sip.Method == "ACK"' 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"' \
    sip.to.tag "ACK To tag vs the 200's"
