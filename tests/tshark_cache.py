"""tshark's answers, kept by file content, so that make check does not
start tshark some 900 times for answers it already has.

A view is keyed by the SHA-256 of the capture, the view's name and its
arguments, and is only used when the tshark that runs now has the version
that made it (`tshark --version`, first line); any other capture or
version asks tshark itself, so a changed capture is always checked against
tshark, never against an old answer. TSHARK_CACHE_UPDATE=1 writes the
views asked this run into tests/tshark-cache.json (tests/tshark-cache-update
does it for every capture)."""
import atexit
import hashlib
import json
import os
import subprocess

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "tshark-cache.json")
_state = {"loaded": False, "version": None, "views": {}, "fresh": {},
          "misses": 0}


def _tshark_version():
    out = subprocess.run(["tshark", "--version"], capture_output=True,
                         text=True, check=False).stdout
    return out.splitlines()[0] if out else "unknown"


def _load():
    if _state["loaded"]:
        return
    _state["loaded"] = True
    _state["version"] = _tshark_version()
    try:
        with open(CACHE) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return
    if doc.get("tshark") == _state["version"]:
        _state["views"] = doc.get("views", {})


# JSON has no tuples and only string keys: tag both so that a view comes
# back exactly as the function returned it.
def _enc(v):
    if isinstance(v, tuple):
        return {"t": [_enc(x) for x in v]}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if isinstance(v, dict):
        return {"d": [[_enc(k), _enc(x)] for k, x in v.items()]}
    return v


def _dec(v):
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        if "t" in v:
            return tuple(_dec(x) for x in v["t"])
        return {_dec(k): _dec(x) for k, x in v["d"]}
    return v


def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def view(name, fn, path, *args):
    """fn(path, *args), from the cache when tshark gave it before."""
    _load()
    key = "%s %s %s" % (_digest(path), name, json.dumps(args))
    if key in _state["views"]:
        value = _state["views"][key]
    else:
        _state["misses"] += 1
        value = _enc(fn(path, *args))
    _state["fresh"][key] = value
    return _dec(value)


def misses():
    return _state["misses"]


def _save():
    if os.environ.get("TSHARK_CACHE_UPDATE") != "1" or not _state["loaded"]:
        return
    try:
        with open(CACHE) as f:
            doc = json.load(f)
        if doc.get("tshark") != _state["version"]:
            doc = {}
    except (OSError, ValueError):
        doc = {}
    views = doc.get("views", {})
    views.update(_state["fresh"])
    with open(CACHE + ".tmp", "w") as f:
        json.dump({"tshark": _state["version"], "views": views}, f,
                  sort_keys=True, separators=(",", ":"))
        f.write("\n")
    os.replace(CACHE + ".tmp", CACHE)


atexit.register(_save)
