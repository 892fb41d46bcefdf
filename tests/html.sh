#!/usr/bin/env bash
# The HTML report (sipsift report, issue #15): for every capture in
# testdata/*.pcap, and for two made by tests/tools/gen_html.py (markup and
# invalid UTF-8 in Call-IDs; more calls than the page's caps), the page is
# valid HTML, self-contained, and agrees with the JSON report (sections,
# arrows, streams, findings: tests/html_check.py static). The structure of
# a few pages is compared with tests/html/NAME.outline (tests/html.sh
# update rewrites them; read the diff). Headless Chromium then opens some
# pages with JavaScript on (html_check.py browser): all of them with
# HTML_ALL=1 (make html-check), a handful otherwise. A screenshot of one
# page is kept as build/html-report.png.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
BUILD=${BUILD:-build}
mode=${1:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pages whose structure is golden, and that Chromium opens in make check.
OUTLINED="call-forked srtp-dtmf-call dtmf-both lint-ack-lost"

python3 tests/tools/gen_html.py hostile "$tmp/gen-hostile.pcap"
python3 tests/tools/gen_html.py calls 5100 "$tmp/gen-many.pcap"
browse=()
static=()
for pcap in testdata/*.pcap "$tmp"/gen-*.pcap; do
	name=$(basename "$pcap" .pcap)
	html=$tmp/$name.html
	"$SIPSIFT" -q report -o "$html" "$pcap" 2>"$tmp/err"
	rc=$?
	"$SIPSIFT" -q analyze --format json -o "$tmp/$name.json" "$pcap" 2>/dev/null
	# Exit 3 (a capture that is damaged on purpose) still writes a page.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		echo "not ok html/$name/write: exit $rc: $(head -c 200 "$tmp/err")"
		continue
	fi
	static+=("$html" "$tmp/$name.json")
	case " $OUTLINED " in
	*" $name "*)
		python3 tests/html_check.py outline "$html" >"$tmp/$name.outline"
		if [ "$mode" = update ]; then
			cp "$tmp/$name.outline" "tests/html/$name.outline"
			echo "updated html/$name.outline"
		elif diff -u "tests/html/$name.outline" "$tmp/$name.outline" >"$tmp/diff" 2>&1; then
			echo "ok html/$name/outline"
		else
			echo "not ok html/$name/outline: $(head -c 400 "$tmp/diff")"
		fi
		browse+=("$html" "$tmp/$name.json")
		"$SIPSIFT" -q show --format json -o "$tmp/$name.show.json" "$pcap" 2>/dev/null
		;;
	*)
		if [ -n "${HTML_ALL:-}" ]; then
			browse+=("$html" "$tmp/$name.json")
			"$SIPSIFT" -q show --format json -o "$tmp/$name.show.json" "$pcap" 2>/dev/null
		fi
		;;
	esac
done
# From standard input the inputs cannot be read a second time for the
# messages' text: the page says so and is otherwise the same.
"$SIPSIFT" -q report -o "$tmp/stdin-forked.html" - <testdata/call-forked.pcap
cp "$tmp/call-forked.json" "$tmp/stdin-forked.json"
if grep -q 'id="texts-none"' "$tmp/stdin-forked.html"; then
	echo "ok html/stdin-no-texts"
else
	echo "not ok html/stdin-no-texts: the page from standard input does not say why it has no message text"
fi
static+=("$tmp/stdin-forked.html" "$tmp/stdin-forked.json")
python3 tests/html_check.py static "${static[@]}"
# --format html of the other commands writes the same page.
"$SIPSIFT" -q analyze --format html testdata/call-forked.pcap >"$tmp/analyze.html"
if cmp -s "$tmp/analyze.html" "$tmp/call-forked.html"; then
	echo "ok html/analyze-format-html"
else
	echo "not ok html/analyze-format-html: differs from sipsift report's page"
fi
"$SIPSIFT" -q show --format json -o "$tmp/gen-hostile.show.json" "$tmp/gen-hostile.pcap"
browse+=("$tmp/gen-hostile.html" "$tmp/gen-hostile.json")
# Past 1000 calls the browser draws a call's section when its row opens.
[ -z "${HTML_ALL:-}" ] && browse+=("$tmp/gen-many.html" "$tmp/gen-many.json")

# With -d DIR a player per stream file and per call's stereo file, linked
# beside the page; with --embed-audio inside it. Chromium plays them.
aud=$tmp/aud
mkdir -p "$aud"
"$SIPSIFT" -q analyze --format json -d "$aud/wav" -o "$aud/linked.json" testdata/audio-pcma.pcap
"$SIPSIFT" -q report -d "$aud/wav" -o "$aud/linked.html" testdata/audio-pcma.pcap
"$SIPSIFT" -q report -d "$aud/wav" --embed-audio -o "$aud/embedded.html" testdata/audio-pcma.pcap
cp "$aud/linked.json" "$aud/embedded.json"
python3 tests/html_check.py audio "$aud/linked.html" "$aud/linked.json"
python3 tests/html_check.py audio "$aud/embedded.html" "$aud/embedded.json" embedded
# RTP of no call (the heuristic): its players under the streams table.
"$SIPSIFT" -q analyze --format json -d "$aud/wav-nocall" -o "$aud/nocall.json" testdata/corpus/sipp/g711a.pcap
"$SIPSIFT" -q report -d "$aud/wav-nocall" -o "$aud/nocall.html" testdata/corpus/sipp/g711a.pcap
python3 tests/html_check.py audio "$aud/nocall.html" "$aud/nocall.json"
if "$SIPSIFT" -q report --embed-audio -o "$aud/x.html" testdata/audio-pcma.pcap 2>/dev/null; then
	echo "not ok html/embed-audio-needs-dir: --embed-audio without -d was accepted"
else
	echo "ok html/embed-audio-needs-dir"
fi

if ! command -v chromium >/dev/null 2>&1; then
	echo "note: html: chromium is not installed; the pages were not opened in a browser"
	exit 0
fi
mkdir -p "$BUILD"
python3 tests/html_check.py browser --shot "$BUILD/html-report.png" "${browse[@]}"
HTML_AUDIO=1 python3 tests/html_check.py browser "$aud/linked.html" "$aud/linked.json" \
	"$aud/embedded.html" "$aud/embedded.json" "$aud/nocall.html" "$aud/nocall.json"
