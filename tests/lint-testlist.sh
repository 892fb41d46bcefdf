#!/usr/bin/env bash
# Rewrites the lint section at the end of tests/TESTLIST from the captures
# in testdata/ (the expected exit status is what lint gives now: read the
# diff), then run tests/golden-update.sh.
cd "$(dirname "$0")/.."
sed -i '/^# lint (issue: lint)/,$d' tests/TESTLIST
{
echo "# lint (issue: lint): every rule fires on a capture that reproduces its bug"
for f in testdata/lint-*.pcap; do
  n=$(basename $f .pcap)
  ./sipsift lint -q $f >/dev/null 2>&1; rc=$?
  printf '%-34s %s  %-48s lint\n' "$n" "$rc" "$f"
done
clean=$(ls testdata/*.pcap | grep -v "lint-\|call-no-ack\|testdata/tcp-" | tr '\n' ',' | sed 's/,$//')
echo "# zero findings on every clean capture from real stacks"
printf '%-34s 0  %s  lint --fail-on info\n' "lint-clean" "$clean"
echo "lint-no-ack-junit                  1  testdata/call-no-ack.pcap                      lint --format junit"
echo "lint-cancel-json                   1  testdata/lint-cancel-branch-mismatch.pcap      lint --format json"
echo "lint-rules-disable                 0  testdata/call-no-ack.pcap                      lint --rules -ack"
echo "lint-fail-on-warning               1  testdata/lint-cancel-after-final.pcap          lint --fail-on warning"
echo "lint-corpus-parse-errors           1  testdata/corpus/suricata-verify/sdp_sdp.pcap,testdata/corpus/pcapplusplus/sip_reqs.pcap  lint"
echo "lint-list-rules                    0  testdata/sip-udp-sipp.pcap                     lint --list-rules"
} >> tests/TESTLIST
