# The architectures: every fact that differs between them, in one table,
# and the build paths derived from an architecture and a kernel variant.
# Sourced, after lib/common.sh, by every script that builds or boots
# something for an architecture; no other file branches on it. Adding an architecture is
# one more entry here (and a CMake toolchain file in userspace/cmake/).
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # ARCH_* and the paths are for the sourcing script, $top its

# The architectures "make test" and "make check-series" cover.
ARCHES_ALL='x86_64 arm64'

# arch_load ARCH [VARIANT]: set ARCH's facts and the build paths of its
# VARIANT kernel ("" for the plain one; e.g. vng, debug, base):
#   ARCH_KERNEL          kbuild's ARCH
#   ARCH_CROSS           CROSS_COMPILE ("" builds natively on this x86-64 host)
#   ARCH_IMAGE_TARGET    the kernel image's make target, ARCH_IMAGE its path
#   ARCH_CMAKE           the C++ build's CMake toolchain file ("": native)
#   ARCH_COMPAT_*        the 32-bit compat build that runs in the same guest:
#                        its name, kbuild ARCH (for its UAPI headers), C
#                        compiler prefix, CMake toolchain file
#   ARCH_X32             1 if the guest also runs x32 programs
#   ARCH_QEMU            the QEMU command (array), ARCH_QEMU_KVM with KVM
#                        (empty: not offered), ARCH_CONSOLE its serial console
#   ARCH_BUSYBOX_DEB     "" to put the host's static busybox in the guest,
#                        else the dpkg architecture of the busybox-static to
#                        unpack (installing it would replace the host's)
#   ARCH_HOST_PACKAGES   Debian packages for it (compilers, QEMU)
#   ARCH_FOREIGN         dpkg architecture for its libraries ("": the host's),
#                        ARCH_FOREIGN_PACKAGES those libraries
# Paths, under build/:
#   OUT                  build/ARCH[-VARIANT]: the kernel, console.log, counts
#   OBJ                  OUT/linux: kbuild's output
#   HEADERS              build/ARCH/headers/include: the plain kernel's UAPI
#                        headers, which every test program is built against
#   HEADERS_COMPAT       the compat build's (the same if kbuild's ARCH is)
#   TESTS                build/ARCH/tests: what the guest runs
#   USERSPACE_OBJ        build/ARCH/userspace: the C++ builds
#   KSELFTEST_OBJ        build/ARCH/kselftest-obj: the kselftests' objects
arch_load() {
	local arch=$1 variant=${2:-} cmake=$top/userspace/cmake
	case $arch in
	x86_64)
		ARCH_KERNEL=x86 ARCH_CROSS=''
		ARCH_IMAGE_TARGET=bzImage ARCH_IMAGE=arch/x86/boot/bzImage
		ARCH_CMAKE=''
		ARCH_COMPAT_NAME=i686 ARCH_COMPAT_KERNEL=x86 ARCH_COMPAT_CROSS=i686-linux-gnu-
		ARCH_COMPAT_CMAKE=$cmake/i686-linux-gnu.cmake
		ARCH_X32=1
		ARCH_QEMU=(qemu-system-x86_64 -cpu max)
		ARCH_QEMU_KVM=(qemu-system-x86_64 -enable-kvm -cpu host)
		ARCH_CONSOLE=ttyS0
		ARCH_BUSYBOX_DEB=''
		ARCH_HOST_PACKAGES='qemu-system-x86 g++-i686-linux-gnu'
		ARCH_FOREIGN='' ARCH_FOREIGN_PACKAGES=''
		;;
	arm64)
		ARCH_KERNEL=arm64 ARCH_CROSS=aarch64-linux-gnu-
		ARCH_IMAGE_TARGET=Image ARCH_IMAGE=arch/arm64/boot/Image
		ARCH_CMAKE=$cmake/aarch64-linux-gnu.cmake
		ARCH_COMPAT_NAME=armhf ARCH_COMPAT_KERNEL=arm ARCH_COMPAT_CROSS=arm-linux-gnueabihf-
		ARCH_COMPAT_CMAKE=$cmake/arm-linux-gnueabihf.cmake
		ARCH_X32=0
		ARCH_QEMU=(qemu-system-aarch64 -M virt -cpu max)
		ARCH_QEMU_KVM=()
		ARCH_CONSOLE=ttyAMA0
		ARCH_BUSYBOX_DEB=arm64
		ARCH_HOST_PACKAGES='qemu-system-arm gcc-aarch64-linux-gnu g++-aarch64-linux-gnu g++-arm-linux-gnueabihf'
		ARCH_FOREIGN=arm64 ARCH_FOREIGN_PACKAGES='libgtest-dev liburing-dev libc6-dev'
		;;
	*) die "unknown architecture '$arch' (lib/arches.sh has: $ARCHES_ALL)" ;;
	esac
	OUT=$top/build/$arch${variant:+-$variant}
	OBJ=$OUT/linux
	HEADERS=$top/build/$arch/headers/include
	HEADERS_COMPAT=$HEADERS
	# arm64's asm/ headers are not bi-arch like x86's: AArch32 programs
	# need arm's, installed from the same tree.
	[ "$ARCH_COMPAT_KERNEL" = "$ARCH_KERNEL" ] || HEADERS_COMPAT=$top/build/$arch/headers-compat/include
	TESTS=$top/build/$arch/tests
	USERSPACE_OBJ=$top/build/$arch/userspace
	KSELFTEST_OBJ=$top/build/$arch/kselftest-obj
}
