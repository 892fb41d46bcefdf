#!/bin/sh
# show-comment.pcapng: call-busy-486.pcap (sipp and kamailio, see
# make-call-busy-486.sh) as pcapng with packet comments on two SIP frames,
# as an engineer annotates a trace in Wireshark (editcap -a). sipsift
# show prints them above the message (issue 13).
set -e
cd "$(dirname "$0")"
editcap -F pcapng -a '1:caller sends the INVITE' -a '6:busy here: the callee said no' \
	call-busy-486.pcap show-comment.pcapng
