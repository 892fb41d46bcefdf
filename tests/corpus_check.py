"""Compare sipsift's SIP message count with tshark's on the public corpus.

Prints "ok NAME" or "not ok NAME: why" per capture (see tests/run-all.sh).
"""
import json
import os
import subprocess

corpus = os.environ.get("CORPUS", "../shared/corpus/pcaps")
sipsift = os.environ.get("SIPSIFT", "./sipsift")

diffs = {}
with open("tests/corpus-diffs.txt") as f:
    for line in f:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        path, count, _why = line.split(None, 2)
        diffs[path] = int(count)

catalog = json.load(open(os.path.join(corpus, "catalog.json")))
for entry in catalog["files"]:
    path = entry["path"]
    r = subprocess.run([sipsift, "analyze", "-q", "--format", "json",
                        os.path.join(corpus, path)],
                       capture_output=True, text=True)
    try:
        got = json.loads(r.stdout)["summary"]["sip_messages"]
    except (ValueError, KeyError) as e:
        print(f"not ok corpus/{path}: no report (exit {r.returncode}, {e}): {r.stderr.strip()[:200]}")
        continue
    if r.returncode != 0:
        print(f"not ok corpus/{path}: exit {r.returncode}: {r.stderr.strip()[:200]}")
        continue
    want = diffs.get(path, entry["sip_messages"])
    if got == want:
        print(f"ok corpus/{path}")
    else:
        print(f"not ok corpus/{path}: {got} SIP messages, expected {want}"
              f" (tshark {entry['sip_messages']})")
