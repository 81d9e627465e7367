#!/usr/bin/env python3
"""Tabulate and plot what userspace/tools/bench.cc measured (ci/bench/bench.sh).

  bench_report.py --out DIR CSV...

Each CSV row: arch, kernel (series | perlock), boot, queue, mix, N,
method, median ns per signal within that boot, repetitions. A figure is the
median over the boots of its per-boot medians. Writes DIR/bench.csv (all
rows, with a header), DIR/bench.txt (the tables and the targets, also printed) and
DIR/bench-ARCH.svg (ns per signal against N, log-log, one panel per queue
and mix). Ratios compare figures of the same kernel, except "series vs
per-signal lock", which compares two kernels booted separately: the
emulator's speed differs from boot to boot, so that comparison is also given
normalised by each kernel's own rt_sigtimedwait() loop, which the patch does
not change, and the target judges that figure.
"""
import argparse
import csv
import math
import os
import sys
from collections import defaultdict

FIELDS = ["arch", "kernel", "boot", "queue", "mix", "n", "method", "ns_per_signal", "reps"]
STW = "sigtimedwait"
PLOTTED = [  # method, kernel, colour, label
    ("sfd_raw/64", "series", "#1f77b4", "SFD_RAW, 64/read"),
    ("sfd_raw/64", "perlock", "#9ecae1", "SFD_RAW, 64/read (per-signal lock)"),
    ("sfd_classic/64", "series", "#2ca02c", "classic, 64/read"),
    ("uring_raw/64", "series", "#17becf", "io_uring SFD_RAW, 64/read"),
    (STW, "series", "#d62728", "rt_sigtimedwait loop"),
    ("peeksiginfo/64", "series", "#9467bd", "PTRACE_PEEKSIGINFO, 64/call"),
    ("restore/*", "series", "#7f7f7f", "restore (rt_[tg]sigqueueinfo)"),
]


def load(paths):
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            for rec in csv.reader(f):
                if len(rec) != len(FIELDS):
                    sys.exit(f"bench_report.py: {path}: expected {len(FIELDS)} fields, got {rec}")
                row = dict(zip(FIELDS, rec))
                row["n"], row["ns_per_signal"] = int(row["n"]), float(row["ns_per_signal"])
                rows.append(row)
    if not rows:
        sys.exit("bench_report.py: no figures")
    return rows


class Figures:
    """Per-boot figures by (arch, kernel, queue, mix, n, method); restore/*
    also under its own name. get() is the median over the boots; ratio()
    the median over the boots of the ratio within each boot, so that a
    boot the emulator ran slower as a whole does not skew it."""

    def __init__(self, rows):
        self.boots = defaultdict(dict)
        for r in rows:
            key = (r["arch"], r["kernel"], r["queue"], r["mix"], r["n"])
            self.boots[key + (r["method"],)][r["boot"]] = r["ns_per_signal"]
            if r["method"].startswith("restore/"):
                self.boots[key + ("restore/*",)][r["boot"]] = r["ns_per_signal"]

    def get(self, key):
        v = sorted(self.boots.get(key, {}).values())
        return v[len(v) // 2] if v else None

    def ratio(self, a, b):
        pa, pb = self.boots.get(a, {}), self.boots.get(b, {})
        v = sorted(pa[x] / pb[x] for x in pa if x in pb and pb[x] > 0)
        return v[len(v) // 2] if v else None


def classic_of(method):
    return method.replace("sfd_raw/", "sfd_classic/") if method.startswith("sfd_raw/") else None


def tables(rows, ns):
    nboots = len({(r["arch"], r["kernel"], r["boot"]) for r in rows})
    out = [f"Cost per signal in ns (median over boots of the median of repeated runs; {nboots} boots in all),",
           "and ratios between figures of the same kernel:",
           "x stw = this / the rt_sigtimedwait() loop, x cls = SFD_RAW / classic at the same batch size,",
           "each the median over the boots of the ratio within one boot.",
           "Under QEMU's TCG only the ratios mean anything; the ns are emulated time.", ""]
    blocks = sorted({(r["arch"], r["queue"], r["mix"]) for r in rows})
    for arch, queue, mix in blocks:
        sizes = sorted({r["n"] for r in rows if (r["arch"], r["queue"], r["mix"]) == (arch, queue, mix)})
        methods = []
        for r in rows:
            if (r["arch"], r["queue"], r["mix"]) == (arch, queue, mix) and (r["kernel"], r["method"]) not in methods:
                methods.append((r["kernel"], r["method"]))
        out.append(f"{arch}, {queue} queue, {'one signal number' if mix == 'one' else 'mixed signal numbers'}")
        out.append(f"  {'method':34}" + "".join(f"{'N=' + str(n):>24}" for n in sizes))
        for kernel, method in methods:
            label = method + ("" if kernel == "series" else " (per-signal lock)")
            cells = []
            for n in sizes:
                key = (arch, kernel, queue, mix, n)
                v = ns.get(key + (method,))
                if v is None:
                    cells.append(f"{'-':>24}")
                    continue
                stw = ns.ratio(key + (method,), key + (STW,))
                cls = ns.ratio(key + (method,), key + (classic_of(method),)) if classic_of(method) else None
                cell = f"{v:.0f} {stw:.2f}stw" if stw else f"{v:.0f}"
                cell += f" {cls:.2f}cls" if cls else ""
                cells.append(f"{cell:>24}")
            out.append(f"  {label:34}" + "".join(cells))
        out.append("")
    return out


def verdict(ok):
    return "met" if ok else "MISSED"


def targets(rows, ns):
    out = ["Targets (N = 4096, 64 records per read, one signal number unless said):"]
    for arch in sorted({r["arch"] for r in rows}):
        for queue in ("shared", "private"):
            k = lambda kernel, n=4096, mix="one": (arch, kernel, queue, mix, n)
            raw = k("series") + ("sfd_raw/64",)
            cls, stw = k("series") + ("sfd_classic/64",), k("series") + (STW,)
            lock, lock_stw = k("perlock") + ("sfd_raw/64",), k("perlock") + (STW,)
            if None in (ns.get(raw), ns.get(cls), ns.get(stw)):
                out.append(f"  {arch} {queue}: no figures at N = 4096")
                continue
            out.append(f"  {arch}, {queue} queue:")
            speedup = 1 / ns.ratio(raw, stw)
            out.append(f"    SFD_RAW vs rt_sigtimedwait loop: {speedup:.2f}x faster "
                       f"(target >= 2x: {verdict(speedup >= 2)})")
            if ns.get(lock) and ns.get(lock_stw):
                cut, cut_norm = 1 - ns.get(raw) / ns.get(lock), 1 - ns.ratio(raw, stw) / ns.ratio(lock, lock_stw)
                out.append(f"    series vs per-signal lock: {cut_norm * 100:.0f}% cheaper per signal "
                           f"measured against each kernel's rt_sigtimedwait loop, {cut * 100:.0f}% in "
                           f"emulated ns (target >= 30%: {verdict(cut_norm >= 0.30)})")
            vs_cls = ns.ratio(raw, cls)
            out.append(f"    SFD_RAW vs classic: {(vs_cls - 1) * 100:+.1f}% per signal (target: at most "
                       f"5% above classic: {verdict(vs_cls <= 1.05)})")
            for mix in ("one", "mixed"):
                growth = ns.ratio(k("series", 4096, mix) + ("sfd_raw/64",), k("series", 256, mix) + ("sfd_raw/64",))
                if growth:
                    flat = "" if mix == "mixed" else f" (target flat, within 10%: {verdict(growth <= 1.10)})"
                    out.append(f"    {mix} signal number{'s' if mix == 'mixed' else ''}: N = 4096 costs "
                               f"{growth:.2f}x what N = 256 costs per signal{flat}")
    return out


def svg(arch, rows, ns):
    """Four panels (queue x mix), log-log, ns per signal against N."""
    pw, ph, ml, mt, gap = 360, 240, 60, 40, 70
    width, height = ml + 2 * (pw + gap), mt + 2 * (ph + gap) + 150
    el = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
          f'font-family="sans-serif" font-size="11">',
          f'<rect width="{width}" height="{height}" fill="white"/>',
          f'<text x="{ml}" y="22" font-size="15">{arch}: cost per signal against N pending '
          f'(QEMU TCG: compare lines, not absolute ns)</text>']
    mine = [r for r in rows if r["arch"] == arch]
    sizes = sorted({r["n"] for r in mine})
    vals = [r["ns_per_signal"] for r in mine if r["ns_per_signal"] > 0]
    x0, x1 = math.log10(sizes[0]), math.log10(sizes[-1]) or 1
    y0, y1 = math.floor(math.log10(min(vals))), math.ceil(math.log10(max(vals)))
    for pi, (queue, mix) in enumerate([(q, m) for q in ("shared", "private") for m in ("one", "mixed")]):
        px, py = ml + (pi % 2) * (pw + gap), mt + (pi // 2) * (ph + gap)
        X = lambda n: px + (math.log10(n) - x0) / ((x1 - x0) or 1) * pw
        Y = lambda v: py + ph - (math.log10(v) - y0) / ((y1 - y0) or 1) * ph
        el.append(f'<rect x="{px}" y="{py}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
        el.append(f'<text x="{px}" y="{py - 8}" font-size="13">{queue} queue, '
                  f'{"one signal number" if mix == "one" else "mixed signal numbers"}</text>')
        for n in sizes:
            el.append(f'<line x1="{X(n):.1f}" y1="{py + ph}" x2="{X(n):.1f}" y2="{py + ph + 4}" stroke="#444"/>')
            el.append(f'<text x="{X(n):.1f}" y="{py + ph + 16}" text-anchor="middle">{n}</text>')
        for e in range(y0, y1 + 1):
            el.append(f'<line x1="{px}" y1="{Y(10 ** e):.1f}" x2="{px + pw}" y2="{Y(10 ** e):.1f}" stroke="#ddd"/>')
            el.append(f'<text x="{px - 4}" y="{Y(10 ** e) + 4:.1f}" text-anchor="end">{10 ** e:g}</text>')
        el.append(f'<text x="{px + pw / 2}" y="{py + ph + 32}" text-anchor="middle">N (signals pending)</text>')
        el.append(f'<text x="{px - 45}" y="{py + ph / 2}" transform="rotate(-90 {px - 45} {py + ph / 2})" '
                  f'text-anchor="middle">ns per signal</text>')
        for method, kernel, colour, _ in PLOTTED:
            pts = [(n, ns.get((arch, kernel, queue, mix, n, method))) for n in sizes]
            pts = [(X(n), Y(v)) for n, v in pts if v]
            if pts:
                el.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                          + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
                el.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in pts)
    ly = mt + 2 * (ph + gap)
    for i, (_, _, colour, label) in enumerate(PLOTTED):
        lx, yy = ml + (i % 2) * (pw + gap), ly + (i // 2) * 18
        el.append(f'<line x1="{lx}" y1="{yy}" x2="{lx + 24}" y2="{yy}" stroke="{colour}" stroke-width="3"/>')
        el.append(f'<text x="{lx + 30}" y="{yy + 4}">{label}</text>')
    el.append("</svg>")
    return "\n".join(el) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("csv", nargs="+")
    args = ap.parse_args()
    rows = load(args.csv)
    ns = Figures(rows)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    text = "\n".join(tables(rows, ns) + targets(rows, ns)) + "\n"
    with open(os.path.join(args.out, "bench.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    for arch in sorted({r["arch"] for r in rows}):
        path = os.path.join(args.out, f"bench-{arch}.svg")
        with open(path, "w") as f:
            f.write(svg(arch, rows, ns))
        print(f"bench_report.py: {path}")
    print(f"bench_report.py: {os.path.join(args.out, 'bench.csv')}, {os.path.join(args.out, 'bench.txt')}")


if __name__ == "__main__":
    main()
