#!/usr/bin/env bash
# Runs every test a contributor keeps green and prints "N passed, N failed"
# last. Environment: SIPSIFT (binary), BUILD (build dir with tests/), and
# ASAN_BUILD (the AddressSanitizer+UBSan build dir; its unit tests, fuzz
# corpus replays, golden and CLI cases run too when set).
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
BUILD=${BUILD:-build}
pass=0
fail=0
failed_names=()

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); failed_names+=("$1"); echo "FAIL: $1" >&2; }

# Unit tests (cmocka) in dir $1: each test case counts.
run_units() {
	local t out rc p f
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$("$t" 2>&1)
		rc=$?
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		pass=$((pass + ${p:-0}))
		if [ "$rc" -ne 0 ] || [ -n "$f" ]; then
			printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR) |ERROR: |runtime error' | head -20 >&2
			fail=$((fail + ${f:-1}))
			failed_names+=("$2$(basename "$t")")
		fi
	done
}

# Scripts print one line per case, "ok NAME" or "not ok NAME: why".
run_cases() {
	local prefix=$1 line
	shift
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok ;;
		"not ok "*) ko "$prefix${line#not ok }" ;;
		*) echo "$line" ;;
		esac
	done < <("$@" 2>&1)
}

# A section's name and how long it took go to $times (make check prints
# them, slowest first, so that a slow suite is seen when it appears).
timed() {
	local name=$1 t0=$SECONDS
	shift
	"$@"
	echo "$((SECONDS - t0)) s  $name" >>"$times"
}

plain_lane() {
	timed units run_units "$BUILD" ""
	export SIPSIFT
	timed golden run_cases "" tests/golden.sh
	timed cli run_cases "" tests/cli.sh
	timed jobs run_cases "" tests/jobs.sh
	timed hostile run_cases "" tests/hostile/run.sh
	timed corpus run_cases "" tests/corpus.sh
	timed manlint run_cases "" tests/manlint.sh
	timed torture run_cases "" tests/torture.sh
	timed rules run_cases "" tests/rules_check.sh
	timed checksrc run_cases "" python3 tests/checksrc.py
	timed html run_cases "" tests/html.sh
	timed memlimit run_cases "" tests/memlimit.sh
}

asan_replays() {
	local r name out
	for r in "$ASAN_BUILD"/replay/fuzz_*; do
		[ -x "$r" ] || continue
		name=$(basename "$r")
		if out=$("$r" "fuzz/corpus/$name" 2>&1); then
			ok
		else
			printf '%s\n' "$out" | grep -E 'ERROR|SUMMARY|runtime error' | head -5 >&2
			ko "asan/replay-$name"
		fi
	done
}

asan_lane() {
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	timed asan/units run_units "$ASAN_BUILD" "asan/"
	# Every fuzz corpus file, and every capture we have, through each
	# fuzz target built with the sanitizers.
	timed asan/replays asan_replays
	SIPSIFT="$ASAN_BUILD/sipsift" timed asan/golden run_cases "asan/" tests/golden.sh
	SIPSIFT="$ASAN_BUILD/sipsift" timed asan/cli run_cases "asan/" tests/cli.sh
	# -j 2's two threads under the sanitizers: the captures of testdata/
	# (the corpus too is the plain lane's).
	SIPSIFT="$ASAN_BUILD/sipsift" JOBS_FILES="$(ls testdata/*.pcap testdata/*.pcapng)" \
		timed asan/jobs run_cases "asan/" tests/jobs.sh
	# ... and under ThreadSanitizer: captures with SIP over UDP, TCP,
	# fragments, pcapng extras, a cut file, TLS and SRTP.
	if [ -n "${TSAN_BUILD:-}" ] && [ -x "$TSAN_BUILD/sipsift" ]; then
		SIPSIFT="$TSAN_BUILD/sipsift" TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		JOBS_FILES="testdata/sip-udp-sipp.pcap testdata/sip-udp-sipp-cut.pcap
			testdata/sip-udp-fragmented.pcap testdata/sip-tcp-segmented.pcap
			testdata/show-comment.pcapng testdata/srtp-dtmf-call.pcap
			testdata/media-shared-port.pcap testdata/tls-kamailio-srtp.pcap
			testdata/dtmf-sip-info-proxy.pcap testdata/sipp-branch-calls.pcapng
			testdata/srtp-dtmf-call-tcp.pcap" \
			timed tsan/jobs run_cases "tsan/" tests/jobs.sh
	fi
	SIPSIFT="$ASAN_BUILD/sipsift" timed asan/hostile run_cases "asan/" tests/hostile/run.sh
	SIPSIFT="$ASAN_BUILD/sipsift" timed asan/torture run_cases "asan/" tests/torture.sh
}

# A lane runs in a subshell; it leaves its counts and failed names in
# $1.res for the parent to add up.
lane() {
	local res=$1
	shift
	"$@"
	{
		echo "$pass $fail"
		printf '%s\n' "${failed_names[@]}"
	} >"$res"
}

# The plain and the sanitizer lanes share nothing but the sources: on a
# machine with two cores or more they run side by side (LANES=1 runs them
# one after the other).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
times=$tmp/times
: >"$times"
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
lanes=${LANES:-$ncpu}
if [ -n "${ASAN_BUILD:-}" ] && [ "$lanes" -ge 2 ]; then
	(lane "$tmp/plain" plain_lane) >"$tmp/plain.out" 2>&1 &
	plain_pid=$!
	(lane "$tmp/asan" asan_lane) >"$tmp/asan.out" 2>&1 &
	asan_pid=$!
	wait "$plain_pid"
	wait "$asan_pid"
	cat "$tmp/plain.out" "$tmp/asan.out"
else
	(lane "$tmp/plain" plain_lane)
	if [ -n "${ASAN_BUILD:-}" ]; then
		(lane "$tmp/asan" asan_lane)
	fi
fi
for res in "$tmp/plain" "$tmp/asan"; do
	[ -f "$res" ] || continue
	{
		read -r p f
		pass=$((pass + p))
		fail=$((fail + f))
		while IFS= read -r name; do
			[ -n "$name" ] && failed_names+=("$name")
		done
	} <"$res"
done
# A lane that died before writing its counts is a failure, not a pass.
if [ ! -f "$tmp/plain" ]; then ko "plain lane ended early"; fi
if [ -n "${ASAN_BUILD:-}" ] && [ ! -f "$tmp/asan" ]; then ko "asan lane ended early"; fi
echo "time per section (slowest first):"
sort -rn "$times" | sed 's/^/  /'

if [ "$fail" -ne 0 ]; then
	echo "failed:" >&2
	printf '  %s\n' "${failed_names[@]}" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
