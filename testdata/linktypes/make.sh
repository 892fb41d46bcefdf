#!/bin/bash
# Regenerate the link-layer variants of the real captures with tests/tools/relink.py.
# Every output decodes (tshark) to the same SIP messages as its input; make.sh checks that.
# Usage: bash testdata/linktypes/make.sh
set -eu
cd "$(dirname "$0")"
RELINK="python3 ../../tests/tools/relink.py"
IN=../sip-udp-sipp.pcap
IN6=../sip-udp-ipv6.pcap

sipcount() { tshark -r "$1" -Y sip 2>/dev/null | wc -l; }
status=0
check() {   # check OUT EXPECTED
    local n
    n=$(sipcount "$1")
    if [ "$n" != "$2" ]; then echo "MISMATCH $1: $n SIP messages, expected $2" >&2; status=1; fi
    printf '%-40s %s SIP\n' "$1" "$n"
}

n4=$(sipcount $IN)
for t in ether sll sll2 raw ipv4 null loop vlan qinq gre vxlan ipip pppoe erspan2; do
    $RELINK $IN sip-udp-sipp.$t.pcap --link $t
    check sip-udp-sipp.$t.pcap "$n4"
done
$RELINK $IN sip-udp-sipp.pcapng --link pcapng
check sip-udp-sipp.pcapng "$n4"
$RELINK $IN sip-udp-sipp.nsec.pcap --link ether --nanosecond
check sip-udp-sipp.nsec.pcap "$n4"
$RELINK $IN sip-udp-sipp.nsec.pcapng --link pcapng --nanosecond
check sip-udp-sipp.nsec.pcapng "$n4"
$RELINK $IN sip-udp-sipp.sll2.pcapng --link sll2 --pcapng
check sip-udp-sipp.sll2.pcapng "$n4"
gzip -9 -n -c $IN > sip-udp-sipp.pcap.gz

# IPv6 input: raw IPv6 (229) and the three BSD values of AF_INET6 in DLT_NULL, plus LOOP
n6=$(sipcount $IN6)
$RELINK $IN6 sip-udp-ipv6.ipv6.pcap --link ipv6;              check sip-udp-ipv6.ipv6.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.raw.pcap --link raw;                check sip-udp-ipv6.raw.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.null.pcap --link null;              check sip-udp-ipv6.null.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.null-af28.pcap --link null --af6 28; check sip-udp-ipv6.null-af28.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.null-af30.pcap --link null --af6 30; check sip-udp-ipv6.null-af30.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.loop.pcap --link loop;              check sip-udp-ipv6.loop.pcap "$n6"
$RELINK $IN6 sip-udp-ipv6.sll2.pcap --link sll2;              check sip-udp-ipv6.sll2.pcap "$n6"
exit $status
