#!/bin/bash
# The captures of the media lint rules of issue #16 that sipp can make for real
# (scenarios written by scenarios/gen-media-rules.py from the clean PCMA call of
# media-uac-play.xml / media-uas-play.xml). sipp UAC 127.0.0.11 (media port 6000) <-> sipp
# UAS 127.0.0.12 (media port 7000), direct UDP, in namespace smr-KIND.
#   afterbye  media-after-bye.pcap: the caller hangs up after 1.5 s and plays its recording
#             4 s past its BYE (rtp-after-bye); the callee stops at the BYE.
#   nomedia   media-no-media.pcap: a 2 s call with PCMA both ways, then a second call between
#             the same two hosts whose SDP asks for PCMA sendrecv but in which neither side
#             sends RTP for 3 s (rtp-no-media on the second call only).
#   mline     media-mline-mismatch.pcap: an offer of audio and video answered with one audio
#             line (sdp-mline-mismatch); 2 s of PCMA both ways.
#   suite     media-srtp-suite-not-offered.pcap: an SDES offer of tag 1 AES_CM_128_HMAC_SHA1_80
#             answered with tag 2 AES_256_CM_HMAC_SHA1_80 (srtp-suite-not-offered); no media.
#   holdfirst media-hold-first-offer.pcap: the first offer is a=sendonly (music on hold from
#             the start), answered a=recvonly; RTP one way only, as the SDP says (no rtp-one-way).
#   dtmf      media-dtmf-double.pcap: each of the digits 5 7 # 9 sent both as RFC 2833 events
#             (sipp's dtmf_2833_N.pcap) and as a SIP INFO (dtmf-double).
# Usage: bash testdata/make-media-rules.sh afterbye|nomedia|mline|suite|holdfirst|dtmf
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./media-lib.sh
lib_init
KIND=${1:-}
UAC2=""
case $KIND in
    afterbye) OUT=media-after-bye.pcap; UAC_SF=media-uac-after-bye.xml; UAS_SF=media-uas-play.xml ;;
    nomedia) OUT=media-no-media.pcap; UAC_SF=media-uac-play-short.xml; UAS_SF=media-uas-play.xml
             UAC2=media-uac-silent.xml; UAS2=media-uas-silent.xml ;;
    mline) OUT=media-mline-mismatch.pcap; UAC_SF=media-uac-audio-video.xml; UAS_SF=media-uas-audio-only.xml ;;
    suite) OUT=media-srtp-suite-not-offered.pcap; UAC_SF=media-uac-srtp-offer.xml; UAS_SF=media-uas-srtp-other-suite.xml ;;
    holdfirst) OUT=media-hold-first-offer.pcap; UAC_SF=media-uac-sendonly.xml; UAS_SF=media-uas-recvonly.xml ;;
    dtmf) OUT=media-dtmf-double.pcap; UAC_SF=media-uac-dtmf-double.xml; UAS_SF=dtmf-uas-info.xml ;;
    *) echo "usage: $0 afterbye|nomedia|mline|suite|holdfirst|dtmf" >&2; exit 2 ;;
esac
NS=smr-$KIND
UAC_IP=127.0.0.11 UAS_IP=127.0.0.12

one_call() {        # one_call UAC_SCENARIO UAS_SCENARIO TAG
    bg_run UAS "$TMP_DIR/uas-$3.log" $NS sipp -sf scenarios/$2 -i $UAS_IP -p 5060 \
        -mi $UAS_IP -mp 7000 -m 1 -nostdin -timeout 30s
    wait_listen $NS u $UAS_IP:5060 10
    bg_run UAC "$TMP_DIR/uac-$3.log" $NS sipp -sf scenarios/$1 $UAS_IP:5060 \
        -i $UAC_IP -p 5060 -mi $UAC_IP -mp 6000 -s bob -m 1 -nostdin -timeout 30s
    wait_pid "$UAC" 30
    wait_pid "$UAS" 10
}

ns_add $NS
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
one_call $UAC_SF $UAS_SF 1
if [ -n "$UAC2" ]; then
    sleep 1
    one_call $UAC2 $UAS2 2
fi
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r "$OUT" -Y sip 2>/dev/null | wc -l) SIP messages"
tshark -r "$OUT" -q -z rtp,streams 2>/dev/null | sed -n '/Start time/,/^====/p'
