#!/usr/bin/env bash
# Boot the virtme-ng variant of the patched kernel with virtme-ng, as a
# kernel developer does: the guest runs on the host's own root file
# system (read-only, through 9p), so it has bash, coreutils and the criu
# that ci/criu.sh builds.
#
#   vng.sh fetch        unpack Debian's virtme-ng (VNG_VERSION, from
#                       VNG_SUITE) into build/vng, never installed
#   vng.sh run ARCH     build the ARCH-vng kernel and criu (ci/criu.sh),
#                       run the suites of ci/suites meant for it
#                       (ci/guest/run-suites; $CRIU names criu) and judge
#                       them: build/ARCH-vng/console.log, counts
#   vng.sh shell ARCH   a shell in that guest (make vng)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/versions.sh"
. "$top/ci/lib.sh"
die() { echo "ci/vng.sh: $*" >&2; exit 1; }
. "$top/kernel/lib.sh"
dir=$top/build/vng

fetch() {
	[ -x "$dir/root/usr/bin/vng" ] && return
	grep -qxF "$VNG_VERSION" <(deb_served "$VNG_SUITE" virtme-ng) ||
		die "$VNG_SUITE no longer serves virtme-ng $VNG_VERSION: pin a new one in ci/versions.sh"
	rm -rf "$dir"
	deb_unpack "$VNG_SUITE" virtme-ng "$VNG_VERSION" "$dir"
	[ "$(cat "$dir/virtme-ng.deb.sha256")" = "$VNG_DEB_SHA256" ] || {
		rm -rf "$dir"
		die "virtme-ng $VNG_VERSION's .deb does not have the pinned sha256 (ci/versions.sh)"
	}
	echo "ci/vng.sh: virtme-ng $VNG_VERSION in $dir"
}

# vng_boot ARCH ARGS...: virtme-ng from build/vng, with Debian 12's
# python3 (not whatever python3 comes first on PATH), booting the ARCH-vng
# kernel without KVM (unusable on these machines) and with an initramfs
# (vng passes no 9p root tag, so the kernel cannot mount its root
# without one); under the command in the array "wrap", if any.
wrap=()
vng_boot() {
	local arch=$1
	shift
	"${wrap[@]}" env PATH="$dir/root/usr/bin:$PATH" \
		PYTHONPATH="$dir/root/usr/lib/python3/dist-packages" \
		/usr/bin/python3 "$dir/root/usr/bin/vng" --run "$top/build/$arch-vng/kernel" \
		--disable-kvm --force-initramfs --cpus 2 --memory 1G "$@"
}

# The guest's report goes to build/ARCH-vng/console.log; the suites'
# result lines show as they come. GUEST_TIMEOUT (900 s) limits it, as
# ci/qemu.sh's guests: vng waits for a guest that never powers off. (Not
# the shell, which timeout would keep from the terminal.)
boot_and_log() { # ARCH OUT
	wrap=(timeout -k 10 "${GUEST_TIMEOUT:-900}")
	vng_boot "$1" --exec "CRIU=$criu $top/ci/guest/run-suites $2/suites $top/build/$1/tests" 2>&1 |
		tee "$2/console.log" | grep --line-buffered -E '^(ok|not ok) |^# [^ ]+: (running|exit)' || true
}

run() {
	local arch=$1 out=$top/build/$1-vng
	export KERNEL_OUT=$out
	step "virtme-ng $VNG_VERSION (build/vng)" fetch
	# The tests are built against the plain kernel's headers.
	step "kernel $arch (build/$arch/linux)" "$top/kernel/build.sh" "$arch"
	step "vng kernel $arch (build/$arch-vng/linux)" "$top/kernel/build.sh" "$arch" vng
	step "guest tests $arch (build/$arch/tests)" "$top/selftests/build.sh" "$arch"
	step "C++ suite $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
	step "criu $CRIU_VERSION (build/criu)" "$top/ci/criu.sh"
	criu=$("$top/ci/criu.sh")
	guest_suites "$arch" vng < "${SUITES:-$top/ci/suites}" > "$out/suites"
	rm -f "$out/counts"
	step "boot $arch-vng with virtme-ng" boot_and_log "$arch" "$out"
	echo "==> results $arch-vng"
	python3 "$top/ci/ktap.py" "$out/console.log" --name "$arch-vng" --counts "$out/counts" \
		--known "$top/ci/known-failures" --own "${SUITES:-$top/ci/suites}"
}

shell() {
	local arch=$1
	fetch
	"$top/kernel/build.sh" "$arch" vng
	vng_boot "$arch"
}

case ${1:-} in
fetch) fetch ;;
run) run "${2:?usage: vng.sh run ARCH}" ;;
shell) shell "${2:?usage: vng.sh shell ARCH}" ;;
*) die "usage: vng.sh fetch | run ARCH | shell ARCH" ;;
esac
