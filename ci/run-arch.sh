#!/usr/bin/env bash
# Build and boot the patched kernel for one architecture, run every suite in
# the guest and judge the result.
#
#   run-arch.sh ARCH        INJECT=fail|suitehang|hang|warn breaks the run
#                           on purpose; VERBOSE=1 shows the whole console.
#   run-arch.sh ARCH base   boots the pristine base kernel (a worktree of
#                           build/src at tag base) with the series' tests.
#   run-arch.sh ARCH debug  boots the series built with kernel/configs/
#                           debug.config (KASAN, UBSAN, lockdep, ...); its
#                           suites get SLOW (default 4) times their timeouts.
# Writes BUILD/counts ("passed failed skipped"); exits 1 on failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/lib.sh"
arch=${1:?usage: run-arch.sh ARCH [base]}
variant=${2:-}
export KERNEL_OUT=$top/build/$arch${variant:+-$variant}
name=$arch${variant:+-$variant}

# The guest's report, without the boot log and dmesg (both stay in
# the console log).
show_report() {
	if [ "${VERBOSE:-0}" = 1 ]; then cat; return; fi
	awk '/^@@@ guest results begin/ { on = 1; next }
	     /^@@@ dmesg begin/ { on = 0 }
	     /^ci\/qemu.sh:/ { print; next }
	     on && !/^    #/ { print; fflush() }'
}

slow=1
if [ "$variant" = debug ]; then
	slow=${SLOW:-4}
	export GUEST_TIMEOUT=${GUEST_TIMEOUT:-$((900 * slow))}
fi
boot() { "$top/ci/qemu.sh" "$arch" ${INJECT:+inject=$INJECT} slow=$slow | show_report; }

base_kernel() { KERNEL_SRC=$top/build/src-base "$top/kernel/build.sh" "$arch" base; }

rm -f "$KERNEL_OUT/counts"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
step "kernel $arch (build/$arch/linux)" "$top/kernel/build.sh" "$arch"
case $variant in
base)
	step "base tree (build/src-base)" "$top/kernel/tree.sh" base-worktree
	step "base kernel $arch (build/$name/linux)" base_kernel
	;;
?*) step "$variant kernel $arch (build/$name/linux)" "$top/kernel/build.sh" "$arch" "$variant" ;;
esac
step "guest tests $arch (build/$arch/tests)" "$top/selftests/build.sh" "$arch"
step "C++ suite $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
step "initramfs $name" "$top/ci/initramfs.sh" "$arch"
step "boot $name in QEMU${INJECT:+ (inject=$INJECT)}" boot
echo "==> results $name"
python3 "$top/ci/ktap.py" "$KERNEL_OUT/console.log" --name "$name" --counts "$KERNEL_OUT/counts" \
	--known "$top/ci/known-failures" $([ "$variant" = base ] || echo --own "${SUITES:-$top/ci/suites}")
