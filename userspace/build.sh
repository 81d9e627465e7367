#!/usr/bin/env bash
# Build the C++ library and its test suite for one architecture, static,
# against the kernel's installed UAPI headers, and put the test binary
# where the guest's initramfs picks it up.
#
#   build.sh ARCH      output: build/ARCH/tests/userspace/sigcr_test, and
#                      sigcr_test32, the compat layout (i686 on x86_64,
#                      AArch32 armhf on arm64); sigcr_stress, sigcr_fuzz,
#                      sigcr_bench
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: build.sh ARCH}
hdr=$top/build/$arch/headers/include
obj=$top/build/$arch/userspace
export CCACHE_BASEDIR=$top

# configure_and_build NAME EXTRA-CMAKE-ARGS...: build/ARCH/userspace/NAME,
# its sigcr_test copied to build/ARCH/tests/userspace/sigcr_test[SUFFIX].
build_variant() {
	local name=$1 suffix=$2
	shift 2
	cmake -S "$top/userspace" -B "$obj/$name" -DKERNEL_HEADERS="$hdr" \
		-DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
	cmake --build "$obj/$name" -j"$(nproc)" >/dev/null
	mkdir -p "$top/build/$arch/tests/userspace"
	cp "$obj/$name/sigcr_test" "$top/build/$arch/tests/userspace/sigcr_test$suffix"
	echo "userspace/build.sh: $arch: sigcr_test$suffix ($name)"
	# The native build also has the stress test and the fuzzer.
	if [ -z "$suffix" ]; then
		cp "$obj/$name/sigcr_stress" "$obj/$name/sigcr_fuzz" "$obj/$name/sigcr_bench" \
			"$obj/$name/sigcr_criu" "$top/build/$arch/tests/userspace/"
		echo "userspace/build.sh: $arch: sigcr_stress, sigcr_fuzz, sigcr_bench, sigcr_criu"
	fi
}

# 32-bit builds: GoogleTest from source, no io_uring (no 32-bit packages).
compat=(-DSIGCR_GTEST_FROM_SOURCE=ON -DSIGCR_WITH_URING=OFF)

case $arch in
x86_64)
	build_variant native ""
	build_variant i686 32 -DCMAKE_TOOLCHAIN_FILE="$top/userspace/cmake/i686-linux-gnu.cmake" "${compat[@]}"
	;;
arm64)
	build_variant native "" -DCMAKE_TOOLCHAIN_FILE="$top/userspace/cmake/aarch64-linux-gnu.cmake"
	hdr=$top/build/$arch/headers32/include build_variant armhf 32 \
		-DCMAKE_TOOLCHAIN_FILE="$top/userspace/cmake/arm-linux-gnueabihf.cmake" "${compat[@]}"
	;;
*) echo "userspace/build.sh: unknown ARCH '$arch'" >&2; exit 1 ;;
esac
