#!/bin/bash
# lint-ack-cseq-mismatch.pcap: the ACK for the 200 OK has CSeq 2 (the INVITE's is 1), direct UDP; BYE CSeq 3.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-cseq.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/uas-basic.xml). INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-ack-cseq-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-cseq-mismatch.pcap

lint_begin sipsift-lint-acs
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/lint-uac-ack-cseq.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_differ "$OUT" 'sip.Method == "ACK"' 'sip.Method == "INVITE"' sip.CSeq.seq \
    "ACK CSeq number vs the INVITE's"
