#!/usr/bin/env bash
# Adds a golden case to tests/TESTLIST for each testdata/lint-*.pcap that
# has none yet; then run tests/golden-update.sh and read the diff.
#
# The expected exit status of a case is a claim made by hand (1 when the
# capture's rule is an error at the default --fail-on, else 0), never taken
# from what the binary does now: give it as LINT_EXPECT="name=STATUS ...".
# Cases already in TESTLIST are left as they are.
set -eu
cd "$(dirname "$0")/.."
declare -A have want
while read -r name _; do have[$name]=1; done < tests/TESTLIST
for kv in ${LINT_EXPECT:-}; do want[${kv%%=*}]=${kv#*=}; done
new=""
for f in testdata/lint-*.pcap; do
  n=$(basename "$f" .pcap)
  [ -z "${have[$n]:-}" ] || continue
  case "${want[$n]:-}" in
  0|1) ;;
  *) echo "lint-testlist: $n needs its expected exit status by hand: LINT_EXPECT=\"$n=1\" $0" >&2
     exit 2 ;;
  esac
  new+=$(printf '%-34s %s  %-48s lint' "$n" "${want[$n]}" "$f")$'\n'
done
[ -n "$new" ] || exit 0
# After the last lint-* capture case.
last=$(grep -n '^lint-[^ ]* *[01]  testdata/lint-' tests/TESTLIST | tail -1 | cut -d: -f1)
printf '%s' "$new" > "${TMPDIR:-/tmp}/lint-testlist.$$"
sed -i "${last}r ${TMPDIR:-/tmp}/lint-testlist.$$" tests/TESTLIST
rm -f "${TMPDIR:-/tmp}/lint-testlist.$$"
