#!/usr/bin/env bash
# Build the C++ library and its test suite for one architecture, static,
# against the kernel's installed UAPI headers, and put the test binary
# where the guest's initramfs picks it up.
#
#   build.sh ARCH      output: build/ARCH/tests/userspace/sigcr_test
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: build.sh ARCH}
hdr=$top/build/$arch/headers/include
obj=$top/build/$arch/userspace
export CCACHE_BASEDIR=$top

case $arch in
x86_64) toolchain=() ;;
arm64) toolchain=(-DCMAKE_TOOLCHAIN_FILE="$top/userspace/cmake/aarch64-linux-gnu.cmake") ;;
*) echo "userspace/build.sh: unknown ARCH '$arch'" >&2; exit 1 ;;
esac

cmake -S "$top/userspace" -B "$obj" -DKERNEL_HEADERS="$hdr" \
	-DCMAKE_CXX_COMPILER_LAUNCHER=ccache "${toolchain[@]}" >/dev/null
cmake --build "$obj" -j"$(nproc)" >/dev/null
mkdir -p "$top/build/$arch/tests/userspace"
cp "$obj/sigcr_test" "$top/build/$arch/tests/userspace/"
echo "userspace/build.sh: $arch: sigcr_test"
