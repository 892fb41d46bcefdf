#!/bin/bash
# lint-ack-2xx-same-branch.pcap: the ACK for the 200 OK reuses the INVITE's Via branch, direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-same-branch.xml: [branch-4] in the ACK)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/uas-basic.xml). INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-ack-2xx-same-branch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-2xx-same-branch.pcap

lint_begin sipsift-lint-asb
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/lint-uac-ack-same-branch.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_equal "$OUT" 'sip.Method == "ACK"' 'sip.Method == "INVITE"' sip.Via.branch \
    "ACK of the 2xx reuses the INVITE's branch"
