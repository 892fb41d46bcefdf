#!/bin/bash
# lint-missing-mandatory-header.pcap: an OPTIONS without From (answered 400; a sipp UAS cannot take one without To),
# then in the same Call-ID a call whose INVITE has no Max-Forwards, direct UDP.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-missing-headers.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-missing-headers.xml). OPTIONS/400, INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-missing-mandatory-header.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-missing-mandatory-header.pcap

lint_begin sipsift-lint-mmh
lint_uas UAS scenarios/lint-uas-missing-headers.xml
lint_uac UAC scenarios/lint-uac-missing-headers.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "OPTIONS 400/OPTIONS INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_expect "$OUT" 'sip.Method == "OPTIONS" && !sip.From' "OPTIONS without From"
lint_expect "$OUT" 'sip.Method == "INVITE" && !sip.Max-Forwards' "INVITE without Max-Forwards"
