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

# An input that cannot be read at all (missing, not a capture, cut in its
# header, no packet of a link type we decode) prints no report: nothing on
# stdout. One found damaged further in keeps the report of what was read.
expect_no_report() {
	if [ -s "$tmp/out" ]; then
		echo "not ok cli/$1-no-report: stdout holds $(head -c 60 "$tmp/out")"
	else
		echo "ok cli/$1-no-report"
	fi
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
check jobs-zero 2 '-j wants a number of threads' -- -j 0 calls "$good"
check jobs-word 2 '-j wants a number of threads' -- --jobs=two calls "$good"
check missing-file 3 "nope.pcap: no such file" -- analyze --format json "$tmp/nope.pcap"
expect_no_report missing-file
check empty-file 3 "empty.pcap: empty file" -- analyze "$tmp/empty.pcap"
check text-file 3 "text.pcap: not a pcap or pcapng file" -- analyze "$tmp/text.pcap"
check header-cut 3 "header-cut.pcap: cut off in the file header" -- analyze "$tmp/header-cut.pcap"
check last-packet-cut 0 "warning: .*last-cut.pcap: cut off inside packet 7" -- analyze --format json "$tmp/last-cut.pcap"
expect_summary last-packet-cut sip_messages 6
check damaged-pcapng 3 "damaged.pcapng: .*(damaged|length)" -- analyze --format json "$tmp/damaged.pcapng"
expect_summary damaged-pcapng sip_messages 1
[ "$(grep -c . "$tmp/err")" = 1 ] && echo "ok cli/damaged-pcapng-one-line" ||
	echo "not ok cli/damaged-pcapng-one-line: $(grep -c . "$tmp/err") lines on stderr"
# Its -o file is kept too: the report of what was read, exit 3.
check damaged-pcapng-o 3 "damaged.pcapng: .*(damaged|length)" -- analyze --format json -o "$tmp/damaged.json" "$tmp/damaged.pcapng"
cp "$tmp/damaged.json" "$tmp/out" 2>/dev/null || : >"$tmp/out"
expect_summary damaged-pcapng-o sip_messages 1
check unsupported-link-json 3 "linktype147.pcap: unsupported link type 147" -- analyze --format json "$tmp/linktype147.pcap"
expect_no_report unsupported-link-json
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
# NDJSON into a reader that goes away (head): the run stops at the line it
# cannot write, not at the end of its input. The input here is two million
# calls from a pipe (minutes to read); timeout bounds the wait.
python3 tests/tools/gen_endless.py 2000000 2>/dev/null |
	timeout 60 "$SIPSIFT" analyze --format ndjson - 2>"$tmp/err" |
	head -n 2 >"$tmp/out"
rcs=("${PIPESTATUS[@]}")
if [ "${rcs[1]}" = 0 ] && [ "$(wc -l <"$tmp/out")" = 2 ] && [ ! -s "$tmp/err" ]; then
	echo "ok cli/ndjson-reader-gone"
else
	echo "not ok cli/ndjson-reader-gone: exit ${rcs[1]} (124: still reading at 60 s), $(wc -l <"$tmp/out") lines, $(head -c 200 "$tmp/err")"
fi
# A call whose NDJSON line runs past a megabyte (3,000 OPTIONS in its
# dialog), then three short ones: every call line is the call as the JSON
# report has it, the long one included (report_json.c keeps one buffer
# from line to line and lets go of it after a line that large).
python3 tests/tools/gen_long_call.py 3000 "$tmp/long.pcap"
"$SIPSIFT" analyze --format ndjson "$tmp/long.pcap" >"$tmp/long.nd" 2>/dev/null
"$SIPSIFT" analyze --format json "$tmp/long.pcap" >"$tmp/long.json" 2>/dev/null
got=$(python3 - "$tmp/long.nd" "$tmp/long.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
calls = [l for l in lines if l.pop("type") == "call"]
want = json.load(open(sys.argv[2]))["calls"]
big = max(len(l) for l in open(sys.argv[1]))
print("ok" if calls == want and len(calls) == 4 and big > 1 << 20 else
      "%d calls, %d in JSON, longest line %d bytes, equal %s" %
      (len(calls), len(want), big, calls == want))
PY
)
[ "$got" = ok ] && echo "ok cli/ndjson-long-line" || echo "not ok cli/ndjson-long-line: $got"
# Under a data-size limit the run that fits still runs: the heap's 64 MB
# steps (util/heap.c) are not taken there. 40 MB of data was an exit 5
# at the first allocation with them. AddressSanitizer's shadow memory does
# not fit under such a limit at all: the plain build is checked.
if ! ldd "$SIPSIFT" 2>/dev/null | grep -q libasan; then
	python3 tests/tools/gen_endless.py 200 >"$tmp/two-hundred.pcap"
	(ulimit -d 40000 && "$SIPSIFT" analyze --format json "$tmp/two-hundred.pcap" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	[ "$rc" = 0 ] && expect_summary ulimit-data calls 200 ||
		echo "not ok cli/ulimit-data: exit $rc, $(head -c 200 "$tmp/err")"
	# Memory that runs out is said as such, once, exit 5: a failed
	# allocation was taken for a cap reached ("more than 1000000 calls at
	# once", "more than 10000 messages") and the run went on and exited 0
	# with the calls missing. 20,000 calls' JSON records do not fit in 8 MB.
	python3 tests/tools/gen_endless.py 20000 >"$tmp/twenty-k.pcap"
	(ulimit -d 8000 && "$SIPSIFT" analyze --format json "$tmp/twenty-k.pcap" >/dev/null 2>"$tmp/err")
	rc=$?
	if [ "$rc" = 5 ] && [ "$(cat "$tmp/err")" = "sipsift: error: out of memory" ]; then
		echo "ok cli/out-of-memory"
	else
		echo "not ok cli/out-of-memory: exit $rc, $(head -c 300 "$tmp/err" | tr '\n' '|')"
	fi
fi
# No temporary file for the calls at rest (util/spill.h): the same report,
# and a note that says why memory grew.
python3 tests/tools/gen_endless.py 40 >"$tmp/forty.pcap"
"$SIPSIFT" calls "$tmp/forty.pcap" >"$tmp/spill-ok" 2>/dev/null
TMPDIR=/nonexistent/sipsift check spill-no-tmpdir 0 'note: finished calls stayed in memory, not on disk \(cannot make a temporary file in /nonexistent/sipsift: No such file or directory\)' -- calls "$tmp/forty.pcap"
cmp -s "$tmp/out" "$tmp/spill-ok" && echo "ok cli/spill-no-tmpdir-report" ||
	echo "not ok cli/spill-no-tmpdir-report: the report differs"
# A FIFO with -j 2 is read on one thread (prefetch.h): the whole report, no
# reader left waiting on it.
mkfifo "$tmp/fifo"
cat "$good" >"$tmp/fifo" &
timeout 30 "$SIPSIFT" -j 2 analyze --format json "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &&
	echo "ok cli/fifo-jobs" || echo "not ok cli/fifo-jobs: $(head -c 200 "$tmp/err")"
wait
expect_summary fifo-jobs sip_messages 7
# A missing input is found before any packet is read: the run stops there,
# no report of the good one.
check one-good-one-missing 3 "nope.pcap: no such file" -- analyze --format json "$good" "$tmp/nope.pcap"
expect_no_report one-good-one-missing
# A good one and a damaged one: the report holds all of the good one.
# (The damaged one's only packet is the good one's first, same bytes and
# time: it is read once.)
check one-good-one-damaged 3 "damaged.pcapng: .*(damaged|length)" -- analyze --format json "$good" "$tmp/damaged.pcapng"
expect_summary one-good-one-damaged sip_messages 7
check output-unwritable 4 "cannot write" -- analyze -o "$tmp/ro/no/such/dir/x" "$good"
check output-file 0 '' -- analyze --format json -o "$tmp/report.json" "$good"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json" && echo "ok cli/output-file-json" || echo "not ok cli/output-file-json"
if [ -w /dev/full ]; then
	check output-full 4 "writing the report failed" -- analyze -o /dev/full "$good"
fi
# A file past ulimit -f is a write error (EFBIG), not SIGXFSZ killing the
# run before it cleans up: exit 4, one line, no file left behind.
for w in "analyze --format json -o $tmp/fsize.json" "decrypt -w $tmp/fsize.pcap"; do
	# shellcheck disable=SC2086 # w is words
	(ulimit -f 8 && exec "$SIPSIFT" $w testdata/srtp-dtmf-call.pcap) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	n="cli/ulimit-f-${w%% *}"
	if [ "$rc" != 4 ] || ! grep -q 'writing the .* failed' "$tmp/err"; then
		echo "not ok $n: exit $rc ($(head -c 200 "$tmp/err"))"
	elif [ -e "$tmp/fsize.json" ] || [ -e "$tmp/fsize.pcap" ]; then
		echo "not ok $n: the cut file was left in place"
	else
		echo "ok $n"
	fi
done
# A descriptor limit that keeps libsrtp2 from starting (NSS opens files in
# srtp_init) is said as what it is, not as out of memory: exit 5.
(exec >"$tmp/out" 2>"$tmp/err"; ulimit -n 4 && exec "$SIPSIFT" analyze testdata/srtp-dtmf-call.pcap)
rc=$?
if [ "$rc" = 5 ] && grep -q 'libsrtp2 could not start: Too many open files' "$tmp/err"; then
	echo "ok cli/ulimit-n-srtp"
else
	echo "not ok cli/ulimit-n-srtp: exit $rc ($(head -c 200 "$tmp/err"))"
fi
check filter-note 0 'filter widened' -- analyze -f 'udp port 5060' testdata/sip-udp-fragmented.pcap
check filter-quiet 0 '' -- analyze -q -f 'udp port 5060' testdata/sip-udp-fragmented.pcap
[ ! -s "$tmp/err" ] && echo "ok cli/quiet-is-quiet" || echo "not ok cli/quiet-is-quiet: $(cat "$tmp/err")"
check options-after-files 0 '' -- analyze "$good" --format json
expect_summary options-after-files sip_messages 7

# decrypt -w: the SRTP call written with plain RTP that Wireshark plays.
check decrypt-needs-w 2 'decrypt needs -w' -- decrypt testdata/srtp-dtmf-call.pcap
check decrypt-unwritable 4 'cannot write' -- decrypt -w "$tmp/ro/no/such/dir/x.pcap" testdata/srtp-dtmf-call.pcap
# 573: also the early SRTCP the callee sent before the 200 OK (keys before media).
check decrypt 0 '573 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/plain.pcap" testdata/srtp-dtmf-call.pcap
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
check rtp-heuristic-bad 2 "--rtp-heuristic wants on or off, not 'maybe'" -- analyze --rtp-heuristic maybe "$good"
check rtp-heuristic-off 0 '' -- analyze --format json --rtp-heuristic off testdata/srtp-late-join.pcap
[ "$(summary rtp_streams)" = 0 ] && echo "ok cli/rtp-heuristic-off-none" ||
	echo "not ok cli/rtp-heuristic-off-none: $(summary rtp_streams) streams"
check rtp-heuristic-on 0 '' -- analyze --format json testdata/srtp-late-join.pcap
[ "$(summary rtp_streams)" = 2 ] && echo "ok cli/rtp-heuristic-on-two" ||
	echo "not ok cli/rtp-heuristic-on-two: $(summary rtp_streams) streams"
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

# In-band DTMF: the digits heard in the caller's audio are the ones its
# file holds (testdata/dtmf-inband.tones.txt), each within 30 ms of the
# tone's 120 ms, in order and 240 ms apart as planned.
"$SIPSIFT" dtmf --inband --format json testdata/dtmf-inband.pcap >"$tmp/out" 2>"$tmp/err"
r=$(python3 - "$tmp/out" testdata/dtmf-inband.tones.txt <<'PY'
import json, sys
ev = [e for c in json.load(open(sys.argv[1]))["calls"] for e in c["dtmf"]]
# "digit start_s duration_ms low_hz high_hz"; the comments have other
# shapes (a "#" line may be the digit #).
plan = [p for p in (l.split() for l in open(sys.argv[2]))
        if len(p) == 5 and all(x.replace(".", "").isdigit() for x in p[1:])]
got = "".join(e["digit"] for e in ev)
want = "".join(p[0] for p in plan)
if got != want:
    sys.exit("digits %s, planned %s" % (got, want))
for e, p in zip(ev, plan):
    if e["source"] != "inband" or abs(e["duration_ms"] - int(p[2])) > 30:
        sys.exit("%s: %s %s ms, planned %s ms" % (p[0], e["source"], e["duration_ms"], p[2]))
gaps = [b["ts"] - a["ts"] for a, b in zip(ev, ev[1:])]
if any(abs(g - 0.24) > 0.03 for g in gaps):
    sys.exit("spacing %s" % gaps)
PY
) && echo "ok cli/dtmf-inband-matches-plan" || echo "not ok cli/dtmf-inband-matches-plan: $r"

# audio: WAV files (issue #7).
check audio-no-dir 2 "audio needs -d DIR" -- audio testdata/srtp-dtmf-call.pcap
check audio-dir-other-command 2 "options of the audio command" -- lint -d "$tmp/x" "$good"
check audio-mono-without-dir 2 "options of the audio command" -- analyze --mono "$good"
# analyze -d DIR writes the files too, and its report names them.
check analyze-audio 0 '' -- analyze --format json -d "$tmp/an" testdata/srtp-dtmf-call.pcap
r=$(python3 - "$tmp/out" <<'PY'
import json, os, sys
st = [s for s in json.load(open(sys.argv[1]))["streams"] if s["kind"] == "rtp"]
w = [s["wav"] for s in st]
if len(w) != 2 or not all(w) or not all(os.path.getsize(x) > 40000 for x in w):
    sys.exit("wav %s" % w)
PY
) && [ "$(ls "$tmp/an" | wc -l)" = 3 ] && echo "ok cli/analyze-audio-wav-paths" ||
	echo "not ok cli/analyze-audio-wav-paths: $r $(ls "$tmp/an")"
check audio-bad-rate 2 "--rate wants a sample rate" -- audio -d "$tmp/x" --rate 12k "$good"
: >"$tmp/afile"
check audio-dir-is-file 4 "afile: not a directory" -- audio -d "$tmp/afile" testdata/srtp-dtmf-call.pcap
check audio-dir-no-parent 4 "no/such: cannot create the directory" -- audio -d "$tmp/no/such" testdata/srtp-dtmf-call.pcap

# wav_ok FILE: a whole WAV (RIFF and data sizes agree with the file).
wav_ok() {
	python3 - "$1" <<'PY'
import os, struct, sys, wave
p = sys.argv[1]
b = open(p, "rb").read()
assert b[:4] == b"RIFF" and b[8:12] == b"WAVE", "no RIFF/WAVE header"
assert struct.unpack("<I", b[4:8])[0] == len(b) - 8, "RIFF size"
with wave.open(p) as w:
    n = w.getnframes() * w.getnchannels() * w.getsampwidth()
i = b.find(b"data")
assert struct.unpack("<I", b[i + 4:i + 8])[0] == n == len(b) - i - 8, "data size"
PY
}

# frames FILE: its length in samples.
frames() { python3 -c 'import wave,sys; print(wave.open(sys.argv[1]).getnframes())' "$1"; }

# The decoded caller audio is what the caller played (tests/wavcorr.py:
# normalised cross-correlation after alignment), in each codec; the
# callee's channel of the stereo file is not (a test that can fail).
for c in srtp-dtmf-call:srtp-dtmf-source audio-pcma:audio-pcma-source audio-g722:audio-g722-source audio-opus:audio-opus-source; do
	cap=testdata/${c%%:*}.pcap
	src=testdata/${c##*:}.wav
	n=${c%%:*}
	out=$tmp/wav-$n
	check "audio-$n" 0 '' -- audio -d "$out" "$cap"
	caller=$(ls "$out"/*-caller.wav 2>/dev/null | head -1)
	stereo=$(ls "$out"/*-stereo.wav 2>/dev/null | head -1)
	if [ -z "$caller" ] || [ -z "$stereo" ] || [ "$(ls "$out" | wc -l)" != 3 ]; then
		echo "not ok cli/audio-$n-files: $(ls "$out" | tr '\n' ' ')"
		continue
	fi
	r=$(python3 tests/wavcorr.py "$caller" "$src" --min 0.9) &&
		echo "ok cli/audio-$n-matches-source" ||
		echo "not ok cli/audio-$n-matches-source: $r"
	r=$(python3 tests/wavcorr.py "$stereo" "$src" --channel 0 --min 0.9) &&
		echo "ok cli/audio-$n-stereo-left" ||
		echo "not ok cli/audio-$n-stereo-left: $r"
	r=$(python3 tests/wavcorr.py "$stereo" "$src" --channel 1 --min 0.9) &&
		echo "not ok cli/audio-$n-stereo-right: the callee channel holds the caller's audio ($r)" ||
		echo "ok cli/audio-$n-stereo-right"
	ok=1
	for f in "$out"/*.wav; do wav_ok "$f" 2>/dev/null || ok=0; done
	[ $ok = 1 ] && echo "ok cli/audio-$n-valid-wav" || echo "not ok cli/audio-$n-valid-wav"
done
# SDES keys that came over TLS (RSA key exchange, both legs) decrypt the
# SRTP: the caller's WAV is what the caller played; without the keys no
# WAV holds it (the RTP heuristic finds the streams, still encrypted).
out=$tmp/wav-tls-kam
check "audio-tls-kamailio-srtp" 0 '' -- audio -d "$out" --tls-key 127.0.0.20:5061=testdata/tls-server.key \
	--tls-key 127.0.0.30:5061=testdata/tls-bob.key testdata/tls-kamailio-srtp.pcap
caller=$(ls "$out"/*-caller.wav 2>/dev/null | head -1)
r=$([ -n "$caller" ] && [ "$(ls "$out" | wc -l)" = 3 ] &&
	python3 tests/wavcorr.py "$caller" testdata/srtp-dtmf-source.wav --min 0.9) &&
	echo "ok cli/audio-tls-kamailio-srtp-matches-source" ||
	echo "not ok cli/audio-tls-kamailio-srtp-matches-source: $(ls "$out" | tr '\n' ' ') $r"
# Without the TLS keys the heuristic finds the four streams and sees their
# payload is ciphertext with a tag: SRTP of no key, no WAV of noise, a
# note per RTP stream, srtp.key "none" and srtp-no-key findings.
check audio-tls-kamailio-srtp-no-key 0 'stream 1 \(no call\): SRTP with no usable key; no WAV written' \
	-- audio -d "$tmp/wav-tls-nokey" testdata/tls-kamailio-srtp.pcap
n=$(grep -c 'SRTP with no usable key; no WAV written' "$tmp/err")
[ "$n" = 2 ] && [ -z "$(ls -A "$tmp/wav-tls-nokey" 2>/dev/null)" ] &&
	echo "ok cli/audio-tls-kamailio-srtp-no-key-no-files" ||
	echo "not ok cli/audio-tls-kamailio-srtp-no-key-no-files: $n notes, files: $(ls -A "$tmp/wav-tls-nokey" 2>/dev/null | tr '\n' ' ')"
r=$("$SIPSIFT" analyze --format json testdata/tls-kamailio-srtp.pcap 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["streams"]
nk = [f for f in d["findings"] if f["rule"] == "srtp-no-key"]
ok = (len(s) == 4 and all(x["found_by"] == "heuristic" and x["srtp"] and x["srtp"]["key"] == "none" for x in s)
      and d["summary"]["srtp_streams"] == 4 and len(nk) == 4 and all("announced by no SDP, is SRTP" in f["message"] for f in nk)
      and all(x["rtcp"] is None for x in s if x["kind"] == "rtp"))
print("ok" if ok else [(x["found_by"], x["srtp"], x.get("rtcp")) for x in s], len(nk))')
[ "$r" = "ok 4" ] && echo "ok cli/tls-kamailio-srtp-no-key-json" ||
	echo "not ok cli/tls-kamailio-srtp-no-key-json: $r"
# G.711 announced as RTP/AVP whose bytes are ciphertext (a Mitel phone's
# X-mitel-crypto, in the public Wireshark wiki capture): no WAV, and why.
mitel=testdata/corpus/wireshark-wiki/port-16_vlan24_200.pcap
check audio-encrypted-g711 0 'stream 1 \(call 1\): PCMA/8000 192.168.25.51:50006 -> 192.168.24.50:50068 looks encrypted' \
	-- audio -d "$tmp/wav-mitel" "$mitel"
[ -z "$(ls -A "$tmp/wav-mitel" 2>/dev/null)" ] && echo "ok cli/audio-encrypted-g711-no-files" ||
	echo "not ok cli/audio-encrypted-g711-no-files: $(ls -A "$tmp/wav-mitel" | tr '\n' ' ')"
r=$("$SIPSIFT" analyze --format json -d "$tmp/wav-mitel2" "$mitel" 2>/dev/null |
	python3 -c 'import json, sys; s = json.load(sys.stdin)["streams"][0]; print(s["wav"], s.get("wav_note"))')
[ "$r" = "None payload looks encrypted: not decoded" ] && echo "ok cli/audio-encrypted-g711-json" ||
	echo "not ok cli/audio-encrypted-g711-json: $r"
# Rates: G.722 16 kHz, Opus 48 kHz; --rate resamples.
r=$(python3 -c 'import wave,sys; print(wave.open(sys.argv[1]).getframerate())' "$(ls "$tmp"/wav-audio-g722/*-caller.wav)")
[ "$r" = 16000 ] && echo "ok cli/audio-g722-rate" || echo "not ok cli/audio-g722-rate: $r"
check audio-rate 0 '' -- audio --mono --rate 8000 -d "$tmp/wav-rate" testdata/audio-opus.pcap
f=$(ls "$tmp"/wav-rate/*-caller.wav 2>/dev/null)
if [ -n "$f" ] && [ "$(python3 -c 'import wave,sys; print(wave.open(sys.argv[1]).getframerate())' "$f")" = 8000 ] &&
	[ "$(ls "$tmp/wav-rate" | wc -l)" = 2 ]; then
	r=$(python3 tests/wavcorr.py "$f" testdata/audio-opus-source.wav --min 0.9) &&
		echo "ok cli/audio-rate-matches" || echo "not ok cli/audio-rate-matches: $r"
else
	echo "not ok cli/audio-rate-matches: $(ls "$tmp/wav-rate")"
fi

# G.729 and L16 from real captures of the Wireshark wiki (sipp playing one
# sample in every codec): each decodes to what the G.711 one decodes to
# (G.729 is a vocoder: its waveform follows less closely).
W=testdata/corpus/wireshark-wiki
if [ -f "$W/sip-rtp-g711.pcap" ]; then
	mkdir -p "$tmp/ws"
	for c in g711 g729a l16; do
		"$SIPSIFT" audio -q --mono -d "$tmp/ws/$c" "$W/sip-rtp-$c.pcap" >/dev/null 2>&1
	done
	ref=$(ls "$tmp"/ws/g711/*.wav 2>/dev/null | head -1)
	for c in g729a:_c1-callee:0.75 l16:_c1-callee:0.95; do
		IFS=: read -r n suf min <<<"$c"
		f=$(ls "$tmp"/ws/$n/*$suf.wav 2>/dev/null | head -1)
		if [ -z "$f" ] || [ -z "$ref" ]; then
			echo "not ok cli/audio-wiki-$n: no WAV written"
			continue
		fi
		r=$(python3 tests/wavcorr.py "$f" "$ref" --min "$min") &&
			echo "ok cli/audio-wiki-$n" || echo "not ok cli/audio-wiki-$n: $r"
	done
fi

# Loss, reordering, duplicates (tests/tools/audio_mutate.py): the caller's
# file is as long as its RTP timestamps span, and still the source. Opus
# conceals a loss (its decoder takes ~30 ms to come back after one), so
# its bar is lower.
for c in pcma:8000:2:0.9 g722:8000:1:0.9 opus:48000:1:0.75; do
	IFS=: read -r n clock div min <<<"$c"
	span=$(python3 tests/tools/audio_mutate.py loss "testdata/audio-$n.pcap" "$tmp/loss-$n.pcap" 127.0.0.10)
	check "audio-loss-$n" 0 '' -- audio --mono -d "$tmp/loss-$n" "$tmp/loss-$n.pcap"
	f=$(ls "$tmp"/loss-$n/*-caller.wav 2>/dev/null)
	rate=$(python3 -c 'import wave,sys; print(wave.open(sys.argv[1]).getframerate())' "$f")
	want=$((span * rate / clock))
	got=$(frames "$f")
	[ "$got" = "$want" ] && echo "ok cli/audio-loss-$n-length" ||
		echo "not ok cli/audio-loss-$n-length: $got samples, the timestamps span $want"
	r=$(python3 tests/wavcorr.py "$f" "testdata/audio-$n-source.wav" --min "$min") &&
		echo "ok cli/audio-loss-$n-matches" || echo "not ok cli/audio-loss-$n-matches: $r"
done
"$SIPSIFT" analyze --format json "$tmp/loss-pcma.pcap" >"$tmp/out" 2>/dev/null
python3 -c 'import json,sys; s=[x for x in json.load(open(sys.argv[1]))["streams"] if x["src"].startswith("127.0.0.10:") and x["kind"]=="rtp"][0]; assert s["lost"]>0 and s["duplicates"]>0 and s["out_of_order"]>0 and s["wav"] is None' "$tmp/out" &&
	echo "ok cli/audio-loss-really-lossy" || echo "not ok cli/audio-loss-really-lossy: the mutated capture has no loss, duplicates and reordering"

# A new SSRC on a direction (the rekeyed SRTP call: new SSRCs after the
# re-INVITE) continues the same file at its capture time.
check audio-ssrc-change 0 '' -- audio --format json -d "$tmp/rekey" testdata/srtp-rekey.pcap
python3 - "$tmp/out" <<'PY' && echo "ok cli/audio-ssrc-change-one-file" || echo "not ok cli/audio-ssrc-change-one-file"
import json, sys, wave
r = json.load(open(sys.argv[1]))
by = {}
for s in r["streams"]:
    if s["kind"] == "rtp":
        by.setdefault((s["src"], s["dst"]), []).append(s)
assert len(by) == 2
for ss in by.values():
    assert len(ss) == 2 and ss[0]["ssrc"] != ss[1]["ssrc"]
    assert ss[0]["wav"] and ss[0]["wav"] == ss[1]["wav"]
    # From the first packet to the end of the last (20 ms), at 8 kHz.
    want = round((max(s["last_ts"] for s in ss) - min(s["first_ts"] for s in ss) + 0.02) * 8000)
    got = wave.open(ss[0]["wav"]).getnframes()
    assert abs(got - want) <= 8, (got, want)
PY

# A timestamp jump of two hours in the middle is a reset: the file stays
# as long as the call (capture time places the rest), not two hours.
span=$(python3 tests/tools/audio_mutate.py jump testdata/audio-pcma.pcap "$tmp/jump.pcap" 127.0.0.10)
check audio-ts-jump 0 '' -- audio --mono -d "$tmp/jump" "$tmp/jump.pcap"
f=$(ls "$tmp"/jump/*-caller.wav 2>/dev/null)
got=$(frames "$f")
if [ -n "$got" ] && [ $((got - span)) -le 160 ] && [ $((span - got)) -le 160 ]; then
	r=$(python3 tests/wavcorr.py "$f" testdata/audio-pcma-source.wav --min 0.9) &&
		echo "ok cli/audio-ts-jump-length" || echo "not ok cli/audio-ts-jump-length: $r"
else
	echo "not ok cli/audio-ts-jump-length: $got samples, the call spans $span"
fi

# Timestamps each under a reset's jump yet far ahead of the capture clock:
# the file follows the capture, it does not fill with minutes of silence.
ms=$(python3 tests/tools/audio_mutate.py ahead testdata/audio-pcma.pcap "$tmp/ahead.pcap" 127.0.0.10)
check audio-ts-ahead 0 '' -- audio --mono -d "$tmp/ahead" "$tmp/ahead.pcap"
got=$(frames "$(ls "$tmp"/ahead/*-caller.wav 2>/dev/null)" 2>/dev/null)
[ -n "$got" ] && [ "$got" -le $(((ms / 1000 + 6) * 8000)) ] &&
	echo "ok cli/audio-ts-ahead-length" ||
	echo "not ok cli/audio-ts-ahead-length: $got samples for $ms ms of capture"

# A stray first packet in a payload type no rtpmap names does not turn the
# direction off: the rest is decoded and still sounds like the source.
python3 tests/tools/audio_mutate.py stray testdata/audio-pcma.pcap "$tmp/stray.pcap" 127.0.0.10
check audio-stray-pt 0 '' -- audio --mono -d "$tmp/stray" "$tmp/stray.pcap"
f=$(ls "$tmp"/stray/*-caller.wav 2>/dev/null)
r=$([ -n "$f" ] && python3 tests/wavcorr.py "$f" testdata/audio-pcma-source.wav --min 0.9) &&
	echo "ok cli/audio-stray-pt-decoded" || echo "not ok cli/audio-stray-pt-decoded: $r $f"

# Streams of no call (SIP filtered out): each conversation its own files,
# not all of them in one.
check audio-nocall-apart 0 '' -- audio -f 'not port 5060' -d "$tmp/nocall" testdata/audio-pcma.pcap testdata/audio-g722.pcap
[ "$(ls "$tmp"/nocall/*-stereo.wav 2>/dev/null | wc -l)" = 2 ] && [ "$(ls "$tmp/nocall" | wc -l)" = 6 ] &&
	echo "ok cli/audio-nocall-apart-files" ||
	echo "not ok cli/audio-nocall-apart-files: $(ls "$tmp/nocall" | tr '\n' ' ')"

# Hostile names: a From user and Call-ID of ../../etc/passwd stay inside DIR.
python3 tests/tools/audio_mutate.py names testdata/audio-pcma.pcap "$tmp/evil.pcap"
mkdir -p "$tmp/evil"
check audio-hostile-names 0 '' -- audio --format json -d "$tmp/evil/out" "$tmp/evil.pcap"
names=$(ls -A "$tmp/evil/out")
if [ "$(ls -A "$tmp/evil")" = out ] && [ "$(printf '%s\n' "$names" | wc -l)" = 3 ] &&
	! printf '%s\n' "$names" | grep -q '\.\.' &&
	printf '%s\n' "$names" | grep -Eq '^[0-9]{8}-[0-9]{6}_etc_passwd_bob_c1-caller\.wav$' &&
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["calls"][0]["call_id"].startswith("../../etc/passwd/"); assert all(s["wav"] is None or s["wav"].startswith(sys.argv[2] + "/") and "/.." not in s["wav"][len(sys.argv[2]):] for s in r["streams"])' "$tmp/out" "$tmp/evil/out"; then
	echo "ok cli/audio-hostile-names-inside"
else
	echo "not ok cli/audio-hostile-names-inside: $(ls -AR "$tmp/evil" | tr '\n' ' ')"
fi

# Unsupported codec: a note and wav_note, no file of noise.
python3 - testdata/audio-pcma.pcap "$tmp/g726.pcap" <<'PY'
import sys
sys.path.insert(0, "tests/tools")
import pcaplib
lt, pk = pcaplib.read_packets(sys.argv[1])
with pcaplib.Writer(sys.argv[2], lt) as w:
    for p in pk:
        # Same length: rtpmap 8 PCMA/8000 becomes 8 XYZA/8000.
        w.write(p.ts_ns, p.data.replace(b"PCMA/8000", b"XYZA/8000"), p.orig_len)
PY
check audio-unsupported 0 'codec XYZA/8000 is not decoded; no WAV written' -- audio --format json -d "$tmp/unsup" "$tmp/g726.pcap"
[ -z "$(ls -A "$tmp/unsup")" ] && grep -q '"wav_note": "codec not decoded"' "$tmp/out" &&
	echo "ok cli/audio-unsupported-nothing-written" ||
	echo "not ok cli/audio-unsupported-nothing-written: $(ls "$tmp/unsup")"

# SRTP that never decrypted has no file, and says why.
check audio-srtp-wrong-key 0 '' -- audio --format json -d "$tmp/wk" testdata/srtp-wrong-key.pcap
[ -z "$(ls -A "$tmp/wk")" ] && grep -q '"wav_note": "SRTP not decrypted"' "$tmp/out" &&
	echo "ok cli/audio-srtp-wrong-key-note" || echo "not ok cli/audio-srtp-wrong-key-note: $(ls "$tmp/wk")"

# --call-id, --mono, --stereo choose the files.
# A Call-ID that is not there is a usage error (issue 13), no files.
check audio-call-id 2 'call-id nosuchcall: no call has this Call-ID; the capture has 1 call' -- audio --call-id nosuchcall -d "$tmp/cid" testdata/srtp-dtmf-call.pcap
[ -z "$(ls -A "$tmp/cid")" ] && [ ! -s "$tmp/out" ] &&
	echo "ok cli/audio-call-id-none" || echo "not ok cli/audio-call-id-none"
check audio-call-id-one 0 '' -- audio --call-id d38a919993b60b41 -d "$tmp/cid1" testdata/srtp-dtmf-call.pcap testdata/audio-pcma.pcap
[ "$(ls "$tmp/cid1" | grep -c '_c1-')" = 3 ] && [ "$(ls "$tmp/cid1" | wc -l)" = 3 ] &&
	echo "ok cli/audio-call-id-one-files" || echo "not ok cli/audio-call-id-one-files: $(ls "$tmp/cid1")"
check audio-call-number 0 '' -- audio --call 2 -d "$tmp/cn" testdata/srtp-dtmf-call.pcap testdata/audio-pcma.pcap
[ "$(ls "$tmp/cn" | grep -c '_c2-')" = 3 ] && [ "$(ls "$tmp/cn" | wc -l)" = 3 ] &&
	echo "ok cli/audio-call-number-files" || echo "not ok cli/audio-call-number-files: $(ls "$tmp/cn")"
check audio-stereo-only 0 '' -- audio --stereo -d "$tmp/st" testdata/audio-g722.pcap
[ "$(ls "$tmp/st" | grep -c -- '-stereo\.wav$')" = 1 ] && [ "$(ls "$tmp/st" | wc -l)" = 1 ] &&
	echo "ok cli/audio-stereo-only-one" || echo "not ok cli/audio-stereo-only-one: $(ls "$tmp/st")"
check audio-mono-only 0 '' -- audio --mono -d "$tmp/mo" testdata/audio-g722.pcap
[ "$(ls "$tmp/mo" | grep -c -- '-stereo\.wav$')" = 0 ] && [ "$(ls "$tmp/mo" | wc -l)" = 2 ] &&
	echo "ok cli/audio-mono-only-two" || echo "not ok cli/audio-mono-only-two: $(ls "$tmp/mo")"
# NDJSON finishes each call's files when the call ends.
check audio-ndjson 0 '' -- audio --format ndjson -d "$tmp/nd" testdata/audio-g722.pcap testdata/audio-pcma.pcap
[ "$(grep -c '"wav":"' "$tmp/out")" = 4 ] && [ "$(ls "$tmp/nd" | wc -l)" = 6 ] &&
	echo "ok cli/audio-ndjson-files" || echo "not ok cli/audio-ndjson-files: $(ls "$tmp/nd" | wc -l) files"

# A call quiet for 2 minutes has its files finished (no file open per
# call until the end of a long capture); its later audio goes to -part2.
python3 - testdata/audio-pcma.pcap "$tmp/twice.pcap" <<'PY'
import sys
sys.path.insert(0, "tests/tools")
import pcaplib
lt, pk = pcaplib.read_packets(sys.argv[1])
with pcaplib.Writer(sys.argv[2], lt) as w:
    for shift in (0, 600 * 10**9):
        for p in pk:
            w.write(p.ts_ns + shift, p.data, p.orig_len)
PY
check audio-idle 0 '' -- audio -d "$tmp/idle" "$tmp/twice.pcap"
if [ "$(ls "$tmp/idle" | grep -c -- '_c1-part2-')" = 3 ] && [ "$(ls "$tmp/idle" | wc -l)" = 6 ]; then
	r=$(python3 tests/wavcorr.py "$(ls "$tmp"/idle/*_c1-part2-caller.wav)" testdata/audio-pcma-source.wav --min 0.9) &&
		echo "ok cli/audio-idle-part2" || echo "not ok cli/audio-idle-part2: $r"
else
	echo "not ok cli/audio-idle-part2: $(ls "$tmp/idle" | tr '\n' ' ')"
fi

# Output errors: exit 4, one line naming the path. A read-only and a full
# file system come from tmpfs mounts when we may mount (root); otherwise
# only the unwritable cases above run, and this says so.
mnt=$tmp/mnt
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o ro,size=64k sipsift-ro "$mnt" 2>/dev/null; then
	check audio-dir-read-only 4 "mnt: cannot write there: Read-only file system" -- audio -d "$mnt" testdata/srtp-dtmf-call.pcap
	umount "$mnt"
	# 200 KiB: the call's three files (80, 80 and 160 KB) are written
	# side by side, and none fits once the others have taken their share:
	# none is left half-written (each is removed), no temporary name
	# stays.
	if mount -t tmpfs -o size=200k sipsift-full "$mnt" 2>/dev/null; then
		check audio-disk-full 4 "mnt/.*-stereo\.wav: writing failed: No space left on device" -- audio -d "$mnt" testdata/srtp-dtmf-call.pcap
		left=$(ls -A "$mnt")
		[ -z "$left" ] && echo "ok cli/audio-disk-full-no-partial-wavs" ||
			echo "not ok cli/audio-disk-full-no-partial-wavs: left $left"
		umount "$mnt"
	else
		echo "not ok cli/audio-disk-full: could mount a read-only tmpfs but not a small one"
	fi
else
	# Without tmpfs: a file-size limit stands for the full disk (EFBIG).
	echo "note: cli/audio-dir-read-only skipped and audio-disk-full made with ulimit -f: cannot mount tmpfs (not root)"
	mkdir -p "$tmp/full"
	(trap '' XFSZ; ulimit -f 64; exec "$SIPSIFT" audio -d "$tmp/full" testdata/srtp-dtmf-call.pcap) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 4 ] && grep -q 'stereo\.wav: writing failed' "$tmp/err" && echo "ok cli/audio-disk-full" ||
		echo "not ok cli/audio-disk-full: exit $rc, $(head -c 200 "$tmp/err")"
fi

# SRTP that no key decrypts is never presented as audio (issue #11): no WAV
# of noise, and a note per stream says why; a call whose key works still
# has its files.
# calls shows SRTP that did not decrypt (issue #11): the SRTP column, only
# in a table with SRTP.
col=""
for f in srtp-no-key srtp-wrong-key srtp-dtmf-call audio-pcma; do
	"$SIPSIFT" calls "testdata/$f.pcap" 2>/dev/null |
		python3 -c 'import sys; l = sys.stdin.read().splitlines(); i = l[0].find(" SRTP ")
print(l[1][i + 1:i + 7].strip() if i >= 0 else "(none)")' >"$tmp/col"
	col="$col$(cat "$tmp/col");"
done
[ "$col" = "no key;failed;ok;(none);" ] && echo "ok cli/calls-srtp-column" ||
	echo "not ok cli/calls-srtp-column: '$col'"
check audio-srtp-no-key 0 'stream 3 \(call 1\): SRTP with no usable key; no WAV written' -- audio -d "$tmp/nokey" testdata/srtp-no-key.pcap
n=$(grep -c 'SRTP with no usable key; no WAV written' "$tmp/err")
[ "$n" = 2 ] && [ -z "$(ls -A "$tmp/nokey" 2>/dev/null)" ] && echo "ok cli/audio-srtp-no-key-no-files" ||
	echo "not ok cli/audio-srtp-no-key-no-files: $n notes, files: $(ls -A "$tmp/nokey" 2>/dev/null | tr '\n' ' ')"
check audio-srtp-wrong-key 0 'stream 4 \(call 1\): SRTP that no key decrypts \(318 packets failed authentication\); no WAV written' -- audio --mono -d "$tmp/wrongkey" testdata/srtp-wrong-key.pcap
[ -z "$(ls -A "$tmp/wrongkey" 2>/dev/null)" ] && echo "ok cli/audio-srtp-wrong-key-no-files" ||
	echo "not ok cli/audio-srtp-wrong-key-no-files: $(ls -A "$tmp/wrongkey" | tr '\n' ' ')"
check audio-srtp-key-quiet 0 '' -- audio -d "$tmp/goodkey" testdata/srtp-dtmf-call.pcap
[ ! -s "$tmp/err" ] && [ "$(ls "$tmp/goodkey" | grep -c '_c1-\(caller\|callee\|stereo\)\.wav$')" = 3 ] &&
	echo "ok cli/audio-srtp-key-files" ||
	echo "not ok cli/audio-srtp-key-files: $(cat "$tmp/err") $(ls "$tmp/goodkey" | tr '\n' ' ')"
check audio-srtp-no-key-quiet 0 '' -- audio -q -d "$tmp/nokey-q" testdata/srtp-no-key.pcap
[ ! -s "$tmp/err" ] && echo "ok cli/audio-srtp-no-key-q-silent" || echo "not ok cli/audio-srtp-no-key-q-silent: $(cat "$tmp/err")"

# Keys before media: the real TCP call with its 200 OKs moved after the
# first 80 SRTP packets (testdata/make-srtp-early-tcp.py). A file is read
# twice (signalling first): every packet decrypts, as in the original.
check srtp-early-tcp 0 '575 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/early.pcap" testdata/srtp-early-tcp.pcap
if command -v tshark >/dev/null 2>&1; then
	# As plain RTP to tshark (SDP off: its SDP over TCP still says SAVP):
	# every PCMU packet 12 + 160 bytes, every event 12 + 4, no tag left.
	left=$(tshark -r "$tmp/early.pcap" --disable-protocol sdp -o rtp.heuristic_rtp:TRUE \
		-Y rtp -T fields -e rtp.p_type -e udp.length 2>/dev/null |
		awk '!(($1 == 0 && $2 == 180) || ($1 == 101 && $2 == 24))' | wc -l)
	all=$(tshark -r "$tmp/early.pcap" --disable-protocol sdp -o rtp.heuristic_rtp:TRUE \
		-Y rtp 2>/dev/null | wc -l)
	[ "$left" = 0 ] && [ "$all" = 571 ] && echo "ok cli/srtp-early-tcp-tshark-plain" ||
		echo "not ok cli/srtp-early-tcp-tshark-plain: $left of $all RTP packets still SRTP"
fi
"$SIPSIFT" analyze --format json testdata/srtp-early-tcp.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/srtp-early-tcp-report" || echo "not ok cli/srtp-early-tcp-report"
import json, sys
j = json.load(open(sys.argv[1]))
s = [x["srtp"] for x in j["streams"] if x["kind"] == "rtp"]
assert sorted(x["decrypted"] for x in s) == [253, 318], s
assert all(x["auth_failures"] == 0 for x in s), s
PY
# Standard input cannot be read twice: the SRTP before its key is held
# back and decrypted when the key comes, so the WAV files, the digits and
# the streams are those of the file; decrypt -w has written those packets
# already (encrypted, as they came) and says how many.
check srtp-early-tcp-stdin 0 '39 SRTP/SRTCP packets came before their key and are written encrypted' -- decrypt -w "$tmp/early2.pcap" - <testdata/srtp-early-tcp.pcap
grep -q '536 SRTP/SRTCP packets decrypted' "$tmp/err" &&
	echo "ok cli/srtp-early-tcp-stdin-written" ||
	echo "not ok cli/srtp-early-tcp-stdin-written: $(cat "$tmp/err")"
"$SIPSIFT" audio -q -d "$tmp/early-file" testdata/srtp-early-tcp.pcap >"$tmp/l1" 2>"$tmp/err"
"$SIPSIFT" audio -q -d "$tmp/early-pipe" - <testdata/srtp-early-tcp.pcap >"$tmp/l2" 2>>"$tmp/err"
nw=$(ls "$tmp/early-file" | wc -l)
same=0
for f in "$tmp/early-file"/*.wav; do
	cmp -s "$f" "$tmp/early-pipe/$(basename "$f")" && same=$((same + 1))
done
[ "$nw" = 3 ] && [ "$same" = 3 ] && [ "$(ls "$tmp/early-pipe" | wc -l)" = 3 ] &&
	echo "ok cli/srtp-early-tcp-stdin-audio" ||
	echo "not ok cli/srtp-early-tcp-stdin-audio: $same of $nw WAV files the same ($(cat "$tmp/err"))"
"$SIPSIFT" dtmf testdata/srtp-early-tcp.pcap >"$tmp/d1" 2>&1
"$SIPSIFT" dtmf - <testdata/srtp-early-tcp.pcap >"$tmp/d2" 2>&1
cmp -s "$tmp/d1" "$tmp/d2" && grep -q 'Digits 123#' "$tmp/d1" &&
	echo "ok cli/srtp-early-tcp-stdin-dtmf" ||
	echo "not ok cli/srtp-early-tcp-stdin-dtmf: $(diff "$tmp/d1" "$tmp/d2" | head -5)"
"$SIPSIFT" analyze --format json testdata/srtp-early-tcp.pcap >"$tmp/j1" 2>/dev/null
"$SIPSIFT" analyze --format json - <testdata/srtp-early-tcp.pcap >"$tmp/j2" 2>/dev/null
python3 - "$tmp/j1" "$tmp/j2" <<'PY' && echo "ok cli/srtp-early-tcp-stdin-report" || echo "not ok cli/srtp-early-tcp-stdin-report"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for j in (a, b):
    for s in j["streams"]:
        if s["srtp"] and s["srtp"]["sdp_frame"]:
            s["srtp"]["sdp_frame"]["file"] = None
assert a["streams"] == b["streams"], "streams differ"
assert a["summary"] == b["summary"], "summaries differ"
s = [x["srtp"] for x in b["streams"] if x["kind"] == "rtp"]
assert sorted(x["decrypted"] for x in s) == [253, 318] and all(x["auth_failures"] == 0 for x in s), s
PY

# A real baresip SRTP call between namespaces with a 576-byte MTU
# (testdata/make-srtp-reinvite.sh frag): the INVITE, the hold and resume
# re-INVITEs and their 200 OKs each came in two IP fragments. decrypt -w
# writes each such datagram whole (6 fragments fewer), its SDP plain.
check srtp-reinvite-frag 0 '206 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/frag.pcap" testdata/srtp-reinvite-frag.pcap
grep -q 'fragmented or tunnelled' "$tmp/err" &&
	echo "not ok cli/srtp-reinvite-frag-all-rewritten: $(cat "$tmp/err")" ||
	echo "ok cli/srtp-reinvite-frag-all-rewritten"
# Fragments of datagrams that are not UDP (ICMP echoes of 3000 bytes
# among small UDP datagrams, a real capture) are never rewritten: written
# where they came, so the output is the input packet for packet.
"$SIPSIFT" decrypt -q -w "$tmp/icmpf.pcap" testdata/icmp-fragments.pcap 2>/dev/null
r=$(python3 -c '
import sys; sys.path.insert(0, "tests/tools"); import pcaplib
a = [(p.ts_ns, p.data) for p in pcaplib.read_packets(sys.argv[1])[1]]
b = [(p.ts_ns, p.data) for p in pcaplib.read_packets(sys.argv[2])[1]]
print("ok" if a == b and len(a) == 51 else "%d packets in, %d out, %s" % (len(a), len(b), "same set" if sorted(a) == sorted(b) else "not the same packets"))' \
	testdata/icmp-fragments.pcap "$tmp/icmpf.pcap" 2>&1)
[ "$r" = ok ] && echo "ok cli/decrypt-icmp-fragments-in-place" || echo "not ok cli/decrypt-icmp-fragments-in-place: $r"
# The count said is of the packets in the file: each fragmented datagram
# rewritten whole is one packet (231 read, 225 written).
said=$(sed -n 's/.*: \([0-9]*\) packets written,.*/\1/p' "$tmp/err")
inf=$(python3 -c 'import sys; sys.path.insert(0, "tests/tools"); import pcaplib; print(len(pcaplib.read_packets(sys.argv[1])[1]))' "$tmp/frag.pcap")
[ -n "$said" ] && [ "$said" = "$inf" ] && [ "$said" -lt 231 ] && echo "ok cli/srtp-reinvite-frag-count" ||
	echo "not ok cli/srtp-reinvite-frag-count: said $said, the file holds $inf"
"$SIPSIFT" analyze --format json "$tmp/frag.pcap" >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/srtp-reinvite-frag-plain" || echo "not ok cli/srtp-reinvite-frag-plain"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["summary"]["packets"] == 231 - 6, j["summary"]["packets"]
assert j["summary"]["sip_messages"] == 12, j["summary"]
assert j["summary"]["decode"]["ip_fragments"] == 0, j["summary"]["decode"]
sdps = [m["sdp_summary"] for c in j["calls"] for m in c["messages"] if m["sdp_summary"]]
assert len(sdps) == 6, len(sdps)
assert all(m["proto"] == "RTP/AVP" and not m["crypto"] for s in sdps for m in s["media"]), sdps
rtp = [s for s in j["streams"] if s["kind"] == "rtp"]
assert sorted(s["packets"] for s in rtp) == [97, 99] and all(s["srtp"] is None for s in rtp), rtp
PY
if command -v tshark >/dev/null 2>&1; then
	# tshark: every SDP says RTP/AVP without a=crypto, no fragment is
	# left, and every RTP packet is plain PCMU (12 + 160 bytes, no tag).
	savp=$(tshark -r "$tmp/frag.pcap" -Y 'sdp.media contains "SAVP" || sdp.media_attr contains "crypto"' 2>/dev/null | wc -l)
	avp=$(tshark -r "$tmp/frag.pcap" -Y 'sdp.media contains "RTP/AVP "' 2>/dev/null | wc -l)
	frags=$(tshark -r "$tmp/frag.pcap" -Y 'ip.flags.mf == 1 || ip.frag_offset > 0' 2>/dev/null | wc -l)
	odd=$(tshark -r "$tmp/frag.pcap" -Y rtp -T fields -e rtp.p_type -e udp.length 2>/dev/null |
		awk '!(($1 == 0 && $2 == 180) || ($1 == 101 && $2 == 24))' | wc -l)
	nrtp=$(tshark -r "$tmp/frag.pcap" -Y rtp 2>/dev/null | wc -l)
	[ "$savp" = 0 ] && [ "$avp" = 6 ] && [ "$frags" = 0 ] && [ "$odd" = 0 ] && [ "$nrtp" = 196 ] &&
		echo "ok cli/srtp-reinvite-frag-tshark" ||
		echo "not ok cli/srtp-reinvite-frag-tshark: SAVP $savp, AVP $avp, fragments $frags, RTP $nrtp ($odd not plain)"
fi

# Rekey with the same SSRC (testdata/srtp-rekey-same-ssrc.py): the real
# baresip call srtp-reinvite.pcap with new keys in its resume re-INVITE and
# 200 OK, every SRTP/SRTCP packet after them protected with the new keys.
# Each stream goes on with its call's newer key: nothing fails, the plain
# RTP is the original call's, packet for packet.
check srtp-rekey-same-ssrc 0 '209 SRTP/SRTCP packets decrypted' -- decrypt -w "$tmp/rekey.pcap" testdata/srtp-rekey-same-ssrc.pcap
[ "$(grep -c '0 failed, 0 replayed, 1 rekey$' "$tmp/err")" = 3 ] &&
	echo "ok cli/srtp-rekey-same-ssrc-notes" ||
	echo "not ok cli/srtp-rekey-same-ssrc-notes: $(cat "$tmp/err")"
"$SIPSIFT" decrypt -q -w "$tmp/orig.pcap" testdata/srtp-reinvite.pcap
python3 - "$tmp/rekey.pcap" "$tmp/orig.pcap" <<'PY' && echo "ok cli/srtp-rekey-same-ssrc-same-rtp" || echo "not ok cli/srtp-rekey-same-ssrc-same-rtp"
import struct, sys
def udp(path):
    d = open(path, "rb").read()
    off, out = 24, []
    while off < len(d):
        cap = struct.unpack("<I", d[off + 8:off + 12])[0]
        f = d[off + 16:off + 16 + cap]
        off += 16 + cap
        if f[12:14] == b"\x08\x00" and f[23] == 17:
            u = 14 + (f[14] & 15) * 4
            sport = struct.unpack(">H", f[u:u + 2])[0]
            if sport not in (5060,):
                out.append(f[u + 8:])
    return out
a, b = udp(sys.argv[1]), udp(sys.argv[2])
assert len(a) == len(b) and len(a) > 200, (len(a), len(b))
assert a == b
PY
"$SIPSIFT" analyze --format json testdata/srtp-rekey-same-ssrc.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/srtp-rekey-same-ssrc-report" || echo "not ok cli/srtp-rekey-same-ssrc-report"
import json, sys
j = json.load(open(sys.argv[1]))
rtp = [s for s in j["streams"] if s["kind"] == "rtp"]
assert len(rtp) == 2 and all(s["srtp"]["rekeys"] == 1 for s in rtp), rtp
assert all(s["srtp"]["auth_failures"] == 0 and s["srtp"]["decrypted"] == s["packets"] for s in rtp), rtp
# the key it ends with came with the resume re-INVITE (frame 127) or its 200 OK (130)
assert sorted(s["srtp"]["sdp_frame"]["frame"] for s in rtp) == [127, 130], rtp
assert not [f for f in j["findings"] if f["rule"].startswith("srtp")], j["findings"]
PY
# The same with the re-INVITE and its 200 OK seen only after the first
# packets under the new keys, from a pipe (no key pass): those packets are
# held until the new keys come and then decrypt too; nothing fails, no
# srtp-auth-failure finding.
python3 - testdata/srtp-rekey-same-ssrc.pcap "$tmp/late.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, fr = 24, []
while off < len(d):
    cap = struct.unpack("<I", d[off + 8:off + 12])[0]
    fr.append(d[off:off + 16 + cap])
    off += 16 + cap
sdp = [fr[126], fr[129]]                  # frames 127 and 130
rest = [f for i, f in enumerate(fr) if i not in (126, 129)]
open(sys.argv[2], "wb").write(d[:24] + b"".join(rest[:138] + sdp + rest[138:]))
PY
"$SIPSIFT" analyze --format json - <"$tmp/late.pcap" >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/srtp-rekey-late-sdp" || echo "not ok cli/srtp-rekey-late-sdp"
import json, sys
j = json.load(open(sys.argv[1]))
rtp = [s for s in j["streams"] if s["kind"] == "rtp"]
assert all(s["srtp"]["rekeys"] == 1 and s["srtp"]["auth_failures"] == 0 for s in rtp), rtp
assert all(s["srtp"]["decrypted"] == s["packets"] for s in rtp), rtp
assert not [f for f in j["findings"] if f["rule"].startswith("srtp")], j["findings"]
PY

# A key given by hand came in no frame: srtp.sdp_frame is null, not frame 0.
printf '192.0.2.10:40000=AES_CM_128_HMAC_SHA1_80:inline:im4qSVJeefvoWhhSeQPGKToktWZ9LA5+DULUSTZV\n192.0.2.20:50000=AES_CM_128_HMAC_SHA1_80:inline:cpGfXlQXdhotK1y2OdbBGVO2Mjs0mu3W5J6OA49T\n' >"$tmp/handkeys"
"$SIPSIFT" analyze --format json --keyfile "$tmp/handkeys" testdata/srtp-late-join.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/key-sdp-frame-null" || echo "not ok cli/key-sdp-frame-null"
import json, sys
s = [x["srtp"] for x in json.load(open(sys.argv[1]))["streams"] if x["srtp"]]
assert len(s) == 2 and all(x["decrypted"] > 0 for x in s), s
assert all(x["sdp_frame"] is None for x in s), s
PY

# --jitter-buffer MS (issue #16): 0-1000 ms, digits only; the quality model's
# buffer, shown in the stream's quality.
check jitter-buffer-not-number 2 "--jitter-buffer wants milliseconds 0-1000, not '60ms'" -- analyze --jitter-buffer 60ms testdata/media-clean.pcap
check jitter-buffer-too-big 2 "--jitter-buffer wants milliseconds 0-1000, not '1001'" -- calls --jitter-buffer 1001 testdata/media-clean.pcap
check jitter-buffer-empty 2 "--jitter-buffer wants milliseconds 0-1000, not ''" -- calls --jitter-buffer '' testdata/media-clean.pcap
"$SIPSIFT" analyze --format json --jitter-buffer 250 testdata/media-loss-bursty.pcap >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ] && [ "$(grep -c '"jb_ms": 250' "$tmp/out")" = 2 ] && ! grep -q '"jb_ms": 60' "$tmp/out"; then
	echo "ok cli/jitter-buffer-applies"
else
	echo "not ok cli/jitter-buffer-applies: $(grep -o '"jb_ms": [0-9]*' "$tmp/out" | tr '\n' ' ')"
fi

# Three sipp calls, one per file, with the same addresses and the SSRC of
# the one recording sipp replays: each call has its own two streams (a
# later call's SDP starts new streams, it does not feed the first call's),
# and the scores order as the captures were made: clean > 5 % random loss >
# 5 % bursty loss (issue #16).
"$SIPSIFT" analyze --format json testdata/media-clean.pcap testdata/media-loss-random.pcap \
	testdata/media-loss-bursty.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/streams-per-call-same-ssrc" || echo "not ok cli/streams-per-call-same-ssrc"
import json, sys
j = json.load(open(sys.argv[1]))
by = {}
for s in j["streams"]:
    if s["kind"] == "rtp":
        by.setdefault(s["call_id"], []).append(s)
assert len(j["calls"]) == 3 and len(by) == 3, (len(j["calls"]), {k: len(v) for k, v in by.items()})
assert all(len(v) == 2 for v in by.values()), {k: len(v) for k, v in by.items()}
# The calls start in the order clean (00:40:48), random (00:39:23), bursty (00:40:11).
mos = {}
for c in j["calls"]:
    worst = min(s["quality"]["mos"] for s in by[c["call_id"]])
    mos[c["start_ts"]] = worst
order = [mos[k] for k in sorted(mos)]          # random, bursty, clean
assert order[2] > order[0] > order[1], order
PY

# Per message in the analyze JSON (issue #13): who sent it, the To tag,
# and the SDP as media read it: the wiki's fax call switches to T.38 in a
# re-INVITE (m=image udptl t38 in frames 3100-3107) and back to audio.
"$SIPSIFT" analyze --format json testdata/corpus/wireshark-wiki/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/message-sdp-summary-t38" || echo "not ok cli/message-sdp-summary-t38"
import json, sys
j = json.load(open(sys.argv[1]))
ms = j["calls"][0]["messages"]
t38 = [m["frame"] for m in ms if m["sdp_summary"] and m["sdp_summary"]["media"][0]["t38"]]
assert t38 == [3100, 3101, 3104], t38
first = next(m for m in ms if m["sdp_summary"])
fm = first["sdp_summary"]["media"][0]
assert fm["media"] == "audio" and fm["proto"] == "RTP/AVP", fm
assert [f["name"] for f in fm["formats"]] == ["PCMA", "G726-32", "telephone-event"], fm["formats"]
assert all((m["sdp_summary"] is None) == (not m["sdp"]) for m in ms)
PY
"$SIPSIFT" analyze --format json testdata/srtp-dtmf-call.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/message-ua-contact-totag" || echo "not ok cli/message-ua-contact-totag"
import json, sys
ms = json.load(open(sys.argv[1]))["calls"][0]["messages"]
by = {m["frame"]: m for m in ms}
assert by[1]["user_agent"].startswith("baresip") and by[1]["to_tag"] is None, by[1]
assert by[2]["user_agent"].startswith("kamailio"), by[2]          # Server: of the 100
assert by[8]["to_tag"] == "a4413f528e362fa9" and by[8]["contact"].startswith("sip:bob"), by[8]
sd = by[1]["sdp_summary"]["media"][0]
assert sd["proto"] == "RTP/SAVP" and sd["crypto"][0]["suite"] == "AES_CM_128_HMAC_SHA1_80", sd
assert "key" not in json.dumps(by[1]["sdp_summary"]), "keys stay out of analyze"
PY

"$SIPSIFT" analyze --raw --format json testdata/srtp-dtmf-call.pcap >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" <<'PY' && echo "ok cli/analyze-raw-sdp" || echo "not ok cli/analyze-raw-sdp"
import json, sys
ms = json.load(open(sys.argv[1]))["calls"][0]["messages"]
assert all(("sdp_raw" in m) == m["sdp"] for m in ms), [(m["frame"], m["sdp"]) for m in ms]
raw = ms[0]["sdp_raw"]
assert raw.startswith("v=0") and "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" in raw, raw[:120]
PY
check raw-not-for-calls 2 '--raw is an option of analyze' -- calls --raw testdata/srtp-dtmf-call.pcap

# audio --state (issue #13): a call's state is known at its end, so its
# files are written as it runs and removed then when --state leaves it out.
# The PCMA call cut before its BYE is "answered", the G.722 call "ended".
if command -v editcap >/dev/null 2>&1; then
	editcap -F pcap -r testdata/audio-pcma.pcap "$tmp/cut.pcap" 1-300 &&
	mergecap -F pcap -w "$tmp/two-audio.pcap" "$tmp/cut.pcap" testdata/audio-g722.pcap
	for st in answered ended failed; do
		rm -rf "$tmp/aud"
		"$SIPSIFT" audio -q -d "$tmp/aud" --state $st "$tmp/two-audio.pcap" >"$tmp/out" 2>"$tmp/err"
		echo "$st $? $(ls "$tmp/aud" | sed 's/_alice_bob//' | tr '\n' ' ')"
	done >"$tmp/states"
	if [ "$(cat "$tmp/states")" = "answered 0 20261126-091036_c2-callee.wav 20261126-091036_c2-caller.wav 20261126-091036_c2-stereo.wav 
ended 0 20261126-091019_c1-callee.wav 20261126-091019_c1-caller.wav 20261126-091019_c1-stereo.wav 
failed 0 " ]; then
		echo "ok cli/audio-state"
	else
		echo "not ok cli/audio-state: $(cat "$tmp/states")"
	fi
fi

# One Call-ID, a REGISTER then an INVITE (issue #13): every call of the
# public sipp-branch capture is an INVITE call, and none reads "register".
"$SIPSIFT" calls --invite testdata/corpus/sipnab/sipp-branch-scenario.pcapng >"$tmp/out" 2>"$tmp/err"
rc=$?
last=$(tail -1 "$tmp/out")
regs=$(grep -c ' register ' "$tmp/out")
rejected=$(grep -c ' rejected .* 403 Error$' "$tmp/out")
if [ $rc = 0 ] && [ "$last" = "1334 calls" ] && [ "$regs" = 0 ] && [ "$rejected" -gt 1000 ]; then
	echo "ok cli/sipp-branch-invite-calls"
else
	echo "not ok cli/sipp-branch-invite-calls: exit $rc, '$last', $regs register, $rejected rejected 403"
fi

# The calls table, flow and lint on a terminal of several widths (a pty),
# colours and NO_COLOR (issue #13): tests/term_check.py.
python3 tests/term_check.py "$SIPSIFT"

# The same capture given twice is read once (issue #13): the calls and the
# summary are those of one copy, and a warning says so.
"$SIPSIFT" analyze --format json testdata/srtp-dtmf-call.pcap >"$tmp/one.json" 2>/dev/null
"$SIPSIFT" analyze --format json testdata/srtp-dtmf-call.pcap testdata/srtp-dtmf-call.pcap >"$tmp/two.json" 2>"$tmp/err"
if python3 - "$tmp/one.json" "$tmp/two.json" <<'PY' && grep -q 'given twice (591 packets): read once' "$tmp/err"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["calls"] == b["calls"] and a["streams"] == b["streams"], "calls or streams differ"
assert a["summary"] == b["summary"], "summaries differ"
assert [i["packets"] for i in b["inputs"]] == [591, 591], b["inputs"]
PY
then
	echo "ok cli/same-capture-twice"
else
	echo "not ok cli/same-capture-twice: $(head -c 200 "$tmp/err")"
fi

# The check for a twin remembers 4,096 packets of one timestamp: past it a
# twin from the other input goes through, and the packets past the cap
# are counted (4 of each input) and said (a capture of 4,100 UDP packets,
# all at one instant, given twice: 4,096 read once, 4 twice).
python3 - "$tmp/samets.pcap" <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(4100):
        udp = struct.pack(">HHHH", 40000, 40001, 12, 0) + struct.pack(">I", i)
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xffff, 0,
                         64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        frame = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + udp
        f.write(struct.pack("<IIII", 1700000000, 0, len(frame), len(frame)) + frame)
PY
for j in 1 2; do
	"$SIPSIFT" -j "$j" analyze --format json "$tmp/samets.pcap" "$tmp/samets.pcap" >"$tmp/samets.json" 2>"$tmp/err"
	if python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; assert s["skipped"]["merge_unchecked"] == 8 and s["packets"] == 4104, (s["skipped"]["merge_unchecked"], s["packets"])' "$tmp/samets.json" &&
	   grep -q 'more than 4096 packets of the inputs share one timestamp' "$tmp/err"; then
		echo "ok cli/merge-unchecked-j$j"
	else
		echo "not ok cli/merge-unchecked-j$j: $(head -c 200 "$tmp/err")"
	fi
done
"$SIPSIFT" analyze --format json "$tmp/samets.pcap" >"$tmp/samets.json" 2>/dev/null
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; assert s["skipped"]["merge_unchecked"] == 0 and s["packets"] == 4100' "$tmp/samets.json" &&
	echo "ok cli/merge-unchecked-one-input" || echo "not ok cli/merge-unchecked-one-input"

# An EC server key cannot decrypt anything (ECDSA servers do ECDHE): a
# usage error that says so and points to the key log.
check tls-key-ec 2 '^sipsift: error: --tls-key testdata/tls-server-ec.key: an EC key: .*ECDSA.*--tls-keylog' -- \
	calls --tls-key testdata/tls-server-ec.key testdata/tls-tls12-ecdsa-aes256gcm.pcap

# A TLS 1.2 session resumed (by ticket, by session ID) reads with the
# master secret of the full handshake it resumes: a key log that has only
# the full handshake's line reads both connections (7 SIP messages each).
for c in resume-ticket resume-id; do
	grep -v '^#' "testdata/tls-tls12-$c.keys" | head -1 >"$tmp/first.keys"
	n=$("$SIPSIFT" analyze -q --format json --tls-keylog "$tmp/first.keys" "testdata/tls-tls12-$c.pcap" |
		python3 -c 'import json,sys; d=json.load(sys.stdin)["summary"]; print(d["sip_messages"], d["tls_decrypted"])')
	[ "$n" = "14 2" ] && echo "ok cli/tls-resume-from-full-handshake-$c" ||
		echo "not ok cli/tls-resume-from-full-handshake-$c: messages, connections decrypted: $n (want 14 2)"
done

# decrypt -w with TLS secrets (issue 14): the output is pcapng with the key
# log in a Decryption Secrets Block, so tshark reads the SIP over TLS from
# it with no settings, as many frames as from the input given the key log;
# secrets the input carried go along (a .pcap name then holds pcapng too);
# SRTP made plain is the same in pcapng as in pcap.
if command -v tshark >/dev/null 2>&1; then
	for c in tls13-aes128gcm tls12-ecdhe-aes128gcm tls12-ecdhe-chacha20; do
		"$SIPSIFT" decrypt -q -w "$tmp/tls.out" --tls-keylog "testdata/tls-$c.keys" "testdata/tls-$c.pcap"
		rc=$?
		want=$(tshark -o "tls.keylog_file:testdata/tls-$c.keys" -r "testdata/tls-$c.pcap" -Y sip 2>/dev/null | wc -l)
		got=$(tshark -r "$tmp/tls.out" -Y sip 2>/dev/null | wc -l)
		magic=$(od -An -tx1 -N4 "$tmp/tls.out" | tr -d ' ')
		# sipsift reads its own output back, the secrets included.
		ours=$("$SIPSIFT" analyze --format json "$tmp/tls.out" 2>/dev/null |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["sip_messages"])')
		[ $rc = 0 ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ] && [ "$magic" = 0a0d0d0a ] &&
			[ "$ours" = 7 ] && echo "ok cli/decrypt-tls-dsb-$c" ||
			echo "not ok cli/decrypt-tls-dsb-$c: exit $rc, tshark $got SIP frames from the output, $want from the input with the key log, magic $magic, sipsift reads $ours messages back"
	done
	# Sessions an RSA key opened: their CLIENT_RANDOM line goes into the
	# output's key log, so tshark reads the SIP with no TLS option, as
	# many frames as from the input given the key; the key is not in it.
	# A resumed session (by ticket, by ID) goes in with its own line.
	for cn in tls12-rsa-aes256gcm:1 tls12-rsa-cbc-sha256-noems:1 \
		tls12-rsa-resume-ticket:2 tls12-rsa-resume-id:2; do
		c=${cn%:*}
		for cmd in "decrypt" "extract --decrypt"; do
			# shellcheck disable=SC2086
			"$SIPSIFT" $cmd -q -w "$tmp/rsa.pcap" --tls-key testdata/tls-server.key "testdata/tls-$c.pcap"
			rc=$?
			want=$(tshark -o 'uat:rsa_keys:"testdata/tls-server.key",""' -r "testdata/tls-$c.pcap" -Y sip 2>/dev/null | wc -l)
			got=$(tshark -r "$tmp/rsa.pcap" -Y sip 2>/dev/null | wc -l)
			lines=$(grep -ao 'CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}' "$tmp/rsa.pcap" | wc -l)
			[ $rc = 0 ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ] && [ "$lines" = "${cn#*:}" ] &&
				! grep -aq 'PRIVATE KEY' "$tmp/rsa.pcap" &&
				echo "ok cli/decrypt-tls-rsa-dsb-$c-${cmd%% *}" ||
				echo "not ok cli/decrypt-tls-rsa-dsb-$c-${cmd%% *}: exit $rc, tshark $got SIP frames from the output, $want from the input with the key, $lines key log lines"
		done
	done
	# The wrong key opens nothing: no line is written.
	rm -f "$tmp/rsa.pcap"
	"$SIPSIFT" decrypt -q -w "$tmp/rsa.pcap" --tls-key testdata/tls-other.key testdata/tls-tls12-rsa-aes256gcm.pcap
	rc=$?
	lines=$(grep -ao 'CLIENT_RANDOM' "$tmp/rsa.pcap" | wc -l)
	got=$(tshark -r "$tmp/rsa.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
	sip=$(tshark -r "$tmp/rsa.pcap" -Y sip 2>/dev/null | wc -l)
	[ $rc = 0 ] && [ "$lines" = 0 ] && [ "$got" -gt 0 ] && [ "$sip" = 0 ] &&
		echo "ok cli/decrypt-tls-rsa-wrong-key-no-line" ||
		echo "not ok cli/decrypt-tls-rsa-wrong-key-no-line: exit $rc, $lines lines, $got frames, $sip SIP frames"
	# Real stacks end to end (testdata/make-tls-kamailio-baresip.sh): baresip
	# -> kamailio tls -> baresip, RSA key exchange on both legs, SDES SRTP
	# keyed inside TLS. tshark given the two servers' keys counts the SIP
	# messages and Call-IDs sipsift finds with them; decrypt -w writes both
	# sessions' secrets, so tshark with no option finds the same again.
	k1=127.0.0.20:5061=testdata/tls-server.key
	k2=127.0.0.30:5061=testdata/tls-bob.key
	cap=testdata/tls-kamailio-srtp.pcap
	t=$(tshark -r "$cap" -o 'uat:rsa_keys:"testdata/tls-server.key",""' \
		-o 'uat:rsa_keys:"testdata/tls-bob.key",""' -Y sip -T fields -e sip.Call-ID 2>/dev/null)
	tmsgs=$(printf '%s\n' "$t" | grep -c .)
	tcalls=$(printf '%s\n' "$t" | grep . | sort -u | wc -l)
	ours=$("$SIPSIFT" analyze -q --format json --tls-key "$k1" --tls-key "$k2" "$cap" |
		python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["sip_messages"], s["calls"], s["decrypted_streams"])')
	[ "$ours" = "$tmsgs $tcalls 4" ] && [ "$tmsgs" = 17 ] && echo "ok cli/tls-kamailio-srtp-tshark" ||
		echo "not ok cli/tls-kamailio-srtp-tshark: sipsift (messages calls decrypted streams) $ours, tshark $tmsgs messages $tcalls calls"
	"$SIPSIFT" decrypt -q -w "$tmp/kam.pcap" --tls-key "$k1" --tls-key "$k2" "$cap"
	got=$(tshark -r "$tmp/kam.pcap" -Y sip 2>/dev/null | wc -l)
	rtp=$(tshark -r "$tmp/kam.pcap" -Y 'rtp && !rtpevent' 2>/dev/null | wc -l)
	[ "$got" = "$tmsgs" ] && [ "$rtp" -gt 500 ] && echo "ok cli/tls-kamailio-srtp-decrypt-w" ||
		echo "not ok cli/tls-kamailio-srtp-decrypt-w: tshark reads $got SIP frames ($tmsgs wanted) and $rtp RTP packets from the output"
	# SIP over secure WebSocket through kamailio (make-wss-kamailio.sh):
	# with the clients' key log, tshark and sipsift count the same SIP
	# messages and Call-IDs, and sipsift says wss.
	cap=testdata/wss-kamailio.pcap
	t=$(tshark -r "$cap" -o tls.keylog_file:testdata/wss-kamailio.keys -Y sip -T fields -e sip.Call-ID 2>/dev/null)
	tmsgs=$(printf '%s\n' "$t" | grep -c .)
	tcalls=$(printf '%s\n' "$t" | grep . | sort -u | wc -l)
	ours=$("$SIPSIFT" analyze -q --format json --tls-keylog testdata/wss-kamailio.keys "$cap" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["summary"]["sip_messages"], d["summary"]["calls"], sorted({t for c in d["calls"] for t in c["transports"]}))')
	[ "$ours" = "$tmsgs $tcalls ['wss']" ] && [ "$tmsgs" = 21 ] && echo "ok cli/wss-kamailio-tshark" ||
		echo "not ok cli/wss-kamailio-tshark: sipsift $ours, tshark $tmsgs messages $tcalls calls"
	# extract --decrypt writes the secrets too (of the one call here).
	"$SIPSIFT" extract -q --decrypt -w "$tmp/ext.out" --tls-keylog testdata/tls-tls13-aes128gcm.keys testdata/tls-tls13-aes128gcm.pcap
	want=$(tshark -o tls.keylog_file:testdata/tls-tls13-aes128gcm.keys -r testdata/tls-tls13-aes128gcm.pcap -Y sip 2>/dev/null | wc -l)
	got=$(tshark -r "$tmp/ext.out" -Y sip 2>/dev/null | wc -l)
	[ "$want" -gt 0 ] && [ "$got" = "$want" ] && echo "ok cli/extract-decrypt-tls-dsb" ||
		echo "not ok cli/extract-decrypt-tls-dsb: $got SIP frames, $want wanted"
	# Secrets after the first packet: a classic pcap output cannot carry
	# them and says so once; a .pcapng output carries them.
	python3 - testdata/tls-tls13-chacha20-dsb.pcapng "$tmp/late.pcapng" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
blocks, pos = [], 0
while pos + 8 <= len(d):
    t, n = struct.unpack("<II", d[pos:pos + 8])
    blocks.append((t, d[pos:pos + n]))
    pos += n
dsb = [b for t, b in blocks if t == 10]
rest = [b for t, b in blocks if t != 10]
first = next(i for i, (t, _) in enumerate([(t, b) for t, b in blocks if t != 10]) if t == 6)
out = rest[:first + 1] + dsb + rest[first + 1:]
open(sys.argv[2], "wb").write(b"".join(out))
PY
	"$SIPSIFT" decrypt -w "$tmp/late.pcap" "$tmp/late.pcapng" 2>"$tmp/err"
	n=$(grep -c 'TLS secrets that came after the first packet are not in this classic pcap' "$tmp/err")
	"$SIPSIFT" decrypt -q -w "$tmp/late2.pcapng" "$tmp/late.pcapng"
	got=$(tshark -r "$tmp/late2.pcapng" -Y sip 2>/dev/null | wc -l)
	want=$(tshark -r testdata/tls-tls13-chacha20-dsb.pcapng -Y sip 2>/dev/null | wc -l)
	[ "$n" = 1 ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ] && echo "ok cli/decrypt-tls-late-secrets" ||
		echo "not ok cli/decrypt-tls-late-secrets: $n notes, $got of $want SIP frames in the .pcapng"
	"$SIPSIFT" decrypt -q -w "$tmp/dsb.pcap" testdata/tls-tls13-chacha20-dsb.pcapng
	want=$(tshark -r testdata/tls-tls13-chacha20-dsb.pcapng -Y sip 2>/dev/null | wc -l)
	got=$(tshark -r "$tmp/dsb.pcap" -Y sip 2>/dev/null | wc -l)
	[ "$want" -gt 0 ] && [ "$got" = "$want" ] && echo "ok cli/decrypt-tls-dsb-input" ||
		echo "not ok cli/decrypt-tls-dsb-input: $got SIP frames, $want in the input"
	"$SIPSIFT" decrypt -q -w "$tmp/plain.pcap" testdata/srtp-dtmf-call.pcap
	"$SIPSIFT" decrypt -q -w "$tmp/plain.pcapng" testdata/srtp-dtmf-call.pcap
	a=$(tshark -r "$tmp/plain.pcap" -o rtp.heuristic_rtp:TRUE -T fields -e frame.time_epoch -e data.data -e rtp.payload 2>/dev/null | md5sum)
	b=$(tshark -r "$tmp/plain.pcapng" -o rtp.heuristic_rtp:TRUE -T fields -e frame.time_epoch -e data.data -e rtp.payload 2>/dev/null | md5sum)
	n=$(tshark -r "$tmp/plain.pcapng" -o rtp.heuristic_rtp:TRUE -Y rtp 2>/dev/null | wc -l)
	[ "$a" = "$b" ] && [ "$n" -gt 500 ] && [ "$(od -An -tx1 -N4 "$tmp/plain.pcapng" | tr -d ' ')" = 0a0d0d0a ] &&
		echo "ok cli/decrypt-pcapng-same-packets" || echo "not ok cli/decrypt-pcapng-same-packets"
fi

# extract --decrypt and decrypt -w with a selection (issue 13): the frames
# of extract -w, each as decrypt -w writes it (SRTP/SRTCP made plain), in
# capture order; the two commands write the same bytes; the merged capture
# of two calls gives the SRTP call's packets only.
check decrypt-not-for-calls 2 '--decrypt is an option of extract' -- calls --decrypt testdata/srtp-dtmf-call.pcap
check decrypt-selection-stdin 2 'decrypt with a selection reads its input twice' -- decrypt -w "$tmp/d.pcap" --call 1 - <testdata/srtp-dtmf-call.pcap
mergecap -F pcap -w "$tmp/two.pcap" testdata/srtp-dtmf-call.pcap testdata/audio-pcma.pcap 2>/dev/null ||
	cat testdata/srtp-dtmf-call.pcap >"$tmp/two.pcap"
"$SIPSIFT" decrypt -q -w "$tmp/all.pcap" "$tmp/two.pcap" &&
"$SIPSIFT" extract -q -w "$tmp/raw.pcap" --call-id d38a919993b60b41 "$tmp/two.pcap" &&
"$SIPSIFT" extract -w "$tmp/dec.pcap" --decrypt --call-id d38a919993b60b41 "$tmp/two.pcap" 2>"$tmp/err" &&
"$SIPSIFT" decrypt -q -w "$tmp/sel.pcap" --call-id d38a919993b60b41 "$tmp/two.pcap"
rc=$?
python3 - "$tmp/all.pcap" "$tmp/raw.pcap" "$tmp/dec.pcap" "$tmp/sel.pcap" "$tmp/err" "$rc" <<'PY' && echo "ok cli/extract-decrypt" || echo "not ok cli/extract-decrypt"
import struct, sys
def recs(path):
    d = open(path, "rb").read()
    out, pos = [], 24
    while pos + 16 <= len(d):
        s, us, cl, _ = struct.unpack("<IIII", d[pos:pos + 16])
        out.append(((s, us), d[pos + 16:pos + 16 + cl]))
        pos += 16 + cl
    return out
alln, raw, dec, sel = (recs(p) for p in sys.argv[1:5])
assert sys.argv[6] == "0", "exit " + sys.argv[6]
assert open(sys.argv[2], "rb").read() != b"" and dec == sel, "decrypt --call-id differs from extract --decrypt"
# The same frames (by time) as extract -w, each as decrypt -w wrote it.
want = [r for r in alln if r[0] in {t for t, _ in raw}]
assert len(dec) == len(raw) == len(want) == 590, (len(dec), len(raw), len(want))
assert dec == want, "frames differ from decrypt -w's"
changed = sum(1 for a, b in zip(raw, dec) if a[1] != b[1])
assert changed >= 573, changed      # every SRTP/SRTCP packet (and the SDPs)
note = open(sys.argv[5]).read()
assert "590 packets of 1 call written, 573 SRTP/SRTCP packets decrypted" in note, note
PY

# extract -w (issue 13): the packets written are, byte for byte and in
# capture order, the frames tshark says carry the selected calls' SIP
# (every TCP segment and IP fragment) and their streams' RTP/RTCP; on
# captures from real stacks over UDP, TCP (segmented), IPv4/IPv6
# fragments and SRTP, merged captures with a selection, and --sip-only.
if command -v tshark >/dev/null 2>&1; then
	mergecap -F pcap -w "$tmp/merged.pcap" testdata/call-cancel.pcap testdata/call-busy-486.pcap testdata/audio-pcma.pcap testdata/call-bye-callee.pcap
	while IFS='|' read -r in sel; do
		eval "set -- $sel"
		if "$SIPSIFT" extract -q -w "$tmp/x.pcap" "$@" "$in" 2>"$tmp/err"; then
			python3 tests/extract-check.py "$SIPSIFT" "$tmp/x.pcap" "$@" -- "$in"
		else
			echo "not ok extract/$sel $in: $(head -c 200 "$tmp/err")"
		fi
	done <<-EOT
	testdata/call-busy-486.pcap|--call 1
	testdata/sip-tcp-segmented.pcap|--call 1
	testdata/sip-udp-fragmented.pcap|--call 1
	testdata/sip-udp6-fragmented.pcap|--call 1
	testdata/srtp-dtmf-call.pcap|--call 1
	testdata/srtp-dtmf-call-tcp.pcap|--call 1
	testdata/srtp-dtmf-call-tcp.pcap|--sip-only
	$tmp/merged.pcap|--state rejected
	$tmp/merged.pcap|--state ended
	$tmp/merged.pcap|--from sipp --sip-only
	EOT
else
	echo "not ok extract: tshark is not installed"
fi
check extract-no-w 2 'extract needs -w FILE' -- extract testdata/call-busy-486.pcap
check extract-stdin 2 'extract reads its input twice' -- extract -w "$tmp/x.pcap" - 
check extract-missing-call 2 'call 5: no such call; the capture has 1 call' -- extract -w "$tmp/y.pcap" --call 5 testdata/call-busy-486.pcap
[ ! -e "$tmp/y.pcap" ] && echo "ok cli/extract-missing-call-no-file" || echo "not ok cli/extract-missing-call-no-file"
check extract-over-input 2 'the output is also an input' -- extract -w testdata/call-busy-486.pcap testdata/call-busy-486.pcap
check sip-only-elsewhere 2 'sip-only is an option of extract' -- calls --sip-only testdata/call-busy-486.pcap

# The calls table, the ladder and the digits run no lint rule unless
# --fail-on asks for the findings (issue #17): the table is the same, and
# the exit status still follows the findings when asked.
bad=testdata/lint-missing-mandatory-header.pcap
check calls-no-fail-on 0 '' -- calls "$bad"
check calls-fail-on 1 '' -- calls --fail-on error "$bad"
check flow-fail-on 1 '' -- flow --fail-on error "$bad"
check dtmf-fail-on 1 '' -- dtmf --fail-on error "$bad"
check calls-json-findings 0 '' -- calls --format json "$bad"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$tmp/out" 2>/dev/null)
[ "$n" = 2 ] && echo "ok cli/calls-json-findings-listed" ||
	echo "not ok cli/calls-json-findings-listed: ${n:-no report}"
