#!/usr/bin/env bash
# Build the guest's initramfs for one architecture: static busybox, the
# init, the suite list and build/ARCH/tests/. Uses the kernel's own
# gen_init_cpio, so device nodes need no root.
#
#   initramfs.sh ARCH      output: $KERNEL_OUT/initramfs.cpio
#
# KERNEL_OUT is the kernel's build directory (build/ARCH by default); the
# tests always come from build/ARCH/tests; SUITES is the suite list
# (ci/suites by default).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/versions.sh"
. "$top/ci/lib.sh"
arch=${1:?usage: initramfs.sh ARCH}
tests=$top/build/$arch/tests
out=${KERNEL_OUT:-$top/build/$arch}
cache=$top/build/cache

die() { echo "ci/initramfs.sh: $*" >&2; exit 1; }

# Static busybox for ARCH. The host's comes from busybox-static; arm64's
# is unpacked from the .deb (installing it would replace the host's).
busybox_for() {
	case $1 in
	x86_64) echo /bin/busybox ;;
	arm64)
		local dir=$cache/busybox-arm64-${BUSYBOX_VERSION//[:~]/_}
		if [ ! -x "$dir/bin/busybox" ]; then
			mkdir -p "$dir.tmp"
			chmod 0777 "$dir.tmp" # apt-get downloads as user _apt
			(cd "$dir.tmp" && apt-get download -qq "busybox-static:arm64=$BUSYBOX_VERSION" >&2) ||
				die "apt-get download busybox-static:arm64=$BUSYBOX_VERSION failed (run 'apt-get update'?)"
			dpkg -x "$dir.tmp"/busybox-static_*_arm64.deb "$dir"
			rm -rf "$dir.tmp"
		fi
		echo "$dir/bin/busybox"
		;;
	esac
}

spec() {
	local busybox=$1 f rel
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in bin proc sys tmp tests; do echo "dir /$d 0755 0 0"; done
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "file /init $top/ci/guest/init 0755 0 0"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/bin 0755 0 0"
	for f in timeout run-suites run-kselftest; do
		echo "file /usr/bin/$f $top/ci/guest/$f 0755 0 0"
	done
	echo "file /tests/inject-fail.sh $top/ci/guest/inject-fail.sh 0755 0 0"
	local variant=${out##*/}
	[ "$variant" = "$arch" ] && variant= || variant=${variant#"$arch"-}
	guest_suites "$arch" "$variant" < "${SUITES:-$top/ci/suites}" > "$out/suites"
	echo "file /tests/suites $out/suites 0644 0 0"
	(cd "$tests" && find . -mindepth 1 | sort) | while read -r rel; do
		rel=${rel#./}
		f=$tests/$rel
		if [ -d "$f" ]; then
			echo "dir /tests/$rel 0755 0 0"
		else
			echo "file /tests/$rel $f $(stat -c %a "$f") 0 0"
		fi
	done
}

gen=$out/linux/usr/gen_init_cpio
[ -x "$gen" ] || die "$gen missing: run 'make kernel ARCH=$arch'"
[ -d "$tests" ] || die "$tests missing: run 'make tests ARCH=$arch'"
spec "$(busybox_for "$arch")" > "$out/initramfs.list"
"$gen" "$out/initramfs.list" > "$out/initramfs.cpio"
echo "ci/initramfs.sh: $arch: $out/initramfs.cpio ($(du -h "$out/initramfs.cpio" | cut -f1))"
