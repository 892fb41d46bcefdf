#!/bin/bash
# lint-proxy-double-rr-ok.pcap: a CORRECT case that a lint must not flag: a proxy with two interfaces
# that record-routes twice (double Record-Route, ;r2=on), a full call through it.
#   sipp UAC 127.0.0.10:5060 (scenarios/uac-basic.xml) -> kamailio 127.0.0.20:5060 | 127.0.0.21:5060
#   (kamailio-double-rr.cfg, callee side sent from .21) -> sipp UAS 127.0.0.30:5060
#   (scenarios/uas-basic.xml). INVITE/100/180/200/ACK/BYE/200 on both legs; the caller's ACK
#   and BYE carry both Route entries, kamailio removes both.
# Regenerate: bash testdata/make-lint-proxy-double-rr-ok.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
. ./lint-lib.sh
OUT=lint-proxy-double-rr-ok.pcap

lint_begin sipsift-lint-drr
start_kamailio KAM "$LINT_NS" kamailio-double-rr.cfg
wait_listen "$LINT_NS" u 127.0.0.21:5060 10
lint_uas UAS scenarios/uas-basic.xml
lint_uac UAC scenarios/uac-basic.xml 127.0.0.20:5060 -d 300
lint_end "$OUT" "$UAC" "$UAS"
stop_pid "$KAM"
check_sipp "$TMP_DIR/uac.log"
check_sipp "$TMP_DIR/uas.log"
check_flow "$OUT" "INVITE INVITE 100/INVITE 100/INVITE 180/INVITE 180/INVITE 200/INVITE 200/INVITE
    ACK ACK BYE BYE 200/BYE 200/BYE"
lint_expect "$OUT" 'sip.Method == "INVITE" && ip.src == 127.0.0.21 && ip.dst == 127.0.0.30' "callee leg from .21"
n=$(tshark -r "$OUT" -Y 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE" && ip.dst == 127.0.0.10' \
    -T fields -e sip.Record-Route 2>/dev/null | head -n 1 | grep -o 'r2=on' | wc -l)
[ "$n" = 2 ] || { echo "$OUT: expected 2 Record-Route entries with r2=on, got $n" >&2; exit 1; }
echo "$OUT: the 200 OK carries two Record-Route entries (r2=on)"
lint_expect "$OUT" 'sip.Method == "BYE" && ip.src == 127.0.0.21 && !sip.Route' "Route set consumed by the proxy"
