#!/usr/bin/env bash
# Memory that runs out, as a user meets it: each command on each capture
# under ulimit -d (RLIMIT_DATA), from just above what the dynamic loader
# needs up to where the whole run fits. Every run must either finish
# (exit 0 or 1) or say "out of memory" and exit 5: never a signal or a
# hang, never an output error (4) or an input error (3) for want of
# memory. test_oom fails the library's own allocations one by one; this
# also covers main, the libraries' allocations (libsrtp2 and the NSS it
# starts, libsndfile, jansson, OpenSSL) and the allocator's own limits.
# Found so far: segmentation faults in libsrtp2's first srtp_init (its
# NSS) and in OpenSSL's first fetch (sift_room_for before each), a silent
# exit 5 from report's second pass (rerun.c), and WAV files and capture
# buffers said as output and input errors (audio.c, main.c).
# One case per capture and command; its line says how many runs fitted
# and how many said out of memory.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A sipp call (sip-udp-sipp.pcap) with a frame of the largest size
# accepted (256 KiB) after each of its packets: the reader's buffer grows
# for them mid-run, in the first pass and in the second (show, extract,
# report), and that memory is no damage of the input's.
python3 - testdata/sip-udp-sipp.pcap "$tmp/bigpkt.pcap" <<'EOF'
import struct, sys
src = open(sys.argv[1], "rb").read()
big = (b"\0" * 12 + b"\x08\x00" +
       struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0xffff, 1, 0, 64, 17, 0,
                   bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) +
       struct.pack("!HHHH", 40000, 40000, 0, 0))
big += b"\0" * (262144 - len(big))
with open(sys.argv[2], "wb") as f:
    f.write(src[:24])
    at = 24
    while at + 16 <= len(src):
        sec, usec, cl, ln = struct.unpack("<IIII", src[at:at + 16])
        f.write(src[at:at + 16 + cl])
        f.write(struct.pack("<IIII", sec, usec, len(big), len(big)) + big)
        at += 16 + cl
EOF

captures=(
	testdata/srtp-dtmf-call.pcap
	testdata/srtp-rekey.pcap
	testdata/audio-opus.pcap
	testdata/tls-tls13-chacha20-dsb.pcapng
	testdata/tls-kamailio-srtp.pcap
	testdata/sip-tcp-segmented.pcap
	testdata/sip-udp-fragmented.pcap
	"$tmp/bigpkt.pcap"
)
commands=(
	"calls"
	"lint"
	"analyze --format json"
	"analyze --format ndjson"
	"lint --format junit"
	"report -o $tmp/r.html -d $tmp/wav"
	"audio -d $tmp/wav"
	"decrypt -w $tmp/d.pcap"
	"show --call 1"
	"extract --call 1 -w $tmp/d.pcap"
	"analyze --format json -j 2"
)

# The smallest limit the loader starts the program under (its shared
# libraries' data): below it nothing of sipsift's runs.
floor=
for kb in $(seq 1000 100 8000); do
	if (ulimit -d "$kb" && exec timeout 20 "$SIPSIFT" --version) >/dev/null 2>&1; then
		floor=$kb
		break
	fi
done
if [ -z "$floor" ]; then
	echo "not ok memlimit/floor: sipsift --version did not start under 8 MB"
	exit 0
fi

# One case: command c on capture f under limits step KB apart.
one_case() {
	local f=$1 c=$2 step=$3 name fit said bad j refrc kb rc o
	# The case's name: the command without the paths of $tmp.
	name="memlimit/$(basename "$f") $(printf '%s' "$c" | sed "s|$tmp/||g")"
	fit=0 said=0 bad=
	# One core unless the command asks for two (the reader's
	# thread and its arena).
	case " $c " in *" -j "*) j= ;; *) j="-j 1" ;; esac
	# What the run gives with no limit: each run that fits must
	# give the same, its files too (a loss without a word passes
	# no exit status check).
	rm -rf "$tmp/wav" "$tmp/d.pcap" "$tmp/r.html" "$tmp/ref"
	# shellcheck disable=SC2086 # c and j are words
	timeout 20 "$SIPSIFT" $c $j "$f" >"$tmp/out" 2>/dev/null
	refrc=$?
	mkdir "$tmp/ref"
	mv "$tmp/out" "$tmp/ref/stdout"
	for o in wav d.pcap r.html; do
		[ -e "$tmp/$o" ] && mv "$tmp/$o" "$tmp/ref/"
	done
	# Bounded: at most 77 limits, each run at most 20 s.
	for kb in $(seq "$floor" "$step" $((floor + 7600))); do
		rm -rf "$tmp/wav" "$tmp/d.pcap" "$tmp/r.html"
		# shellcheck disable=SC2086 # c and j are words
		(ulimit -d "$kb" && exec timeout 20 "$SIPSIFT" $c $j "$f") \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		case $rc in
		0 | 1)
			fit=$((fit + 1))
			if [ "$rc" != "$refrc" ] || ! cmp -s "$tmp/out" "$tmp/ref/stdout"; then
				bad="at $kb KB: exit $rc and its output differ from the run with no limit"
			fi
			for o in wav d.pcap r.html; do
				if [ -e "$tmp/ref/$o" ] && ! diff -r "$tmp/$o" "$tmp/ref/$o" >/dev/null 2>&1; then
					bad="at $kb KB: $o differs from the run with no limit"
				fi
			done
			;;
		2)
			# A call asked for that the capture lacks (TLS
			# without keys has none): fitted, or said so.
			if grep -q 'no such call' "$tmp/err"; then
				fit=$((fit + 1))
			else
				bad="exit 2 at $kb KB: $(head -1 "$tmp/err")"
			fi
			;;
		5)
			if grep -q 'out of memory' "$tmp/err"; then
				said=$((said + 1))
			else
				bad="exit 5 at $kb KB: $(head -1 "$tmp/err")"
			fi
			;;
		*) bad="exit $rc at $kb KB: $(head -1 "$tmp/err")" ;;
		esac
		[ -n "$bad" ] && break
	done
	if [ -n "$bad" ]; then
		echo "not ok $name: $bad"
	elif [ "$fit" -eq 0 ]; then
		echo "not ok $name: never fitted in $((floor + 7600)) KB"
	else
		echo "ok $name ($fit fitted, $said out of memory)"
	fi
}

for f in "${captures[@]}"; do
	for c in "${commands[@]}"; do
		one_case "$f" "$c" 400
	done
done
# Narrow windows, in 100 KB steps: the pass that reads the signalling
# again for keys that come after their SRTP (pipeline_keys.c) left an
# input out of it when memory ran out, and its SRTP became auth failures
# (between 6.4 and 6.5 MB, with either -j).
one_case testdata/srtp-early-tcp.pcap "analyze --format json" 100
one_case testdata/srtp-early-tcp.pcap "analyze --format json -j 2" 100
# libsrtp2's srtp_create freed a half-made session through a NULL list
# when memory ran out in it: report -j 2 at 7 MB (srtp.c, create_session).
one_case testdata/srtp-mki.pcap "report -o $tmp/r.html -d $tmp/wav -j 2" 200
