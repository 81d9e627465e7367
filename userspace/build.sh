#!/usr/bin/env bash
# Build the C++ library, its test suite and the guest's programs for one
# architecture, static, against the kernel's installed UAPI headers, and
# put the binaries where the guest's initramfs picks them up.
#
#   build.sh ARCH      output: build/ARCH/tests/userspace/: sigcr_test, and
#                      sigcr_test32, the compat layout (ARCH_COMPAT_NAME in
#                      lib/arches.sh: i686 on x86_64, AArch32 armhf on
#                      arm64); sigcr_stress, sigcr_fuzz, sigcr_bench,
#                      sigcr_criu
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
arch=${1:?usage: build.sh ARCH}
arch_load "$arch"
bin=$TESTS/userspace

# build_variant NAME SUFFIX HEADERS TOOLCHAIN EXTRA-CMAKE-ARGS...:
# build/ARCH/userspace/NAME, its sigcr_test copied to bin/sigcr_testSUFFIX.
build_variant() {
	local name=$1 suffix=$2 hdr=$3 toolchain=$4
	shift 4
	cmake -S "$top/userspace" -B "$USERSPACE_OBJ/$name" -DKERNEL_HEADERS="$hdr" \
		-DCMAKE_CXX_COMPILER_LAUNCHER=ccache ${toolchain:+-DCMAKE_TOOLCHAIN_FILE="$toolchain"} "$@" >/dev/null
	cmake --build "$USERSPACE_OBJ/$name" -j"$(nproc)" >/dev/null
	mkdir -p "$bin"
	cp "$USERSPACE_OBJ/$name/sigcr_test" "$bin/sigcr_test$suffix"
	echo "userspace/build.sh: $arch: sigcr_test$suffix ($name)"
}

build_variant native "" "$HEADERS" "$ARCH_CMAKE"
# The native build also has the stress test, the fuzzer, the benchmark and
# the CRIU comparison.
cp "$USERSPACE_OBJ/native/"{sigcr_stress,sigcr_fuzz,sigcr_bench,sigcr_criu} "$bin/"
echo "userspace/build.sh: $arch: sigcr_stress, sigcr_fuzz, sigcr_bench, sigcr_criu"
# 32-bit: GoogleTest from source, no io_uring (no 32-bit packages).
build_variant "$ARCH_COMPAT_NAME" 32 "$HEADERS_COMPAT" "$ARCH_COMPAT_CMAKE" \
	-DSIGCR_GTEST_FROM_SOURCE=ON -DSIGCR_WITH_URING=OFF
