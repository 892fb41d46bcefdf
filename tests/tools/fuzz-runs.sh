#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (nice 19) and appends one
# line per run to LOG: end time, target, executions, wall seconds, result,
# CPU seconds.
# Build the targets first: make build-fuzz/fuzz/fuzz_NAME (or make fuzz).
# Usage: fuzz-runs.sh SECONDS LOG [target...]
# FUZZ_NICE (default 19) is the nice level.
# FUZZ_TIMEOUT (seconds, default 10) is libFuzzer's -timeout: the wall time
# one input may take. At nice 19 on a busy machine a fuzzer may get no CPU
# for seconds, and a 10 s limit then stops a run on an input that takes
# 30 ms (seen: fuzz_capture and fuzz_dtmf on 2026-12-06 under a load of 7);
# raise it there.
set -u
secs=$1 log=$2
shift 2
cd "$(dirname "$0")/../.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
for t in "${targets[@]}"; do
	bin=build-fuzz/fuzz/$t
	[ -x "$bin" ] || { echo "no $bin" >&2; continue; }
	mkdir -p build-fuzz/corpus/$t build-fuzz/crash/$t
	cpu=$(mktemp)
	out=$(/usr/bin/time -f '%U %S' -o "$cpu" nice -n "${FUZZ_NICE:-19}" "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
		-timeout="${FUZZ_TIMEOUT:-10}" -artifact_prefix=build-fuzz/crash/$t/ \
		build-fuzz/corpus/$t fuzz/corpus/$t 2>&1)
	rc=$?
	runs=$(printf '%s\n' "$out" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' | tail -1)
	if [ -z "$runs" ]; then
		runs=$(printf '%s\n' "$out" | grep -o '#[0-9]*' | tail -1 | tr -d '#')" ?"
	fi
	result=ok
	[ $rc -eq 0 ] || result="FAILED rc=$rc (see build-fuzz/crash/$t)"
	# CPU seconds beside the wall seconds libFuzzer reports: at nice 19
	# beside other work the two differ.
	cpus=$(awk '{printf "%d", $1 + $2}' "$cpu" 2>/dev/null)
	rm -f "$cpu"
	printf '%s %s %s %s cpu=%ss\n' "$(date -u +%FT%TZ)" "$t" "$runs" "$result" "${cpus:-?}" >>"$log"
done
