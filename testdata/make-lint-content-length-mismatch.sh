#!/bin/bash
# lint-content-length-mismatch.pcap: SIP over TCP with wrong Content-Length values, two calls (two TCP
# connections) in one capture:
#   1) too small: INVITE with Content-Length: 100 but a longer SDP; the callee reads the rest
#      of the SDP and the ACK after it as one bogus message and closes the connection (no BYE).
#      sipp UAC 127.0.0.10 (scenarios/lint-uac-cl-short.xml) -> sipp UAS 127.0.0.30:5060
#      (scenarios/uas-basic.xml)
#   2) missing and too large: BYE without Content-Length; the callee's 200 for it says
#      Content-Length: 40 and has no body (the caller waits 1.5 s for it, then ends).
#      sipp UAC (scenarios/lint-uac-cl-missing.xml) -> sipp UAS
#      (scenarios/lint-uas-bad-content-length.xml)
# All sipp instances with -t t1.
# Regenerate: bash testdata/make-lint-content-length-mismatch.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-content-length-mismatch.pcap

lint_begin sipsift-lint-cl
LINT_UAS_LOG=$TMP_DIR/uas1.log lint_uas UAS1 scenarios/uas-basic.xml -t t1
LINT_UAC_LOG=$TMP_DIR/uac1.log lint_uac UAC1 scenarios/lint-uac-cl-short.xml 127.0.0.30:5060 -t t1
wait_pid "$UAC1" 30
wait_pid "$UAS1" 30
LINT_UAS_LOG=$TMP_DIR/uas2.log lint_uas UAS2 scenarios/lint-uas-bad-content-length.xml -t t1
LINT_UAC_LOG=$TMP_DIR/uac2.log lint_uac UAC2 scenarios/lint-uac-cl-missing.xml 127.0.0.30:5060 -t t1 -d 300
lint_end "$OUT" "$UAC2" "$UAS2"
lint_expect "$OUT" 'sip.Method == "INVITE" && sip.Content-Length == 100' "INVITE with Content-Length 100 (too small)"
lint_expect "$OUT" 'sip.Method == "BYE" && !sip.Content-Length' "BYE without Content-Length"
lint_expect "$OUT" 'tcp.payload contains "Content-Length: 40"' "200 (BYE) with Content-Length 40, no body"
