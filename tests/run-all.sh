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

run_units "$BUILD" ""
export SIPSIFT
run_cases "" tests/golden.sh
run_cases "" tests/cli.sh
run_cases "" tests/hostile/run.sh
run_cases "" tests/corpus.sh
run_cases "" tests/manlint.sh
run_cases "" tests/torture.sh
run_cases "" tests/rules_check.sh
run_cases "" python3 tests/checksrc.py
run_cases "" tests/html.sh

if [ -n "${ASAN_BUILD:-}" ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	run_units "$ASAN_BUILD" "asan/"
	# Every fuzz corpus file, and every capture we have, through each
	# fuzz target built with the sanitizers.
	for r in "$ASAN_BUILD"/replay/fuzz_*; do
		[ -x "$r" ] || continue
		name=$(basename "$r")
		if out=$("$r" "fuzz/corpus/$name" 2>&1); then
			echo "ok asan/replay-$name: ${out##*$'\n'}" >/dev/null
			ok
		else
			printf '%s\n' "$out" | grep -E 'ERROR|SUMMARY|runtime error' | head -5 >&2
			ko "asan/replay-$name"
		fi
	done
	SIPSIFT="$ASAN_BUILD/sipsift" run_cases "asan/" tests/golden.sh
	SIPSIFT="$ASAN_BUILD/sipsift" run_cases "asan/" tests/cli.sh
	SIPSIFT="$ASAN_BUILD/sipsift" run_cases "asan/" tests/hostile/run.sh
	SIPSIFT="$ASAN_BUILD/sipsift" run_cases "asan/" tests/torture.sh
fi

if [ "$fail" -ne 0 ]; then
	echo "failed:" >&2
	printf '  %s\n' "${failed_names[@]}" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
