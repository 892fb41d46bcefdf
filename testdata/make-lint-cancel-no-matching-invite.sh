#!/bin/bash
# lint-cancel-no-matching-invite.pcap: a CANCEL whose Call-ID (and branch) never had an INVITE, after a normal call,
# direct UDP: two sipp runs in one capture.
#   1) basic call: sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml) -> sipp UAS 127.0.0.30:5060
#      (scenarios/uas-basic.xml): INVITE/100/180/200/ACK/BYE/200
#   2) stray CANCEL: sipp UAC (scenarios/lint-uac-stray-cancel.xml, a new Call-ID) -> sipp UAS
#      (scenarios/lint-uas-cancel-481.xml): CANCEL/481
# Regenerate: bash testdata/make-lint-cancel-no-matching-invite.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-no-matching-invite.pcap

lint_begin sipsift-lint-cnmi
LINT_UAS_LOG=$TMP_DIR/uas1.log lint_uas UAS1 scenarios/uas-basic.xml
LINT_UAC_LOG=$TMP_DIR/uac1.log lint_uac UAC1 scenarios/uac-basic.xml 127.0.0.30:5060 -d 300
wait_pid "$UAC1" 30
wait_pid "$UAS1" 10
LINT_UAS_LOG=$TMP_DIR/uas2.log lint_uas UAS2 scenarios/lint-uas-cancel-481.xml
LINT_UAC_LOG=$TMP_DIR/uac2.log lint_uac UAC2 scenarios/lint-uac-stray-cancel.xml 127.0.0.30:5060
lint_end "$OUT" "$UAC2" "$UAS2"
for l in uac1 uas1 uac2 uas2; do check_sipp "$TMP_DIR/$l.log"; done
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE CANCEL 481/CANCEL"
lint_differ "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.Call-ID \
    "the CANCEL's Call-ID is not the INVITE's"
lint_expect "$OUT" 'sip.Status-Code == 481' "481 to the stray CANCEL"
