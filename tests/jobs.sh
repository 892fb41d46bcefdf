#!/usr/bin/env bash
# -j 2 (a reader thread that reads and parses SIP ahead, src/prefetch.c)
# must change nothing a user sees: for every capture, calls, lint and
# analyze --format json give the same stdout, stderr and exit status with
# -j 2 as with -j 1. Prints "ok jobs/FILE" or "not ok jobs/FILE: MODE".
#   JOBS_FILES: the captures (default: every capture in testdata/, the
#   corpus too)
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run J MODE... FILE: stdout, stderr and status into $tmp/J
run() {
	local j=$1
	shift
	# shellcheck disable=SC2086
	timeout 120 "$SIPSIFT" -j "$j" "$@" >"$tmp/out$j" 2>"$tmp/err$j"
	echo "$?" >>"$tmp/out$j"
}

# Every message the reader can parse is parsed ahead (0), not only when it
# is ahead of the pipeline: the path a small capture would otherwise skip.
export SIPSIFT_PREFETCH_AHEAD=${SIPSIFT_PREFETCH_AHEAD:-0}
files=${JOBS_FILES:-$(find testdata -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' | sort)}
n=0
for f in $files; do
	bad=
	for mode in calls lint "analyze --format json"; do
		# shellcheck disable=SC2086
		run 1 $mode "$f"
		# shellcheck disable=SC2086
		run 2 $mode "$f"
		if ! cmp -s "$tmp/out1" "$tmp/out2" || ! cmp -s "$tmp/err1" "$tmp/err2"; then
			bad="$bad${bad:+, }$mode"
		fi
	done
	n=$((n + 1))
	if [ -n "$bad" ]; then
		echo "not ok jobs/$f: -j 2 differs from -j 1 in $bad"
	else
		echo "ok jobs/$f"
	fi
done
[ "$n" -gt 0 ] || echo "not ok jobs: no capture"
