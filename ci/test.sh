#!/usr/bin/env bash
# What CI runs: host-side checks, then both architectures, every suite;
# the x86_64 virtme-ng kernel with the kselftests and CRIU (VNG=0 leaves
# it out); every suite again on the x86_64 debug kernel (DEBUG=0 leaves it
# out).
# Ends with one line "N passed, N failed, N skipped"; exits 1 on failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
arches=${ARCHES:-$ARCHES_ALL}
mkdir -p "$top/build"

rm -f "$top/build/host-counts"
failed=()
step "setup (Debian packages)" "$top/ci/setup.sh"
step "kernel tree (build/src)" "$top/kernel/tree.sh" prepare
step "host checks" "$top/ci/host-checks.sh" || failed+=("host checks")
[ -f "$top/build/host-counts" ] || echo "0 1 0" > "$top/build/host-counts"

read -ra runs <<< "$arches"
[ "${VNG:-1}" = 1 ] && runs+=("x86_64 vng")
[ "${DEBUG:-1}" = 1 ] && runs+=("x86_64 debug")
counts=("$top/build/host-counts")
for run in "${runs[@]}"; do
	read -r arch variant <<< "$run"
	arch_load "$arch" "$variant"
	name=$arch${variant:+-$variant}
	step "run $name" "$top/ci/run-arch.sh" "$arch" ${variant:+"$variant"} || failed+=("run $name")
	mkdir -p "$OUT"
	[ -f "$OUT/counts" ] || echo "0 1 0" > "$OUT/counts"
	counts+=("$OUT/counts")
done

read -r p f s < <(cat "${counts[@]}" | awk '{ p += $1; f += $2; s += $3 } END { print p, f, s }')
# What failed, once more at the end, where a truncated log still shows it.
for what in "${failed[@]}"; do
	echo "FAILED: $what (its own lines above say which suite or check)"
done
# Which kernel base this was (a fallback is named as such).
echo "base: $("$top/kernel/tree.sh" base-line)"
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
