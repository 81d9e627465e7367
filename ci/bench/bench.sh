#!/usr/bin/env bash
# make bench: the dump benchmark (userspace/tools/bench.cc) in one guest run
# per kernel and architecture, the same initramfs for each kernel:
#   series    the series as it is
#   perlock   only while the series has a batched-dequeue patch: the
#             series without it (one siglock hold per signal), from a
#             worktree in build/src-perlock. v2 dropped that patch (see
#             the README), so today only the series is measured.
# Each kernel boots BOOTS times (3), the two alternating, with one vCPU:
# TCG's speed drifts from boot to boot (and within one), and the median
# over boots of each figure is what counts.
# Writes build/bench/: ARCH-KERNEL/console-B.log, bench.csv (every boot's
# figures), bench.txt (the table and the targets) and bench-ARCH.svg (cost
# per signal against N).
#
#   bench.sh            ARCHES="x86_64 arm64" by default
#
# Under QEMU's TCG only ratios mean anything; the table says so.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernel/lib.sh"
. "$top/kernel/arch.sh"
arches=${ARCHES:-$ARCHES_ALL}
out=$top/build/bench
batch_subject='signalfd: dequeue a batch of signals under one siglock hold'


mkdir -p "$out"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
batch_rev=$(git -C "$top/build/src" log --format=%H --fixed-strings --grep="$batch_subject" base..HEAD)
kernels=series
if [ -n "$batch_rev" ]; then
	kernels="series perlock"
	step "per-signal-lock tree (build/src-perlock)" "$top/kernel/tree.sh" worktree perlock "$batch_rev^"
fi

# One suite: the benchmark. 4G of guest memory raises the default
# RLIMIT_SIGPENDING (derived from memory) above N = 4096.
echo "bench 5400 ./userspace/sigcr_bench" > "$out/suites"

# boot ARCH KERNEL B: run the benchmark in that kernel (series: the plain
# build, else the variant of that name) and keep its csv lines, each
# prefixed with ARCH,KERNEL,B.
boot() {
	local arch=$1 kernel=$2 b=$3 dir=$out/$1-$2
	arch_load "$arch" "${kernel#series}"
	mkdir -p "$dir"
	ln -sfn "$OBJ" "$dir/linux"
	ln -sfn "$OUT/kernel" "$dir/kernel"
	KERNEL_OUT=$dir SUITES=$out/suites "$top/ci/guest/initramfs.sh" "$arch" || return
	KERNEL_OUT=$dir QEMU_MEM=4G QEMU_SMP=1 GUEST_TIMEOUT=${GUEST_TIMEOUT:-5700} "$top/ci/guest/qemu.sh" "$arch" |
		awk '/^    (#|ok|not ok)/ { sub(/^    /, ""); print; fflush() }'
	mv "$dir/console.log" "$dir/console-$b.log"
	python3 "$top/ci/judge/ktap.py" "$dir/console-$b.log" --name "$arch-$kernel" --counts "$dir/counts" || return
	sed -n "s/^    csv,/$arch,$kernel,$b,/p" "$dir/console-$b.log" > "$dir/bench-$b.csv"
	[ -s "$dir/bench-$b.csv" ] || die "$arch $kernel: the guest printed no figures ($dir/console-$b.log)"
}

for arch in $arches; do
	step "kernel $arch (build/$arch/linux)" "$top/kernel/build.sh" "$arch"
	case $kernels in *perlock*)
		step "per-signal-lock kernel $arch (build/$arch-perlock/linux)" \
			env KERNEL_SRC="$top/build/src-perlock" "$top/kernel/build.sh" "$arch" perlock ;;
	esac
	step "C++ tools $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
	for b in $(seq "${BOOTS:-3}"); do
		step "benchmark $arch, series kernel, boot $b" boot "$arch" series "$b"
		case $kernels in *perlock*)
			step "benchmark $arch, per-signal-lock kernel, boot $b" \
				boot "$arch" perlock "$b" ;;
		esac
	done
done

csvs=()
for arch in $arches; do
	for b in $(seq "${BOOTS:-3}"); do
		for k in $kernels; do csvs+=("$out/$arch-$k/bench-$b.csv"); done
	done
done
python3 "$top/ci/bench/bench_report.py" --out "$out" "${csvs[@]}"
