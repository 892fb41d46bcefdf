#!/usr/bin/env python3
"""checksrc: the habits of src/ that a reviewer should not have to catch.
(Issue #12 calls it tests/checksrc.sh; this is it. make check runs it.)

Prints one line per check, "ok checksrc/NAME" or "not ok checksrc/NAME: why"
(tests/run-all.sh counts them), then the offending places indented. Every
check reads src/ and include/ (*.c, *.h) with comments and string literals
blanked, except includes, which reads the #include lines as written.

  banned       no call of strcpy, strcat, stpcpy, strncat, sprintf,
               vsprintf, gets, atoi, atol, atoll, atof, sscanf, strtok
               (unbounded copies, unchecked number parses; curl's list)
  realloc      no bare realloc: growth goes through sift_grow
               (src/util/common.c, the one place allowed), capped
  raw-bytes    no sift_be16/24/32/64 call and no *(uintN_t *) cast outside
               src/util/cursor.h (and the definitions of the unchecked
               sift_be16/32 in include/sipsift/common.h, which only tests
               and fuzz harnesses call): src/ reads binary data through
               the cursor
  raw-index    in the binary stages (capture/, net/, tls/), no read of a
               byte pointer (a name declared uint8_t * in the file) at a
               constant index or at "expr + constant" (p[2], p[off + 5]):
               such reads go through the cursor too. Writes into buffers
               we build are not reads and are allowed. Text (sip/, the
               span API) and media/ are outside it: see RAW_INDEX_STAGES.
  func-length  no function over FUNC_MAX lines without a reason beside it:
               a comment "long-function: why" in the 8 lines above it
  file-length  no file over FILE_MAX lines
  wrappers     each external library is included in its wrapper files
               only (WRAPPERS; STYLE.md: "the rest of the code sees our own
               types")
  includes     no include from a lower stage up to a higher one (STAGES;
               the top level src/*.c may include any), and no header of
               include/sipsift/ (the model) includes anything but
               sipsift/ headers
"""
import fnmatch
import os
import re
import sys

FUNC_MAX = 120
FILE_MAX = 900

# Stages from first to last; a file may include its own stage and lower
# ones. util is below everything; the top level (src/*.c) above all.
STAGES = ["util", "capture", "net", "tls", "sip", "call", "media", "lint",
          "report"]

BANNED = re.compile(r"\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|"
                    r"atof|sscanf|strtok|stpcpy|strncat)\s*\(")
REALLOC = re.compile(r"\brealloc\s*\(")
# Big-endian helpers and casts that read packet bytes without a check.
RAW = re.compile(r"\bsift_be(16|24|32|64)\s*\(|\*\s*\(\s*(const\s+)?u?int(16|32|64)_t\s*\*\s*\)")
# Stages whose byte pointers are binary data only. sip/ reads SIP text as
# uint8_t spans (indexing a span after its length check is the text API's
# way, not a packet read), and media/ and the rest mix own buffers with
# packet bytes: a regular expression cannot tell them apart without the
# types, so they are left to review.
RAW_INDEX_STAGES = ("capture", "net", "tls")
BYTE_PTR = re.compile(r"\buint8_t\s*\*\s*(?:const\s+)?([A-Za-z_]\w*)")
# name[CONST] or name[expr + CONST], not followed by a plain "=" (a write).
RAW_INDEX = re.compile(r"(?<![\w.>])([A-Za-z_]\w*)\s*\[\s*(?:[A-Za-z_][\w.>-]*\s*\+\s*)?"
                       r"(?:\d+|[A-Z_][A-Z0-9_]*)\s*\](?!\s*=[^=])")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYS_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>')
# Each external library's headers (by the start of their path) and the
# files of src/ that may include them. jansson is the JSON document's
# library: report_json.c builds the tree (report_json_write.c writes it,
# and writes a call straight as text), report_show.c writes show's
# JSON, and the HTML writer (report_html*) renders the JSON report's tree
# itself, so that the page and the JSON can never disagree (an own type
# for the document would be a second copy of it to keep in step; the
# lead may change how the tree is serialized, not what reads it).
WRAPPERS = {
    "pcap": ["src/capture/bpf.c"],
    "zlib.h": ["src/capture/capture_int.h"],
    "osipparser2/": ["src/sip/sip_msg.c", "src/sip/sip_uri_str.c",
                     "src/sip/sip_uri_str.h"],
    "srtp2/": ["src/media/srtp.c", "src/media/srtp_ossl.c",
               "src/media/srtp_ossl_vectors.c", "src/media/srtp_ossl_vectors.h"],
    "openssl/": ["src/media/srtp_ossl.c", "src/tls/tls_crypto.c"],
    "sndfile.h": ["src/media/wav.c"],
    "opus": ["src/media/codec.c"],
    "spandsp": ["src/media/codec.c"],
    "bcg729/": ["src/media/codec.c"],
    "jansson.h": ["src/report/report_json.c", "src/report/report_json_write.c",
                  "src/report/report_show.c", "src/report/report_html*"],
}
FUNC_START = re.compile(r"^[A-Za-z_][A-Za-z0-9_ \t\*]*\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def strip_comments_and_strings(text):
    """The text with comments and string/char literals blanked, line
    structure kept, so that patterns match code only."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def stage_of(path):
    parts = path.split(os.sep)
    if len(parts) >= 3 and parts[0] == "src":
        return parts[1]
    return None


def sources(root):
    for top in ("src", "include"):
        for d, _, files in sorted(os.walk(os.path.join(root, top))):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, f), root)


def functions(lines):
    """(name, first line, last line) of each function definition: a
    signature at column 0 and a body from a "{" to a "}" at column 0."""
    i = 0
    while i < len(lines):
        m = FUNC_START.match(lines[i])
        if m and "=" not in lines[i].split("(")[0] and \
           not lines[i].rstrip().endswith(";") and \
           not lines[i].startswith(("typedef", "#", "return")):
            j = i
            while j < len(lines) and j < i + 12 and not lines[j].startswith("{") \
                    and not lines[j].rstrip().endswith(";"):
                j += 1
            if j < len(lines) and lines[j].startswith("{"):
                k = j + 1
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                yield m.group(1), i, k
                i = k + 1
                continue
        i += 1


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    root = os.path.normpath(root)
    bad = {k: [] for k in ("banned", "realloc", "raw-bytes", "raw-index",
                           "func-length", "file-length", "includes",
                           "wrappers")}
    for path in sources(root):
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            raw = f.read()
        raw_lines = raw.split("\n")
        code_lines = strip_comments_and_strings(raw).split("\n")
        st = stage_of(path)
        ptrs = set(BYTE_PTR.findall("\n".join(code_lines))) \
            if st in RAW_INDEX_STAGES else set()
        if len(raw_lines) > FILE_MAX:
            bad["file-length"].append(f"{path}: {len(raw_lines)} lines")
        for no, line in enumerate(code_lines, 1):
            if BANNED.search(line):
                bad["banned"].append(f"{path}:{no}: {raw_lines[no - 1].strip()}")
            if REALLOC.search(line) and path != os.path.join("src", "util", "common.c"):
                bad["realloc"].append(f"{path}:{no}: {raw_lines[no - 1].strip()}")
            if RAW.search(line) and path != os.path.join("src", "util", "cursor.h") \
                    and path != os.path.join("include", "sipsift", "common.h"):
                bad["raw-bytes"].append(f"{path}:{no}: {raw_lines[no - 1].strip()}")
            for m in RAW_INDEX.finditer(line) if ptrs else ():
                # A declaration ("uint8_t buf[16]") is no read.
                if m.group(1) in ptrs and \
                   not re.search(r"\b(u?int\d+_t|char)\s*\**\s*$", line[:m.start()]):
                    bad["raw-index"].append(f"{path}:{no}: {raw_lines[no - 1].strip()}")
                    break
        for no, line in enumerate(raw_lines, 1):
            m = SYS_INCLUDE.match(line)
            for lib, files in WRAPPERS.items() if m else ():
                if m.group(1).startswith(lib) and not any(
                        fnmatch.fnmatch(path.replace(os.sep, "/"), g) for g in files):
                    bad["wrappers"].append(f"{path}:{no}: <{m.group(1)}> outside its wrapper")
            m = INCLUDE.match(line)
            if m and path.startswith("include" + os.sep) and \
               not m.group(1).startswith("sipsift/"):
                # The public model must not lean on a stage's internals.
                bad["includes"].append(f"{path}:{no}: public header includes {m.group(1)}")
                continue
            if not m or st is None:
                continue
            inc = m.group(1).split("/")
            if len(inc) < 2 or inc[0] == "sipsift":
                continue
            if inc[0] in STAGES and st in STAGES and \
               STAGES.index(inc[0]) > STAGES.index(st):
                bad["includes"].append(f"{path}:{no}: {st} includes {m.group(1)}")
        for name, first, last in functions(code_lines):
            length = last - first + 1
            if length <= FUNC_MAX:
                continue
            above = "\n".join(raw_lines[max(0, first - 8):first])
            if "long-function:" in above:
                continue
            bad["func-length"].append(f"{path}:{first + 1}: {name}() is {length} lines")
    failed = 0
    for check, items in bad.items():
        if items:
            failed += 1
            print(f"not ok checksrc/{check}: {len(items)} place(s)")
            for it in items[:40]:
                print(f"    {it}")
            if len(items) > 40:
                print(f"    ... and {len(items) - 40} more")
        else:
            print(f"ok checksrc/{check}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
