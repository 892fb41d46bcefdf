# Checks shared by the call-*.sh / register-*.sh / options-*.sh capture scripts (sourced).

# sip_flow FILE : one line per SIP message, in frame order:
#   frame src dst method-or-status cseq call-id to-tag
sip_flow() {
    tshark -r "$1" -o tcp.reassemble_out_of_order:TRUE -Y sip -T fields -E separator=' ' \
        -e frame.number -e ip.src -e ip.dst -e sip.Method -e sip.Status-Code -e sip.CSeq \
        -e sip.Call-ID -e sip.to.tag 2>/dev/null
}

# check_flow FILE "TOKEN..." : the multiset of tokens "METHOD" (requests) and
# "STATUS/CSEQ-METHOD" (responses) in FILE must equal the expected one (order ignored: the two legs of a proxy race).
check_flow() {
    local got want
    got=$(tshark -r "$1" -o tcp.reassemble_out_of_order:TRUE -Y sip -T fields -E separator=';' \
          -e sip.Method -e sip.Status-Code -e sip.CSeq.method 2>/dev/null |
          awk -F';' '{ print ($1 != "" ? $1 : $2 "/" $3) }' | sort | tr '\n' ' ')
    want=$(printf '%s\n' $2 | sort | tr '\n' ' ')
    if [ "$got" != "$want" ]; then
        echo "$1: unexpected SIP flow" >&2
        echo "  got:  $got" >&2
        echo "  want: $want" >&2
        sip_flow "$1" >&2
        return 1
    fi
}

# check_sipp LOG : sipp's final statistics must show one successful call and no failed one
check_sipp() {
    grep -qE 'Successful call +\| +[0-9]+ +\| +1 ' "$1" &&
    grep -qE 'Failed call +\| +[0-9]+ +\| +0 ' "$1" ||
    { echo "sipp did not complete its call: $1" >&2; tail -n 30 "$1" >&2; return 1; }
}
