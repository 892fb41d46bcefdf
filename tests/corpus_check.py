"""Compare sipsift with tshark on the public corpus (catalog.json holds what
tshark 4.0 sees in each capture): the number of SIP messages, of calls
(distinct Call-IDs), and the count of each request method and response
status over all messages.

Prints "ok NAME" or "not ok NAME: why" per capture and check (see
tests/run-all.sh). tests/corpus-diffs.txt lists, with the reason, every
check on which we knowingly differ: "path check expected why", where
expected is our value, or "-" for a check that is not compared there.
"""
import collections
import json
import os
import subprocess

corpus = os.environ.get("CORPUS", "testdata/corpus")
sipsift = os.environ.get("SIPSIFT", "./sipsift")

diffs = {}
with open("tests/corpus-diffs.txt") as f:
    for line in f:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        path, check, value, _why = line.split(None, 3)
        diffs[(path, check)] = value

catalog = json.load(open(os.path.join(corpus, "catalog.json")))
for entry in catalog["files"]:
    path = entry["path"]
    r = subprocess.run([sipsift, "analyze", "-q", "--format", "json",
                        os.path.join(corpus, path)],
                       capture_output=True, text=True)
    try:
        report = json.loads(r.stdout)
    except ValueError as e:
        print(f"not ok corpus/{path}: no report (exit {r.returncode}, {e}): {r.stderr.strip()[:200]}")
        continue
    if r.returncode != 0:
        print(f"not ok corpus/{path}: exit {r.returncode}: {r.stderr.strip()[:200]}")
        continue
    methods = collections.Counter()
    statuses = collections.Counter()
    for call in report["calls"]:
        for m in call["messages"]:
            if "method" in m:
                methods[m["method"]] += 1
            else:
                statuses[str(m["status"])] += 1
    ours = {
        "sip_messages": report["summary"]["sip_messages"],
        "calls": report["summary"]["calls"],
        "methods": dict(methods),
        "statuses": dict(statuses),
    }
    theirs = {
        "sip_messages": entry["sip_messages"],
        "calls": entry["distinct_call_ids"],
        "methods": entry["methods"],
        "statuses": entry["status_codes"],
    }
    for check in ours:
        want = theirs[check]
        known = diffs.get((path, check))
        if known == "-":
            continue
        if known is not None:
            want = int(known)
        if ours[check] == want:
            print(f"ok corpus/{path}/{check}")
        else:
            print(f"not ok corpus/{path}/{check}: {ours[check]}, expected {want}"
                  f" (tshark: {theirs[check]})")
