# Shared helpers for the testdata/make-*.sh capture scripts (sourced, not run).
# Every scenario runs in network namespaces it creates itself; every process is started in
# the background with its PID kept, every wait is bounded, everything is stopped by PID and
# the namespaces are deleted on exit (trap).

NS_LIST=""
PID_LIST=""
TMP_DIR=""

ns_add() {          # ns_add NAME : fresh namespace with loopback up
    ip netns del "$1" 2>/dev/null || true
    ip netns add "$1"
    NS_LIST="$NS_LIST $1"
    ip netns exec "$1" ip link set lo up
}

bg_run() {          # bg_run VAR LOGFILE NS cmd... : start in background in NS, PID into VAR
    local __var=$1 __log=$2 __ns=$3; shift 3
    ip netns exec "$__ns" "$@" >"$__log" 2>&1 </dev/null &
    local __pid=$!
    PID_LIST="$PID_LIST $__pid"
    eval "$__var=$__pid"
}

wait_log() {        # wait_log FILE REGEX SECONDS : bounded wait for a line in a log
    if ! timeout "$3" bash -c 'until grep -qE -- "$1" "$2" 2>/dev/null; do sleep 0.1; done' _ "$2" "$1"; then
        echo "timeout waiting for '$2' in $1" >&2
        tail -n 20 "$1" >&2 || true
        return 1
    fi
}

wait_pid() {        # wait_pid PID SECONDS : bounded wait for a background process to exit
    local i=0 n=$(( $2 * 10 ))
    while kill -0 "$1" 2>/dev/null; do
        i=$((i + 1)); [ "$i" -ge "$n" ] && { echo "pid $1 still running after $2 s" >&2; return 1; }
        sleep 0.1
    done
    wait "$1" 2>/dev/null || true
}

stop_pid() {        # stop_pid PID : TERM, then KILL after 3 s
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    kill -TERM "$1" 2>/dev/null || true
    wait_pid "$1" 3 || { kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
}

start_capture() {   # start_capture VAR NS IFACE OUT : tcpdump, waits for "listening on"
    local __v=$1 __ns=$2 __if=$3 __out=$4 __log
    __log="$TMP_DIR/tcpdump-$__ns-$__if.log"
    bg_run "$__v" "$__log" "$__ns" tcpdump -n -i "$__if" -s 0 -U --immediate-mode -w "$__out"
    wait_log "$__log" "listening on" 10
}

stop_capture() {    # stop_capture PID : let the last packets be written, then stop tcpdump
    sleep 0.5
    stop_pid "$1"
}

cleanup() {
    local p n
    for p in $PID_LIST; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 0.3
    for p in $PID_LIST; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    for n in $NS_LIST; do ip netns del "$n" 2>/dev/null || true; done
    [ -n "$TMP_DIR" ] && [ -z "${KEEP_TMP:-}" ] && rm -rf "$TMP_DIR"
    return 0
}

lib_init() {        # lib_init : temp dir + cleanup trap (call first in every script)
    TMP_DIR=$(mktemp -d /tmp/sipsift-cap.XXXXXX)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

wait_listen() {     # wait_listen NS PROTO(u|t) ADDR:PORT SECONDS : bounded wait for a listening socket
    if ! timeout "$4" bash -c 'until ip netns exec "$1" ss -Hln'"$2"' 2>/dev/null | grep -qF -- " $3 "; do sleep 0.1; done' _ "$1" "$3"; then
        echo "timeout waiting for $3 ($2) to listen in $1" >&2
        return 1
    fi
}

start_kamailio() {  # start_kamailio VAR NS CFG : kamailio in the foreground of NS, waits for 127.0.0.20:5060
    mkdir -p "$TMP_DIR/kamailio"
    bg_run "$1" "$TMP_DIR/kamailio.log" "$2" kamailio -f "$3" -DD -E -Y "$TMP_DIR/kamailio" -w "$TMP_DIR/kamailio"
    wait_listen "$2" u 127.0.0.20:5060 10
    wait_listen "$2" t 127.0.0.20:5060 10
}

bg_run_stdin() {    # bg_run_stdin VAR LOGFILE NS STDIN cmd... : like bg_run, stdin from a file/FIFO
    local __var=$1 __log=$2 __ns=$3 __in=$4; shift 4
    ip netns exec "$__ns" "$@" >"$__log" 2>&1 <"$__in" &
    local __pid=$!
    PID_LIST="$PID_LIST $__pid"
    eval "$__var=$__pid"
}

# Two baresip UAs calling each other directly with plain RTP/AVP, no proxy
# (make-dtmf-both.sh, make-dtmf-inband.sh, make-audio-call.sh). Their
# stdin FIFOs are open on fds 7 (alice, the caller) and 8 (bob).

baresip_ua() {      # baresip_ua NAME IP RTP_PORTS WAV CODECS MODULE : config in $TMP_DIR/NAME, FIFO $TMP_DIR/NAME.in
    local dir="$TMP_DIR/$1"
    mkdir -p "$dir"
    cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		$2:5060
call_local_timeout	120
call_max_calls		4
audio_player		alsa,null
audio_source		aufile,$4
audio_alert		alsa,null
audio_buffer		20-160
rtp_ports		$3
rtcp_mux		no
jitter_buffer_delay	5-10
rtp_stats		no
net_interface		$2
module_path		/usr/lib/baresip/modules
module			stdio.so
module			$6
module			aufile.so
module			alsa.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
opus_stereo		no
opus_sprop_stereo	no
CFG
    echo "<sip:$1@$2;transport=udp>;regint=0;audio_codecs=$5;answermode=auto" >"$dir/accounts"
    mkfifo "$TMP_DIR/$1.in"
}

baresip_call() {    # baresip_call NS ALICE_IP BOB_IP OUT_PCAP : namespace, capture, both UAs, alice dials bob; PIDs in ALICE, BOB, TCPD
    exec 7<>"$TMP_DIR/alice.in" 8<>"$TMP_DIR/bob.in"
    ns_add "$1"
    # baresip binds RTP to 0.0.0.0: make each UA's media leave from its own address.
    ip -n "$1" route add local "$3/32" dev lo src "$2" table local
    ip -n "$1" route add local "$2/32" dev lo src "$3" table local
    start_capture TCPD "$1" lo "$4"
    bg_run_stdin BOB "$TMP_DIR/bob.log" "$1" "$TMP_DIR/bob.in" baresip -f "$TMP_DIR/bob" -v
    wait_log "$TMP_DIR/bob.log" "baresip is ready" 10
    bg_run_stdin ALICE "$TMP_DIR/alice.log" "$1" "$TMP_DIR/alice.in" baresip -f "$TMP_DIR/alice" -v
    wait_log "$TMP_DIR/alice.log" "baresip is ready" 10
    echo "/dial sip:bob@$3" >&7
    wait_log "$TMP_DIR/alice.log" "Call established" 10
    wait_log "$TMP_DIR/bob.log" "Call established" 10
}

baresip_end() {     # baresip_end SECONDS : wait (bounded) for alice to hang up at the end of her file, quit both, stop the capture
    wait_log "$TMP_DIR/alice.log" "terminated" "$1"
    wait_log "$TMP_DIR/bob.log" "terminated" 5
    sleep 0.5
    echo q >&7; echo q >&8
    wait_pid "$ALICE" 5 || stop_pid "$ALICE"
    wait_pid "$BOB" 5 || stop_pid "$BOB"
    stop_capture "$TCPD"
    exec 7>&- 8>&-
}
