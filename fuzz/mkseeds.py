"""Turn captures into seeds for fuzz_pipeline (see its header comment).

usage: mkseeds.py OUTDIR CAPTURE...   (classic pcap or pcapng)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "tools"))
import pcaplib  # noqa: E402

LINKS = [1, 113, 276, 101, 0, 108, 228, 229, 9]
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for path in sys.argv[2:]:
    _, pkts = pcaplib.read_packets(path)
    if not pkts:
        continue
    lt = pkts[0].linktype
    if lt not in LINKS:
        continue
    seed = bytearray([LINKS.index(lt)])
    last = pkts[0].ts_ns
    for p in pkts[:200]:
        if p.linktype != lt:
            continue
        step = max(0, min(255, (p.ts_ns - last) // 1000000))
        last = p.ts_ns
        data = p.data[:65535]
        seed += len(data).to_bytes(2, "big") + bytes([step]) + data
    name = os.path.basename(path).replace(".", "_") + ".seed"
    open(os.path.join(out, name), "wb").write(seed)
