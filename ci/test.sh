#!/usr/bin/env bash
# What CI runs: host-side checks, then both architectures, every suite.
# Ends with one line "N passed, N failed, N skipped"; exits 1 on failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/lib.sh"
arches=${ARCHES:-x86_64 arm64}
mkdir -p "$top/build"

rm -f "$top/build/host-counts"
step "setup (Debian packages)" "$top/ci/setup.sh"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
step "host checks" "$top/ci/host-checks.sh" || true
[ -f "$top/build/host-counts" ] || echo "0 1 0" > "$top/build/host-counts"

counts=("$top/build/host-counts")
for arch in $arches; do
	step "run $arch" "$top/ci/run-arch.sh" "$arch" || true
	[ -f "$top/build/$arch/counts" ] || echo "0 1 0" > "$top/build/$arch/counts"
	counts+=("$top/build/$arch/counts")
done

read -r p f s < <(cat "${counts[@]}" | awk '{ p += $1; f += $2; s += $3 } END { print p, f, s }')
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
