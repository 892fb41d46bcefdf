#!/usr/bin/env python3
"""How well a decoded WAV matches the audio that was played into the call.

    wavcorr.py DECODED.wav SOURCE.wav [--channel N] [--min R]

Both are brought to 8 kHz mono (block averages: every rate used here is a
multiple of 8000), the lags where they match best are found by a cross-
correlation through an FFT, and the normalised cross-correlation of the
source with the decoded audio at the best of them is printed ("corr 0.987 lag 1234"). With --min,
exits 1 when it is below R. Standard library only (wave)."""
import argparse
import array
import math
import sys
import wave


def load(path, channel):
    with wave.open(path, "rb") as w:
        ch, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        if width != 2:
            sys.exit(f"{path}: {8 * width}-bit samples, want 16")
        a = array.array("h", w.readframes(n))
    if sys.byteorder == "big":
        a.byteswap()
    if ch > 1:
        a = a[channel::ch]
    if rate % 8000:
        sys.exit(f"{path}: rate {rate} is no multiple of 8000")
    k = rate // 8000
    if k > 1:
        a = [sum(a[i:i + k]) / k for i in range(0, len(a) - k + 1, k)]
    return [float(v) for v in a]


def fft(a, invert=False):
    """In-place iterative radix-2 FFT of a list of complex numbers."""
    n = len(a)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    length = 2
    while length <= n:
        ang = (2 if invert else -2) * math.pi / length
        wl = complex(math.cos(ang), math.sin(ang))
        half = length // 2
        ws = [1 + 0j]
        for _ in range(half - 1):
            ws.append(ws[-1] * wl)
        for i in range(0, n, length):
            for k in range(half):
                u = a[i + k]
                v = a[i + k + half] * ws[k]
                a[i + k] = u + v
                a[i + k + half] = u - v
        length <<= 1
    if invert:
        for i in range(n):
            a[i] /= n
    return a


def candidates(dec, src, count=8):
    """Lags with the highest cross-correlation, normalised by the energy
    of the decoded audio under the source (FFT, cumulative sums)."""
    n = 1
    while n < len(dec) + len(src):
        n <<= 1
    fd = fft([complex(v) for v in dec] + [0j] * (n - len(dec)))
    fs = fft([complex(v) for v in src] + [0j] * (n - len(src)))
    xc = fft([x * y.conjugate() for x, y in zip(fd, fs)], invert=True)
    cum = [0.0]
    for v in dec:
        cum.append(cum[-1] + v * v)
    es = sum(v * v for v in src)
    out = []
    for lag in range(-len(src) // 2, len(dec) - len(src) // 2):
        lo, hi = max(0, lag), min(len(dec), lag + len(src))
        ed = cum[hi] - cum[lo]
        if ed <= 0 or hi - lo < len(src) // 2:
            continue
        out.append((xc[lag % n].real / math.sqrt(es * ed), lag))
    out.sort(reverse=True)
    return [lag for _, lag in out[:count]]


def ncc(dec, src, lag):
    """Source sample i against decoded sample i + lag, over the overlap."""
    lo = max(0, -lag)
    hi = min(len(src), len(dec) - lag)
    if hi - lo < len(src) // 2:
        return 0.0
    s = src[lo:hi]
    d = dec[lo + lag:hi + lag]
    num = sum(map(lambda p, q: p * q, s, d))
    den = math.sqrt(sum(v * v for v in s) * sum(v * v for v in d))
    return num / den if den else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("decoded")
    ap.add_argument("source")
    ap.add_argument("--channel", type=int, default=0)
    ap.add_argument("--min", type=float)
    o = ap.parse_args()
    dec = load(o.decoded, o.channel)
    src = load(o.source, 0)
    best, lag0 = -2.0, 0
    for lag in candidates(dec, src):
        c = ncc(dec, src, lag)
        if c > best:
            best, lag0 = c, lag
    print(f"corr {best:.3f} lag {lag0}")
    if o.min is not None and best < o.min:
        sys.exit(1)


if __name__ == "__main__":
    main()
