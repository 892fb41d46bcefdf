#!/bin/bash
# lint-cancel-no-487.pcap: the callee answers the CANCEL 200 but never sends 487 (nor any final response) for
# the INVITE; the caller sends nothing more. Direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-wait.xml: correct CANCEL, then waits 3 s)
#   -> sipp UAS 127.0.0.30:5060 (scenarios/lint-uas-cancel-no-487.xml). INVITE/100/180, CANCEL/200.
# Regenerate: bash testdata/make-lint-cancel-no-487.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-no-487.pcap

lint_begin sipsift-lint-cn487
lint_uas UAS scenarios/lint-uas-cancel-no-487.xml
lint_uac UAC scenarios/lint-uac-cancel-wait.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE CANCEL 200/CANCEL"
lint_expect "$OUT" 'sip.Method == "CANCEL"' "CANCEL answered 200, no 487 follows"
