#!/usr/bin/env bash
# The man page: clean under groff's warnings, and in step with --help
# (every option and command that --help lists is documented).
set -u
cd "$(dirname "$0")/.."
SIPSIFT=${SIPSIFT:-./sipsift}
page=man/sipsift.1

if ! command -v groff >/dev/null 2>&1; then
	echo "not ok man/groff: groff is not installed"
	exit 0
fi
w=$(groff -man -ww -z "$page" 2>&1)
[ -z "$w" ] && echo "ok man/groff-clean" || echo "not ok man/groff-clean: $w"

# The page as text, with hyphens as typed.
text=$(groff -man -Tutf8 -P-c -P-b -P-o -P-u "$page" 2>/dev/null | sed 's/\xe2\x80\x90/-/g')
help=$("$SIPSIFT" --help)
for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	if printf '%s\n' "$text" | grep -q -- "$opt"; then
		echo "ok man/option$opt"
	else
		echo "not ok man/option$opt: --help lists $opt, the man page does not"
	fi
done
for cmd in $(printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/p' | grep -E '^  [a-z]+ ' | awk '{ print $1 }'); do
	if printf '%s\n' "$text" | grep -Eq "^ {7}$cmd\b"; then
		echo "ok man/command-$cmd"
	else
		echo "not ok man/command-$cmd: not in the man page's COMMANDS"
	fi
done
