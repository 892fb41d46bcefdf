#!/usr/bin/env python3
"""Writes the sipp scenarios of make-media-rules.sh (media lint rules, issue #16)
from the clean call of media-uac-play.xml / media-uas-play.xml / media-uas-silent.xml,
each changed in one place so the diff says what the problem is. Run from testdata/."""
import base64
import re

def rd(n):
    return open("scenarios/" + n).read()

def wr(n, s):
    open("scenarios/" + n, "w").write(s)

def comment(s, text):
    return re.sub(r"<!--.*?-->", "<!-- " + text + " Made by gen-media-rules.py. -->", s, count=1, flags=re.S)

uac, uas, silent = rd("media-uac-play.xml"), rd("media-uas-play.xml"), rd("media-uas-silent.xml")

# after-bye: the caller hangs up after 1.5 s of its recording and keeps playing it 4 s more.
s = uac.replace('<pause milliseconds="7200"/>', '<pause milliseconds="1500"/>')
s = s.replace('  <recv response="200" crlf="true">\n  </recv>\n</scenario>',
              '  <recv response="200" crlf="true">\n  </recv>\n\n  <pause milliseconds="4000"/>\n</scenario>')
wr("media-uac-after-bye.xml", comment(s, "A caller that hangs up after 1.5 s but keeps playing its PCMA recording for 4 s after its BYE: RTP after the BYE (RFC 3261 section 15.1.1)."))

# short call with media, then one without (rtp-no-media): 2 s of RTP both ways; and a caller that sends none.
wr("media-uac-play-short.xml", comment(uac.replace('<pause milliseconds="7200"/>', '<pause milliseconds="2000"/>'),
   "A caller that offers PCMA and plays its recording for 2 s, then hangs up (the first call of make-media-rules.sh nomedia)."))
s = re.sub(r'  <nop>\s*<action>\s*<exec play_pcap_audio="[^"]*"/>\s*</action>\s*</nop>\n', '', uac)
s = s.replace('<pause milliseconds="7200"/>', '<pause milliseconds="3000"/>')
wr("media-uac-silent.xml", comment(s, "A caller that offers PCMA sendrecv, sends no RTP and hangs up after 3 s."))

# mline: an offer of audio and video; the callee answers with the audio line only.
s = uac.replace("      a=sendrecv\n", "      a=sendrecv\n      m=video [media_port+2] RTP/AVP 96\n      a=rtpmap:96 H264/90000\n      a=sendrecv\n", 1)
s = s.replace('<pause milliseconds="7200"/>', '<pause milliseconds="2000"/>')
wr("media-uac-audio-video.xml", comment(s, "A caller that offers audio (PCMA) and video (H264) and plays its PCMA recording for 2 s."))
wr("media-uas-audio-only.xml", comment(uas, "A callee that answers any offer with one PCMA audio line (whatever the offer's m= lines) and plays its recording until the BYE."))

# suite: an SDES offer of tag 1 AES_CM_128_HMAC_SHA1_80 answered with tag 2 AES_256_CM_HMAC_SHA1_80.
K128 = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
K256 = base64.b64encode(bytes((i * 37 + 11) & 255 for i in range(46))).decode()  # 32-byte key, 14-byte salt
s = re.sub(r'  <nop>\s*<action>\s*<exec play_pcap_audio="[^"]*"/>\s*</action>\s*</nop>\n', '', uac)
s = s.replace('<pause milliseconds="7200"/>', '<pause milliseconds="1000"/>')
s = s.replace("RTP/AVP 8 101", "RTP/SAVP 8 101").replace("      a=sendrecv\n",
              "      a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + K128 + "\n      a=sendrecv\n", 1)
wr("media-uac-srtp-offer.xml", comment(s, "A caller that offers RTP/SAVP with one a=crypto, tag 1 AES_CM_128_HMAC_SHA1_80 (RFC 4568), sends no media and hangs up after 1 s."))
s = silent.replace("RTP/AVP 8", "RTP/SAVP 8").replace("      a=sendrecv\n",
                   "      a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:" + K256 + "\n      a=sendrecv\n", 1)
wr("media-uas-srtp-other-suite.xml", comment(s, "A callee that answers an SDES offer with a=crypto tag 2 AES_256_CM_HMAC_SHA1_80, a tag and suite the offer did not have (RFC 4568 section 5.1.2); no media."))

# dtmf-double: dtmf-uac-info.xml's caller, each INFO digit also played as RFC 2833 events
# (sipp's shipped dtmf_2833_N.pcap) just before it is sent; the callee is dtmf-uas-info.xml.
s = rd("dtmf-uac-info.xml")
names = {"#": "pound", "*": "star"}
blocks = s.split('  <send retrans="500">')
for i in range(1, len(blocks)):
    body = blocks[i].split("]]>")[0]
    if "\n      INFO " not in body:
        continue
    m = re.search(r"Signal=(\S+)", body) or re.search(r"Content-Length: \[len\]\n\n(\S+)", body)
    d = m.group(1)
    blocks[i - 1] += ('<nop>\n    <action>\n      <exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_%s.pcap"/>\n'
                      '    </action>\n  </nop>\n\n  ' % names.get(d, d))
out = ['  <send retrans="500">'.join(blocks)]
wr("media-uac-dtmf-double.xml", comment("".join(out), "A caller that sends each digit twice: as RFC 2833/4733 events (sipp's dtmf_2833_N.pcap) and, at once, as a SIP INFO application/dtmf-relay (the INFOs of dtmf-uac-info.xml); with dtmf-uas-info.xml."))

# hold from the first offer: the caller offers a=sendonly and plays music for 3 s; the callee
# answers a=recvonly and sends nothing. One-way by the SDP, so no rtp-one-way.
wr("media-uac-sendonly.xml", comment(rd("media-uac-oneway.xml").replace("      a=sendrecv\n", "      a=sendonly\n"),
   "A caller whose first offer is a=sendonly (on hold from the start, music on hold) and that plays its PCMA recording for 3 s."))
wr("media-uas-recvonly.xml", comment(silent.replace("      a=sendrecv\n", "      a=recvonly\n"),
   "A callee that answers a=recvonly and sends no RTP."))
