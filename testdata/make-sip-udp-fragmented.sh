#!/bin/bash
# sip-udp-fragmented.pcap and sip-udp6-fragmented.pcap: one SIP/UDP call each whose INVITE
# (~3.6 KB, scenarios/uac-big-invite.xml) is larger than the 1500-byte MTU of a veth pair, so
# the sending kernel fragments it (IPv4: 3 fragments; IPv6: Fragment extension headers).
# Two namespaces joined by a veth pair (addresses from the benchmark range 198.18.0.0/15 and
# the ULA fd00:5195::/64, which exist only inside these namespaces); captured on the
# sender's veth, so the link type is Ethernet (ARP, resp. NDP/MLD, are part of the capture).
#   sipp UAC 198.18.0.1 / fd00:5195::1  ->  sipp UAS 198.18.0.2:5060 / [fd00:5195::2]:5060
# Regenerate: bash testdata/make-sip-udp-fragmented.sh   (writes both files)
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
lib_init
A=sipsift-frag-a
B=sipsift-frag-b

one_call() {    # one_call FAMILY OUT UAC_IP UAS_IP REMOTE
    local out=$2 uac_ip=$3 uas_ip=$4 remote=$5
    ns_add $A
    ns_add $B
    if [ "$1" = 4 ]; then   # keep the IPv4 capture free of IPv6 link-local chatter
        ip netns exec $A sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip netns exec $B sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    fi
    ip link add vfrag-a netns $A type veth peer name vfrag-b netns $B
    ip -n $A link set vfrag-a mtu 1500 up
    ip -n $B link set vfrag-b mtu 1500 up
    if [ "$1" = 4 ]; then
        ip -n $A addr add 198.18.0.1/24 dev vfrag-a
        ip -n $B addr add 198.18.0.2/24 dev vfrag-b
    else
        ip -n $A addr add fd00:5195::1/64 dev vfrag-a nodad
        ip -n $B addr add fd00:5195::2/64 dev vfrag-b nodad
    fi
    start_capture TCPD $A vfrag-a "$TMP_DIR/out$1.pcap"
    bg_run UAS "$TMP_DIR/uas$1.log" $B sipp -sf scenarios/uas-basic.xml -i "$uas_ip" -p 5060 \
        -m 1 -nostdin -timeout 20s
    if [ "$1" = 4 ]; then wait_listen $B u "$uas_ip:5060" 10; else wait_listen $B u "[$uas_ip]:5060" 10; fi
    bg_run UAC "$TMP_DIR/uac$1.log" $A sipp -sf scenarios/uac-big-invite.xml "$remote" \
        -i "$uac_ip" -p 5060 -s bob -m 1 -nostdin -timeout 20s
    wait_pid "$UAC" 20
    wait_pid "$UAS" 10
    stop_capture "$TCPD"
    cp "$TMP_DIR/out$1.pcap" "$out"
    ip netns del $A; ip netns del $B
    echo "wrote $out: $(tshark -r "$out" -Y sip 2>/dev/null | wc -l) SIP messages"
}

one_call 4 sip-udp-fragmented.pcap 198.18.0.1 198.18.0.2 198.18.0.2:5060
one_call 6 sip-udp6-fragmented.pcap fd00:5195::1 fd00:5195::2 '[fd00:5195::2]:5060'
