#!/bin/bash
# lint-ack-2xx-ruri-not-contact.pcap: the ACK for the 200 OK is sent to the To URI (sip:bob@127.0.0.30:5060) instead of
# the 200's Contact (sip:bob-contact-7f3a@127.0.0.30:5060;transport=UDP), direct UDP; the BYE
# uses the Contact.
#   sipp UAC 127.0.0.10:5060 (scenarios/lint-uac-ack-to-uri.xml) -> sipp UAS 127.0.0.30:5060
#   (scenarios/lint-uas-contact-user.xml). INVITE/100/180/200/ACK/BYE/200.
# Regenerate: bash testdata/make-lint-ack-2xx-ruri-not-contact.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-ack-2xx-ruri-not-contact.pcap

lint_begin sipsift-lint-arc
lint_uas UAS scenarios/lint-uas-contact-user.xml
lint_uac UAC scenarios/lint-uac-ack-to-uri.xml 127.0.0.30:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE 100/INVITE 180/INVITE 200/INVITE ACK BYE 200/BYE"
lint_differ "$OUT" 'sip.Method == "ACK"' 'sip.Method == "BYE"' sip.r-uri \
    "ACK Request-URI (To URI) vs the BYE's (the Contact)"
lint_expect "$OUT" 'sip.Status-Code == 200 && sip.contact.user == "bob-contact-7f3a"' "the 200's Contact"
