#!/usr/bin/env bash
# Build and boot the patched kernel for one architecture, run every suite in
# the guest and judge the result.
#
#   run-arch.sh ARCH        INJECT=fail|suitehang|hang|warn breaks the run
#                           on purpose; VERBOSE=1 shows the whole console.
# Writes build/ARCH/counts ("passed failed skipped"); exits 1 on failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/lib.sh"
arch=${1:?usage: run-arch.sh ARCH}
out=$top/build/$arch

# The guest's report, without the boot log and dmesg (both stay in
# build/ARCH/console.log).
show_report() {
	if [ "${VERBOSE:-0}" = 1 ]; then cat; return; fi
	awk '/^@@@ guest results begin/ { on = 1; next }
	     /^@@@ dmesg begin/ { on = 0 }
	     /^ci\/qemu.sh:/ { print; next }
	     on && !/^    #/ { print; fflush() }'
}

boot() { "$top/ci/qemu.sh" "$arch" ${INJECT:+inject=$INJECT} | show_report; }

rm -f "$out/counts"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
step "kernel $arch (build/$arch/linux)" "$top/kernel/build.sh" "$arch"
step "guest tests $arch (build/$arch/tests)" "$top/selftests/build.sh" "$arch"
step "initramfs $arch" "$top/ci/initramfs.sh" "$arch"
step "boot $arch in QEMU${INJECT:+ (inject=$INJECT)}" boot
echo "==> results $arch"
python3 "$top/ci/ktap.py" "$out/console.log" --name "$arch" --counts "$out/counts"
