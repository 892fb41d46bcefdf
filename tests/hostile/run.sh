#!/usr/bin/env bash
# Hostile surroundings (issues #18 "never destroy a file" and #13 "pipes
# behave"): an output that is an input, a run that fails half-way, a
# directory with links and FIFOs planted where the WAV files go, key files
# that are devices, directories, FIFOs or hold NUL bytes and long lines,
# packet text made of terminal escapes and malformed UTF-8, a reader that
# closes the pipe. Inputs are made by mkinputs.py beside this script.
# Prints "ok NAME" or "not ok NAME: why" per case.
set -u
cd "$(dirname "$0")/../.."
SIPSIFT=${SIPSIFT:-./sipsift}
case $SIPSIFT in /*) ;; *) SIPSIFT=$PWD/$SIPSIFT ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
good=testdata/sip-udp-sipp.pcap
srtp=testdata/srtp-dtmf-call.pcap
# Long enough that a run is killed before its end: the tests run under
# ASan on a shared machine.
TIMEOUT=${HOSTILE_TIMEOUT:-60}
python3 tests/hostile/mkinputs.py testdata "$tmp" || echo "not ok hostile/inputs: mkinputs.py failed"
python3 tests/hostile/mkstreams.py "$tmp" || echo "not ok hostile/inputs: mkstreams.py failed"

pass() { echo "ok hostile/$1"; }
fail() { echo "not ok hostile/$1: $2"; }

# run ARGS...: runs sipsift with stdout in $tmp/out, stderr in $tmp/err,
# the exit status in $rc; never longer than TIMEOUT (124: it hung).
run() {
	timeout "$TIMEOUT" "$SIPSIFT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect NAME WANT_RC STDERR_REGEX: the last run's status and stderr, and
# for an error exactly one line of diagnosis.
expect() {
	local name=$1 want=$2 re=$3
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, expected $want ($(head -c 200 "$tmp/err" | tr '\n' ' '))"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/err"; then
		fail "$name" "stderr does not match /$re/: $(head -c 200 "$tmp/err")"
	elif [ "$want" -ge 2 ] && [ "$(grep -vc "^Try 'sipsift --help'" "$tmp/err")" -ne 1 ]; then
		fail "$name" "$(wc -l <"$tmp/err") lines on stderr, expected one (and the hint)"
	else
		pass "$name"
	fi
}

# No temporary file left behind in directory $2.
no_temp() {
	local left
	left=$(find "$2" -maxdepth 1 -name '.sipsift-*' | head -3)
	[ -z "$left" ] && pass "$1" || fail "$1" "left behind: $left"
}

# wav_ok FILE...: each a complete WAV file with samples.
wav_ok() {
	python3 - "$@" <<'PY'
import struct, sys, wave
for p in sys.argv[1:]:
    b = open(p, "rb").read()
    assert b[:4] == b"RIFF" and b[8:12] == b"WAVE", "no RIFF/WAVE header"
    assert struct.unpack("<I", b[4:8])[0] == len(b) - 8, "RIFF size"
    with wave.open(p) as w:
        n = w.getnframes() * w.getnchannels() * w.getsampwidth()
    assert n > 0, "no samples"
    i = b.find(b"data")
    assert struct.unpack("<I", b[i + 4:i + 8])[0] == n == len(b) - i - 8, "data size"
PY
}

# ---- 1. An output that is one of the inputs is a usage error ----------

cap=$tmp/in/x.pcap
mkdir -p "$tmp/in/sub"
fresh() { cp "$good" "$cap"; }
intact() {
	cmp -s "$cap" "$good" && pass "$1-intact" || fail "$1-intact" "the capture was changed ($(wc -c <"$cap") bytes)"
}
for cmd in analyze lint dtmf calls; do
	fresh
	run "$cmd" -o "$cap" "$cap"
	expect "same-$cmd" 2 "x\.pcap: the output is also an input"
	intact "same-$cmd"
done
fresh
run audio -d "$tmp/in/wav" -o "$cap" "$cap"
expect same-audio 2 "x\.pcap: the output is also an input"
intact same-audio
fresh
run decrypt -w "$cap" "$cap"
expect same-decrypt 2 "x\.pcap: the output is also an input"
intact same-decrypt
fresh
run analyze -o "$tmp/in/sub/../x.pcap" "$cap"
expect same-dotdot 2 "sub/\.\./x\.pcap: the output is also an input"
intact same-dotdot
fresh
ln -sf x.pcap "$tmp/in/link.pcap"
run decrypt -w "$tmp/in/link.pcap" "$cap"
expect same-symlink 2 "link\.pcap: the output is also an input"
intact same-symlink
fresh
ln -f "$cap" "$tmp/in/hard.pcap"
run lint -o "$tmp/in/hard.pcap" "$cap"
expect same-hardlink 2 "hard\.pcap: the output is also an input"
intact same-hardlink
rm -f "$tmp/in/hard.pcap"
fresh
timeout "$TIMEOUT" "$SIPSIFT" calls "$cap" >>"$cap" 2>"$tmp/err"
rc=$?
expect same-stdout-append 2 "standard output: the output is also an input"
intact same-stdout-append
fresh
run decrypt --format json -o "$tmp/in/r.txt" -w "$tmp/in/r.txt" "$cap"
expect same-o-and-w 2 "r\.txt: given both"
# A new output next to its input is fine.
run analyze -o "$tmp/in/new.txt" "$cap"
expect new-output 0 ''
[ -s "$tmp/in/new.txt" ] && pass new-output-written || fail new-output-written "no report"

# ---- 1b. A failed run leaves no half-written file ----------------------

# A file-size limit stands for a full disk (EFBIG instead of ENOSPC),
# without root: writes past 1 KiB fail. SIGXFSZ is ignored so that the
# write fails rather than the process dying.
limited() {
	(trap '' XFSZ; ulimit -f 1; exec timeout "$TIMEOUT" "$SIPSIFT" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
mkdir -p "$tmp/full"
printf 'the old report\n' >"$tmp/full/old.txt"
limited analyze -o "$tmp/full/old.txt" "$srtp"
expect report-full 4 "old\.txt: writing the report failed"
[ "$(cat "$tmp/full/old.txt")" = "the old report" ] && pass report-full-old-kept ||
	fail report-full-old-kept "the old report was replaced: $(head -c 80 "$tmp/full/old.txt")"
limited analyze -o "$tmp/full/new.txt" "$srtp"
expect report-full-new 4 "new\.txt: writing the report failed"
[ ! -e "$tmp/full/new.txt" ] && pass report-full-none || fail report-full-none "a half-written report is left ($(wc -c <"$tmp/full/new.txt") bytes)"
limited decrypt -w "$tmp/full/d.pcap" "$srtp"
expect decrypt-full 4 "d\.pcap: "
[ ! -e "$tmp/full/d.pcap" ] && pass decrypt-full-none || fail decrypt-full-none "a half-written pcap is left ($(wc -c <"$tmp/full/d.pcap") bytes)"
mkdir -p "$tmp/full/wav"
limited audio -d "$tmp/full/wav" "$srtp"
expect audio-full 4 "\.wav: "
n=$(find "$tmp/full/wav" -name '*.wav' | wc -l)
[ "$n" = 0 ] && pass audio-full-none || fail audio-full-none "$n half-written WAV files left"
no_temp full-no-temp "$tmp/full"
no_temp full-wav-no-temp "$tmp/full/wav"
# An input error: no report file at all.
run analyze -o "$tmp/full/in-err.txt" "$tmp/nope.pcap"
expect input-error-no-file 3 "nope\.pcap"
[ ! -e "$tmp/full/in-err.txt" ] && pass input-error-no-report-file || fail input-error-no-report-file "a report was written"
# New files take the umask as any other tool's.
(umask 027; exec "$SIPSIFT" analyze -o "$tmp/full/mode.txt" "$good")
mode=$(stat -c %a "$tmp/full/mode.txt" 2>/dev/null)
[ "$mode" = 640 ] && pass output-mode-umask || fail output-mode-umask "mode $mode under umask 027, expected 640"
# A device named as the output is written, not replaced.
if [ -w /dev/null ]; then
	run analyze -o /dev/null "$good"
	expect output-dev-null 0 ''
	[ -c /dev/null ] && pass dev-null-still-device || fail dev-null-still-device "/dev/null is no longer a device"
fi

# ---- 2. audio -d DIR with links and FIFOs planted in DIR ----------------

run audio -d "$tmp/names" "$srtp"
expect audio-clean 0 ''
names=$(cd "$tmp/names" && ls *.wav)
[ "$(echo "$names" | wc -l)" = 3 ] && pass audio-clean-3-files || fail audio-clean-3-files "files: $names"

# Links to a file outside DIR: it stays as it was, the links are replaced
# by the WAV files themselves.
mkdir -p "$tmp/trap1"
printf 'precious\n' >"$tmp/victim"
for n in $names; do ln -s "$tmp/victim" "$tmp/trap1/$n"; done
run audio -d "$tmp/trap1" "$srtp"
expect audio-symlink 0 ''
[ "$(cat "$tmp/victim")" = precious ] && pass audio-symlink-victim-intact || fail audio-symlink-victim-intact "the file outside DIR was overwritten"
ok=1
for n in $names; do
	[ -f "$tmp/trap1/$n" ] && [ ! -L "$tmp/trap1/$n" ] || ok=0
done
# shellcheck disable=SC2046
wav_ok $(for n in $names; do echo "$tmp/trap1/$n"; done) 2>/dev/null || ok=0
[ $ok = 1 ] && pass audio-symlink-replaced || fail audio-symlink-replaced "$(ls -l "$tmp/trap1" | tr '\n' ' ')"

# Dangling links: nothing is created where they point.
mkdir -p "$tmp/trap2"
for n in $names; do ln -s "$tmp/outside-$n" "$tmp/trap2/$n"; done
run audio -d "$tmp/trap2" "$srtp"
expect audio-dangling 0 ''
n=$(find "$tmp" -maxdepth 1 -name 'outside-*' | wc -l)
[ "$n" = 0 ] && pass audio-dangling-nothing-outside || fail audio-dangling-nothing-outside "$n files created through the links"

# FIFOs with the predicted names: no hang (timeout says 124), replaced.
mkdir -p "$tmp/trap3"
for n in $names; do mkfifo "$tmp/trap3/$n"; done
run audio -d "$tmp/trap3" "$srtp"
expect audio-fifo 0 ''
ok=1
for n in $names; do [ -f "$tmp/trap3/$n" ] && [ ! -p "$tmp/trap3/$n" ] || ok=0; done
[ $ok = 1 ] && pass audio-fifo-replaced || fail audio-fifo-replaced "$(ls -l "$tmp/trap3" | tr '\n' ' ')"
no_temp audio-trap-no-temp "$tmp/trap3"

# ---- 3. Key files ----------------------------------------------------------

key='any=AES_CM_128_HMAC_SHA1_80:inline:im4qSVJeefvoWhhSeQPGKToktWZ9LA5+DULUSTZV'
run analyze --keyfile /dev/zero "$good"
expect keyfile-dev-zero 2 "/dev/zero: not a regular file"
run analyze --keyfile "$tmp" "$good"
expect keyfile-directory 2 "not a regular file"
mkfifo "$tmp/keys.fifo"
run analyze --keyfile "$tmp/keys.fifo" "$good"
expect keyfile-fifo 2 "keys\.fifo: not a regular file"
{ printf '# %s\n' "$(head -c 3000 /dev/zero | tr '\0' x)"; printf 'bogus\n'; } >"$tmp/keys.long"
run analyze --keyfile "$tmp/keys.long" "$good"
expect keyfile-long-line 2 "keys\.long:2: .*'bogus'"
printf '%s\n# a comment of %s\n%s\n' "$key" "$(head -c 5000 /dev/zero | tr '\0' y)" "$key" >"$tmp/keys.longok"
run analyze --keyfile "$tmp/keys.longok" "$good"
expect keyfile-long-comment-ok 0 ''
printf '%s\0junk\n' "$key" >"$tmp/keys.nul"
run analyze --keyfile "$tmp/keys.nul" "$good"
expect keyfile-nul 2 "keys\.nul:1: a NUL byte"
printf '\n\n%s\n# \0\n' "$key" >"$tmp/keys.nul4"
run analyze --keyfile "$tmp/keys.nul4" "$good"
expect keyfile-nul-line-4 2 "keys\.nul4:4: a NUL byte"
head -c 2000000 /dev/zero | tr '\0' '#' >"$tmp/keys.big"
run analyze --keyfile "$tmp/keys.big" "$good"
expect keyfile-too-big 2 "keys\.big: larger than"

# ---- 4. Hostile packet text -------------------------------------------------

hostile=$tmp/hostile.pcap
run lint --format junit "$hostile"
expect junit-hostile 1 ''
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/out" 2>"$tmp/xmlerr" && pass junit-well-formed ||
		fail junit-well-formed "xmllint: $(head -c 200 "$tmp/xmlerr")"
else
	fail junit-well-formed "xmllint is not installed (libxml2-utils)"
fi
grep -q $'\xef\xbf\xbd' "$tmp/out" && pass junit-replacement-char || fail junit-replacement-char "no U+FFFD for the malformed bytes"

# JSON: valid UTF-8, the Call-ID kept with U+FFFD for the malformed bytes.
run analyze --format json "$hostile"
expect json-hostile 0 ''
why=$(python3 - "$tmp/out" 2>&1 <<'PY'
import json, sys
r = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
ids = [c["call_id"] for c in r["calls"]]
want = "\x1b]0;\x07\ufffd\ufffd\u009b\u202eA\u2066@h"
assert want in ids, ids
PY
) && pass json-hostile-call-id || fail json-hostile-call-id "$(echo "$why" | tail -1)"
run analyze --format ndjson "$hostile"
python3 - "$tmp/out" <<'PY' && pass ndjson-hostile-utf8 || fail ndjson-hostile-utf8 "not valid UTF-8 JSON lines"
import json, sys
for line in open(sys.argv[1], "rb").read().decode("utf-8", "strict").splitlines():
    json.loads(line)
PY

# Text for a terminal: no controls, no malformed UTF-8, no C1, no bidi.
# One python for all the outputs: each line says "ok CMD" or "bad CMD: why".
for cmd in calls flow lint analyze dtmf; do
	run "$cmd" "$hostile"
	cp "$tmp/out" "$tmp/text-$cmd"
	[ "$rc" -le 1 ] || fail "text-inert-$cmd" "exit $rc"
done
python3 - "$tmp" calls flow lint analyze dtmf <<'PY' | while read -r v cmd; do [ "$v" = ok ] && pass "text-inert-$cmd" || fail "text-inert-$cmd" "$v"; done
import sys
for cmd in sys.argv[2:]:
    try:
        t = open("%s/text-%s" % (sys.argv[1], cmd), "rb").read().decode("utf-8", "strict")
    except UnicodeDecodeError:
        print("malformed-UTF-8", cmd)
        continue
    bad = [c for c in t if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
           or ord(c) in (0x61c, 0x200e, 0x200f) or 0x202a <= ord(c) <= 0x202e
           or 0x2066 <= ord(c) <= 0x2069]
    print("unsafe-U+%04X" % ord(bad[0]) if bad else "ok", cmd)
PY
run flow "$hostile"
grep -q 'Call-ID ?\]0;' "$tmp/out" && pass text-escaped-shown || fail text-escaped-shown "the Call-ID is not shown with '?' for the escapes"

# ---- 5. Pipes and errors -----------------------------------------------------

many=$tmp/many-calls.pcap
timeout "$TIMEOUT" "$SIPSIFT" calls "$many" 2>"$tmp/err" | head -2 >"$tmp/out"
rc=${PIPESTATUS[0]}
expect epipe-calls 0 ''
[ ! -s "$tmp/err" ] && pass epipe-calls-quiet || fail epipe-calls-quiet "$(head -c 200 "$tmp/err")"
[ "$(wc -l <"$tmp/out")" = 2 ] && pass epipe-calls-head || fail epipe-calls-head "$(wc -l <"$tmp/out") lines"
timeout "$TIMEOUT" "$SIPSIFT" analyze --format ndjson "$many" 2>"$tmp/err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
expect epipe-ndjson 0 ''
[ ! -s "$tmp/err" ] && pass epipe-ndjson-quiet || fail epipe-ndjson-quiet "$(head -c 200 "$tmp/err")"
timeout "$TIMEOUT" "$SIPSIFT" decrypt -q -w - "$srtp" 2>"$tmp/err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
expect epipe-decrypt 0 ''
[ ! -s "$tmp/err" ] && pass epipe-decrypt-quiet || fail epipe-decrypt-quiet "$(head -c 200 "$tmp/err")"

for fmt in text json ndjson junit; do
	run calls --format "$fmt" "$tmp/nope.pcap"
	expect "input-error-$fmt" 3 "nope\.pcap: no such file"
	[ ! -s "$tmp/out" ] && pass "input-error-$fmt-no-stdout" || fail "input-error-$fmt-no-stdout" "$(head -c 80 "$tmp/out")"
done
run analyze "$good" "$tmp/nope.pcap"
expect input-error-one-of-two 3 "nope\.pcap: no such file"
[ ! -s "$tmp/out" ] && pass input-error-one-of-two-no-stdout || fail input-error-one-of-two-no-stdout "$(head -c 80 "$tmp/out")"

run --help
grep -q '1 findings' "$tmp/out" && pass help-exit-1 || fail help-exit-1 "--help does not list exit status 1"
for how in "help calls" "calls --help"; do
	# shellcheck disable=SC2086
	run $how
	name=help-${how// /-}
	if [ "$rc" != 0 ]; then
		fail "$name" "exit $rc"
	elif ! grep -q '^Usage: sipsift calls' "$tmp/out" || ! grep -q -- '--invite' "$tmp/out"; then
		fail "$name" "not the calls command's help"
	elif grep -q -- '--write\|--stereo' "$tmp/out"; then
		fail "$name" "lists options of other commands"
	else
		pass "$name"
	fi
done
run help decrypt
grep -q -- '--write' "$tmp/out" && ! grep -q -- '--invite' "$tmp/out" && pass help-decrypt || fail help-decrypt "not decrypt's options"
run audio -h
grep -q -- '--stereo' "$tmp/out" && ! grep -q -- '--write' "$tmp/out" && pass help-audio || fail help-audio "not audio's options"
run help
[ "$rc" = 0 ] && grep -q '^Commands:' "$tmp/out" && pass help-general || fail help-general "exit $rc"
run help frobnicate
expect help-unknown 2 "unknown command 'frobnicate'"

# Caps that drop state say so (issue #18 "nothing is lost without a
# word"): a counter in the summary and one warning on stderr.
# json_key FILE SECTION KEY: prints summary.SECTION.KEY of a JSON report.
json_key() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]][sys.argv[3]])' "$@" 2>/dev/null
}
# cap_said NAME FILE SECTION KEY STDERR_REGEX: the last run put KEY > 0
# in the JSON report and the warning on stderr.
cap_said() {
	local n
	n=$(json_key "$2" "$3" "$4")
	if [ "$rc" != 0 ]; then
		fail "$1" "exit $rc ($(head -c 200 "$tmp/err" | tr '\n' ' '))"
	elif ! [ "${n:-0}" -gt 0 ] 2>/dev/null; then
		fail "$1" "summary.$3.$4 is '${n}', expected > 0"
	elif ! grep -Eq -- "$5" "$tmp/err"; then
		fail "$1" "no warning /$5/ on stderr: $(head -c 200 "$tmp/err")"
	else
		pass "$1"
	fi
}
run analyze --format json "$tmp/frag-flood.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said cap-ip-datagrams-evicted "$tmp/cap.json" skipped ip_datagrams_evicted "IP datagrams in reassembly at once: the oldest are evicted"
cap_said cap-ip-datagrams-incomplete "$tmp/cap.json" skipped ip_datagrams_incomplete "IP datagrams still incomplete at the end"
run analyze "$tmp/frag-flood.pcap"
grep -q 'dropped: .*IP datagrams evicted' "$tmp/out" && pass cap-ip-text || fail cap-ip-text "no 'dropped:' line in the text summary"
# Media caps (sdp-caps.pcap: 66 m= lines in one SDP, 320 keys in one
# call): in the summary, each said once on stderr when first hit.
run analyze --format json "$tmp/sdp-caps.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said cap-sdp-items "$tmp/cap.json" skipped sdp_items_dropped "an SDP has more than 64 m= lines"
cap_said cap-srtp-keys "$tmp/cap.json" skipped srtp_keys_dropped "more than 256 SRTP keys in one call"
[ "$(grep -c 'sipsift: warning' "$tmp/err")" = 2 ] && pass cap-media-warned-once || fail cap-media-warned-once "$(cat "$tmp/err")"
run analyze "$tmp/sdp-caps.pcap"
grep -q 'dropped: .*SRTP keys left out' "$tmp/out" && pass cap-media-text || fail cap-media-text "no 'dropped:' line for the keys in the text summary"
run analyze --format json "$tmp/tcp-hold.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said cap-tcp-hold "$tmp/cap.json" skipped tcp_holes_skipped_by_cap "out-of-order TCP data past a cap"
run analyze --format json "$tmp/sctp-evict.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said cap-sctp-evicted "$tmp/cap.json" skipped sctp_messages_evicted "more than 64 SCTP messages are being reassembled at once"
run analyze --format json "$tmp/tcp-flood.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said cap-tcp-evicted "$tmp/cap.json" skipped tcp_streams_evicted "TCP directions at once: the oldest are evicted"
run analyze --format json "$tmp/bad-usec.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said pcap-usec-clamped "$tmp/cap.json" decode timestamps_clamped "bad-usec\.pcap: 1 timestamps out of range"
# The clamped time stays inside its second (0xffffffff us is 71 minutes).
ts=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inputs"][0]["first_ts"])' "$tmp/cap.json" 2>/dev/null)
case $ts in 1764139200.999999) pass pcap-usec-clamp-value ;; *) fail pcap-usec-clamp-value "first packet at '$ts'" ;; esac
# All ones: 294247 AD, INT64_MAX microseconds; adding a timeout to it
# overflowed (the sanitizer build aborted).
run analyze --format json "$tmp/ng-ts-ones.pcapng"
cp "$tmp/out" "$tmp/cap.json"
cap_said pcapng-ts-all-ones "$tmp/cap.json" decode timestamps_clamped "ng-ts-ones\.pcapng: 1 timestamps out of range"
if grep -q 'runtime error' "$tmp/err"; then fail pcapng-ts-all-ones-ubsan "$(grep -m1 'runtime error' "$tmp/err")"; else pass pcapng-ts-all-ones-ubsan; fi

# SIP over TCP and WebSocket messages past the framer's caps (issue #18):
# each counted, warned once, reported as a sip-message-oversize finding
# (with its Call-ID when it has one), and the call that follows on the
# same connection found whole (it used to vanish with the connection
# classed as not SIP).
# stream_cap NAME FILE KEY CALL_ID: CALL_ID is "-" when none can be read.
stream_cap() {
	local name=$1 file=$2 key=$3 cid=$4
	run analyze --format json "$tmp/$file"
	cp "$tmp/out" "$tmp/cap.json"
	cap_said "$name" "$tmp/cap.json" skipped "$key" "too large to analyse|larger than [0-9]+ bytes: it is skipped"
	[ "$(grep -c 'sipsift: warning' "$tmp/err")" = 1 ] && pass "$name-warned-once" || fail "$name-warned-once" "$(cat "$tmp/err")"
	python3 - "$tmp/cap.json" "$cid" <<'PY' && pass "$name-finding-and-call" || fail "$name-finding-and-call" "see above"
import json, sys
d = json.load(open(sys.argv[1]))
cid = None if sys.argv[2] == "-" else sys.argv[2]
f = [x for x in d["findings"] if x["rule"] == "sip-message-oversize"]
assert len(f) == 1 and f[0]["call_id"] == cid and f[0]["frames"], f
c = [x for x in d["calls"] if x["call_id"] == "builtin-1@192.0.2.10"]
assert c and len(c[0]["messages"]) == 7 and c[0]["state"] == "ended", c
PY
}
stream_cap tcp-headers-64k tcp-headers-64k.pcap sip_messages_oversize oversize@192.0.2.10
# Given up before its Call-ID came: none to name.
stream_cap tcp-start-line-8k tcp-start-line-8k.pcap sip_messages_oversize -
stream_cap tcp-clen-1m tcp-clen-1m.pcap sip_messages_oversize oversize@192.0.2.10
stream_cap ws-huge-claim ws-huge-claim.pcap websocket_messages_oversize -
stream_cap ws-6mb ws-6mb.pcap websocket_messages_oversize oversize@192.0.2.10
run analyze --format json "$tmp/ws-6mb.pcap"
grep -q '"websocket_messages_oversize": 1' "$tmp/out" && pass ws-6mb-counted-once || fail ws-6mb-counted-once "$(grep websocket_messages "$tmp/out")"
run analyze "$tmp/tcp-clen-1m.pcap"
grep -q 'dropped: 1 SIP messages too large' "$tmp/out" && pass tcp-clen-1m-text || fail tcp-clen-1m-text "no 'dropped:' line in the text summary"
# The first and only message of its connection, cut by FIN: shown, with
# the framing finding (it vanished: the stream was not yet SIP).
run lint --format json "$tmp/tcp-clen-fin.pcap"
python3 - "$tmp/out" <<'PY' && pass tcp-clen-fin || fail tcp-clen-fin "$(head -c 300 "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["sip_messages"] == 1
assert any(f["rule"] == "content-length-mismatch" and f["call_id"] == "oversize@192.0.2.10"
           for f in d["findings"])
PY
# A call past its transaction cap: every message listed, none counted as
# dropped (dropped_messages over-counted them by 8,976), the cap said.
run analyze --format json "$tmp/txn-flood.pcap"
cp "$tmp/out" "$tmp/cap.json"
cap_said txn-cap "$tmp/cap.json" skipped messages_untracked "more than 1024 transactions"
python3 - "$tmp/cap.json" <<'PY' && pass txn-cap-not-dropped || fail txn-cap-not-dropped "$(grep -E 'dropped_messages|messages_untracked' "$tmp/cap.json")"
import json, sys
d = json.load(open(sys.argv[1]))
sk = d["summary"]["skipped"]
assert sk["dropped_messages"] == 0 and sk["messages_untracked"] == 8976, sk
assert len(d["calls"][0]["messages"]) == 10000
PY
