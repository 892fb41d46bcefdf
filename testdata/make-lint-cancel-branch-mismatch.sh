#!/bin/bash
# lint-cancel-branch-mismatch.pcap: a CANCEL with a NEW Via branch (not the INVITE's), direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-new-branch.xml: [branch] in the CANCEL)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/lint-uas-ring-cancel.xml: sipp matches the CANCEL by
#      Call-ID only, so it answers it 200 and ends the INVITE with 487 anyway)
# INVITE/100/180, CANCEL/200, 487/ACK. Regenerate: bash testdata/make-lint-cancel-branch-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-branch-mismatch.pcap

lint_begin sipsift-lint-cbm
lint_uas UAS scenarios/lint-uas-ring-cancel.xml
lint_uac UAC scenarios/lint-uac-cancel-new-branch.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE CANCEL 200/CANCEL 487/INVITE ACK"
lint_differ "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.Via.branch \
    "CANCEL branch differs from the INVITE's"
