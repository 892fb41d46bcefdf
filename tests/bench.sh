#!/usr/bin/env bash
# make bench — throughput of `sipsift analyze` beside a plain libpcap read
# loop (the floor) and `tshark -q -z sip,stat`, on generated SIP+RTP
# captures, with the stage's targets checked at the end; and the SRTP
# decryption throughput of `sipsift analyze` on a capture whose every RTP
# packet is SDES-SRTP.
#
#   tests/bench.sh            (what `make bench` runs; needs ./sipsift)
#
# Captures: tests/tools/gen_bench.c writes them into build/bench/ once and
# they are reused while packets, concurrency, seed and the generator's
# source stay the same (the name says all four).  "medium" has
# BENCH_PACKETS packets, "long" BENCH_LONG_FACTOR times as many with the
# same number of concurrent calls, so the memory of the two can be compared.
# "srtp" (gen_bench --srtp) has BENCH_SRTP_PACKETS packets of the same kind
# of calls with RTP/SAVP and a=crypto (AES_CM_128_HMAC_SHA1_80, a key per
# call direction) in offer and answer and every RTP packet protected with
# libsrtp2, so `sipsift analyze` decrypts all of them; on it only the libpcap
# loop and sipsift run (tshark cannot decrypt SDES-SRTP).
#
# Each tool is timed as a whole process (wall clock, start-up included):
# best of BENCH_RUNS runs for the libpcap loop and sipsift, tshark once.
# Max RSS comes from /usr/bin/time (%M) or, without it, from python3's
# getrusage.  Every tool is pinned to CPU BENCH_CPU with taskset when
# taskset exists, so all of them get one core of this machine.
#
# Targets (exit status 1 when one fails; `make check` never runs this):
#   sipsift >= BENCH_MIN_PPS packets/s on every file      (1,000,000)
#   sipsift >= BENCH_MIN_VS_TSHARK x tshark on every file (10)
#   sipsift's max RSS on "long" <= BENCH_MAX_RSS_GROWTH x "medium" (1.5),
#   measured with --format ndjson, the mode that writes and frees each call
#   as it finishes (text and JSON keep a few KB per call for the end)
#   sipsift decrypts >= BENCH_MIN_SRTP_PPS SRTP packets/s on "srtp"
#   (1,500,000): the sum of streams[].srtp.decrypted of one untimed JSON run
#   divided by the best wall time of `analyze -q --format json` on one core
#   sipsift on "srtp" runs at >= BENCH_MIN_SRTP_VS_PLAIN (0.60) of its speed
#   on the same capture in plain RTP (gen_bench without --srtp: same calls,
#   times, addresses and SSRCs), both best wall times on one core; the
#   ratio of CPU times (user + sys) is printed beside it
# With BENCH_SRTP_MICRO set (make bench sets it to build/bench_srtp), the
# SRTP micro-bench (tests/bench_srtp.c) also runs on the pinned core and its
# lines are printed: sift_srtp_unprotect per suite (AES_CM_128 _80/_32,
# AES_256_CM, AEAD_AES_128/256_GCM) with sipsift's OpenSSL types and
# libsrtp2's stock ones, and the cost of a session.
# Before timing, one sipsift run writes its JSON report and the script
# checks that it saw every packet, SIP message and call the generator
# wrote; a mismatch fails the bench too.  On "srtp" it also checks that
# every RTP packet the generator wrote was decrypted (sum of
# streams[].srtp.decrypted == RTP packets written) and that no stream had
# an authentication failure.
#
# Environment (defaults in brackets):
#   SIPSIFT [./sipsift]   BENCH_PACKETS [2000000]   BENCH_LONG_FACTOR [4]
#   BENCH_CONCURRENT [200] BENCH_SEED [1]  BENCH_TCP_EVERY [50]
#   BENCH_RUNS [3]        BENCH_CPU [0]            BENCH_TSHARK [1; 0 skips it]
#   BENCH_FILES ["medium long srtp"; e.g. "medium" for a quick look]
#   BENCH_SRTP_PACKETS [1000000]  BENCH_MIN_SRTP_PPS [1500000]
#   BENCH_MIN_SRTP_VS_PLAIN [0.60]  BENCH_SRTP_MICRO [unset]
#   BENCH_MIN_PPS [1000000] BENCH_MIN_VS_TSHARK [10] BENCH_MAX_RSS_GROWTH [1.5]
set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2

SIPSIFT=${SIPSIFT:-./sipsift}
PACKETS=${BENCH_PACKETS:-2000000}
LONG_FACTOR=${BENCH_LONG_FACTOR:-4}
CONC=${BENCH_CONCURRENT:-200}
SEED=${BENCH_SEED:-1}
TCP_EVERY=${BENCH_TCP_EVERY:-50}
RUNS=${BENCH_RUNS:-3}
CPU=${BENCH_CPU:-0}
USE_TSHARK=${BENCH_TSHARK:-1}
FILES=${BENCH_FILES:-medium long srtp}
SRTP_PACKETS=${BENCH_SRTP_PACKETS:-1000000}
MIN_SRTP_PPS=${BENCH_MIN_SRTP_PPS:-1500000}
MIN_SRTP_VS_PLAIN=${BENCH_MIN_SRTP_VS_PLAIN:-0.60}
SRTP_MICRO=${BENCH_SRTP_MICRO:-}
MIN_PPS=${BENCH_MIN_PPS:-1000000}
MIN_VS_TSHARK=${BENCH_MIN_VS_TSHARK:-10}
MAX_RSS_GROWTH=${BENCH_MAX_RSS_GROWTH:-1.5}
OUT=build/bench
CC=${CC:-cc}

die() { echo "bench: $*" >&2; exit 2; }

[ -x "$SIPSIFT" ] || die "$SIPSIFT not built (run make)"
mkdir -p "$OUT" || die "cannot create $OUT"
# Measure a copy: a rebuild of $SIPSIFT during the run (the tree is shared)
# must not mix two binaries in one table.
cp "$SIPSIFT" "$OUT/sipsift-under-test" || die "cannot copy $SIPSIFT"
SIPSIFT_NAME=$SIPSIFT
SIPSIFT=$OUT/sipsift-under-test
command -v pkg-config >/dev/null || die "pkg-config missing"

# ---- helpers built from their sources (no Makefile rule of their own) ----
build_tool() { # out src [extra args...]
	local out=$1 src=$2
	shift 2
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
		"$CC" -O2 -g -std=c11 -Wall -Wextra -o "$out" "$src" "$@" ||
			die "cannot build $out"
	fi
}
pkg-config --exists libsrtp2 ||
	die "libsrtp2 (pkg-config) missing: gen_bench needs it"
# shellcheck disable=SC2046
build_tool "$OUT/gen_bench" tests/tools/gen_bench.c \
	$(pkg-config --cflags libsrtp2) $(pkg-config --libs libsrtp2)
# shellcheck disable=SC2046
build_tool "$OUT/bench_pcap_loop" tests/bench_pcap_loop.c \
	$(pkg-config --cflags libpcap) $(pkg-config --libs libpcap)

PIN=()
if command -v taskset >/dev/null && taskset -c "$CPU" true 2>/dev/null; then
	PIN=(taskset -c "$CPU")
fi
HAVE_TSHARK=0
if [ "$USE_TSHARK" != 0 ] && command -v tshark >/dev/null; then
	HAVE_TSHARK=1
fi
HAVE_PY=0
command -v python3 >/dev/null && HAVE_PY=1

# ---- captures, generated once --------------------------------------------
GEN_ID=$(cksum <tests/tools/gen_bench.c | awk '{printf "%08x", $1}')
declare -A FILE_OF
want=()
for f in $FILES; do
	kind=mixed gflags=()
	case $f in
	medium) n=$PACKETS ;;
	long) n=$((PACKETS * LONG_FACTOR)) ;;
	srtp) n=$SRTP_PACKETS kind=srtp gflags=(--srtp) ;;
	*) die "unknown file '$f' in BENCH_FILES (medium, long, srtp)" ;;
	esac
	path=$OUT/$kind-$n-c$CONC-s$SEED-t$TCP_EVERY-g$GEN_ID.pcap
	FILE_OF[$f]=$path
	want+=("$path")
	gen_kinds=("$kind")
	# "srtp" is compared with its twin in plain RTP.
	[ "$f" != srtp ] || gen_kinds+=(mixed)
	for k in "${gen_kinds[@]}"; do
		p=$OUT/$k-$n-c$CONC-s$SEED-t$TCP_EVERY-g$GEN_ID.pcap
		if [ "$k" != "$kind" ]; then
			gflags=()
			FILE_OF[srtp-plain]=$p
			want+=("$p")
		fi
		if [ ! -s "$p" ] || [ ! -s "$p.meta" ]; then
			echo "bench: generating $p ($n packets, $CONC concurrent calls)" >&2
			"$OUT/gen_bench" -n "$n" -c "$CONC" -s "$SEED" -t "$TCP_EVERY" \
				"${gflags[@]}" -o "$p.tmp" 2>"$p.meta.tmp" ||
				{ cat "$p.meta.tmp" >&2; die "generator failed"; }
			mv "$p.tmp" "$p" && mv "$p.meta.tmp" "$p.meta"
		fi
	done
done
# Drop captures of other sizes, seeds or generator versions: they are big.
for old in "$OUT"/mixed-*.pcap "$OUT"/srtp-*.pcap; do
	[ -e "$old" ] || continue
	keep=0
	for w in "${want[@]}"; do [ "$old" = "$w" ] && keep=1; done
	[ $keep = 1 ] || rm -f "$old" "$old.meta"
done

# meta KEY FILE: a number from the generator's summary line.
meta() {
	case $1 in
	packets) sed -n 's/.*: \([0-9]*\) packets (.*/\1/p' "$2.meta" ;;
	rtp) sed -n 's/.* packets (\([0-9]*\) RTP, .*/\1/p' "$2.meta" ;;
	sip) sed -n 's/.* RTP, \([0-9]*\) SIP\/UDP, \([0-9]*\) SIP\/TCP.*/\1 \2/p' "$2.meta" |
		awk '{print $1 + $2}' ;;
	calls) sed -n 's/.* segments), \([0-9]*\) calls.*/\1/p' "$2.meta" ;;
	esac
}

# ---- timing ---------------------------------------------------------------
# timed OUTFILE CMD...: runs CMD (stdout to OUTFILE, stderr to OUTFILE.err),
# sets SECS (wall clock) and RSS_KIB (max RSS, "" when unknown); returns
# CMD's status.
timed() {
	local outf=$1 t0 t1 rc rf
	shift
	rf=$(mktemp)
	t0=$EPOCHREALTIME
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M %U %S' -o "$rf" "$@" >"$outf" 2>"$outf.err"
		rc=$?
	elif [ $HAVE_PY = 1 ]; then
		python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%d %.2f %.2f\n" % (r.ru_maxrss, r.ru_utime, r.ru_stime))
sys.exit(rc)' "$rf" "$@" >"$outf" 2>"$outf.err"
		rc=$?
	else
		"$@" >"$outf" 2>"$outf.err"
		rc=$?
	fi
	t1=$EPOCHREALTIME
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	RSS_KIB=$(tail -1 "$rf" 2>/dev/null | awk '{print $1}' | tr -dc 0-9)
	CPU_SECS=$(tail -1 "$rf" 2>/dev/null | awk 'NF >= 3 { printf "%.2f", $2 + $3 }')
	rm -f "$rf"
	return $rc
}

# best_of N OUTFILE CMD...: fastest of N runs in SECS (its CPU time in
# CPU_SECS), largest RSS in RSS_KIB.
best_of() {
	local n=$1 outf=$2 i best="" rss="" cpu=""
	shift 2
	for ((i = 0; i < n; i++)); do
		timed "$outf" "$@" || return 1
		if [ -z "$best" ] || awk -v a="$SECS" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$SECS
			cpu=$CPU_SECS
		fi
		if [ -n "$RSS_KIB" ] && { [ -z "$rss" ] || [ "$RSS_KIB" -gt "$rss" ]; }; then
			rss=$RSS_KIB
		fi
	done
	SECS=$best
	RSS_KIB=$rss
	CPU_SECS=$cpu
}

# fmt N: N with thousands separators.
fmt() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

ROWS=()
declare -A PPS RSS
fails=0
verdicts=()

row() { # tool file packets secs rss_kib floor_secs
	local pps mib ns
	pps=$(awk -v p="$3" -v s="$4" 'BEGIN { printf "%.0f", (s > 0 ? p / s : 0) }')
	mib=$( [ -n "$5" ] && awk -v k="$5" 'BEGIN { printf "%.1f", k / 1024 }' || echo n/a)
	ns=$(awk -v p="$3" -v s="$4" 'BEGIN { printf "%.0f", s * 1e9 / p }')
	PPS[$1/$2]=$pps
	RSS[$1/$2]=${5:-}
	ROWS+=("$(printf '%-16s %-7s %10s %9s %13s %8s %10s' "$1" "$2" "$3" "$4" \
		"$(fmt "$pps")" "$ns" "$mib")")
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "bench: $(nproc 2>/dev/null || echo ?) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
	"pinned to: ${PIN[*]:-nothing (no taskset)}; $SIPSIFT_NAME: $($SIPSIFT --version 2>/dev/null | head -1)," \
	"$(sha1sum "$SIPSIFT" | cut -c1-12), built $(date -r "$SIPSIFT_NAME" '+%F %T' 2>/dev/null)" \
	"at $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src include Makefile 2>/dev/null || echo ' + uncommitted src changes');" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (other work on the machine skews the numbers)"
for f in $FILES; do
	path=${FILE_OF[$f]}
	echo "bench: $f = $path: $(sed 's/^gen_bench: [^:]*: //' "$path.meta")"
done

for f in $FILES; do
	path=${FILE_OF[$f]}

	# The floor: libpcap's own read loop.
	best_of "$RUNS" "$TMP/loop" "${PIN[@]}" "$OUT/bench_pcap_loop" "$path" ||
		die "bench_pcap_loop failed on $path: $(cat "$TMP/loop.err")"
	npkt=$(sed -n 's/^packets=\([0-9]*\) .*/\1/p' "$TMP/loop")
	[ "$npkt" = "$(meta packets "$path")" ] ||
		die "$path: libpcap reads $npkt packets, the generator wrote $(meta packets "$path")"
	row "libpcap-loop" "$f" "$npkt" "$SECS" "$RSS_KIB"

	# sipsift saw what was written (one untimed run with a real report).
	if ! "$SIPSIFT" analyze -q --format json -o "$TMP/report.json" "$path"; then
		echo "bench: sipsift failed on $path" >&2
		fails=$((fails + 1))
	elif [ $HAVE_PY = 0 ]; then
		[ "$f" != srtp ] || die "python3 needed to count decrypted packets on $f"
	else
		got=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(s["packets"], s["sip_messages"], s["calls"], s["sip_parse_errors"])' "$TMP/report.json")
		exp="$npkt $(meta sip "$path") $(meta calls "$path") 0"
		if [ "$got" != "$exp" ]; then
			echo "bench: $f: sipsift reports packets/SIP messages/calls/parse errors '$got'," \
				"the generator wrote '$exp'" >&2
			verdicts+=("FAIL  sipsift report on $f: $got (expected $exp)")
			fails=$((fails + 1))
		fi
	fi

	if [ "$f" = srtp ]; then
		# Decrypted packets, authentication failures and streams of the
		# untimed report (empty when sipsift failed above).
		dec=$([ -s "$TMP/report.json" ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [x["srtp"] for x in d.get("streams", []) if x.get("srtp")]
print(sum(x.get("decrypted", 0) for x in s), sum(x.get("auth_failures", 0) for x in s),
      len(s), d["summary"].get("decrypted_streams", 0))' "$TMP/report.json")
		read -r DECRYPTED AUTHFAIL SRTP_STREAMS DEC_STREAMS <<<"${dec:-0 0 0 0}"
		nrtp=$(meta rtp "$path")
		msg="every SRTP packet on $f decrypted: $(fmt "$DECRYPTED") of $(fmt "$nrtp") RTP packets written, $AUTHFAIL auth failures, $DEC_STREAMS of $SRTP_STREAMS SRTP streams decrypted"
		if [ -n "$nrtp" ] && [ "$DECRYPTED" = "$nrtp" ] && [ "$AUTHFAIL" = 0 ] &&
			[ "$DEC_STREAMS" = "$SRTP_STREAMS" ]; then
			SRTP_CHECK="PASS  $msg"
		else
			SRTP_CHECK="FAIL  $msg"
			fails=$((fails + 1))
		fi
		best_of "$RUNS" "$TMP/sipsift" "${PIN[@]}" "$SIPSIFT" analyze -q --format json \
			-o /dev/null "$path" || {
			echo "bench: sipsift failed on $path: $(cat "$TMP/sipsift.err")" >&2
			fails=$((fails + 1))
			continue
		}
		row "sipsift srtp" "$f" "$npkt" "$SECS" "$RSS_KIB"
		# The same run counted in decrypted packets (ns per decrypted packet).
		row "srtp decrypted" "$f" "$DECRYPTED" "$SECS" "$RSS_KIB"
		SRTP_SECS=$SECS
		SRTP_CPU=$CPU_SECS
		# The same capture in plain RTP: what decryption costs.
		plain=${FILE_OF[srtp-plain]}
		if best_of "$RUNS" "$TMP/sipsift-plain" "${PIN[@]}" "$SIPSIFT" analyze -q \
			--format json -o /dev/null "$plain"; then
			row "sipsift plain" "srtp" "$npkt" "$SECS" "$RSS_KIB"
			PLAIN_SECS=$SECS
			PLAIN_CPU=$CPU_SECS
		else
			echo "bench: sipsift failed on $plain: $(cat "$TMP/sipsift-plain.err")" >&2
			fails=$((fails + 1))
		fi
		if [ -n "$SRTP_MICRO" ]; then
			if [ -x "$SRTP_MICRO" ] && "${PIN[@]}" "$SRTP_MICRO" >"$TMP/micro" 2>&1; then
				MICRO=$(cat "$TMP/micro")
			else
				echo "bench: $SRTP_MICRO failed: $(tail -3 "$TMP/micro" 2>/dev/null)" >&2
				fails=$((fails + 1))
			fi
		fi
		continue
	fi

	best_of "$RUNS" "$TMP/sipsift" "${PIN[@]}" "$SIPSIFT" analyze -q --format json \
		-o /dev/null "$path" || {
		echo "bench: sipsift failed on $path: $(cat "$TMP/sipsift.err")" >&2
		fails=$((fails + 1))
		continue
	}
	row "sipsift" "$f" "$npkt" "$SECS" "$RSS_KIB"

	# NDJSON writes each call when it is finished and frees it: the mode
	# whose memory must stay flat however long the capture.
	best_of 1 "$TMP/sipsift-nd" "${PIN[@]}" "$SIPSIFT" analyze -q --format ndjson \
		-o /dev/null "$path" &&
		row "sipsift ndjson" "$f" "$npkt" "$SECS" "$RSS_KIB"

	if [ $HAVE_TSHARK = 1 ]; then
		if timed "$TMP/tshark" "${PIN[@]}" tshark -q -z sip,stat -r "$path"; then
			row "tshark sip,stat" "$f" "$npkt" "$SECS" "$RSS_KIB"
			tsip=$(sed -n 's/^Number of SIP messages: \([0-9]*\).*/\1/p' "$TMP/tshark")
			[ "$tsip" = "$(meta sip "$path")" ] ||
				echo "bench: note: tshark counted ${tsip:-?} SIP messages in $f, the generator wrote $(meta sip "$path")" >&2
		else
			echo "bench: tshark failed on $path: $(tail -3 "$TMP/tshark.err")" >&2
		fi
	fi
done

echo
printf '%-16s %-7s %10s %9s %13s %8s %10s\n' tool file packets seconds packets/s ns/pkt "maxRSS MiB"
printf '%s\n' "${ROWS[@]}"
echo

# ---- verdicts -------------------------------------------------------------
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

for f in $FILES; do
	[ "$f" != srtp ] || continue
	p=${PPS[sipsift/$f]:-}
	[ -n "$p" ] || { verdicts+=("FAIL  sipsift >= $(fmt "$MIN_PPS") packets/s on $f: no measurement"); fails=$((fails + 1)); continue; }
	if ge "$p" "$MIN_PPS"; then
		verdicts+=("PASS  sipsift >= $(fmt "$MIN_PPS") packets/s on $f: $(fmt "$p") packets/s")
	else
		verdicts+=("FAIL  sipsift >= $(fmt "$MIN_PPS") packets/s on $f: $(fmt "$p") packets/s")
		fails=$((fails + 1))
	fi
	t=${PPS[tshark sip,stat/$f]:-}
	if [ -z "$t" ]; then
		verdicts+=("SKIP  sipsift >= ${MIN_VS_TSHARK}x tshark on $f: tshark not run")
	else
		x=$(awk -v a="$p" -v b="$t" 'BEGIN { printf "%.1f", a / b }')
		if ge "$x" "$MIN_VS_TSHARK"; then
			verdicts+=("PASS  sipsift >= ${MIN_VS_TSHARK}x tshark on $f: ${x}x ($(fmt "$p") vs $(fmt "$t") packets/s)")
		else
			verdicts+=("FAIL  sipsift >= ${MIN_VS_TSHARK}x tshark on $f: ${x}x ($(fmt "$p") vs $(fmt "$t") packets/s)")
			fails=$((fails + 1))
		fi
	fi
done
m=${RSS[sipsift ndjson/medium]:-}
l=${RSS[sipsift ndjson/long]:-}
if [ -z "${FILE_OF[medium]:-}" ] || [ -z "${FILE_OF[long]:-}" ]; then
	verdicts+=("SKIP  memory flat: needs both medium and long in BENCH_FILES")
elif [ -z "$m" ] || [ -z "$l" ]; then
	verdicts+=("SKIP  memory flat: max RSS unknown (no /usr/bin/time, no python3)")
else
	g=$(awk -v a="$l" -v b="$m" 'BEGIN { printf "%.2f", a / b }')
	msg="sipsift --format ndjson max RSS long <= ${MAX_RSS_GROWTH}x medium: $(awk -v k="$l" 'BEGIN { printf "%.1f", k / 1024 }') MiB vs $(awk -v k="$m" 'BEGIN { printf "%.1f", k / 1024 }') MiB = ${g}x for ${LONG_FACTOR}x the packets"
	if ge "$MAX_RSS_GROWTH" "$g"; then
		verdicts+=("PASS  $msg")
	else
		verdicts+=("FAIL  $msg")
		fails=$((fails + 1))
	fi
fi
if [ -n "${FILE_OF[srtp]:-}" ]; then
	[ -z "${SRTP_CHECK:-}" ] || verdicts+=("$SRTP_CHECK")
	d=${PPS[srtp decrypted/srtp]:-}
	if [ -z "$d" ]; then
		verdicts+=("FAIL  sipsift decrypts >= $(fmt "$MIN_SRTP_PPS") SRTP packets/s on srtp: no measurement")
		fails=$((fails + 1))
	else
		msg="sipsift decrypts >= $(fmt "$MIN_SRTP_PPS") SRTP packets/s on srtp (one core): $(fmt "$d") packets/s ($(fmt "$DECRYPTED") decrypted in ${SRTP_SECS}s)"
		if ge "$d" "$MIN_SRTP_PPS"; then
			verdicts+=("PASS  $msg")
		else
			verdicts+=("FAIL  $msg")
			fails=$((fails + 1))
		fi
	fi
	if [ -z "${PLAIN_SECS:-}" ] || [ -z "${SRTP_SECS:-}" ]; then
		verdicts+=("FAIL  srtp >= ${MIN_SRTP_VS_PLAIN}x the speed of plain RTP: no measurement")
		fails=$((fails + 1))
	else
		x=$(awk -v a="$PLAIN_SECS" -v b="$SRTP_SECS" 'BEGIN { printf "%.2f", a / b }')
		cx=$(awk -v a="${PLAIN_CPU:-0}" -v b="${SRTP_CPU:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }')
		msg="sipsift on srtp runs at >= ${MIN_SRTP_VS_PLAIN}x its speed on the same capture in plain RTP (one core): ${x}x (${SRTP_SECS}s vs ${PLAIN_SECS}s wall; CPU user+sys ${SRTP_CPU:-?}s vs ${PLAIN_CPU:-?}s = ${cx}x)"
		if ge "$x" "$MIN_SRTP_VS_PLAIN"; then
			verdicts+=("PASS  $msg")
		else
			verdicts+=("FAIL  $msg")
			fails=$((fails + 1))
		fi
	fi
fi
if [ -n "${MICRO:-}" ]; then
	echo "SRTP micro-bench ($SRTP_MICRO, CPU time, pinned like the rest):"
	printf '%s\n' "$MICRO"
	echo
fi
printf '%s\n' "${verdicts[@]}"
if [ $fails -ne 0 ]; then
	echo "bench: $fails target(s) failed"
	exit 1
fi
echo "bench: all targets met"
