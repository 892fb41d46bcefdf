#!/usr/bin/env bash
# Cross-checks the number of SIP messages sipsift finds against tshark:
#  - on every public capture of ../shared/corpus/pcaps (tshark's counts are
#    in its catalog.json), where tests/corpus-diffs.txt lists and explains
#    each capture on which we knowingly differ, with the count we expect;
#  - on every capture in testdata/, against tshark run now, when installed.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
CORPUS=${SIFT_CORPUS:-../shared/corpus/pcaps}
export SIPSIFT CORPUS

if [ -f "$CORPUS/catalog.json" ]; then
	python3 tests/corpus_check.py
else
	echo "not ok corpus: $CORPUS/catalog.json not found (set SIFT_CORPUS)"
fi

if command -v tshark >/dev/null 2>&1; then
	for f in testdata/*.pcap testdata/*.pcapng testdata/linktypes/*; do
		[ -f "$f" ] || continue
		case "$f" in *.sh|*.md|*.txt) continue ;; esac
		# One value per SIP message, also when a frame holds several.
		want=$(tshark -o tcp.reassemble_out_of_order:TRUE -r "$f" -Y sip \
			-T fields -e sip.CSeq.seq 2>/dev/null | tr ',' '\n' | grep -c .)
		got=$("$SIPSIFT" analyze -q --format json "$f" 2>/dev/null |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["sip_messages"])' 2>/dev/null)
		exp=$(awk -v f="$f" '$1 == f { print $2 }' tests/testdata-diffs.txt 2>/dev/null)
		if [ -n "$exp" ]; then
			[ "$got" = "$exp" ] && echo "ok tshark/$f (tshark $want, we $got as explained)" ||
				echo "not ok tshark/$f: we found $got SIP messages, tests/testdata-diffs.txt expects $exp"
		elif [ "$got" = "$want" ]; then
			echo "ok tshark/$f"
		else
			echo "not ok tshark/$f: tshark finds $want SIP messages, we find ${got:-nothing}"
		fi
	done
else
	echo "note: tshark not installed; testdata cross-check skipped"
fi
