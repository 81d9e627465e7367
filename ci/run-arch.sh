#!/usr/bin/env bash
# One guest run: build the kernel for one architecture (and a variant of
# it), the guest's tests against its headers, boot it, run the suites of
# ci/suites meant for it and judge the result. Each step says what it does
# and how long it took.
#
#   run-arch.sh ARCH        the series in the busybox guest under QEMU;
#                           INJECT=fail|suitehang|hang|warn breaks the run
#                           on purpose; VERBOSE=1 shows the whole console.
#   run-arch.sh ARCH base   the pristine base kernel (a worktree of
#                           build/src at tag base) with the series' tests.
#   run-arch.sh ARCH debug  the series built with kernel/configs/variants/
#                           debug.config (KASAN, UBSAN, lockdep, ...); its
#                           suites get SLOW (default 4) times their timeouts.
#   run-arch.sh ARCH vng    the series' virtme-ng variant, booted by
#                           virtme-ng on this host's userland, with the
#                           CRIU ci/guest/criu.sh builds (ci/guest/vng.sh).
# The plain and base runs boot their kernel a second time, in
# build/ARCH[-base]-icount, for the suites marked icount:, with one vCPU
# counting instructions.
# Writes build/ARCH[-VARIANT]/counts ("passed failed skipped"); exits 1 on
# failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
. "$top/lib/arches.sh"
. "$top/ci/guest/lib.sh"
arch=${1:?usage: run-arch.sh ARCH [base|debug|vng]}
variant=${2:-}
arch_load "$arch" "$variant"
export KERNEL_OUT=$OUT
name=$arch${variant:+-$variant}
suites=${SUITES:-$top/ci/suites}

# The guest's report, without the boot log and dmesg (both stay in
# the console log), as the judge reads it.
# shellcheck disable=SC2317 # called through boot and boot_icount
show_report() {
	if [ "${VERBOSE:-0}" = 1 ]; then cat; return; fi
	python3 -u "$top/ci/judge/ktap.py" --follow -
}

slow=1
if [ "$variant" = debug ]; then
	slow=${SLOW:-4}
	export GUEST_TIMEOUT=${GUEST_TIMEOUT:-$((GUEST_TIMEOUT_DEFAULT * slow))}
fi
# shellcheck disable=SC2317 # called through step
boot() { "$top/ci/guest/qemu.sh" "$arch" ${INJECT:+"inject=$INJECT"} "slow=$slow" | show_report; }


rm -f "$OUT/counts"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
# The tests are built against the plain kernel's headers.
step "kernel $arch (build/$arch/linux)" kernel_build "$arch"
case $variant in
base)
	step "base tree (build/src-base)" "$top/kernel/tree.sh" base-worktree
	step "base kernel $arch (build/$name/linux)" base_kernel_build "$arch"
	;;
?*) step "$variant kernel $arch (build/$name/linux)" kernel_build "$arch" "$variant" ;;
esac
step "guest tests $arch (build/$arch/tests)" "$top/selftests/build.sh" "$arch"
step "C++ suite $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
if [ "$variant" = vng ]; then
	step "virtme-ng (build/dl)" "$top/ci/guest/vng.sh" fetch
	step "criu and its zdtm tests (build/criu, build/$name/zdtm)" "$top/ci/guest/criu.sh" zdtm "$OUT/zdtm"
	guest_suites "$arch" vng "$suites" > "$OUT/suites"
	step "boot $name with virtme-ng" "$top/ci/guest/vng.sh" boot "$arch"
else
	step "initramfs $name" "$top/ci/guest/initramfs.sh" "$arch" "$variant"
	step "boot $name in QEMU${INJECT:+ (inject=$INJECT)}" boot
fi
# The series' own suites may not skip, except on the base kernel.
own=(--own "$suites")
[ "$variant" != base ] || own=()
judge() { # NAME OUT
	echo "==> results $1"
	python3 "$top/ci/judge/ktap.py" "$2/console.log" --name "$1" --counts "$2/counts" \
		--known "$top/ci/judge/known-failures" "${own[@]}"
}
rc=0
judge "$name" "$OUT" || rc=1
# The plain (and base) kernel boots once more for the suites marked
# icount: in ci/suites, tests that hold a CPU-time clock against the wall
# clock, which a loaded host skews under plain TCG: with one vCPU counting
# instructions (QEMU_ICOUNT=1) both clocks advance only as the guest runs.
icount=$top/build/$name-icount
# shellcheck disable=SC2317 # called through step
boot_icount() {
	KERNEL_OUT=$icount QEMU_SMP=1 QEMU_ICOUNT=1 "$top/ci/guest/qemu.sh" "$arch" | show_report
}
rm -rf "$icount"
mkdir -p "$icount"
python3 "$top/ci/suites.py" --file "$suites" select --marked icount > "$icount/suites.in"
if [ "${variant:-base}" = base ] && [ -s "$icount/suites.in" ]; then
	ln -s "$OUT/kernel" "$icount/kernel"
	ln -s "$OBJ" "$icount/linux"
	step "initramfs $name-icount" env KERNEL_OUT="$icount" SUITES="$icount/suites.in" \
		"$top/ci/guest/initramfs.sh" "$arch" icount
	step "boot $name-icount in QEMU (one vCPU, -icount)" boot_icount
	judge "$name-icount" "$icount" || rc=1
	[ -f "$icount/counts" ] || echo "0 1 0" > "$icount/counts"
	cat "$OUT/counts" "$icount/counts" | awk '{ p += $1; f += $2; s += $3 } END { print p, f, s }' > "$OUT/counts.sum"
	mv "$OUT/counts.sum" "$OUT/counts"
fi
exit $rc
