#!/usr/bin/env bash
# Build the CRIU the virtme-ng guest runs: branch criu of build/criu/tree
# (the pinned CRIU tarball and patches/criu/, kernel/criu.sh), copied into
# build/criu/build and built there with Debian 12's toolchain and
# libraries (ci/setup.sh installs them); and the zdtm tests the guest runs
# (ZDTM_TESTS), native and, on x86-64, i686 (zdtm's COMPAT_TEST), linked
# statically so that the host's userland needs no 32-bit libc. Nothing is
# installed. The copy is refreshed with rsync --checksum, so an edit
# rebuilds what it touches only.
#
#   criu.sh        prints the path of the criu binary, building it first
#   criu.sh zdtm DIR   also builds the zdtm tests into DIR (static/ and
#                  static32/, with their .desc files), which the guest's
#                  zdtm-run (ci/guest/rootfs/usr/bin) runs
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/lib/common.sh"
dir=$top/build/criu
tree=$dir/tree
out=$dir/build
bin=$out/criu/criu
# The series' zdtm tests (patches/criu/), which the guest runs.
ZDTM_TESTS=(signalfd_modes sigpending_infoless sigpending_rlimit sigpending_many)
ZDTM32_TESTS=(signalfd_modes)

"$top/kernel/criu.sh" prepare >&2
head=$(git -C "$tree" rev-parse -q --verify refs/heads/criu || git -C "$tree" rev-parse base)
if [ "$(cat "$out/.built" 2>/dev/null)" != "$head" ]; then
	rm -rf "$dir/export"
	mkdir -p "$dir/export" "$out"
	git -C "$tree" archive "$head" | tar -x -C "$dir/export"
	rsync -rlc "$dir/export/" "$out/"
	rm -rf "$dir/export"
	echo "ci/guest/criu.sh: building criu ($(git -C "$tree" describe --always --tags "$head")) in ${out#"$top"/}" >&2
	make -s -C "$out" -j"$(nproc)" criu CC="ccache gcc" >"$dir/build.log" 2>&1 ||
		die "criu did not build: $dir/build.log"
	echo "$head" > "$out/.built"
fi

zdtm() { # DEST
	local z=$out/test/zdtm t32=$dir/zdtm32
	make -s -C "$z/lib" CC="ccache gcc" >>"$dir/build.log" 2>&1 || die "zdtm's lib did not build: $dir/build.log"
	make -s -C "$z/static" CC="ccache gcc" LDFLAGS=-static "${ZDTM_TESTS[@]}" >>"$dir/build.log" 2>&1 ||
		die "the zdtm tests did not build: $dir/build.log"
	rm -rf "$1/static" "$1/static32"
	mkdir -p "$1/static"
	(cd "$z/static" && for t in "${ZDTM_TESTS[@]}"; do cp "$t" "$1/static/"; [ ! -f "$t.desc" ] || cp "$t.desc" "$1/static/"; done)
	if [ "$(uname -m)" = x86_64 ] && command -v i686-linux-gnu-gcc >/dev/null; then
		# zdtm's COMPAT_TEST adds -m32, which i686-linux-gnu-gcc takes.
		rm -rf "$dir/export"
		mkdir -p "$t32" "$dir/export"
		git -C "$tree" archive "$head" test/zdtm | tar -x -C "$dir/export"
		rsync -rlc "$dir/export/test/zdtm/" "$t32/"
		rm -rf "$dir/export"
		make -s -C "$t32/lib" COMPAT_TEST=y CC="ccache i686-linux-gnu-gcc" >>"$dir/build.log" 2>&1 ||
			die "zdtm's lib (i686) did not build: $dir/build.log"
		make -s -C "$t32/static" COMPAT_TEST=y CC="ccache i686-linux-gnu-gcc" LDFLAGS=-static \
			"${ZDTM32_TESTS[@]}" >>"$dir/build.log" 2>&1 || die "the zdtm tests (i686) did not build: $dir/build.log"
		mkdir -p "$1/static32"
		(cd "$t32/static" && for t in "${ZDTM32_TESTS[@]}"; do cp "$t" "$1/static32/"; [ ! -f "$t.desc" ] || cp "$t.desc" "$1/static32/"; done)
	fi
}

case "${1:-}" in
"") ;;
zdtm) zdtm "$(realpath -m "${2:?usage: criu.sh zdtm DIR}")" ;;
*) die "usage: criu.sh [zdtm DIR]" ;;
esac
echo "$bin"
