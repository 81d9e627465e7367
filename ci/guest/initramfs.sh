#!/usr/bin/env bash
# Build the guest's initramfs for one architecture: static busybox, the
# guest's own files (ci/guest/rootfs/: init, the suite runner and its
# helpers), the suite list and build/ARCH/tests/ as /tests. Uses the
# kernel's own gen_init_cpio, so device nodes need no root.
#
#   initramfs.sh ARCH [VARIANT]   output: $KERNEL_OUT/initramfs.cpio, with
#                                 the suites of VARIANT's guest
#
# KERNEL_OUT is the kernel's build directory (build/ARCH[-VARIANT] by
# default); the tests always come from build/ARCH/tests; SUITES is the
# suite list (ci/suites by default).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
. "$top/ci/guest/lib.sh"
arch=${1:?usage: initramfs.sh ARCH [VARIANT]}
variant=${2:-}
arch_load "$arch" "$variant"
out=${KERNEL_OUT:-$OUT}
rootfs=$top/ci/guest/rootfs

# Static busybox for ARCH: the host's (busybox-static), or the pinned
# input busybox-ARCH_BUSYBOX_DEB (lib/inputs.sh: Debian's busybox-static
# of that architecture, unpacked; installing it would replace the host's).
busybox() {
	[ -n "$ARCH_BUSYBOX_DEB" ] || { echo /bin/busybox; return; }
	local dir _
	read -r _ dir _ < <(input_fetch "busybox-$ARCH_BUSYBOX_DEB") || exit 1
	[ -x "$dir/root/bin/busybox" ] || die "no bin/busybox in $dir"
	echo "$dir/root/bin/busybox"
}

# gen_init_cpio's lines for the tree DIR, placed at /DEST (DEST without
# its leading slash; "" for the root), directories first.
tree_spec() { # DIR DEST
	local dir=$1 dest=$2 rel f
	(cd "$dir" && find . -mindepth 1 | sort) | while read -r rel; do
		rel=${rel#./}
		f=$dir/$rel
		if [ -d "$f" ]; then
			echo "dir /${dest:+$dest/}$rel 0755 0 0"
		else
			echo "file /${dest:+$dest/}$rel $f $(stat -c %a "$f") 0 0"
		fi
	done
}

spec() { # BUSYBOX
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in bin proc sys tmp; do echo "dir /$d 0755 0 0"; done
	echo "file /bin/busybox $1 0755 0 0"
	tree_spec "$rootfs" ""
	echo "file /tests/suites $out/suites 0644 0 0"
	tree_spec "$TESTS" tests
}

gen=$out/linux/usr/gen_init_cpio
[ -x "$gen" ] || die "$gen missing: run 'make kernel ARCH=$arch'"
[ -d "$TESTS" ] || die "$TESTS missing: run 'make tests ARCH=$arch'"
guest_suites "$arch" "$variant" "${SUITES:-$top/ci/suites}" > "$out/suites"
bb=$(busybox)
spec "$bb" > "$out/initramfs.list"
"$gen" "$out/initramfs.list" > "$out/initramfs.cpio"
echo "ci/guest/initramfs.sh: $arch: $out/initramfs.cpio ($(du -h "$out/initramfs.cpio" | cut -f1))"
