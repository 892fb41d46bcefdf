#!/bin/bash
# lint-cancel-to-tag.pcap: a CANCEL carrying the To tag of the 180 (copied with [last_To:]), direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-to-tag.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-ring-cancel.xml). INVITE/100/180, CANCEL (To tag)/200, 487/ACK.
# Regenerate: bash testdata/make-lint-cancel-to-tag.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-to-tag.pcap

lint_begin sipsift-lint-ctt
lint_uas UAS scenarios/lint-uas-ring-cancel.xml
lint_uac UAC scenarios/lint-uac-cancel-to-tag.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE CANCEL 200/CANCEL 487/INVITE ACK"
lint_expect "$OUT" 'sip.Method == "CANCEL" && sip.to.tag' "CANCEL with a To tag"
lint_equal "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.Via.branch \
    "CANCEL reuses the INVITE's branch (only the To tag is wrong)"
