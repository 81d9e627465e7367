#!/usr/bin/env bash
# Build the guest's C test programs, static, for one architecture, against
# the kernel's installed UAPI headers (never the host's /usr/include/linux):
# the smoke test, the x32 test, and the kselftests from the kernel tree
# that ci/suites runs (the signalfd and signal ones come with patches/,
# the others are the kernel's existing tests of the code the series
# touches).
#
#   build.sh ARCH      output: build/ARCH/tests/
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: build.sh ARCH}
src=${KERNEL_SRC:-$top/build/src}
hdr=$top/build/$arch/headers/include
out=$top/build/$arch/tests

# ccache hashes paths under the checkout relative to the build directory,
# so a fresh clone (as CI makes) hits the cache a previous clone filled.
export CCACHE_BASEDIR=$top

# cc32/karch32/hdr32: the compat (32-bit) build of the series' signalfd
# kselftests, which run in the same guest: i686 on x86_64, AArch32 armhf
# (with arm's UAPI headers, whose syscall numbers differ) on arm64.
case $arch in
x86_64) cc=gcc karch=x86 cc32=i686-linux-gnu-gcc karch32=x86 hdr32=$hdr ;;
arm64) cc=aarch64-linux-gnu-gcc karch=arm64 cc32=arm-linux-gnueabihf-gcc karch32=arm
	hdr32=$top/build/$arch/headers32/include ;;
*) echo "selftests/build.sh: unknown ARCH '$arch'" >&2; exit 1 ;;
esac
[ -f "$hdr/linux/signalfd.h" ] ||
	{ echo "selftests/build.sh: no UAPI headers at $hdr: run 'make kernel ARCH=$arch'" >&2; exit 1; }

cflags=(-static -O2 -g -Wall
	-isystem "$hdr" -I "$src/tools/testing/selftests")

rm -rf "$out"
mkdir -p "$out/smoke"
ccache "$cc" "${cflags[@]}" -o "$out/smoke/signalfd_smoke" \
	"$top/selftests/smoke/signalfd_smoke.c" -luring -lpthread
echo "selftests/build.sh: $arch: smoke"

# x32 (x86-64 only): freestanding, since Debian 12 has no x32 libc to
# link against without gcc-multilib (which removes the aarch64 cross
# compilers).
if [ "$arch" = x86_64 ]; then
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
	mapfile -t want < <("$top/selftests/collections.sh" "$dir")
	[ "${#want[@]}" -gt 0 ] || return 0
	make -s -C "$src/tools/testing/selftests" ARCH="$karch" CC="ccache $cc" \
		TARGETS="${want[*]}" KHDR_INCLUDES="-isystem $hdr" \
		USERLDFLAGS="-static -Wl,--allow-multiple-definition" \
		O="$top/build/$arch/kselftest-obj/$dir" KSFT_INSTALL_PATH="$out/$dir" \
		install >/dev/null
	# The install skips a collection that failed to build and still
	# succeeds: every collection must be in its list.
	mapfile -t have < <(cut -d: -f1 "$out/$dir/kselftest-list.txt" | sort -u)
	[ "${want[*]}" = "${have[*]}" ] || {
		echo "selftests/build.sh: $arch: $dir: built ${have[*]:-nothing} of ${want[*]}" >&2
		exit 1
	}
	echo "selftests/build.sh: $arch: $dir: kselftests ${want[*]} ($cc)"
}

install_kselftests kselftest "$cc" "$karch" "$hdr"
install_kselftests kselftest32 "$cc32" "$karch32" "$hdr32"
