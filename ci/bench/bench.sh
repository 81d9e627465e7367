#!/usr/bin/env bash
# make bench: the benchmark (userspace/tools/bench.cc) in guest runs of two
# kernels per architecture, the same test programs for each:
#   series    the series as it is
#   base      the pristine base kernel (tag base of build/src), which has
#             only the methods a kernel without the series has: the
#             yardstick for "no other reader pays more"
# and two clocks:
#   icount    -icount shift=0,sleep=off, one vCPU: the guest's clock counts
#             executed instructions, so the figures are instructions and
#             repeat exactly. Each kernel boots twice, and the report
#             shows that the two boots agree.
#   tcg       plain TCG wall time, series only, BOOTS boots (default 3):
#             TCG's speed drifts between boots and within one, so a figure
#             is the median over boots, and only ratios mean anything.
# Writes build/bench/: ARCH-KERNEL-CLOCK/console-B.log, bench.csv (every
# boot's figures), bench.txt (the tables and the targets) and
# bench.svg (gnuplot: instructions per signal against N, both arches on
# one page).
#
#   bench.sh            ARCHES="x86_64 arm64" by default; BOOTS=0 skips
#                       the TCG boots
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
. "$top/lib/arches.sh"
arches=${ARCHES:-$ARCHES_ALL}
out=$top/build/bench
tcg_boots=${BOOTS:-3}

mkdir -p "$out"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
step "base tree (build/src-base)" "$top/kernel/tree.sh" base-worktree

# boot ARCH KERNEL CLOCK B: run the benchmark in that kernel (series: the
# plain build, base: the base variant) with that clock, and keep its csv
# lines, each prefixed with ARCH,KERNEL,CLOCK,B. One suite: the
# benchmark. 4G of guest memory raises the default RLIMIT_SIGPENDING
# (derived from memory) above N = 4096.
boot() {
	local arch=$1 kernel=$2 clock=$3 b=$4 dir=$out/$1-$2-$3 icount=0 args='' qemu_args=()
	if [ "$clock" = icount ]; then icount=1; args="--instructions 1" qemu_args=(norandmaps); fi
	arch_load "$arch" "${kernel#series}"
	mkdir -p "$dir"
	echo "bench 5400 ./userspace/sigcr_bench $args" > "$dir/bench.suites"
	ln -sfn "$OBJ" "$dir/linux"
	ln -sfn "$OUT/kernel" "$dir/kernel"
	KERNEL_OUT=$dir SUITES=$dir/bench.suites "$top/ci/guest/initramfs.sh" "$arch" || return
	KERNEL_OUT=$dir QEMU_MEM=4G QEMU_SMP=1 QEMU_ICOUNT=$icount GUEST_TIMEOUT=${GUEST_TIMEOUT:-5700} \
		"$top/ci/guest/qemu.sh" "$arch" "${qemu_args[@]}" |
		awk '/^    (#|ok|not ok)/ { sub(/^    /, ""); print; fflush() }'
	mv "$dir/console.log" "$dir/console-$b.log"
	python3 "$top/ci/judge/ktap.py" "$dir/console-$b.log" --name "$arch-$kernel-$clock" --counts "$dir/counts" || return
	sed -n "s/^    csv,/$arch,$kernel,$clock,$b,/p" "$dir/console-$b.log" > "$dir/bench-$b.csv"
	[ -s "$dir/bench-$b.csv" ] || die "$arch $kernel $clock: the guest printed no figures ($dir/console-$b.log)"
}

csvs=()
for arch in $arches; do
	step "kernel $arch (build/$arch/linux)" kernel_build "$arch"
	step "base kernel $arch (build/$arch-base/linux)" base_kernel_build "$arch"
	step "C++ tools $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
	for kernel in series base; do
		for b in 1 2; do
			step "benchmark $arch, $kernel kernel, icount, boot $b" boot "$arch" "$kernel" icount "$b"
			csvs+=("$out/$arch-$kernel-icount/bench-$b.csv")
		done
	done
	for b in $(seq "$tcg_boots"); do
		step "benchmark $arch, series kernel, TCG wall time, boot $b" boot "$arch" series tcg "$b"
		csvs+=("$out/$arch-series-tcg/bench-$b.csv")
	done
done

python3 "$top/ci/bench/bench_report.py" --out "$out" "${csvs[@]}"
