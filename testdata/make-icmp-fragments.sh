#!/bin/bash
# icmp-fragments.pcap: three pings of 3000 bytes (each request and reply in
# 3 IPv4 fragments) between two namespaces joined by a veth pair with MTU
# 1500, with small UDP datagrams sent between them every 50 ms, so that
# fragments of datagrams that are not UDP sit among whole packets.
# decrypt -w must write them where they came: only UDP datagrams (the
# ones it may rewrite) wait for their last fragment.
#   ping 198.18.2.1 -> 198.18.2.2; UDP 198.18.2.1:40000 -> 198.18.2.2:9
# Regenerate: bash testdata/make-icmp-fragments.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
A=sipsift-icmpf-a
B=sipsift-icmpf-b
ns_add $A
ns_add $B
ip netns exec $A sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec $B sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add vicmpf-a netns $A type veth peer name vicmpf-b netns $B
ip -n $A link set vicmpf-a mtu 1500 up
ip -n $B link set vicmpf-b mtu 1500 up
ip -n $A addr add 198.18.2.1/24 dev vicmpf-a
ip -n $B addr add 198.18.2.2/24 dev vicmpf-b
start_capture TCPD $A vicmpf-a "$TMP_DIR/out.pcap"
bg_run UDP "$TMP_DIR/udp.log" $A python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.2.1", 40000))
for i in range(24):
    s.sendto(b"tick %d" % i, ("198.18.2.2", 9))
    time.sleep(0.05)
'
# Three ICMP echo requests of 3000 bytes (no ping on this machine: a raw
# socket); the kernel of B answers each.
ip netns exec $A python3 -c '
import socket, struct, time
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(3):
    time.sleep(0.3)
    body = bytes(range(256)) * 11 + bytes(184)
    hdr = struct.pack("!BBHHH", 8, 0, 0, 0x5195, seq)
    hdr = struct.pack("!BBHHH", 8, 0, csum(hdr + body), 0x5195, seq)
    r.sendto(hdr + body, ("198.18.2.2", 0))
time.sleep(0.3)
' >"$TMP_DIR/ping.log"
wait_pid "$UDP" 10
stop_capture "$TCPD"
cp "$TMP_DIR/out.pcap" icmp-fragments.pcap
ip netns del $A; ip netns del $B
echo "wrote icmp-fragments.pcap: $(tshark -r icmp-fragments.pcap 2>/dev/null | wc -l) packets, $(tshark -r icmp-fragments.pcap -Y 'ip.flags.mf==1 || ip.frag_offset>0' 2>/dev/null | wc -l) ICMP fragments"
