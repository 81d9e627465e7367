#!/usr/bin/env bash
# make profile: where the instructions of a dump and a restore go, per
# kernel function. Boots the series kernel of each arch once per method
# under -icount with the QEMU plugin ci/bench/icount_profile.c, which
# counts the guest instructions executed between the markers that
# sigcr_bench --profile puts around what it times (8 runs of N = 4096, the
# shared queue, one signal number), then names the functions from the
# kernel's System.map (ci/bench/profile_report.py).
# Writes build/bench/profile/ARCH-METHOD-N[ARGS].txt and prints them.
#
#   profile.sh [METHOD...]   default: sfd_raw/64 sfd_classic/64 sigtimedwait restore/loop
#   ARCHES="x86_64 arm64" (default x86_64), PROFILE_N: N (4096), PROFILE_ARGS: more sigcr_bench
#   options ("--private 1", "--mixed 1")
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
. "$top/ci/lib.sh"
. "$top/lib/arches.sh"
out=$top/build/bench/profile
methods=("$@")
[ "${#methods[@]}" -gt 0 ] || methods=(sfd_raw/64 sfd_classic/64 sigtimedwait restore/loop)
n=${PROFILE_N:-4096}

mkdir -p "$out"
plugin=$out/icount_profile.so
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden \
	-o "$plugin" "$top/ci/bench/icount_profile.c"

# The method's number in sigcr_bench's list (all_methods() in bench.cc).
method_index() {
	sed -n '/all_methods()$/,/^}/s/^[[:space:]]*{"\([^"]*\)",.*/\1/p' "$top/userspace/tools/bench.cc" |
		awk -v m="$1" '$0 == m { print NR; found = 1 } END { exit !found }' ||
		die "no method '$1' in userspace/tools/bench.cc"
}

step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
for arch in ${ARCHES:-x86_64}; do
	step "kernel $arch (build/$arch/linux)" kernel_build "$arch"
	step "C++ tools $arch (build/$arch/userspace)" "$top/userspace/build.sh" "$arch"
	arch_load "$arch"
	for m in "${methods[@]}"; do
		idx=$(method_index "$m")
		name=$arch-${m//\//-}-$n$(echo "${PROFILE_ARGS:-}" | tr -d ' -')
		dir=$out/$name
		mkdir -p "$dir"
		echo "profile 1800 ./userspace/sigcr_bench --instructions 1 --max-n $n --profile $idx ${PROFILE_ARGS:-}" \
			> "$dir/bench.suites"
		ln -sfn "$OBJ" "$dir/linux"
		ln -sfn "$OUT/kernel" "$dir/kernel"
		step "initramfs $arch $m" env KERNEL_OUT="$dir" SUITES="$dir/bench.suites" \
			"$top/ci/guest/initramfs.sh" "$arch"
		KERNEL_OUT=$dir QEMU_MEM=4G QEMU_SMP=1 QEMU_ICOUNT=1 GUEST_TIMEOUT=1800 \
			QEMU_PLUGIN="$plugin,out=$dir/counts.txt" \
			"$top/ci/guest/qemu.sh" "$arch" norandmaps > /dev/null
		python3 "$top/ci/judge/ktap.py" "$dir/console.log" --name "profile $arch $m" >/dev/null ||
			die "profile $arch $m: the benchmark failed ($dir/console.log)"
		python3 "$top/ci/bench/profile_report.py" --title "$arch $m ${PROFILE_ARGS:-}" \
			--n "$n" "$OBJ/System.map" "$dir/counts.txt" | tee "$out/$name.txt"
	done
done
