#!/bin/bash
# Regenerate every capture in testdata/ (real stacks in network namespaces, then the generated
# TCP cases and the link-layer variants, which are derived from the real captures). Root only.
# Usage: bash testdata/make-all.sh
set -eu
cd "$(dirname "$0")"
bash make-sip-udp-sipp.sh
bash make-sip-udp-kamailio.sh
bash make-sip-udp-ipv6.sh
bash make-sip-tcp-segmented.sh
bash make-sip-udp-fragmented.sh
bash make-srtp-dtmf-call.sh udp
bash make-srtp-dtmf-call.sh tcp
bash make-tcp-cases.sh
bash linktypes/make.sh
bash make-call-cancel.sh
bash make-call-busy-486.sh
bash make-call-bye-callee.sh
bash make-call-no-ack.sh
bash make-call-reinvite-hold.sh
bash make-register-digest.sh
bash make-call-forked.sh
bash make-options-message.sh
