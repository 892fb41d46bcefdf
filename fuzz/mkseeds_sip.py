"""Seeds for fuzz_sip_fast: SIP messages of captures, one a file.

usage: mkseeds_sip.py OUTDIR FILE...
A FILE ending in .pcap or .pcapng gives the UDP payloads tshark sees as SIP;
any other file is a message as it is (the RFC 4475 torture .dat files).
One message is kept for each kind (its method or status line, and the set
of its header names), none over 3,000 bytes: fuzz/corpus/fuzz_sip_fast is
this run on testdata/*.pcap* and ../shared/corpus/torture/*.dat, plus what
the fuzzer found. Named by their SHA-1, as libFuzzer names what it adds.
"""
import hashlib
import os
import subprocess
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
kinds = set()
for path in sys.argv[2:]:
    if path.endswith((".pcap", ".pcapng")):
        res = subprocess.run(["tshark", "-r", path, "-Y", "sip && udp", "-T", "fields",
                              "-e", "udp.payload"], capture_output=True, text=True)
        msgs = [bytes.fromhex(l.strip()) for l in res.stdout.splitlines() if l.strip()]
    else:
        msgs = [open(path, "rb").read()]
    for m in msgs:
        if len(m) > 3000:
            continue
        lines = m.split(b"\r\n\r\n")[0].split(b"\n")
        first = lines[0][:12] if lines[0].startswith(b"SIP/") else lines[0].split(b" ")[0]
        names = frozenset(l.split(b":")[0].strip().lower() for l in lines[1:] if b":" in l)
        if (first, names) in kinds:
            continue
        kinds.add((first, names))
        open(os.path.join(out, hashlib.sha1(m).hexdigest()), "wb").write(m)
print(len(kinds), "seeds")
