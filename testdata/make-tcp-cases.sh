#!/bin/bash
# tcp-*.pcap: generated SIP/TCP stream-reassembly cases (tests/tools/gen_tcp.py) built from the
# SIP messages of the real capture sip-tcp-segmented.pcap, and tcp-cases.txt with the number
# of complete SIP messages a correct reassembler must deliver per file. Afterwards each file is
# checked with tshark (-o tcp.reassemble_out_of_order:TRUE, and FALSE for comparison) and its
# count of SIP messages (sip.CSeq occurrences) is appended to the note of its line.
# Regenerate: bash testdata/make-tcp-cases.sh
set -eu
cd "$(dirname "$0")"
python3 ../tests/tools/gen_tcp.py --from sip-tcp-segmented.pcap --outdir . --cases-file tcp-cases.txt

count() {   # count FILE TRUE|FALSE : SIP messages tshark dissects
    tshark -r "$1" -o tcp.reassemble_out_of_order:"$2" -Y sip -T fields -e sip.CSeq 2>/dev/null |
        tr ',' '\n' | grep -c . || true
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while read -r file expected note; do
    case $file in '#'*|'') echo "$file $expected $note" >>"$tmp"; continue ;; esac
    t=$(count "$file" TRUE)
    f=$(count "$file" FALSE)
    echo "$file $expected $note; tshark 4.0 ooo=TRUE: $t, ooo=FALSE: $f" >>"$tmp"
    [ "$t" = "$expected" ] && mark=same || mark=DIFFERS
    printf '%-24s expected %s  tshark(ooo=TRUE) %s  tshark(ooo=FALSE) %s  %s\n' "$file" "$expected" "$t" "$f" "$mark"
done <tcp-cases.txt
mv "$tmp" tcp-cases.txt
trap - EXIT
