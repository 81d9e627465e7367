#!/usr/bin/env bash
# What a signalfd read pays for making its buffer writable before each
# dequeue (2-signalfd-raw, "signalfd: fault the buffer in before taking a
# signal"), on a buffer that is fine: x86-64 kernels built from the series
# with that step as posted (a lockless page-table lookup, the fault-in only
# where the room is not mapped writable), as fault_in_iov_iter_writeable()
# before every record (mmap_lock and the fault path every time), as a
# probe that zeroes the room with page faults disabled (cheap, but writes
# into bytes the read may not return), and left out (ci/bench/faultin.py).
# Each boots once under -icount (instructions; the figures repeat exactly)
# running sigcr_bench --instructions 1 --max-n 16; prints instructions per
# signal of reads of 1, 16 and 64 records' room, with 1 and 16 signals
# pending, and each variant's ratio to the kernel without the step.
# Writes build/bench/faultin/.
#
# Builds in build/src with fs/signalfd.c changed for each variant and put
# back after (the tree must be clean), into build/x86_64-fi-VARIANT.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
. "$top/lib/arches.sh"
arch=x86_64
src=$top/build/src
out=$top/build/bench/faultin
mkdir -p "$out"

[ -z "$(git -C "$src" status --porcelain)" ] || die "$src has uncommitted changes"
trap 'git -C "$src" checkout -q -- fs/signalfd.c' EXIT

step "kernel $arch (build/$arch/linux)" kernel_build "$arch"
step "C++ tools $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"

# variant NAME: fs/signalfd.c with the fault-in as NAME says.
variant() {
	git -C "$src" checkout -q -- fs/signalfd.c
	[ "$1" = posted ] || python3 "$top/ci/bench/faultin.py" "$src/fs/signalfd.c" "$1"
}

# boot NAME: the benchmark in that variant's kernel, its csv lines kept.
boot() {
	local name=$1 dir=$out/$1
	if [ "$name" = posted ]; then arch_load "$arch"; else arch_load "$arch" "fi-$name"; fi
	mkdir -p "$dir"
	echo "bench 3600 ./userspace/sigcr_bench --instructions 1 --max-n 16" > "$dir/bench.suites"
	ln -sfn "$OBJ" "$dir/linux"
	ln -sfn "$OUT/kernel" "$dir/kernel"
	KERNEL_OUT=$dir SUITES=$dir/bench.suites "$top/ci/guest/initramfs.sh" "$arch"
	KERNEL_OUT=$dir QEMU_MEM=4G QEMU_SMP=1 QEMU_ICOUNT=1 GUEST_TIMEOUT=3600 \
		"$top/ci/guest/qemu.sh" "$arch" norandmaps >/dev/null
	sed -n "s/^    csv,/$name,/p" "$dir/console.log" > "$dir/bench.csv"
	[ -s "$dir/bench.csv" ] || die "$name: the guest printed no figures ($dir/console.log)"
}

for name in faultin probe none; do
	variant "$name"
	step "kernel $arch, fault-in $name (build/$arch-fi-$name/linux)" \
		kernel_build "$arch" "fi-$name"
done
git -C "$src" checkout -q -- fs/signalfd.c
for name in posted faultin probe none; do
	step "benchmark, fault-in $name, icount" boot "$name"
done
python3 "$top/ci/bench/faultin.py" --report "$out"/*/bench.csv | tee "$out/faultin.txt"
