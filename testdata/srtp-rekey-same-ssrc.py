#!/usr/bin/env python3
"""srtp-rekey-same-ssrc.pcap from a real baresip SDES-SRTP call with a hold and a resume
re-INVITE (make-srtp-reinvite.sh rekey makes the input and runs this).

baresip keeps its keys in re-INVITEs, and no stack here rekeys; a rekey that keeps the SSRC
(RFC 4568 §7.1.4: a new master key in a re-INVITE, the sender goes on with its SSRC,
sequence numbers and ROC) is made from the real call by changing exactly this:

  - the resume re-INVITE (the third INVITE) and its 200 OK: the key in a=crypto:1 is
    replaced by a new key of the same length (alice's in the offer, bob's in the answer;
    suite and tag unchanged); their UDP checksum is set to 0 (none, RFC 768);
  - every SRTP and SRTCP packet either UA sent after that 200 OK: decrypted with the old
    key (its authentication tag checked: a packet that does not authenticate with the old
    key is left as it is, as baresip's RTCP sent in the clear is), then protected with the
    new key (AES_CM_128_HMAC_SHA1_80, RFC 3711: same SSRC, sequence number, ROC, SRTCP
    index); UDP checksum 0.

Everything else is byte for byte the capture. The new keys are fixed (derived from a
label), so a run gives the same keys. AES-CM and HMAC-SHA1 through python3-cryptography and
hashlib; every old-key packet authenticates (checked), which checks this implementation
against libsrtp's in baresip.
Usage: python3 srtp-rekey-same-ssrc.py IN.pcap OUT.pcap
"""
import base64
import hashlib
import hmac
import re
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def aes_ctr(key, iv, data):
    c = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return c.update(data) + c.finalize()


class Keys:
    """RFC 3711 §4.3 session keys of an AES_CM_128_HMAC_SHA1_80 master key||salt."""

    def __init__(self, inline):
        ks = base64.b64decode(inline)
        assert len(ks) == 30, inline
        self.mk, self.ms = ks[:16], ks[16:]
        self.rtp = [self.derive(0, 16), self.derive(1, 20), self.derive(2, 14)]
        self.rtcp = [self.derive(3, 16), self.derive(4, 20), self.derive(5, 14)]

    def derive(self, label, n):
        x = bytearray(self.ms)
        x[7] ^= label                       # key_id = label || 0 (KDR 0), XOR master salt
        return aes_ctr(self.mk, bytes(x) + b"\0\0", b"\0" * n)


def iv_of(salt, ssrc, index):
    iv = bytearray(salt + b"\0\0")
    for i, b in enumerate(struct.pack(">I", ssrc)):
        iv[4 + i] ^= b
    for i, b in enumerate(index.to_bytes(6, "big")):
        iv[8 + i] ^= b
    return bytes(iv)


def rtp_hdr_len(p):
    n = 12 + 4 * (p[0] & 15)
    if p[0] & 0x10:
        n += 4 + 4 * struct.unpack(">H", p[n + 2:n + 4])[0]
    return n


def srtp_unprotect(k, p, roc):
    body, tag = p[:-10], p[-10:]
    want = hmac.new(k.rtp[1], body + struct.pack(">I", roc), hashlib.sha1).digest()[:10]
    if want != tag:
        return None
    ssrc, seq = struct.unpack(">I", p[8:12])[0], struct.unpack(">H", p[2:4])[0]
    h = rtp_hdr_len(p)
    return body[:h] + aes_ctr(k.rtp[0], iv_of(k.rtp[2], ssrc, (roc << 16) | seq), body[h:])


def srtp_protect(k, p, roc):
    ssrc, seq = struct.unpack(">I", p[8:12])[0], struct.unpack(">H", p[2:4])[0]
    h = rtp_hdr_len(p)
    body = p[:h] + aes_ctr(k.rtp[0], iv_of(k.rtp[2], ssrc, (roc << 16) | seq), p[h:])
    return body + hmac.new(k.rtp[1], body + struct.pack(">I", roc), hashlib.sha1).digest()[:10]


def srtcp_unprotect(k, p):
    if len(p) < 8 + 4 + 10:
        return None
    body, tag = p[:-10], p[-10:]
    if hmac.new(k.rtcp[1], body, hashlib.sha1).digest()[:10] != tag:
        return None
    ei = struct.unpack(">I", body[-4:])[0]
    ssrc = struct.unpack(">I", p[4:8])[0]
    plain = body[:-4]
    if ei >> 31:
        plain = plain[:8] + aes_ctr(k.rtcp[0], iv_of(k.rtcp[2], ssrc, ei & 0x7fffffff), plain[8:])
    return plain, ei


def srtcp_protect(k, p, ei):
    ssrc = struct.unpack(">I", p[4:8])[0]
    body = p
    if ei >> 31:
        body = p[:8] + aes_ctr(k.rtcp[0], iv_of(k.rtcp[2], ssrc, ei & 0x7fffffff), p[8:])
    body += struct.pack(">I", ei)
    return body + hmac.new(k.rtcp[1], body, hashlib.sha1).digest()[:10]


def read_pcap(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), "classic little-endian pcap expected"
    assert struct.unpack("<I", d[20:24])[0] == 1, "Ethernet expected"
    out, off = [], 24
    while off + 16 <= len(d):
        ts, us, cap, ln = struct.unpack("<IIII", d[off:off + 16])
        out.append([ts, us, ln, bytearray(d[off + 16:off + 16 + cap])])
        off += 16 + cap
    return d[:24], out


def udp_of(f):
    """(ip offset, udp offset, src, sport, dst, dport) of an unfragmented IPv4/UDP frame."""
    if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17 or struct.unpack(">H", f[20:22])[0] & 0x3fff:
        return None
    hl = (f[14] & 15) * 4
    u = 14 + hl
    sport, dport = struct.unpack(">HH", f[u:u + 4])
    return 14, u, bytes(f[26:30]), sport, bytes(f[30:34]), dport


def set_payload(f, ip, u, payload):
    """The frame with a new UDP payload: lengths and IPv4 header checksum fixed, UDP checksum 0."""
    g = bytearray(f[:u + 8]) + payload
    struct.pack_into(">H", g, u + 4, 8 + len(payload))
    struct.pack_into(">H", g, u + 6, 0)
    struct.pack_into(">H", g, ip + 2, len(g) - ip)
    struct.pack_into(">H", g, ip + 10, 0)
    hl = (g[ip] & 15) * 4
    s = sum(struct.unpack(">%dH" % (hl // 2), bytes(g[ip:ip + hl])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    struct.pack_into(">H", g, ip + 10, ~s & 0xffff)
    return g


def new_key(label):
    return base64.b64encode(hashlib.sha256(b"sipsift srtp-rekey-same-ssrc " + label).digest()[:30]).decode()


def main():
    hdr, pkts = read_pcap(sys.argv[1])
    sip = []                                    # (frame index, text)
    for i, p in enumerate(pkts):
        x = udp_of(p[3])
        if x and 5060 in (x[3], x[5]):
            sip.append((i, bytes(p[3][x[1] + 8:]).decode("latin-1")))
    invites = [(i, t) for i, t in sip if t.startswith("INVITE ") and "a=crypto:" in t]
    assert len(invites) == 3, "expected INVITE, hold and resume re-INVITE: %d" % len(invites)
    cseq = lambda t: (re.findall(r"^CSeq:\s*(\d+) INVITE", t, re.M | re.I) or [None])[0]
    ok200 = lambda c: [(i, t) for i, t in sip if t.startswith("SIP/2.0 200") and cseq(t) == c and "a=crypto:" in t][0]
    inline = lambda t: re.search(r"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]{40})", t).group(1)
    mport = lambda t: int(re.search(r"^m=audio (\d+) ", t, re.M).group(1))
    offer, answer = invites[0][1], ok200(cseq(invites[0][1]))[1]
    a_old, b_old = inline(offer), inline(answer)
    a_port, b_port = mport(offer), mport(answer)
    ri, rtext = invites[2]
    si, stext = ok200(cseq(rtext))
    assert inline(rtext) == a_old and inline(stext) == b_old, "baresip changed its keys itself"
    a_new, b_new = new_key(b"alice"), new_key(b"bob")
    # Who sends from which port, with which keys (offer key = the offerer's media).
    senders = {a_port: (Keys(a_old), Keys(a_new)), b_port: (Keys(b_old), Keys(b_new))}
    for i, old, new in ((ri, a_old, a_new), (si, b_old, b_new)):
        f = pkts[i][3]
        x = udp_of(f)
        text = bytes(f[x[1] + 8:])
        assert text.count(old.encode()) == 1
        pkts[i][3] = set_payload(f, x[0], x[1], text.replace(old.encode(), new.encode()))
    last, roc = {}, {}
    n_rtp = n_rtcp = n_clear = 0
    for i, p in enumerate(pkts):
        x = udp_of(p[3])
        if not x:
            continue
        base = x[3] if x[3] in senders else x[3] - 1 if x[3] - 1 in senders else None
        if base is None:
            continue
        old, new = senders[base]
        payload = bytes(p[3][x[1] + 8:])
        if x[3] == base:                        # RTP: the ROC follows every packet
            ssrc, seq = struct.unpack(">I", payload[8:12])[0], struct.unpack(">H", payload[2:4])[0]
            if ssrc in last and seq < last[ssrc] and last[ssrc] - seq > 0x8000:
                roc[ssrc] = roc.get(ssrc, 0) + 1
            last[ssrc] = seq if ssrc not in last or (seq - last[ssrc]) % 0x10000 < 0x8000 else last[ssrc]
            r = roc.get(ssrc, 0)
            plain = srtp_unprotect(old, payload, r)
            assert plain is not None, "frame %d: SRTP that the old key does not authenticate" % (i + 1)
            if i > si:
                pkts[i][3] = set_payload(p[3], x[0], x[1], srtp_protect(new, plain, r))
                n_rtp += 1
        else:                                   # RTCP: SRTCP, or baresip's RTCP in the clear
            got = srtcp_unprotect(old, payload)
            if got is None:
                n_clear += 1
                continue
            if i > si:
                pkts[i][3] = set_payload(p[3], x[0], x[1], srtcp_protect(new, got[0], got[1]))
                n_rtcp += 1
    with open(sys.argv[2], "wb") as f:
        f.write(hdr)
        for ts, us, ln, data in pkts:
            # Captured whole (tcpdump -s 0): the length on the wire is what is written.
            f.write(struct.pack("<IIII", ts, us, len(data), len(data)))
            f.write(data)
    print("wrote %s: re-INVITE frame %d, 200 OK frame %d; %d SRTP and %d SRTCP packets rekeyed "
          "(%d RTCP packets in the clear left as they were)" % (sys.argv[2], ri + 1, si + 1, n_rtp, n_rtcp, n_clear))
    print("  alice old a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s  new inline:%s" % (a_old, a_new))
    print("  bob   old a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s  new inline:%s" % (b_old, b_new))


if __name__ == "__main__":
    main()
