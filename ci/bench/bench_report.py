#!/usr/bin/env python3
"""Tabulate and plot what userspace/tools/bench.cc measured (ci/bench/bench.sh).

  bench_report.py --out DIR CSV...

Each CSV row: arch, kernel (series | base), clock (icount | tcg), boot,
queue, mix, N, method, the median per signal within that boot (guest
instructions under icount, emulated ns under tcg), repetitions.

Instruction figures (icount) repeat exactly from boot to boot: the report
compares the boots of each kernel figure by figure and says how many agree,
then uses boot 1. TCG figures drift between boots: a figure is the median
over the boots, a ratio the median over the boots of the ratio within one.
Writes DIR/bench.csv (all rows, with a header), DIR/bench.txt (the
tables and the targets, also printed) and DIR/bench-ARCH.svg (instructions
per signal against N, log-log, one panel per queue and mix).
"""
import argparse
import csv
import math
import os
import sys
from collections import defaultdict

FIELDS = ["arch", "kernel", "clock", "boot", "queue", "mix", "n", "method", "per_signal", "reps"]
STW = "sigtimedwait"
DUMP, RESTORE = "sfd_raw/64", "restore/loop"
TARGET_N = 4096
# Readers that do not use the series' paths: their cost on the series
# kernel against the base kernel.
OTHER_READERS = [STW, "sfd_classic/64", "deliver"]
PLOTTED = [  # method, colour, label
    (DUMP, "#1f77b4", "SFD_RAW read, 64/read"),
    ("sfd_classic/64", "#2ca02c", "classic read, 64/read"),
    ("uring_raw/64", "#17becf", "io_uring SFD_RAW read, 64/read"),
    (STW, "#d62728", "rt_sigtimedwait loop"),
    ("deliver", "#ff7f0e", "delivery to a handler"),
    ("peeksiginfo/32", "#8c564b", "PTRACE_PEEKSIGINFO, 32/call (CRIU)"),
    ("peeksiginfo/64", "#9467bd", "PTRACE_PEEKSIGINFO, 64/call"),
    (RESTORE, "#7f7f7f", "restore: rt_[tg]sigqueueinfo loop"),
]


def load(paths):
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            for rec in csv.reader(f):
                if len(rec) != len(FIELDS):
                    sys.exit(f"bench_report.py: {path}: expected {len(FIELDS)} fields, got {rec}")
                row = dict(zip(FIELDS, rec))
                row["n"], row["per_signal"] = int(row["n"]), float(row["per_signal"])
                rows.append(row)
    if not rows:
        sys.exit("bench_report.py: no figures")
    return rows


class Figures:
    """Per-boot figures by (arch, kernel, clock, queue, mix, n, method).
    get() is boot 1's figure under icount and the median over the boots
    under tcg; ratio() is boot 1's ratio under icount and the median over
    the boots of the ratio within each boot under tcg."""

    def __init__(self, rows):
        self.boots = defaultdict(dict)
        for r in rows:
            key = (r["arch"], r["kernel"], r["clock"], r["queue"], r["mix"], r["n"], r["method"])
            self.boots[key][r["boot"]] = r["per_signal"]

    def get(self, key):
        b = self.boots.get(key, {})
        if key[2] == "icount":
            return b.get("1")
        v = sorted(b.values())
        return v[len(v) // 2] if v else None

    def ratio(self, a, b):
        pa, pb = self.boots.get(a, {}), self.boots.get(b, {})
        v = sorted(pa[x] / pb[x] for x in pa if x in pb and pb[x] > 0)
        if a[2] == "icount":
            return pa["1"] / pb["1"] if pa.get("1") and pb.get("1") else None
        return v[len(v) // 2] if v else None


def repeatability(rows, fig):
    """How many icount figures are the same in every boot of their kernel."""
    out = ["Instruction counts from boot to boot (-icount shift=0,sleep=off, one vCPU):"]
    groups = sorted({(r["arch"], r["kernel"]) for r in rows if r["clock"] == "icount"})
    if not groups:
        return out + ["  no icount boots", ""]
    for arch, kernel in groups:
        keys = [k for k in fig.boots if k[:3] == (arch, kernel, "icount")]
        nboots = max(len(fig.boots[k]) for k in keys)
        same = sum(1 for k in keys if len(fig.boots[k]) == nboots and len(set(fig.boots[k].values())) == 1)
        worst = max((max(v.values()) / min(v.values()) - 1 for v in (fig.boots[k] for k in keys)
                     if min(v.values()) > 0), default=0)
        out.append(f"  {arch}, {kernel} kernel: {nboots} boots, {same} of {len(keys)} figures identical in "
                   f"every boot; largest difference {worst * 100:.2f}%")
    return out + [""]


def table(rows, fig, clock, title):
    mine = [r for r in rows if r["clock"] == clock]
    if not mine:
        return []
    out = title + [""]
    for arch, kernel, queue, mix in sorted({(r["arch"], r["kernel"], r["queue"], r["mix"]) for r in mine}):
        sel = [r for r in mine if (r["arch"], r["kernel"], r["queue"], r["mix"]) == (arch, kernel, queue, mix)]
        sizes = sorted({r["n"] for r in sel})
        methods = list(dict.fromkeys(r["method"] for r in sel))
        out.append(f"{arch}, {kernel} kernel, {queue} queue, "
                   f"{'one signal number' if mix == 'one' else 'mixed signal numbers'}")
        out.append(f"  {'method':20}" + "".join(f"{'N=' + str(n):>17}" for n in sizes))
        for method in methods:
            cells = []
            for n in sizes:
                key = (arch, kernel, clock, queue, mix, n)
                v = fig.get(key + (method,))
                stw = fig.ratio(key + (method,), key + (STW,))
                cell = "-" if v is None else f"{v:.0f} {stw:.2f}" if stw else f"{v:.0f}"
                cells.append(f"{cell:>17}")
            out.append(f"  {method:20}" + "".join(cells))
        out.append("")
    return out


def verdict(ok):
    return "met" if ok else "MISSED"


def targets(rows, fig):
    out = [f"Targets (guest instructions per signal, N = {TARGET_N}, 64 records per call; "
           "one signal number unless said):"]
    for arch in sorted({r["arch"] for r in rows}):
        for queue in ("shared", "private"):
            def k(method, kernel="series", n=TARGET_N, mix="one"):
                return (arch, kernel, "icount", queue, mix, n, method)

            if None in (fig.get(k(DUMP)), fig.get(k(STW)), fig.get(k(RESTORE))):
                out.append(f"  {arch}, {queue} queue: no icount figures at N = {TARGET_N}")
                continue
            out.append(f"  {arch}, {queue} queue:")
            dump = fig.ratio(k(DUMP), k(STW))
            out.append(f"    dump: SFD_RAW read costs {dump:.2f} of the rt_sigtimedwait() loop "
                       f"({fig.get(k(DUMP)):.0f} vs {fig.get(k(STW)):.0f}; target <= 0.33: {verdict(dump <= 1 / 3)})")
            # sigcr restores with the loop too: the round trip gains in the dump only.
            new = fig.get(k(DUMP)) + fig.get(k(RESTORE))
            old = fig.get(k(STW)) + fig.get(k(RESTORE))
            out.append(f"    round trip (SFD_RAW read, then the loop): {old / new:.2f}x cheaper than the two loops "
                       f"({new:.0f} vs {old:.0f}; target >= 2.5x: {verdict(old / new >= 2.5)})")
            for method in (DUMP, STW):
                a, b = fig.get(k(method, n=TARGET_N, mix="mixed")), fig.get(k(method, n=256, mix="mixed"))
                if a and b:
                    judged = method != STW
                    out.append(f"    31 mixed numbers, {method}: N = {TARGET_N} costs {a / b:.2f}x what N = 256 "
                               f"costs per signal ({a:.0f} vs {b:.0f}"
                               + (f"; target <= 1.2x: {verdict(a / b <= 1.2)})" if judged else "; not a target)"))
            # PTRACE_PEEKSIGINFO at CRIU's batch against an SFD_RAW read
            # (patches/5-ptrace-peeksiginfo), at N and at the largest N run.
            peek = "peeksiginfo/32"
            for mix in ("one", "mixed"):
                ns = sorted(n for (a_, kern, clk, q, mx, n, m) in fig.boots
                            if (a_, kern, clk, q, mx, m) == (arch, "series", "icount", queue, mix, peek))
                for n, limit in ((TARGET_N, 1.5), (ns[-1] if ns else None, 3.0)):
                    if n is None or fig.get(k(peek, n=n, mix=mix)) is None or fig.get(k(DUMP, n=n, mix=mix)) is None:
                        continue
                    r = fig.ratio(k(peek, n=n, mix=mix), k(DUMP, n=n, mix=mix))
                    out.append(f"    {peek} ({mix}) at N = {n} costs {r:.2f}x an SFD_RAW read "
                               f"({fig.get(k(peek, n=n, mix=mix)):.0f} vs {fig.get(k(DUMP, n=n, mix=mix)):.0f}; "
                               f"target <= {limit}x: {verdict(r <= limit)})")
            for method in OTHER_READERS:
                for mix in ("one", "mixed"):
                    s, b = fig.get(k(method, mix=mix)), fig.get(k(method, "base", mix=mix))
                    if s is None or b is None:
                        out.append(f"    {method}, {mix}: no figure for the base kernel")
                        continue
                    out.append(f"    {method} ({mix}) on the series against the base kernel: "
                               f"{(s / b - 1) * 100:+.2f}% ({s:.0f} vs {b:.0f}; target <= +2%: "
                               f"{verdict(s / b <= 1.02)})")
    return out


def svg(arch, rows, fig):
    """Four panels (queue x mix), log-log, instructions per signal against N."""
    pw, ph, ml, mt, gap = 360, 240, 60, 40, 70
    width, height = ml + 2 * (pw + gap), mt + 2 * (ph + gap) + 150
    el = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
          f'font-family="sans-serif" font-size="11">',
          f'<rect width="{width}" height="{height}" fill="white"/>',
          f'<text x="{ml}" y="22" font-size="15">{arch}, series kernel: guest instructions per signal '
          f'against N pending (QEMU -icount)</text>']
    mine = [r for r in rows if r["arch"] == arch and r["clock"] == "icount" and r["kernel"] == "series"]
    if not mine:
        return None
    sizes = sorted({r["n"] for r in mine})
    vals = [r["per_signal"] for r in mine if r["per_signal"] > 0]
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
                  f'text-anchor="middle">instructions per signal</text>')
        for method, colour, _ in PLOTTED:
            pts = [(n, fig.get((arch, "series", "icount", queue, mix, n, method))) for n in sizes]
            pts = [(X(n), Y(v)) for n, v in pts if v]
            if pts:
                el.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                          + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
                el.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in pts)
    ly = mt + 2 * (ph + gap)
    for i, (_, colour, label) in enumerate(PLOTTED):
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
    fig = Figures(rows)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    ntcg = len({(r["arch"], r["boot"]) for r in rows if r["clock"] == "tcg"})
    text = "\n".join(
        repeatability(rows, fig)
        + table(rows, fig, "icount", [
            "Guest instructions per signal (QEMU -icount shift=0,sleep=off: one nanosecond of guest time per",
            "executed instruction; boot 1, median of 3 runs), each followed by its ratio to the",
            "rt_sigtimedwait() loop of the same kernel, queue, mix and N. Instructions leave out what",
            "real hardware adds: syscall entry and exit with speculation mitigations, cache and TLB",
            "misses, lock contention. Figures from real hardware are welcome."])
        + table(rows, fig, "tcg", [
            f"TCG wall time in emulated ns per signal ({ntcg} boots in all; median over boots of the",
            "median of repeated runs), each followed by its ratio to the rt_sigtimedwait() loop (median",
            "over boots of the ratio within one boot). TCG weighs instructions by how slowly it",
            "emulates them: for comparison only."])
        + targets(rows, fig)) + "\n"
    with open(os.path.join(args.out, "bench.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    for arch in sorted({r["arch"] for r in rows}):
        body = svg(arch, rows, fig)
        if body is None:
            continue
        path = os.path.join(args.out, f"bench-{arch}.svg")
        with open(path, "w") as f:
            f.write(body)
        print(f"bench_report.py: {path}")
    print(f"bench_report.py: {os.path.join(args.out, 'bench.csv')}, {os.path.join(args.out, 'bench.txt')}")


if __name__ == "__main__":
    main()
