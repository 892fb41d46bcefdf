#!/usr/bin/env bash
# The RFC 4475 torture messages (testdata/torture/*.dat, each wrapped as one
# UDP datagram by tests/tools/wrap_sip.py; frame N is the N-th file in C
# collation order) through "sipsift lint --format json":
#   - every invalid message gets at least one finding on its frame, of a
#     rule tests/torture-verdicts.txt names for it;
#   - every valid message gets no finding, or only findings of the rules
#     the verdicts file lists (and documents) for it;
#   - nothing crashes: exit status 0 or 1, for the whole capture and for
#     each message alone (10 s each).
# Prints one line per case, "ok NAME" or "not ok NAME: why" (run-all.sh).
# Environment: SIPSIFT (binary), SIFT_TORTURE_DIR (the .dat files).
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
TORTURE=${SIFT_TORTURE_DIR:-testdata/torture}
VERDICTS=tests/torture-verdicts.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=()
while IFS= read -r f; do
	files+=("$f")
done < <(LC_ALL=C ls "$TORTURE"/*.dat 2>/dev/null)
if [ "${#files[@]}" -eq 0 ]; then
	echo "not ok torture/messages: no .dat files in $TORTURE"
	exit 0
fi

if ! python3 tests/tools/wrap_sip.py "$tmp/torture.pcap" "${files[@]}" 2>"$tmp/err"; then
	echo "not ok torture/wrap: $(head -c 200 "$tmp/err")"
	exit 0
fi

timeout 60 "$SIPSIFT" lint --format json "$tmp/torture.pcap" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
	echo "ok torture/lint-exit"
else
	echo "not ok torture/lint-exit: exit $rc: $(head -c 300 "$tmp/err")"
fi

# Judge each message against its verdict.
python3 - "$VERDICTS" "$tmp/out.json" "${files[@]}" <<'EOF'
import json
import os
import shlex
import sys

verdicts_path, report_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
names = [os.path.basename(f)[:-len(".dat")] for f in files]

verdicts = {}
problems = []
with open(verdicts_path, encoding="utf-8") as f:
    for no, line in enumerate(f, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            name, verdict, rules, why = shlex.split(line)
        except ValueError:
            problems.append("line %d is not 'name verdict rules \"why\"'" % no)
            continue
        if verdict not in ("valid", "invalid") or name in verdicts or not why:
            problems.append("line %d: bad verdict, duplicate name or no why" % no)
            continue
        verdicts[name] = (verdict, set() if rules == "-" else set(rules.split(",")))
missing = sorted(set(names) - set(verdicts))
extra = sorted(set(verdicts) - set(names))
if missing:
    problems.append("no verdict for " + ", ".join(missing))
if extra:
    problems.append("verdicts for messages that are not there: " + ", ".join(extra))
ninvalid = sum(1 for v, _ in verdicts.values() if v == "invalid")
if len(names) != 49 or ninvalid != 19:
    problems.append("%d messages and %d invalid verdicts; RFC 4475 has 49 and 19"
                    % (len(names), ninvalid))
if problems:
    print("not ok torture/verdicts: " + "; ".join(problems))
else:
    print("ok torture/verdicts")

try:
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
except (OSError, ValueError) as e:
    print("not ok torture/report: no JSON report (%s)" % e)
    sys.exit(0)

found = {}  # frame number -> [(rule, message)]
for fd in report.get("findings", []):
    for fr in fd.get("frames", []):
        found.setdefault(fr["frame"], []).append((fd["rule"], fd["message"]))

for frame, name in enumerate(names, 1):
    if name not in verdicts:
        continue
    verdict, listed = verdicts[name]
    got = found.get(frame, [])
    rules = {r for r, _ in got}
    why = None
    if verdict == "invalid":
        if not got:
            why = "invalid, and no finding on frame %d" % frame
        elif not rules & listed:
            why = "invalid, covered by %s but the verdicts list %s" % (
                ", ".join(sorted(rules)), ", ".join(sorted(listed)) or "-")
    else:
        unlisted = [(r, m) for r, m in got if r not in listed]
        stale = listed - rules
        if unlisted:
            why = "valid, and findings not in the verdicts file: " + "; ".join(
                "[%s] %s" % (r, m[:160]) for r, m in unlisted)
        elif stale:
            why = ("valid; the verdicts list %s, which no longer fires: update "
                   "tests/torture-verdicts.txt" % ", ".join(sorted(stale)))
    if why:
        print("not ok torture/%s: %s" % (name, why))
    else:
        print("ok torture/%s" % name)
EOF

# Each message alone: no crash, no hang.
for f in "${files[@]}"; do
	name=$(basename "$f" .dat)
	if ! python3 tests/tools/wrap_sip.py "$tmp/one.pcap" "$f" 2>"$tmp/err"; then
		echo "not ok torture/alone-$name: $(head -c 200 "$tmp/err")"
		continue
	fi
	timeout 10 "$SIPSIFT" lint "$tmp/one.pcap" >/dev/null 2>"$tmp/err"
	rc=$?
	case "$rc" in
	0 | 1) echo "ok torture/alone-$name" ;;
	124) echo "not ok torture/alone-$name: no answer within 10 s" ;;
	*) echo "not ok torture/alone-$name: exit $rc: $(head -c 200 "$tmp/err")" ;;
	esac
done
