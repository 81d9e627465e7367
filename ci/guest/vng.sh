#!/usr/bin/env bash
# Boot the virtme-ng variant of the patched kernel with virtme-ng, as a
# kernel developer does: the guest runs on the host's own root file
# system (read-only, through 9p), so it has bash, coreutils and the criu
# that ci/guest/criu.sh builds.
#
#   vng.sh fetch        unpack Debian's virtme-ng (pinned in lib/inputs.sh)
#                       into build/dl, never installed
#   vng.sh boot ARCH    boot build/ARCH-vng/kernel and run the suites in
#                       build/ARCH-vng/suites with the guest's run-suites
#                       (ci/guest/rootfs/usr/bin; $CRIU names criu, by
#                       default the one ci/guest/criu.sh builds): the
#                       report in build/ARCH-vng/console.log, the result
#                       lines on stdout ("ci/run-arch.sh ARCH vng" builds
#                       what this needs, then judges)
#   vng.sh shell ARCH   a shell in that guest (make vng)
#   vng.sh exec ARCH COMMAND...
#                       run COMMAND in that guest, its output on stdout;
#                       KERNEL_OUT boots the kernel of another build
#                       directory (ci/bench/criu-dump.sh)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
. "$top/lib/arches.sh"
. "$top/lib/inputs.sh"
. "$top/ci/guest/lib.sh"

# virtme-ng, pinned in lib/inputs.sh: "VERSION DIR" (DIR/root holds it).
fetch() {
	local version dir _
	read -r version dir _ < <(input_fetch virtme-ng) || exit 1
	[ -x "$dir/root/usr/bin/vng" ] || die "no usr/bin/vng in virtme-ng $version ($dir)"
	echo "ci/guest/vng.sh: virtme-ng $version in ${dir#"$top"/}" >&2
	echo "$version $dir"
}

# vng_boot ARGS...: the pinned virtme-ng (build/dl), with Debian 12's python3
# (not whatever python3 comes first on PATH), booting the kernel in $OUT
# (arch_load ARCH vng) without KVM (unusable on these machines) and with
# an initramfs (vng passes no 9p root tag, so the kernel cannot mount its
# root without one).
vng_boot() {
	local dir _
	read -r _ dir < <(fetch) || exit 1
	[ -e "$OUT/kernel" ] || die "$OUT/kernel missing: run 'make kernel ARCH=$arch VNG=1'"
	env PATH="$dir/root/usr/bin:$PATH" \
		PYTHONPATH="$dir/root/usr/lib/python3/dist-packages" \
		/usr/bin/python3 "$dir/root/usr/bin/vng" --run "$OUT/kernel" \
		--disable-kvm --force-initramfs --cpus 2 --memory 1G "$@"
}

# The guest's report goes to console.log; the suites' result lines show as
# they come. GUEST_TIMEOUT (GUEST_TIMEOUT_DEFAULT) limits it, as ci/guest/qemu.sh's
# guests: vng waits for a guest that never powers off. When run-suites
# says a suite timed out, and before a GUEST_TIMEOUT kill, the console
# says where each CPU is (ci/guest/cpus.py, through a QEMU monitor socket
# of our own; vng keeps its own monitor on stdio). As in qemu.sh, the
# console and the dumps go through one fifo into console.log.
boot() {
	local criu t=${GUEST_TIMEOUT:-$GUEST_TIMEOUT_DEFAULT} mon=$OUT/qemu-monitor.sock fifo=$OUT/console.fifo reader
	[ -f "$OUT/suites" ] || die "$OUT/suites missing: run 'ci/run-arch.sh $arch vng'"
	criu=${CRIU:-$("$top/ci/guest/criu.sh")}
	rm -f "$mon" "$fifo"
	mkfifo "$fifo"
	# shellcheck disable=SC2094 # cpus.py writes its dumps into the fifo tee reads
	tee "$OUT/console.log" < "$fifo" |
		python3 "$top/ci/guest/cpus.py" --watch "$fifo" "$mon" "$OUT/linux/System.map" "ci/guest/vng.sh:" |
		grep --line-buffered -E '^(ok|not ok) |^# [^ ]+: (running|exit|timed out)|^ci/guest/vng.sh:' &
	reader=$!
	exec 3> "$fifo"
	vng_boot --qemu-opts="-monitor unix:$mon,server=on,wait=off" \
		--append "$GUEST_LOCKUP_ARGS" \
		--exec "CRIU=$criu ZDTM=$OUT/zdtm $top/ci/guest/rootfs/usr/bin/run-suites $OUT/suites $TESTS" >&3 2>&1 &
	wait_guest $! "$t" python3 "$top/ci/guest/cpus.py" "$mon" "$OUT/linux/System.map" \
		"ci/guest/vng.sh:" "guest killed after ${t}s (GUEST_TIMEOUT)" >&3 2>&1
	exec 3>&-
	wait "$reader" || true
	rm -f "$fifo" "$mon"
}

shell() {
	fetch
	kernel_build "$arch" vng
	vng_boot
}

cmd=${1:-}
case $cmd in
boot | shell) arch=${2:?usage: vng.sh $cmd ARCH}; arch_load "$arch" vng; "$cmd" ;;
exec)
	arch=${2:?usage: vng.sh exec ARCH COMMAND...}
	arch_load "$arch" vng
	OUT=${KERNEL_OUT:-$OUT}
	shift 2
	vng_boot --exec "$*"
	;;
fetch) fetch >/dev/null ;;
*) die "usage: vng.sh fetch | boot ARCH | shell ARCH | exec ARCH COMMAND..." ;;
esac
