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
bash make-icmp-fragments.sh
bash make-sip-udp-fragmented.sh
bash make-srtp-dtmf-call.sh udp
bash make-srtp-dtmf-call.sh tcp
bash make-audio-call.sh pcma
bash make-audio-call.sh g722
bash make-audio-call.sh opus
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
bash make-lint-cancel-branch-mismatch.sh
bash make-lint-cancel-to-tag.sh
bash make-lint-cancel-header-mismatch.sh
bash make-lint-cancel-no-matching-invite.sh
bash make-lint-cancel-after-final.sh
bash make-lint-cancel-no-487.sh
bash make-lint-cancel-before-provisional.sh
bash make-lint-cancel-route-missing.sh
bash make-lint-ack-lost.sh
bash make-lint-ack-2xx-same-branch.sh
bash make-lint-ack-2xx-ruri-not-contact.sh
bash make-lint-ack-2xx-route-mismatch.sh
bash make-lint-ack-2xx-route-reversed.sh
bash make-lint-ack-non2xx-branch-mismatch.sh
bash make-lint-ack-cseq-mismatch.sh
bash make-lint-ack-to-tag-mismatch.sh
bash make-lint-proxy-route-not-removed.sh
bash make-lint-proxy-ruri-changed.sh
bash make-lint-rr-not-loose.sh
bash make-lint-proxy-double-rr-ok.sh
bash make-lint-rport-response-wrong-port.sh
bash make-lint-alias-over-non-tls.sh
bash make-lint-content-length-mismatch.sh
bash make-lint-missing-mandatory-header.sh
bash make-lint-cseq-method-mismatch.sh
bash make-lint-status-code-invalid.sh
bash make-srtp-suite.sh aes-cm-128-32
bash make-srtp-suite.sh gcm
bash make-srtp-suite.sh gcm-256
bash make-srtp-generated.sh
bash make-dtmf-both.sh
bash make-dtmf-inband.sh
bash make-dtmf-sipp.sh 2833
bash make-dtmf-sipp.sh info
bash make-dtmf-sipp.sh info-proxy
bash make-rtp-generated.sh
bash make-media-sipp.sh oneway
bash make-media-sipp.sh codec
bash make-media-hold.sh baresip
bash make-media-hold.sh sipp
bash make-media-nat.sh
bash make-media-loss.sh clean
bash make-media-loss.sh random
bash make-media-loss.sh bursty
bash make-media-rules.sh afterbye
bash make-media-rules.sh nomedia
bash make-media-rules.sh mline
bash make-media-rules.sh suite
bash make-media-rules.sh holdfirst
bash make-media-rules.sh dtmf
