#!/usr/bin/env bash
# Boot $KERNEL_OUT/kernel with $KERNEL_OUT/initramfs.cpio in QEMU and stream
# the serial console to stdout and to $KERNEL_OUT/console.log (KERNEL_OUT
# is build/ARCH by default). TCG unless
# QEMU_KVM=1. The guest powers off when done; it is killed after
# GUEST_TIMEOUT seconds (default 900). QEMU_MEM is the guest's memory (1G),
# QEMU_SMP its CPUs (2).
# Pass/fail is decided from the
# console by ci/ktap.py, not by QEMU's exit status.
#
#   qemu.sh ARCH [EXTRA_KERNEL_ARGS...]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: qemu.sh ARCH [kernel args...]}
shift
out=${KERNEL_OUT:-$top/build/$arch}
timeout=${GUEST_TIMEOUT:-900}

case $arch in
x86_64)
	qemu=(qemu-system-x86_64 -cpu max)
	console=ttyS0
	[ "${QEMU_KVM:-0}" = 1 ] && qemu=(qemu-system-x86_64 -enable-kvm -cpu host)
	;;
arm64)
	qemu=(qemu-system-aarch64 -M virt -cpu max)
	console=ttyAMA0
	;;
*) echo "ci/qemu.sh: unknown ARCH '$arch'" >&2; exit 1 ;;
esac

for f in kernel initramfs.cpio; do
	[ -e "$out/$f" ] || { echo "ci/qemu.sh: $out/$f missing: run 'make run ARCH=$arch'" >&2; exit 1; }
done

set +e
timeout -k 10 "$timeout" "${qemu[@]}" -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-1G}" -no-reboot \
	-display none -monitor none -serial stdio -nodefaults \
	-kernel "$out/kernel" -initrd "$out/initramfs.cpio" \
	-append "console=$console panic=-1 $*" </dev/null |
	tee "$out/console.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "ci/qemu.sh: guest killed after ${timeout}s (GUEST_TIMEOUT)" | tee -a "$out/console.log"
fi
exit 0
