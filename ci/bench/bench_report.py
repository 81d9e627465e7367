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
tables and the targets, also printed) and DIR/bench.svg (gnuplot:
instructions per signal against N, log-log, a panel per architecture,
queue and mix, on one page).
"""
import argparse
import csv
import os
import subprocess
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


def plot(out, rows, fig):
    """One page, bench.svg, drawn by gnuplot: a row of four panels (queue x
    mix) per architecture, log-log, instructions per signal against N on
    the series kernel. The data and the gnuplot script stay beside it
    (bench-plot.dat, bench-plot.gp). None if there is nothing to plot."""
    mine = [r for r in rows if r["clock"] == "icount" and r["kernel"] == "series"]
    arches = sorted({r["arch"] for r in mine})
    if not arches:
        return None
    panels = [(q, m) for q in ("shared", "private") for m in ("one", "mixed")]
    dat, gp = os.path.join(out, "bench-plot.dat"), os.path.join(out, "bench-plot.gp")
    svg = os.path.join(out, "bench.svg")
    index, blocks = {}, []
    for arch in arches:
        sizes = sorted({r["n"] for r in mine if r["arch"] == arch})
        for queue, mix in panels:
            for method, _, _ in PLOTTED:
                pts = [(n, fig.get((arch, "series", "icount", queue, mix, n, method))) for n in sizes]
                pts = [(n, v) for n, v in pts if v]
                if pts:
                    index[(arch, queue, mix, method)] = len(blocks)
                    blocks.append("\n".join(f"{n} {v:.1f}" for n, v in pts))
    with open(dat, "w") as f:
        f.write("\n\n\n".join(blocks) + "\n")
    height = 400 * len(arches) + 120
    key = 80 / height  # the bottom of the page: one key for every panel
    top = 1 - 30 / height  # above: the page's title
    ph = (top - key) / len(arches)
    lines = [
        f'set terminal svg size 1600,{height} dynamic noenhanced font "sans,11" background "white"',
        f'set output "{svg}"',
        'set multiplot title "Series kernel: guest instructions per signal against N pending '
        '(QEMU -icount; make bench)"',
        "set logscale xy",
        "set grid",
        'set xlabel "N (signals pending)"',
        'set ylabel "guest instructions per signal"',
        "unset key",
        f"set size 0.25,{ph:.4f}",
    ]
    for row, arch in enumerate(arches):
        for col, (queue, mix) in enumerate(panels):
            lines.append(f"set origin {0.25 * col:.2f},{top - (row + 1) * ph:.4f}")
            lines.append(f'set title "{arch}, {queue} queue, '
                         f'{"one signal number" if mix == "one" else "31 mixed numbers"}"')
            series = [f'"{dat}" index {index[(arch, queue, mix, m)]} using 1:2 with linespoints '
                      f'lw 2 pt 7 ps 0.5 lc rgb "{colour}"'
                      for m, colour, _ in PLOTTED if (arch, queue, mix, m) in index]
            if series:
                lines.append("plot " + ", \\\n     ".join(series))
    # The key: a plot of nothing as wide as the page.
    lines += ["set origin 0,0", f"set size 1,{key:.4f}", "unset logscale", "unset grid", "unset border",
              "unset tics", "unset xlabel", "unset ylabel", "unset title", "set xrange [0:1]",
              "set yrange [0:1]", "set key center center horizontal maxrows 2 samplen 3 width 2",
              "plot " + ", \\\n     ".join(f'NaN with linespoints lw 2 pt 7 ps 0.5 lc rgb "{colour}" '
                                          f'title "{label}"' for _, colour, label in PLOTTED)]
    lines.append("unset multiplot")
    with open(gp, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["gnuplot", gp], check=True)
    return svg


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
    path = plot(args.out, rows, fig)
    if path:
        print(f"bench_report.py: {path}")
    print(f"bench_report.py: {os.path.join(args.out, 'bench.csv')}, {os.path.join(args.out, 'bench.txt')}")


if __name__ == "__main__":
    main()
