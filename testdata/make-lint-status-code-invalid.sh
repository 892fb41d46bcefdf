#!/bin/bash
# lint-status-code-invalid.pcap: a final response with a status code outside 100-699, "700 Bad"
# (ACKed as a non-2xx final response), direct UDP. No "99": a sipp UAC cannot receive it.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-odd-status.xml) -> sipp UAS 127.0.0.30:5060
#   (lint-uas-status.py: sipp refuses to send such a status code, even from a variable).
# INVITE/100/700/ACK.
# Regenerate: bash testdata/make-lint-status-code-invalid.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-status-code-invalid.pcap

lint_begin sipsift-lint-sci
bg_run UAS "$TMP_DIR/uas.log" "$LINT_NS" python3 lint-uas-status.py 127.0.0.30 5060
wait_listen "$LINT_NS" u 127.0.0.30:5060 10
lint_uac UAC scenarios/lint-uac-odd-status.xml 127.0.0.30:5060
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
lint_expect "$OUT" 'sip.Status-Code == 700' "status 700"
