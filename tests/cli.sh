#!/usr/bin/env bash
# Command-line behaviour: exit statuses (DESIGN.md), one clear stderr line
# naming the file and what is wrong, and a report of what could be read.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
good=testdata/sip-udp-sipp.pcap

# check NAME WANT_EXIT STDERR_REGEX -- ARGS...
check() {
	local name=$1 want=$2 re=$3
	shift 4
	"$SIPSIFT" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" != "$want" ]; then
		echo "not ok cli/$name: exit $rc, expected $want ($(head -c 200 "$tmp/err"))"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/err"; then
		echo "not ok cli/$name: stderr does not match /$re/: $(head -c 200 "$tmp/err")"
	elif [ "$want" -ge 2 ] && [ "$want" != 3 ] && [ "$(wc -l <"$tmp/err")" -gt 2 ]; then
		echo "not ok cli/$name: more than one line of diagnosis"
	else
		echo "ok cli/$name"
	fi
}

# summary FIELD: a number from the JSON report just written to $tmp/out
summary() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$tmp/out" "$1" 2>/dev/null
}

expect_summary() {
	local name=$1 field=$2 want=$3 got
	got=$(summary "$field")
	if [ "$got" = "$want" ]; then
		echo "ok cli/$name-report"
	else
		echo "not ok cli/$name-report: summary.$field is '${got}', expected $want"
	fi
}

python3 tests/mkbad.py "$good" "$tmp"
: >"$tmp/empty.pcap"
printf 'This is a text file, not a capture.\n' >"$tmp/text.pcap"
head -c 10 "$good" >"$tmp/header-cut.pcap"
size=$(wc -c <"$good")
head -c $((size - 40)) "$good" >"$tmp/last-cut.pcap"
gzip -c "$good" >"$tmp/good.pcap.gz"
head -c 300 "$tmp/good.pcap.gz" >"$tmp/gz-cut.pcap.gz"
mkdir "$tmp/ro"

check version 0 '' -- --version
grep -Eq '^sipsift [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && echo "ok cli/version-text" || echo "not ok cli/version-text: $(cat "$tmp/out")"
check help 0 '' -- --help
grep -q '^Usage: sipsift' "$tmp/out" && echo "ok cli/help-text" || echo "not ok cli/help-text"
check no-args 2 'no command' --
check no-file 2 'no capture file' -- analyze
check unknown-command 2 "unknown command 'frobnicate'" -- frobnicate "$good"
check unknown-option 2 "unknown option '--frobnicate'" -- analyze --frobnicate "$good"
check bad-format 2 "unknown format 'xml'" -- analyze --format xml "$good"
check bad-port 2 "--sip-port wants a port" -- analyze --sip-port 70000 "$good"
check bad-filter 2 "bad filter" -- analyze -f 'port 99999' "$good"
check stdin-twice 2 'more than once' -- analyze - -
check missing-file 3 "nope.pcap: no such file" -- analyze --format json "$tmp/nope.pcap"
expect_summary missing-file packets 0
check empty-file 3 "empty.pcap: empty file" -- analyze "$tmp/empty.pcap"
check text-file 3 "text.pcap: not a pcap or pcapng file" -- analyze "$tmp/text.pcap"
check header-cut 3 "header-cut.pcap: cut off in the file header" -- analyze "$tmp/header-cut.pcap"
check last-packet-cut 0 "warning: .*last-cut.pcap: cut off inside packet 7" -- analyze --format json "$tmp/last-cut.pcap"
expect_summary last-packet-cut sip_messages 6
check damaged-pcapng 3 "damaged.pcapng: .*(damaged|length)" -- analyze --format json "$tmp/damaged.pcapng"
expect_summary damaged-pcapng sip_messages 1
check gzip-cut 0 "gz-cut.pcap.gz: " -- analyze --format json "$tmp/gz-cut.pcap.gz"
check unsupported-link 3 "linktype147.pcap: unsupported link type 147" -- analyze "$tmp/linktype147.pcap"
check snapped 0 '' -- analyze --format json "$tmp/snapped.pcap"
expect_summary snapped sip_messages 0
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["skipped"]["sip_cut_by_snaplen"])' "$tmp/out")
[ "$got" = 7 ] && echo "ok cli/snapped-counted" || echo "not ok cli/snapped-counted: $got"
check mixed-linktypes 0 '' -- analyze --format json "$tmp/mixed.pcapng"
expect_summary mixed-linktypes sip_messages 7
check gzip 0 '' -- analyze --format json "$tmp/good.pcap.gz"
expect_summary gzip sip_messages 7
"$SIPSIFT" analyze --format json - <"$good" >"$tmp/out" 2>"$tmp/err" && echo "ok cli/stdin" || echo "not ok cli/stdin"
expect_summary stdin sip_messages 7
"$SIPSIFT" analyze --format json - <"$tmp/good.pcap.gz" >"$tmp/out" 2>"$tmp/err" && echo "ok cli/stdin-gzip" || echo "not ok cli/stdin-gzip"
expect_summary stdin-gzip sip_messages 7
check one-good-one-missing 3 "nope.pcap: no such file" -- analyze --format json "$good" "$tmp/nope.pcap"
expect_summary one-good-one-missing sip_messages 7
check output-unwritable 4 "cannot write" -- analyze -o "$tmp/ro/no/such/dir/x" "$good"
check output-file 0 '' -- analyze --format json -o "$tmp/report.json" "$good"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json" && echo "ok cli/output-file-json" || echo "not ok cli/output-file-json"
if [ -w /dev/full ]; then
	check output-full 4 "writing the report failed" -- analyze -o /dev/full "$good"
fi
check filter-note 0 'filter widened' -- analyze -f 'udp port 5060' testdata/sip-udp-fragmented.pcap
check filter-quiet 0 '' -- analyze -q -f 'udp port 5060' testdata/sip-udp-fragmented.pcap
[ ! -s "$tmp/err" ] && echo "ok cli/quiet-is-quiet" || echo "not ok cli/quiet-is-quiet: $(cat "$tmp/err")"
check options-after-files 0 '' -- analyze "$good" --format json
expect_summary options-after-files sip_messages 7

# decrypt -w: the SRTP call written with plain RTP that Wireshark plays.
check decrypt-needs-w 2 'decrypt needs -w' -- decrypt testdata/srtp-dtmf-call.pcap
check decrypt-unwritable 4 'cannot write' -- decrypt -w "$tmp/ro/no/such/dir/x.pcap" testdata/srtp-dtmf-call.pcap
check decrypt 0 '572 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/plain.pcap" testdata/srtp-dtmf-call.pcap
# The result reads as a clean plain call: same SIP, every stream plain.
"$SIPSIFT" analyze --format json "$tmp/plain.pcap" >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/decrypt-plain" || echo "not ok cli/decrypt-plain"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["summary"]["sip_messages"] == 13, j["summary"]
assert j["summary"]["packets"] == 591, j["summary"]
assert not j["findings"], j["findings"]
rtp = [s for s in j["streams"] if s["kind"] == "rtp"]
assert sorted(s["packets"] for s in rtp) == [251, 318], rtp
assert all(s["srtp"] is None for s in j["streams"])
PY
if command -v tshark >/dev/null 2>&1; then
	# The DTMF digits baresip sent (1 2 3 #) are only readable decrypted.
	digits=$(tshark -r "$tmp/plain.pcap" -Y "rtpevent && rtpevent.end_of_event==1" \
		-T fields -e rtpevent.event_id 2>/dev/null | uniq | tr '\n' ' ')
	[ "$digits" = "1 2 3 11 " ] && echo "ok cli/decrypt-tshark-dtmf" ||
		echo "not ok cli/decrypt-tshark-dtmf: tshark reads '$digits'"
	# Every RTP packet is whole RTP to tshark (the one SRTCP packet that
	# failed authentication stays as it was, and is no RTCP to it).
	bad=$(tshark -r "$tmp/plain.pcap" -Y "rtp && _ws.malformed" 2>/dev/null | wc -l)
	[ "$bad" = 0 ] && echo "ok cli/decrypt-tshark-clean" ||
		echo "not ok cli/decrypt-tshark-clean: $bad malformed RTP packets"
fi
check decrypt-wrong-key 0 'failed: no key of its call authenticates' -- decrypt -w "$tmp/wrong.pcap" testdata/srtp-wrong-key.pcap
# Media that did not decrypt is written as it was, byte for byte.
python3 - "$tmp/wrong.pcap" testdata/srtp-wrong-key.pcap <<'PY' && echo "ok cli/decrypt-wrong-key-unchanged" || echo "not ok cli/decrypt-wrong-key-unchanged: media that did not decrypt must be written as it was"
import sys
sys.path.insert(0, "tests/tools")
import pcaplib
_, a = pcaplib.read_packets(sys.argv[1])
_, b = pcaplib.read_packets(sys.argv[2])
assert len(a) == len(b)
# Everything but SIP (port 5060) must be identical.
same = [x.data == y.data for x, y in zip(a, b) if b"\x13\xc4" not in y.data[34:38]]
assert same and all(same), sum(1 for v in same if not v)
PY

# Keys by hand: --key and --keyfile, for a capture without its signalling.
check key-bad-spec 2 "--key wants SENDER=SUITE:inline:KEY" -- analyze --key nope "$good"
check key-bad-length 2 "key is 2 bytes, AES_CM_128_HMAC_SHA1_80 needs 30" -- analyze --key '1.2.3.4:5=AES_CM_128_HMAC_SHA1_80:inline:abc' "$good"
check key-bad-suite 2 "unsupported" -- analyze --key '1.2.3.4:5=F8_128_HMAC_SHA1_80:inline:im4qSVJeefvoWhhSeQPGKToktWZ9LA5+DULUSTZV' "$good"
printf '# the late-join call\n192.0.2.10:40000=AES_CM_128_HMAC_SHA1_80:inline:im4qSVJeefvoWhhSeQPGKToktWZ9LA5+DULUSTZV\n\n192.0.2.20:50000=AES_CM_128_HMAC_SHA1_80:inline:cpGfXlQXdhotK1y2OdbBGVO2Mjs0mu3W5J6OA49T\n' >"$tmp/keys"
check keyfile-decrypt 0 '300 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/late.pcap" --keyfile "$tmp/keys" testdata/srtp-late-join.pcap
printf 'x\n' >"$tmp/badkeys"
check keyfile-bad 2 "badkeys:1: --key wants" -- analyze --keyfile "$tmp/badkeys" "$good"
check keyfile-missing 2 "keyfile $tmp/nokeys" -- analyze --keyfile "$tmp/nokeys" "$good"

# dtmf: exit statuses, and the digits against tshark's own RFC 4733 view:
# one event per (SSRC, RTP timestamp), in capture order. The SRTP call's
# digits are compared with what tshark reads in its decrypted copy.
check dtmf-missing-file 3 "nope.pcap: no such file" -- dtmf "$tmp/nope.pcap"
check dtmf-bad-format 2 "" -- dtmf --format xml testdata/dtmf-both.pcap
if command -v tshark >/dev/null 2>&1; then
	for pair in dtmf-both.pcap:dtmf-both.pcap dtmf-sipp-2833.pcap:dtmf-sipp-2833.pcap \
		rtp-dtmf-lost-end.pcap:rtp-dtmf-lost-end.pcap srtp-dtmf-call.pcap:plain; do
		f=testdata/${pair%%:*}
		ref=testdata/${pair#*:}
		[ "${pair#*:}" = plain ] && ref=$tmp/plain.pcap
		want=$(tshark -r "$ref" -Y rtpevent -T fields -e rtp.ssrc -e rtp.timestamp \
			-e rtpevent.event_id 2>/dev/null | awk '!seen[$1 " " $2]++ { print $3 }' |
			awk '{ printf "%s", substr("0123456789*#ABCD", $1 + 1, 1) }')
		"$SIPSIFT" dtmf --format json "$f" >"$tmp/out" 2>"$tmp/err"
		got=$(python3 -c 'import json,sys; print("".join(e["digit"] for c in json.load(open(sys.argv[1]))["calls"] for e in c["dtmf"] if e["source"] == "rfc4733"))' "$tmp/out")
		[ -n "$want" ] && [ "$got" = "$want" ] && echo "ok cli/dtmf-tshark-${pair%%:*}" ||
			echo "not ok cli/dtmf-tshark-${pair%%:*}: sipsift '$got', tshark '$want'"
	done
fi
