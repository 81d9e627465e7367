#!/usr/bin/env bash
# Install the Debian packages the build, the guests and the tests need.
# Idempotent: installs only what is missing and says what that is. Each
# architecture's compilers, QEMU and libraries come from its entry in
# lib/arches.sh.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"

host_pkgs=(
	build-essential flex bison bc libelf-dev libssl-dev cpio ccache perl
	python3 python3-ply python3-git rsync git xz-utils
	busybox-static
	cmake libgtest-dev liburing-dev sparse
	# man-pages lint (groff comes with man-db)
	mandoc groff-base
	# virtme-ng (unpacked from trixie's .deb by ci/guest/vng.sh) runs on these;
	# its guest runs the host's udevd.
	python3-requests python3-argcomplete python3-pkg-resources udev
	# CRIU, built by ci/guest/criu.sh for the virtme-ng guest.
	libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
	python3-protobuf pkg-config libbsd-dev libnftables-dev libcap-dev
	libnl-3-dev libnet1-dev libaio-dev libgnutls28-dev libdrm-dev uuid-dev
	iproute2 wget
	# CRIU's style for patches/criu (kernel/criu.sh lint).
	clang-format
	# The host checks run shellcheck over every shell script.
	shellcheck
	# make bench plots with it.
	gnuplot-nox
	# make send-ready writes the mails with it.
	b4
)
foreign_archs=()
foreign_pkgs=()
for arch in $ARCHES_ALL; do
	arch_load "$arch"
	# shellcheck disable=SC2206 # a list of package names
	host_pkgs+=($ARCH_HOST_PACKAGES)
	[ -n "$ARCH_FOREIGN" ] || continue
	foreign_archs+=("$ARCH_FOREIGN")
	for p in $ARCH_FOREIGN_PACKAGES; do foreign_pkgs+=("$p:$ARCH_FOREIGN"); done
done

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
	local need updated=0 a
	for a in "${foreign_archs[@]}"; do
		dpkg --print-foreign-architectures | grep -qx "$a" && continue
		echo "setup: adding dpkg architecture $a (for $a static libraries)"
		sudo_if_needed dpkg --add-architecture "$a"
		updated=1
	done
	[ "$updated" = 0 ] || sudo_if_needed apt-get update -q
	mapfile -t need < <(missing "${host_pkgs[@]}" "${foreign_pkgs[@]}")
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
