#!/bin/bash
# media-one-way.pcap / media-answer-not-offered.pcap: media problems from sipp, direct UDP
# sipp UAC 127.0.0.11 (media port 6000) <-> sipp UAS 127.0.0.12 (media port 7000).
#   oneway: the caller offers PCMA + telephone-event sendrecv (scenarios/media-uac-oneway.xml)
#           and plays sipp's shipped /usr/share/sip-tester/g711a.pcap (PCMA, 30 ms packets) for
#           3 s; the callee answers PCMA sendrecv (media-uas-silent.xml) and sends no RTP at all:
#           RTP in one direction only although both sides' SDP allow sending.
#   codec:  the caller offers PCMU + telephone-event only (media-uac-offer-pcmu.xml); the callee
#           answers PCMA, PT 8 (media-uas-answer-pcma.xml), a codec the offer lacked (RFC 3264
#           section 6.1); both then send sipp's PCMA recording for 2 s.
#   stop:   a clean two-way PCMA call (media-uac-play.xml, 7 s) whose callee plays only the
#           first second of sipp's recording (media-uas-play.xml with a copy cut by editcap
#           -B), then sends nothing while the caller's audio goes on: one direction stops for
#           about 6 s with both SDPs sendrecv (rtp-one-way, the direction-stops case).
# Namespaces smd-oneway / smd-codec / smd-stop.
# Usage: bash testdata/make-media-sipp.sh oneway|codec|stop
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./media-lib.sh
lib_init
KIND=${1:-}
case $KIND in
    oneway) OUT=media-one-way.pcap; UAC_SF=media-uac-oneway.xml; UAS_SF=media-uas-silent.xml ;;
    codec) OUT=media-answer-not-offered.pcap; UAC_SF=media-uac-offer-pcmu.xml; UAS_SF=media-uas-answer-pcma.xml ;;
    stop) OUT=media-one-way-stop.pcap; UAC_SF=media-uac-play.xml; UAS_SF=media-uas-play.xml ;;
    *) echo "usage: $0 oneway|codec|stop" >&2; exit 2 ;;
esac
SF_DIR=scenarios
if [ "$KIND" = stop ]; then
    # The callee's recording: the first second of sipp's own.
    first=$(tshark -r /usr/share/sip-tester/g711a.pcap -T fields -e frame.time_epoch -c 1 2>/dev/null)
    editcap -B "$(date -u -d "@$(echo "$first + 1.0" | bc)" '+%Y-%m-%d %H:%M:%S.%N')" \
        /usr/share/sip-tester/g711a.pcap "$TMP_DIR/g711a-1s.pcap"
    mkdir -p "$TMP_DIR/sf"
    cp scenarios/$UAC_SF "$TMP_DIR/sf/"
    sed "s|/usr/share/sip-tester/g711a.pcap|$TMP_DIR/g711a-1s.pcap|" scenarios/$UAS_SF >"$TMP_DIR/sf/$UAS_SF"
    SF_DIR=$TMP_DIR/sf
fi
NS=smd-$KIND
UAC_IP=127.0.0.11 UAS_IP=127.0.0.12

ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run UAS "$TMP_DIR/uas.log" $NS sipp -sf $SF_DIR/$UAS_SF -i $UAS_IP -p 5060 \
    -mi $UAS_IP -mp 7000 -m 1 -nostdin -timeout 30s
wait_listen $NS u $UAS_IP:5060 10
bg_run UAC "$TMP_DIR/uac.log" $NS sipp -sf $SF_DIR/$UAC_SF $UAS_IP:5060 \
    -i $UAC_IP -p 5060 -mi $UAC_IP -mp 6000 -s bob -m 1 -nostdin -timeout 30s
wait_pid "$UAC" 30
wait_pid "$UAS" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP messages"
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
