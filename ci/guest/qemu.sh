#!/usr/bin/env bash
# Boot $KERNEL_OUT/kernel with $KERNEL_OUT/initramfs.cpio in QEMU and stream
# the serial console to stdout and to $KERNEL_OUT/console.log (KERNEL_OUT
# is build/ARCH by default). TCG unless QEMU_KVM=1. The guest powers off
# when done; it is killed after GUEST_TIMEOUT seconds (by default
# GUEST_TIMEOUT_DEFAULT, ci/guest/lib.sh), and before that, the console says
# where each of its CPUs is (ci/guest/cpus.py, through QEMU's monitor), as
# it does when run-suites reports a suite timing out (before it kills the
# suite). QEMU_MEM is the guest's memory (1G),
# QEMU_SMP its CPUs (2). QEMU_ICOUNT=1 (TCG only, one vCPU) makes the
# guest's clocks count executed guest instructions, one nanosecond each
# (-icount shift=0,sleep=off): the same program then reads the same times
# on every boot. QEMU_PLUGIN loads a TCG plugin: "FILE.so,ARG=VALUE,..."
# (ci/bench/profile.sh).
# Pass/fail is decided from the
# console by ci/judge/ktap.py, not by QEMU's exit status.
#
#   qemu.sh ARCH [EXTRA_KERNEL_ARGS...]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
. "$top/ci/guest/lib.sh"
arch=${1:?usage: qemu.sh ARCH [kernel args...]}
shift
arch_load "$arch"
out=${KERNEL_OUT:-$top/build/$arch}
timeout=${GUEST_TIMEOUT:-$GUEST_TIMEOUT_DEFAULT}

qemu=("${ARCH_QEMU[@]}")
if [ "${QEMU_KVM:-0}" = 1 ]; then
	if [ "${#ARCH_QEMU_KVM[@]}" -gt 0 ]; then
		qemu=("${ARCH_QEMU_KVM[@]}")
	else
		echo "ci/guest/qemu.sh: QEMU_KVM=1: no KVM command for $arch in lib/arches.sh, TCG it is" >&2
	fi
fi

if [ "${QEMU_ICOUNT:-0}" = 1 ]; then
	[ "${QEMU_KVM:-0}" != 1 ] || die "QEMU_ICOUNT=1 needs TCG, not QEMU_KVM=1"
	[ "${QEMU_SMP:-2}" = 1 ] || die "QEMU_ICOUNT=1 needs QEMU_SMP=1 (one vCPU)"
	qemu+=(-icount "shift=0,sleep=off")
fi

if [ -n "${QEMU_PLUGIN:-}" ]; then
	[ "${QEMU_KVM:-0}" != 1 ] || die "QEMU_PLUGIN needs TCG, not QEMU_KVM=1"
	qemu+=(-plugin "$QEMU_PLUGIN")
fi

for f in kernel initramfs.cpio; do
	[ -e "$out/$f" ] || die "$out/$f missing: run 'make run ARCH=$arch'"
done

# Everything the guest prints and every CPU dump go through one fifo into
# console.log and to stdout, so that a dump lands where it happened.
mon=$out/qemu-monitor.sock
fifo=$out/console.fifo
rm -f "$mon" "$fifo"
mkfifo "$fifo"
dump=(python3 "$top/ci/guest/cpus.py" "$mon" "$out/linux/System.map" "ci/guest/qemu.sh:")
# Echo the console; when run-suites says a suite timed out (it dumps the
# tasks with sysrq before it kills the suite), dump the CPUs too.
# shellcheck disable=SC2094 # cpus.py writes its dumps into the fifo tee reads
tee "$out/console.log" < "$fifo" |
	python3 "$top/ci/guest/cpus.py" --watch "$fifo" "$mon" "$out/linux/System.map" "ci/guest/qemu.sh:" &
reader=$!
exec 3> "$fifo"
"${qemu[@]}" -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-1G}" -no-reboot \
	-display none -monitor "unix:$mon,server=on,wait=off" -serial stdio -nodefaults \
	-kernel "$out/kernel" -initrd "$out/initramfs.cpio" \
	-append "console=$ARCH_CONSOLE panic=-1 $GUEST_LOCKUP_ARGS $*" </dev/null >&3 2>&1 &
qemu_pid=$!
wait_guest "$qemu_pid" "$timeout" "${dump[@]}" "guest killed after ${timeout}s (GUEST_TIMEOUT)" >&3
exec 3>&-
wait "$reader" || true
rm -f "$fifo" "$mon"
exit 0
