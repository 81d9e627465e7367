#!/usr/bin/env bash
# What PTRACE_PEEKSIGINFO's batch (5-ptrace-peeksiginfo) changes in a whole
# "criu dump": the CRIU of ci/guest/criu.sh dumps a process with N pending
# real-time signals (ci/bench/criu_dump_pending.c, half in each queue) in
# the virtme-ng guest (x86-64, TCG wall time), RUNS times, on the series'
# virtme-ng kernel and on the same kernel with kernel/ptrace.c as at the
# base (build/x86_64-vng-unbatched). Prints each run's time of the whole
# dump and of its signal dump, and the medians (build/bench/criu-dump/;
# virtme-ng's messages in KERNEL.log there).
#
#   criu-dump.sh        N=16384 RUNS=3 by default
#
# Builds in build/src with kernel/ptrace.c taken from the base and put
# back after (the tree must be clean). Not part of make test.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
arch=x86_64
src=$top/build/src
out=$top/build/bench/criu-dump
n=${N:-16384}
runs=${RUNS:-3}
mkdir -p "$out"

[ -z "$(git -C "$src" status --porcelain)" ] || die "$src has uncommitted changes"
trap 'git -C "$src" checkout -q -- kernel/ptrace.c' EXIT

step "kernel $arch vng (build/$arch-vng/linux)" kernel_build "$arch" vng
git -C "$src" show base:kernel/ptrace.c > "$src/kernel/ptrace.c"
step "kernel $arch vng, ptrace.c of the base (build/$arch-vng-unbatched/linux)" \
	kernel_build "$arch" vng-unbatched
git -C "$src" checkout -q -- kernel/ptrace.c
step "virtme-ng" "$top/ci/guest/vng.sh" fetch
criu=$("$top/ci/guest/criu.sh")
gcc -O2 -Wall -o "$out/criu_dump_pending" "$top/ci/bench/criu_dump_pending.c"

for kernel in vng vng-unbatched; do
	KERNEL_OUT=$top/build/$arch-$kernel "$top/ci/guest/vng.sh" exec "$arch" \
		"$top/ci/bench/criu-dump-guest.sh $criu $out/criu_dump_pending $n $runs" 2> "$out/$kernel.log" |
		tr -d '\r' | sed -n "s/^criu-dump: /$kernel: /p" | tee "$out/$kernel.txt"
done
# median FIELD FILE: the median of a field over the runs.
median() { awk -v f="$1" '{ print $f }' "$2" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for kernel in vng vng-unbatched; do
	echo "$kernel: median of $runs runs: criu dump $(median 7 "$out/$kernel.txt") s," \
		"signals $(median 12 "$out/$kernel.txt") s"
done | tee "$out/summary.txt"
