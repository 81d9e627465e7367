#!/usr/bin/env bash
# Print the path of a sparse that Linux 7.3 accepts, building it first if
# needed. Debian 12's sparse 0.6.4 lacks __typeof_unqual__, so the kernel's
# scripts/checker-valid.sh rejects it and C=1/C=2 silently check nothing.
# This builds sparse from Debian's source package (input sparse,
# lib/inputs.sh) into build/tools/sparse-VERSION; the binary package there
# needs a newer libc than Debian 12 has.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
out=$top/build/tools/sparse-$(input_field sparse version)


if [ ! -x "$out/src/sparse" ]; then
	read -r version dir _ < <(input_fetch sparse) || exit 1
	rm -rf "$out"
	mkdir -p "$out"
	echo "kernel/sparse.sh: building sparse $version from Debian's source package" >&2
	cp -a "$dir/src" "$out/src"
	make -s -C "$out/src" sparse CC=gcc HAVE_LLVM=no HAVE_SQLITE=no HAVE_GTK=no HAVE_LIBXML=no \
		>"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; die "building sparse failed"; }
fi
# The kernel's own test of the checker, as Makefile runs it.
[ "$("$top/build/src/scripts/checker-valid.sh" "$out/src/sparse" -m64)" = 1 ] ||
	die "$out/src/sparse does not pass scripts/checker-valid.sh"
echo "$out/src/sparse"
