#!/bin/bash
# lint-cseq-method-mismatch.pcap: an INVITE with "CSeq: 1 BYE", direct UDP. The
# sipp UAC refuses responses whose CSeq method is not the request's, so the UAS answers
# "1 INVITE" (it does not echo the CSeq); ACK and BYE are right.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-cseq-method.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-cseq-invite.xml). INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-cseq-method-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-cseq-method-mismatch.pcap

lint_begin sipsift-lint-cmm
lint_uas UAS scenarios/lint-uas-cseq-invite.xml
lint_uac UAC scenarios/lint-uac-cseq-method.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
lint_expect "$OUT" 'sip.Method == "INVITE" && sip.CSeq.method == "BYE"' "INVITE with CSeq method BYE"
