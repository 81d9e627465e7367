#!/usr/bin/env bash
# Configure and build the kernel out of tree for one architecture, then
# install its UAPI headers.
#
#   build.sh --kselftests LIST ARCH [VARIANT]
#                               ARCH: x86_64 | arm64; VARIANT: e.g. vng, base
#   build.sh --kselftests LIST ARCH [VARIANT] -- MAKE-ARGS...
#                               configure, then run kbuild with MAKE-ARGS
#                               (e.g. C=2 W=1 fs/signalfd.o) instead of
#                               building the image
#
# The configuration: tinyconfig, kernel/configs/common.config and
# ARCH.config, the variant's fragments, and the config file of each
# kselftest collection in LIST (names separated by spaces, e.g. "signal
# signalfd": the collections the guests will run, which make passes).
# Output: build/ARCH[-VARIANT]/linux (objects, kernel image) and
# build/ARCH[-VARIANT]/headers/include (UAPI headers for userspace; where
# the compat build's kbuild ARCH differs, as arm64's, also
# headers-compat/include: lib/arches.sh).
# A variant adds kernel/configs/variants/VARIANT.config and
# VARIANT-ARCH.config where they exist (VARIANT-NAME: VARIANT's, built into
# a directory of its own, e.g. from a changed tree for a benchmark);
# KERNEL_SRC picks another tree (build/src by default).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
src=${KERNEL_SRC:-$top/build/src}
usage="usage: build.sh --kselftests LIST ARCH [VARIANT] [-- MAKE-ARGS...]"
if [ "${1:-}" != --kselftests ] || [ $# -lt 3 ]; then
	die "$usage (LIST: the kselftest collections whose config files to merge; make kernel passes them)"
fi
read -ra kselftests <<< "$2"
shift 2
arch=$1
shift
variant=
if [ $# -gt 0 ] && [ "$1" != -- ]; then variant=$1; shift; fi
make_args=()
if [ "${1:-}" = -- ]; then shift; make_args=("$@"); fi
configs=$top/kernel/configs
arch_load "$arch" "$variant"

out=$OUT
obj=$OBJ
frags=("$configs/common.config" "$configs/$arch.config")
kind=${variant%%-*}
for f in "$configs/variants/$kind.config" "$configs/variants/$kind-$arch.config"; do
	if [ -n "$kind" ] && [ -f "$f" ]; then frags+=("$f"); fi
done
# criu runs in the virtme-ng guest.
[ "$kind" != vng ] || frags+=("$configs/criu.config")

# The config file of every kselftest collection in LIST, as "make
# kselftest-merge" merges them, taken from the series as committed (the
# series branch of build/src): the same for the base kernel, which runs
# the series' tests, and for every commit make check-series builds.
ksft_configs() {
	local c
	mkdir -p "$obj/kselftest-configs"
	rm -f "$obj/kselftest-configs"/*.config
	for c in "${kselftests[@]}"; do
		git -C "$top/build/src" show "series:tools/testing/selftests/$c/config" \
			> "$obj/kselftest-configs/$c.config" 2>/dev/null ||
			rm "$obj/kselftest-configs/$c.config"
	done
	for c in "$obj/kselftest-configs"/*.config; do
		[ -e "$c" ] && frags+=("$c")
	done
}

kmake() {
	make -s -C "$src" O="$obj" ARCH="$ARCH_KERNEL" CROSS_COMPILE="$ARCH_CROSS" \
		CC="ccache ${ARCH_CROSS}gcc" HOSTCC="ccache gcc" "$@"
}

# Every option a fragment asks for must be in the final .config as asked.
# Not merge_config.sh -s: its strict mode also fails when a fragment
# overrides an earlier value on purpose (debug.config turns off
# tinyconfig's CONFIG_SLUB_TINY, which KASAN needs off), and without -s
# it only warns about a requested value the final .config lacks.
check_config() {
	local frag line opt want have bad=0
	for frag in "${frags[@]}"; do
		# shellcheck disable=SC2094 # the message names the fragment it reads
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*) opt=${line%%=*} want=${line#*=} ;;
			"# CONFIG_"*" is not set") opt=${line#\# } opt=${opt%% *} want=n ;;
			*) continue ;;
			esac
			have=$(grep -m1 -E "^$opt=|^# $opt is not set" "$obj/.config" || true)
			case $have in
			"$opt="*) have=${have#*=} ;;
			*) have=n ;;
			esac
			if [ "$have" != "$want" ]; then
				echo "kernel/build.sh: $opt=$want requested by $(basename "$frag") but is '$have' after olddefconfig (a dependency is missing)" >&2
				bad=1
			fi
		done < "$frag"
	done
	[ "$bad" = 0 ] || die "config for $arch does not hold what the fragments request"
}

configure() {
	local want have
	ksft_configs
	want=$({ cat "${frags[@]}"; git -C "$src" rev-parse 'base^{commit}'; } | sha256sum | cut -d' ' -f1)
	have=$(cat "$obj/.config-fragments" 2>/dev/null || true)
	if [ "$want" = "$have" ] && [ -f "$obj/.config" ]; then
		return
	fi
	echo "kernel/build.sh: configuring $arch: tinyconfig + $(for f in "${frags[@]}"; do printf '%s ' "$(basename "$f")"; done)"
	mkdir -p "$obj"
	kmake tinyconfig >/dev/null
	ARCH=$ARCH_KERNEL CROSS_COMPILE=$ARCH_CROSS "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$obj" "$obj/.config" "${frags[@]}" >/dev/null
	kmake olddefconfig >/dev/null
	check_config
	echo "$want" > "$obj/.config-fragments"
}

build() {
	kmake -j"$(nproc)" "$ARCH_IMAGE_TARGET"
	ln -sf "linux/$ARCH_IMAGE" "$out/kernel"
	kmake headers_install INSTALL_HDR_PATH="$out/headers" >/dev/null
	# The compat programs' headers, where they are not the same.
	if [ "$ARCH_COMPAT_KERNEL" != "$ARCH_KERNEL" ]; then
		make -s -C "$src" O="$out/headers-compat-obj" ARCH="$ARCH_COMPAT_KERNEL" \
			headers_install INSTALL_HDR_PATH="$out/headers-compat" >/dev/null
	fi
}

[ -e "$src/.git" ] || die "no kernel tree at $src: run 'make tree'"
configure
if [ "${#make_args[@]}" -gt 0 ]; then
	kmake "${make_args[@]}"
	exit
fi
build
echo "kernel/build.sh: $arch${variant:+ ($variant)}: $out/kernel, headers in $out/headers/include"
