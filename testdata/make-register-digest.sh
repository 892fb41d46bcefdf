#!/bin/bash
# register-digest.pcap: registration with digest authentication, refresh and de-registration.
#   baresip bob 127.0.0.30 (regint=5, auth_pass=secret)
#   -> kamailio 127.0.0.20 (kamailio-registrar.cfg: pv_www_authenticate / www_challenge qop=auth,
#      registrar + usrloc in memory)
# REGISTER -> 401 (WWW-Authenticate) -> REGISTER with Authorization -> 200; baresip refreshes
# the binding 4.5 s later (challenged again: 401, then 200), and on quit removes it
# (REGISTER with Contact ...;expires=0, challenged too). Expiry is the Contact parameter
# expires=5 (no Expires header). One Call-ID, CSeq incremented for every request.
# Regenerate: bash testdata/make-register-digest.sh
set -eu
cd "$(dirname "$0")"
. ./netns-lib.sh
. ./flow-check.sh
lib_init
OUT=register-digest.pcap
NS=sipsift-register

dir="$TMP_DIR/bob"
mkdir -p "$dir"
cat >"$dir/config" <<CFG
poll_method		epoll
sip_listen		127.0.0.30:5060
audio_player		alsa,null
audio_source		alsa,null
audio_alert		alsa,null
net_interface		127.0.0.30
module_path		/usr/lib/baresip/modules
module			stdio.so
module			g711.so
module			alsa.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
CFG
echo "<sip:bob@127.0.0.20;transport=udp>;auth_pass=secret;regint=5;audio_codecs=pcmu" >"$dir/accounts"
mkfifo "$TMP_DIR/bob.in"
exec 8<>"$TMP_DIR/bob.in"

ns_add $NS
start_kamailio KAM $NS kamailio-registrar.cfg
start_capture TCPD $NS lo "$TMP_DIR/out.pcap"
bg_run_stdin BOB "$TMP_DIR/bob.log" $NS "$TMP_DIR/bob.in" baresip -f "$dir" -v
wait_log "$TMP_DIR/bob.log" "200 OK" 10
# baresip does not log its refresh (due at 90% of 5 s): watch the capture for the second 200
timeout 10 bash -c 'until [ "$(tshark -r "$1" -Y "sip.Status-Code == 200" 2>/dev/null | wc -l)" -ge 2 ]; do
    sleep 0.3; done' _ "$TMP_DIR/out.pcap"
sleep 0.2
echo q >&8
wait_pid "$BOB" 5 || stop_pid "$BOB"
stop_capture "$TCPD"
stop_pid "$KAM"
exec 8>&-
cp "$TMP_DIR/out.pcap" "$OUT"
echo "wrote $OUT: $(tshark -r $OUT -Y sip 2>/dev/null | wc -l) SIP messages"
check_flow "$OUT" "REGISTER 401/REGISTER REGISTER 200/REGISTER REGISTER 401/REGISTER REGISTER 200/REGISTER
    REGISTER 401/REGISTER REGISTER 200/REGISTER"
