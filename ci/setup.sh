#!/usr/bin/env bash
# Install the Debian packages the build, the guests and the tests need.
# Idempotent: installs only what is missing and says what that is.
set -euo pipefail

host_pkgs=(
	build-essential flex bison bc libelf-dev libssl-dev cpio ccache perl
	python3 python3-ply python3-git rsync git xz-utils
	gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
	# 32-bit test programs: these bring their own libc, unlike multiarch.
	g++-i686-linux-gnu g++-arm-linux-gnueabihf
	qemu-system-x86 qemu-system-arm
	busybox-static
	cmake libgtest-dev liburing-dev sparse
	# man-pages lint (groff comes with man-db)
	mandoc groff-base
	# virtme-ng (unpacked from trixie's .deb by ci/vng.sh) runs on these;
	# its guest runs the host's udevd.
	python3-requests python3-argcomplete python3-pkg-resources udev
	# CRIU, built by ci/criu.sh for the virtme-ng guest.
	libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
	python3-protobuf pkg-config libbsd-dev libnftables-dev libcap-dev
	libnl-3-dev libnet1-dev libaio-dev libgnutls28-dev libdrm-dev uuid-dev
	iproute2 wget
)
arm64_pkgs=(libgtest-dev:arm64 liburing-dev:arm64 libc6-dev:arm64)

missing() {
	local p name
	for p in "$@"; do
		name=${p%%=*}
		dpkg-query -W -f='${db:Status-Status}\n' "$name" 2>/dev/null |
			grep -qx installed || echo "$p"
	done
}

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

main() {
	local need updated=0
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "setup: adding dpkg architecture arm64 (for arm64 static libraries)"
		sudo_if_needed dpkg --add-architecture arm64
		sudo_if_needed apt-get update -q
		updated=1
	fi
	mapfile -t need < <(missing "${host_pkgs[@]}" "${arm64_pkgs[@]}")
	if [ "${#need[@]}" -eq 0 ]; then
		echo "setup: all packages present"
		return 0
	fi
	echo "setup: installing ${need[*]}"
	[ "$updated" = 1 ] || sudo_if_needed apt-get update -q
	DEBIAN_FRONTEND=noninteractive sudo_if_needed \
		apt-get install -y -q --no-install-recommends "${need[@]}"
}

main "$@"
