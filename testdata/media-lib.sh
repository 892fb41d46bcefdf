# Shared by the testdata/make-media-*.sh scripts (sourced, not run, after netns-lib.sh).

tone_wav() {        # tone_wav OUT SECONDS HZ [HZ...] : 8 kHz 16-bit mono sum of sines, repeatable
    python3 - "$@" <<'PY'
import math, struct, sys, wave
out, secs, freqs = sys.argv[1], float(sys.argv[2]), [float(f) for f in sys.argv[3:]]
n = int(8000 * secs)
amp = 0.5 * 32767 / len(freqs)
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<h", int(round(sum(amp * math.sin(2 * math.pi * f * i / 8000)
                                                            for f in freqs)))) for i in range(n)))
PY
}

# The capture of netns-lib.sh, made to hold up on a loaded machine: a 32 MiB kernel buffer,
# tcpdump at the top priority, and stop_capture fails when the kernel dropped packets (a gap
# the capture would otherwise show as packet loss). They replace netns-lib.sh's functions for
# the scripts that source this file (baresip_call calls them too).
MEDIA_TCPD_LOGS=""
start_capture() {   # start_capture VAR NS IFACE OUT
    local __v=$1 __ns=$2 __if=$3 __out=$4 __log __pid
    __log="$TMP_DIR/tcpdump-$__ns-$__if.log"
    bg_run "$__v" "$__log" "$__ns" tcpdump -n -i "$__if" -s 0 -B 32768 -U --immediate-mode -w "$__out"
    eval "__pid=\$$__v"
    renice -n -20 -p "$__pid" >/dev/null 2>&1 || true
    MEDIA_TCPD_LOGS="$MEDIA_TCPD_LOGS $__log"
    wait_log "$__log" "listening on" 10
}

stop_capture() {    # stop_capture PID : as netns-lib.sh's, then fail on kernel drops
    local __log
    sleep 0.5
    stop_pid "$1"
    for __log in $MEDIA_TCPD_LOGS; do
        if ! grep -q "^0 packets dropped by kernel" "$__log"; then
            echo "tcpdump dropped packets: $(grep 'dropped by kernel' "$__log")" >&2
            return 1
        fi
    done
}

renice_all() {      # renice_all PID... : every thread of each process to the top priority
    local __p __t
    for __p in "$@"; do
        for __t in /proc/"$__p"/task/*; do
            renice -n -20 -p "${__t##*/}" >/dev/null 2>&1 || true
        done
    done
}
