#!/usr/bin/env bash
# Every lint rule is documented in the man page as --list-rules prints it
# (severity and RFC section), and fires in at least one golden report.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}

page=$(groff -man -Tutf8 -P-c -P-b -P-o -P-u man/sipsift.1 2>/dev/null |
	sed 's/\xe2\x80\x90/-/g' | tr -s ' \n' ' ')
"$SIPSIFT" --list-rules | tail -n +2 | while read -r id sev rfc1 rfc2 rfc3 group _; do
	rfc="$rfc1 $rfc2 $rfc3"
	if printf '%s' "$page" | grep -qF -- "$id $sev, $rfc, group $group."; then
		echo "ok rules/documented-$id"
	else
		echo "not ok rules/documented-$id: man page LINT RULES lacks \"$id\" with \"$sev, $rfc, group $group.\""
	fi
	if grep -lqF -e "[$id]" -e "\"rule\": \"$id\"" -e "\"rule\":\"$id\"" tests/golden/*.out; then
		echo "ok rules/triggered-$id"
	else
		echo "not ok rules/triggered-$id: no golden report shows a finding of $id"
	fi
done
