#!/usr/bin/env bash
# Build the guest's C test programs, static, for one architecture, against
# the kernel's installed UAPI headers (never the host's /usr/include/linux):
# the smoke test, the cross-ABI layout test, the x32 test, and the
# kselftests from the kernel tree
# that ci/suites runs (the signalfd and signal ones come with patches/,
# the others are the kernel's existing tests of the code the series
# touches).
#
#   build.sh ARCH      output: build/ARCH/tests/
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
arch=${1:?usage: build.sh ARCH}
arch_load "$arch"
src=${KERNEL_SRC:-$top/build/src}
hdr=$HEADERS
out=$TESTS
cc=${ARCH_CROSS}gcc

[ -f "$hdr/linux/signalfd.h" ] || die "no UAPI headers at $hdr: run 'make kernel ARCH=$arch'"

cflags=(-static -O2 -g -Wall
	-isystem "$hdr" -I "$src/tools/testing/selftests")

rm -rf "$out"
mkdir -p "$out/smoke"
ccache "$cc" "${cflags[@]}" -o "$out/smoke/signalfd_smoke" \
	"$top/selftests/smoke/signalfd_smoke.c" -luring -lpthread
echo "selftests/build.sh: $arch: smoke"

# The layout test across ABIs, built native and compat (the 32-bit
# program of the same guest: i686 on x86_64, armhf on arm64); the native
# one runs the compat one.
mkdir -p "$out/layout"
ccache "$cc" "${cflags[@]}" -o "$out/layout/signalfd_layout_exec" \
	"$top/selftests/layout/signalfd_layout_exec.c"
ccache "${ARCH_COMPAT_CROSS}gcc" -static -O2 -g -Wall -isystem "$HEADERS_COMPAT" \
	-o "$out/layout/signalfd_layout_exec32" "$top/selftests/layout/signalfd_layout_exec.c"
echo "selftests/build.sh: $arch: layout (native and ${ARCH_COMPAT_NAME})"

# x32 (where the architecture has it: ARCH_X32): freestanding, since
# Debian 12 has no x32 libc to link against without gcc-multilib (which
# removes the aarch64 cross compilers).
if [ "$ARCH_X32" = 1 ]; then
	mkdir -p "$out/x32"
	ccache gcc -mx32 -static -nostdlib -ffreestanding -fno-stack-protector \
		-fno-pie -no-pie -O2 -g -Wall -Werror \
		-o "$out/x32/signalfd_x32" "$top/selftests/x32/signalfd_x32.c"
	echo "selftests/build.sh: $arch: x32"
fi

# The kselftest collections ci/suites runs, installed as kernel CI
# installs them (make install: run_kselftest.sh, kselftest-list.txt, each
# collection's programs, config and settings) into kselftest/, and the
# compat build of the series' signalfd collection (SFD_RAW's compat
# layout, io_uring from a compat task) into kselftest32/.
# Static, since the busybox guest has no libc: with static glibc,
# timers/valid-adjtimex's own clock_adjtime() collides with libc's, which
# --allow-multiple-definition lets it keep.
install_kselftests() { # DIR CC KARCH HEADERS
	local dir=$1 cc=$2 karch=$3 hdr=$4 want have
	mapfile -t want < <(python3 "$top/ci/suites.py" collections "$dir")
	[ "${#want[@]}" -gt 0 ] || return 0
	make -s -C "$src/tools/testing/selftests" ARCH="$karch" CC="ccache $cc" \
		TARGETS="${want[*]}" KHDR_INCLUDES="-isystem $hdr" \
		USERLDFLAGS="-static -Wl,--allow-multiple-definition" \
		O="$KSELFTEST_OBJ/$dir" KSFT_INSTALL_PATH="$out/$dir" \
		install >/dev/null
	# The install skips a collection that failed to build and still
	# succeeds: every collection must be in its list.
	mapfile -t have < <(cut -d: -f1 "$out/$dir/kselftest-list.txt" | sort -u)
	[ "${want[*]}" = "${have[*]}" ] || die "$arch: $dir: built ${have[*]:-nothing} of ${want[*]}"
	echo "selftests/build.sh: $arch: $dir: kselftests ${want[*]} ($cc)"
}

# The native build, and the compat one (32-bit, in the same guest: i686 on
# x86_64, AArch32 armhf on arm64, with its own UAPI headers where kbuild's
# ARCH differs).
install_kselftests kselftest "$cc" "$ARCH_KERNEL" "$hdr"
install_kselftests kselftest32 "${ARCH_COMPAT_CROSS}gcc" "$ARCH_COMPAT_KERNEL" "$HEADERS_COMPAT"
