#!/usr/bin/env python3
"""The fault-in variants of ci/bench/faultin.sh.

    faultin.py SIGNALFD_C faultin|probe|none   rewrite fs/signalfd.c
    faultin.py --report CSV...                 the table

posted (no rewrite): a lockless page-table lookup of the record's room
(get_user_pages_fast_only()) once per page and read, the fault-in only
where it is not mapped writable. faultin: fault_in_iov_iter_writeable() before every record (the
previous version: mmap_lock and the fault path every time). probe: zero
the room with page faults disabled, the fault-in only if that fails
(cheap, but writes into bytes the read may not return). none: nothing (a
bad buffer loses the signal again; for the comparison only).
"""
import csv
import sys

POSTED = """		ret = signalfd_fault_in(to, room);
		if (ret)
			return ret;
"""

PROBE_FN = """static int signalfd_probe(struct iov_iter *to)
{
	size_t len = sizeof(struct signalfd_siginfo), n;

	pagefault_disable();
	n = iov_iter_zero(len, to);
	pagefault_enable();
	iov_iter_revert(to, n);
	if (n == len)
		return 0;
	return fault_in_iov_iter_writeable(to, len) ? -EFAULT : 0;
}

"""


def rewrite(path, mode):
    s = open(path).read()
    if s.count(POSTED) != 1:
        sys.exit(f"faultin.py: {path} has not the posted fault-in")
    anchor = "static ssize_t signalfd_dequeue_for("
    if mode == "probe":
        s = s.replace(POSTED, "\t\tif (signalfd_probe(to))\n\t\t\treturn -EFAULT;\n")
        s = s.replace(anchor, PROBE_FN + anchor, 1)
    elif mode == "faultin":
        s = s.replace(POSTED, "\t\tif (fault_in_iov_iter_writeable(to,\n\t\t\t\t\t\tsizeof(struct signalfd_siginfo)))\n"
                              "\t\t\treturn -EFAULT;\n")
    elif mode == "none":
        s = s.replace(POSTED, "")
    else:
        sys.exit(f"faultin.py: no variant {mode}")
    open(path, "w").write(s)


def report(paths):
    # variant, queue, mix, n, method, instructions per signal, samples
    rows = {}
    for p in paths:
        for r in csv.reader(open(p)):
            variant, queue, mix, n, method, per = r[:6]
            if mix == "one" and method.startswith(("sfd_raw/", "sfd_classic/")):
                rows[(variant, queue, int(n), method)] = float(per)
    keys = sorted({k[1:] for k in rows})
    print("instructions per signal under -icount (one boot each; they repeat exactly)")
    variants = [x for x in ("none", "posted", "faultin", "probe") if any(k[0] == x for k in rows)]
    print(f"{'queue':8} {'N':>3} {'method':15}" + "".join(f" {x:>8}" for x in variants) +
          "".join(f" {x + '/none':>12}" for x in variants[1:]))
    for queue, n, method in keys:
        v = {x: rows.get((x, queue, n, method)) for x in variants}
        if None in v.values():
            continue
        print(f"{queue:8} {n:>3} {method:15}" + "".join(f" {v[x]:8.0f}" for x in variants) +
              "".join(f" {v[x] / v['none']:12.3f}" for x in variants[1:]))


if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2:])
    else:
        rewrite(sys.argv[1], sys.argv[2])
