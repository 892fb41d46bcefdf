#!/usr/bin/env bash
# make bench — memory and release cost of calls and streams at scale
# (issue #18 "scale without surprises"), in NDJSON mode, the mode that
# frees each call as it finishes.
#
#   tests/bench-mem.sh        (what `make bench` runs; needs ./sipsift)
#
# Captures: tests/tools/gen_concurrent.py writes them into build/bench-mem/
# once (kept while the generator is unchanged): N calls all in progress at
# once, each an INVITE / 200 (PCMU SDP) / ACK, then RTP_PER_DIRECTION RTP
# packets each way for every call (2 streams a call), then BYE / 200 for
# every call, then one OPTIONS 60 s later so every call is released while
# the capture runs. "media" has 3 RTP packets per direction, "sig" none
# (the same calls, SDP included, no stream). Sizes: BENCH_MEM_CALLS
# (100,000), and a quarter and a half of it for the slope.
#
# Each run is `nice -n 19 /usr/bin/time -v sipsift analyze -q --format
# ndjson`: max RSS and CPU time (user + sys; wall time on a shared machine
# says little).
#
# Printed: max RSS of each run; bytes per call (the slope of "sig" from a
# quarter to all of BENCH_MEM_CALLS) and per stream (the slope of "media"
# less "sig", per stream).
# Targets (exit status 1 when one fails; `make check` never runs this):
#   max RSS of BENCH_MEM_CALLS concurrent calls with media <= BENCH_MEM_MAX_MB
#   (1024 MiB)
#   NDJSON release is linear: CPU time of all calls <= BENCH_MEM_LINEAR (6) x
#   that of a quarter of them (4 x when linear; quadratic would be 16 x)
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
N=${BENCH_MEM_CALLS:-100000}
MAX_MB=${BENCH_MEM_MAX_MB:-1024}
LINEAR=${BENCH_MEM_LINEAR:-6}
dir=build/bench-mem
mkdir -p "$dir"
gen=tests/tools/gen_concurrent.py
tag=$(cksum <"$gen" | cut -d' ' -f1)
[ -x /usr/bin/time ] || { echo "bench-mem: /usr/bin/time is needed (apt-get install time)"; exit 1; }

capture() {   # capture N PER: prints the path, made once
	local f="$dir/concurrent-$1-$2-$tag.pcap"
	[ -s "$f" ] || nice -n 19 python3 "$gen" "$1" "$f" "$2" >/dev/null || exit 1
	echo "$f"
}

# measure FILE: sets rss (KiB) and cpu (seconds)
measure() {
	local t
	t=$(mktemp)
	nice -n 19 /usr/bin/time -v "$SIPSIFT" analyze -q --format ndjson "$1" \
		>/dev/null 2>"$t"
	rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$t")
	cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$t")
	rm -f "$t"
}

rc=0
q=$((N / 4))
declare -A RSS CPU
for kind in sig media; do
	per=0
	[ "$kind" = media ] && per=3
	for n in "$q" $((N / 2)) "$N"; do
		f=$(capture "$n" "$per")
		measure "$f"
		RSS[$kind-$n]=$rss
		CPU[$kind-$n]=$cpu
		printf 'bench-mem: %-5s %7d concurrent calls: max RSS %7d KiB, CPU %6.2f s\n' \
			"$kind" "$n" "$rss" "$cpu"
	done
done
per_call=$(( (RSS[sig-$N] - RSS[sig-$q]) * 1024 / (N - q) ))
per_stream=$(( ((RSS[media-$N] - RSS[media-$q]) - (RSS[sig-$N] - RSS[sig-$q])) * 1024 / (2 * (N - q)) ))
echo "bench-mem: $per_call bytes per call (signalling and SDP), $per_stream bytes per RTP stream"
mb=$((RSS[media-$N] / 1024))
if [ "$mb" -le "$MAX_MB" ]; then
	echo "ok bench-mem/rss: $N concurrent calls with media in $mb MiB (<= $MAX_MB)"
else
	echo "not ok bench-mem/rss: $N concurrent calls with media take $mb MiB (> $MAX_MB)"
	rc=1
fi
ratio=$(awk -v a="${CPU[media-$N]}" -v b="${CPU[media-$q]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
if awk -v r="$ratio" -v l="$LINEAR" 'BEGIN {exit !(r <= l)}'; then
	echo "ok bench-mem/linear: CPU x$ratio for 4x the calls (<= $LINEAR)"
else
	echo "not ok bench-mem/linear: CPU x$ratio for 4x the calls (> $LINEAR)"
	rc=1
fi
exit $rc
