#!/usr/bin/env python3
"""Instructions per signal, per kernel function, from ci/bench/icount_profile.c.

  profile_report.py [--title T] [--top K] --n N System.map COUNTS

COUNTS: a line "windows W", then "vaddr insns executions" per translation
block. Every block is charged to the function its first instruction is
in (a block does not cross a function's end: each call and return ends
one). User-space blocks (below the kernel's text) are one line, "(user)".
N is the number of signals each window handled.
"""
import argparse
import bisect
from collections import defaultdict


def load_symbols(path):
    syms = []
    with open(path) as f:
        for line in f:
            addr, kind, name = line.split()[:3]
            if kind in "tTwW":
                syms.append((int(addr, 16), name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", default="")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("system_map")
    ap.add_argument("counts")
    args = ap.parse_args()

    addrs, names = load_symbols(args.system_map)
    per_fn = defaultdict(int)
    with open(args.counts) as f:
        windows = int(f.readline().split()[1])
        for line in f:
            vaddr, insns, runs = line.split()
            vaddr = int(vaddr, 16)
            i = bisect.bisect_right(addrs, vaddr) - 1
            fn = names[i] if vaddr >= addrs[0] and i >= 0 else "(user)"
            per_fn[fn] += int(insns) * int(runs)
    total = sum(per_fn.values())
    s = windows * args.n
    if not s:
        raise SystemExit(f"{args.counts}: no window closed (no markers ran?)")
    print(f"# {args.title}: {windows} windows, {s} signals, "
          f"{total / s:.1f} instructions per signal")
    print(f"{'per signal':>10} {'share':>6}  function")
    rows = sorted(per_fn.items(), key=lambda kv: -kv[1])
    for fn, n in rows[:args.top]:
        print(f"{n / s:10.1f} {100.0 * n / total:5.1f}%  {fn}")
    rest = sum(n for _, n in rows[args.top:])
    if rest:
        print(f"{rest / s:10.1f} {100.0 * rest / total:5.1f}%  ({len(rows) - args.top} more functions)")


if __name__ == "__main__":
    main()
