#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (nice 19) and appends one
# line per run to LOG: end time, target, executions, seconds, result.
# Build the targets first: make build-fuzz/fuzz/fuzz_NAME (or make fuzz).
# Usage: fuzz-runs.sh SECONDS LOG [target...]
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
	out=$(nice -n 19 "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
		-timeout=10 -artifact_prefix=build-fuzz/crash/$t/ \
		build-fuzz/corpus/$t fuzz/corpus/$t 2>&1)
	rc=$?
	runs=$(printf '%s\n' "$out" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' | tail -1)
	if [ -z "$runs" ]; then
		runs=$(printf '%s\n' "$out" | grep -o '#[0-9]*' | tail -1 | tr -d '#')" ?"
	fi
	result=ok
	[ $rc -eq 0 ] || result="FAILED rc=$rc (see build-fuzz/crash/$t)"
	printf '%s %s %s %s\n' "$(date -u +%FT%TZ)" "$t" "$runs" "$result" >>"$log"
done
