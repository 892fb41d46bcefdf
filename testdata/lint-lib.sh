# Helpers for the testdata/make-lint-*.sh capture scripts (sourced after netns-lib.sh and
# flow-check.sh). Addressing: caller 127.0.0.10:5060, proxy 127.0.0.20(/.21):5060,
# callee 127.0.0.30:5060, all in one namespace per script, captured on its loopback.

# lint_begin NS : temp dir + trap, fresh namespace, tcpdump on its lo into $TMP_DIR/out.pcap
lint_begin() {
    lib_init
    LINT_NS=$1
    ns_add "$LINT_NS"
    start_capture LINT_TCPD "$LINT_NS" lo "$TMP_DIR/out.pcap"
}

# lint_uas VAR XML [sipp args...] : sipp UAS on 127.0.0.30:5060 (UDP unless -t t1 is given),
# log $LINT_UAS_LOG (default $TMP_DIR/uas.log); lint_uac: $LINT_UAC_LOG likewise
lint_uas() {
    local __v=$1 __xml=$2 __proto=u __log=${LINT_UAS_LOG:-$TMP_DIR/uas.log}; shift 2
    case " $* " in *" -t t"*) __proto=t ;; esac
    bg_run "$__v" "$__log" "$LINT_NS" sipp -sf "$__xml" -i 127.0.0.30 -p 5060 \
        -m 1 -nostdin -timeout 30s "$@"
    wait_listen "$LINT_NS" $__proto 127.0.0.30:5060 10
}

# lint_uac VAR XML DEST [sipp args...] : sipp UAC on 127.0.0.10:5060, service "bob"
lint_uac() {
    local __v=$1 __xml=$2 __dst=$3 __log=${LINT_UAC_LOG:-$TMP_DIR/uac.log}; shift 3
    bg_run "$__v" "$__log" "$LINT_NS" sipp -sf "$__xml" "$__dst" -i 127.0.0.10 -p 5060 \
        -s bob -m 1 -nostdin -timeout 30s "$@"
}

# lint_end OUT PID... : bounded waits for the given processes, stop tcpdump, copy the capture
lint_end() {
    local out=$1 p; shift
    for p in "$@"; do wait_pid "$p" 40; done
    stop_capture "$LINT_TCPD"
    cp "$TMP_DIR/out.pcap" "$out"
    echo "wrote $out: $(tshark -r "$out" 2>/dev/null | wc -l) packets, $(tshark -r "$out" -Y sip 2>/dev/null | wc -l) SIP frames"
}

# lint_fields FILE : the field listing used to check each capture by eye
lint_fields() {
    tshark -r "$1" -o tcp.reassemble_out_of_order:TRUE -Y sip -T fields -E separator=' ' \
        -e frame.number -e ip.src -e udp.srcport -e tcp.srcport -e ip.dst -e udp.dstport \
        -e tcp.dstport -e sip.Method -e sip.Status-Code -e sip.CSeq -e sip.Via.branch \
        -e sip.to.tag -e sip.r-uri -e sip.Route 2>/dev/null
}

# lint_expect FILE FILTER WHAT : the bug must be visible: at least one frame matches the
# tshark display filter; prints the frame numbers
lint_expect() {
    local frames
    frames=$(tshark -r "$1" -o tcp.reassemble_out_of_order:TRUE -Y "$2" -T fields \
             -e frame.number 2>/dev/null | tr '\n' ' ')
    if [ -z "$frames" ]; then
        echo "$1: bug not visible ($3): no frame matches: $2" >&2
        lint_fields "$1" >&2
        return 1
    fi
    echo "$1: $3: frames $frames"
}

# lint_same FILE FILTER_A FILTER_B FIELD WHAT : FIELD of the first frame matching A must
# differ from FIELD of the first frame matching B (e.g. the CANCEL's branch vs the INVITE's)
lint_differ() {
    local a b
    a=$(tshark -r "$1" -Y "$2" -T fields -e "$4" 2>/dev/null | head -n 1)
    b=$(tshark -r "$1" -Y "$3" -T fields -e "$4" 2>/dev/null | head -n 1)
    if [ -z "$a" ] || [ -z "$b" ] || [ "$a" = "$b" ]; then
        echo "$1: bug not visible ($5): $4 '$a' vs '$b'" >&2
        lint_fields "$1" >&2
        return 1
    fi
    echo "$1: $5: $4 '$a' vs '$b'"
}

# lint_equal FILE FILTER_A FILTER_B FIELD WHAT : the same FIELD (e.g. a reused branch)
lint_equal() {
    local a b
    a=$(tshark -r "$1" -Y "$2" -T fields -e "$4" 2>/dev/null | head -n 1)
    b=$(tshark -r "$1" -Y "$3" -T fields -e "$4" 2>/dev/null | head -n 1)
    if [ -z "$a" ] || [ "$a" != "$b" ]; then
        echo "$1: bug not visible ($5): $4 '$a' vs '$b'" >&2
        lint_fields "$1" >&2
        return 1
    fi
    echo "$1: $5: $4 '$a' in both"
}
