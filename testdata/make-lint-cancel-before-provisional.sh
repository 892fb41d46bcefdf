#!/bin/bash
# lint-cancel-before-provisional.pcap: the caller sends the CANCEL right after the INVITE, before any provisional
# response (the callee sends no 100/180 at all), direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cancel-immediate.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-cancel-no-provisional.xml). INVITE, CANCEL/200, 487/ACK.
# Regenerate: bash testdata/make-lint-cancel-before-provisional.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cancel-before-provisional.pcap

lint_begin sipsift-lint-cbp
lint_uas UAS scenarios/lint-uas-cancel-no-provisional.xml
lint_uac UAC scenarios/lint-uac-cancel-immediate.xml 127.0.0.30:5060
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE CANCEL 200/CANCEL 487/INVITE ACK"
lint_expect "$OUT" 'frame.number == 2 && sip.Method == "CANCEL"' "CANCEL right after the INVITE"
