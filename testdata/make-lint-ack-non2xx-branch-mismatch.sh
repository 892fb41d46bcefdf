#!/bin/bash
# lint-ack-non2xx-branch-mismatch.pcap: the ACK for a 486 has a new Via branch instead of the INVITE's, direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-busy-ack-branch.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/uas-busy.xml). INVITE/100/486/ACK.
# Regenerate: bash testdata/make-lint-ack-non2xx-branch-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-non2xx-branch-mismatch.pcap

lint_begin sipsift-lint-anb
lint_uas UAS scenarios/uas-busy.xml
lint_uac UAC scenarios/lint-uac-busy-ack-branch.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 486/INVITE ACK"
lint_differ "$OUT" 'sip.Method == "ACK"' 'sip.Method == "INVITE"' sip.Via.branch \
    "ACK of the 486 with another branch than the INVITE"
