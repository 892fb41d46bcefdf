#!/bin/bash
# lint-cancel-after-final.pcap: a CANCEL sent after the INVITE's final response (486) arrived and was ACKed,
# direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-after-486.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-busy-then-cancel.xml). INVITE/100/180/486/ACK, then CANCEL/200.
# Regenerate: bash testdata/make-lint-cancel-after-final.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-after-final.pcap

lint_begin sipsift-lint-caf
lint_uas UAS scenarios/lint-uas-busy-then-cancel.xml
lint_uac UAC scenarios/lint-uac-cancel-after-486.xml 127.0.0.30:5060
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 486/INVITE ACK CANCEL 200/CANCEL"
lint_equal "$OUT" 'sip.Method == "CANCEL"' 'sip.Method == "INVITE"' sip.Via.branch \
    "the CANCEL targets the INVITE transaction"
lint_expect "$OUT" 'sip.Method == "CANCEL" && frame.number > 4' "CANCEL after the 486 (frame 4)"
