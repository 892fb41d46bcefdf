#!/usr/bin/env bash
# Golden reports: every line of tests/TESTLIST is
#   NAME  EXIT  INPUT[,INPUT...]  ARGS...   (ARGS may use shell quotes)
# The output of "sipsift ARGS INPUT..." must equal tests/golden/NAME.out
# (with the version string masked), its stderr must equal
# tests/golden/NAME.err (no such file: stderr must be empty), and the exit
# status must be EXIT.
# tests/golden-update.sh rewrites the expected files; read the diff.
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
mode=${1:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mask() { sed -E 's/("version": *")[^"]*"/\1VERSION"/'; }

while read -r name want inputs args; do
	case "$name" in ''|'#'*) continue ;; esac
	IFS=, read -r -a files <<<"$inputs"
	# ARGS may quote words ('udp port 5060'): the TESTLIST is ours.
	eval "set -- $args"
	"$SIPSIFT" "$@" "${files[@]}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	mask <"$tmp/out" >"$tmp/masked"
	if [ "$mode" = update ]; then
		cp "$tmp/masked" "tests/golden/$name.out"
		if [ -s "$tmp/err" ]; then
			cp "$tmp/err" "tests/golden/$name.err"
		else
			rm -f "tests/golden/$name.err"
		fi
		echo "updated $name (exit $rc)"
		continue
	fi
	if [ "$rc" != "$want" ]; then
		echo "not ok golden/$name: exit $rc, expected $want: $(head -c 300 "$tmp/err")"
	elif [ ! -f "tests/golden/$name.out" ]; then
		echo "not ok golden/$name: no tests/golden/$name.out (run tests/golden-update.sh)"
	elif ! diff -u "tests/golden/$name.out" "$tmp/masked" >"$tmp/diff"; then
		echo "not ok golden/$name: output differs"
		head -40 "$tmp/diff" | sed 's/^/    /'
	elif [ -f "tests/golden/$name.err" ] && ! diff -u "tests/golden/$name.err" "$tmp/err" >"$tmp/diff"; then
		echo "not ok golden/$name: stderr differs"
		head -20 "$tmp/diff" | sed 's/^/    /'
	elif [ ! -f "tests/golden/$name.err" ] && [ -s "$tmp/err" ]; then
		echo "not ok golden/$name: unexpected stderr: $(head -c 300 "$tmp/err")"
	else
		echo "ok golden/$name"
	fi
done < tests/TESTLIST
