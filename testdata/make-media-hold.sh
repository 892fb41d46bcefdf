#!/bin/bash
# media-hold.pcap / media-hold-music.pcap: a call put on hold with a sendonly re-INVITE, held
# long enough (2.5 s) for a one-way check to notice; neither must be reported as one-way audio:
# the SDP says why a direction is silent.
#   baresip (media-hold.pcap): baresip alice 127.0.0.10 (caller) -> baresip bob 127.0.0.30
#       (callee, answermode=auto), direct, PCMU, RTP/AVP, rtcp_mux no. ~1 s of media both ways,
#       then alice types /hold (re-INVITE a=sendonly, answered a=recvonly), ~2.5 s later /resume
#       (re-INVITE a=sendrecv), ~1 s later /hangup. baresip stops both directions while held
#       (the holder too, though sendonly allows it to send). Both play a generated tone.
#   sipp (media-hold-music.pcap): sipp UAC 127.0.0.11 (scenarios/media-uac-hold.xml) holds with
#       a=sendonly and keeps sending PCMA (sipp's g711a.pcap, as music on hold) for the whole
#       call; sipp UAS 127.0.0.12 (media-uas-hold.xml) answers a=recvonly and is silent while
#       held: during the hold RTP flows one way only, as the SDP says.
# Namespaces smd-hold-baresip / smd-hold-sipp.
# Usage: bash testdata/make-media-hold.sh baresip|sipp
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./media-lib.sh
lib_init
KIND=${1:-}
case $KIND in
    baresip) OUT=media-hold.pcap ;;
    sipp) OUT=media-hold-music.pcap ;;
    *) echo "usage: $0 baresip|sipp" >&2; exit 2 ;;
esac
NS=smd-hold-$KIND

if [ "$KIND" = baresip ]; then
    tone_wav "$TMP_DIR/alice.wav" 10 440
    tone_wav "$TMP_DIR/bob.wav" 10 350 440
    baresip_ua alice 127.0.0.10 10000-10009 "$TMP_DIR/alice.wav" pcmu g711.so
    baresip_ua bob 127.0.0.30 20000-20009 "$TMP_DIR/bob.wav" pcmu g711.so
    baresip_call $NS 127.0.0.10 127.0.0.30 "$TMP_DIR/out.pcap"
    sleep 1
    echo "/hold" >&7
    sleep 2.5
    echo "/resume" >&7
    sleep 1
    echo "/hangup" >&7
    baresip_end 5
else
    # the callee's two clips of sipp's recording; sipp reads them from its working directory
    editcap -r /usr/share/sip-tester/g711a.pcap "$TMP_DIR/g711a-part1.pcap" 1-34
    editcap -r /usr/share/sip-tester/g711a.pcap "$TMP_DIR/g711a-part2.pcap" 35-80
    SCEN=$PWD/scenarios
    ns_add $NS
    start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
    cd "$TMP_DIR"
    bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf "$SCEN/media-uas-hold.xml" -i 127.0.0.12 -p 5060 \
        -mi 127.0.0.12 -mp 7000 -m 1 -nostdin -timeout 30s
    wait_listen $NS u 127.0.0.12:5060 10
    bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf "$SCEN/media-uac-hold.xml" 127.0.0.12:5060 \
        -i 127.0.0.11 -p 5060 -mi 127.0.0.11 -mp 6000 -s bob -m 1 -nostdin -timeout 30s
    cd - >/dev/null
    wait_pid "$UAC" 30
    wait_pid "$UAS" 10
    stop_capture "$TCPD"
fi

cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP frames"
tshark -r "$OUT" -Y sdp -T fields -e frame.time_relative -e ip.src -e sip.CSeq -e sdp.media_attr 2>/dev/null
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
