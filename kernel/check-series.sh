#!/usr/bin/env bash
# Check the postings as a reviewer's build bot would:
#   - checkpatch.pl --strict reports nothing on any patch of any posting,
#     and every file a patch adds has a MAINTAINERS entry
#     (checkpatch_report() in lib/common.sh);
#   - every commit of every posting's branch, each on the base alone
#     (kernel/tree.sh), builds on x86_64 and arm64;
#   - sparse (C=2; built by kernel/sparse.sh, since Debian 12's is too old
#     for 7.3) and W=1 report nothing in the kernel files the postings
#     touch that they did not already report on base: compared at base and
#     at the tip of series, the stack of all postings;
#   - every commit of the CRIU patches builds (kernel/criu.sh build-each).
# Leaves build/src on the series branch. Logs: build/series-check/.
#
#   check-series.sh --kselftests LIST   LIST: as kernel/build.sh takes it
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/arches.sh"
src=$top/build/src
out=$top/build/series-check
arches=${ARCHES:-$ARCHES_ALL}
if [ "${1:-}" != --kselftests ] || [ $# -ne 2 ]; then
	die "usage: check-series.sh --kselftests LIST (make check-series passes it)"
fi
kselftests=$2

g() { git -C "$src" "$@"; }

checkpatch_bad=0
checkpatch_one() { # PATCH REPORT
	[ -z "$2" ] || { echo "$2"; checkpatch_bad=1; }
	echo "checkpatch --strict: ${1#"$top"/patches/}: $([ -z "$2" ] && echo clean || echo REPORTS)"
}
checkpatch() {
	checkpatch_series checkpatch_one
	return "$checkpatch_bad"
}

build_all() {
	local arch
	for arch in $arches; do
		"$top/kernel/build.sh" --kselftests "$kselftests" "$arch" >/dev/null || return 1
	done
}

# sparse and W=1 findings in the touched files, counted per message and
# without line numbers: code moving within a file is not a new finding, a
# second instance of a message is.
# Each arch checks the touched files it builds: not another arch's.
findings() { # label
	local arch o own
	for arch in $arches; do
		arch_load "$arch"
		own=()
		for o in "${objs[@]}"; do
			case $o in
			arch/"$ARCH_KERNEL"/*) own+=("$o") ;;
			arch/*) ;;
			*) own+=("$o") ;;
			esac
		done
		"$top/kernel/build.sh" --kselftests "$kselftests" "$arch" -- C=2 CHECK="$sparse" W=1 "${own[@]}" \
			> "$out/$1-$arch.log" 2>&1 ||
			die "sparse and W=1 on $arch did not run to the end ($out/$1-$arch.log)"
		! grep -q 'is not available or not up to date' "$out/$1-$arch.log" ||
			die "the kernel did not run sparse ($out/$1-$arch.log)"
		grep -E 'warning:|error:' "$out/$1-$arch.log" | sed -E 's/:[0-9]+:[0-9]+:/:/' |
			sort | uniq -c > "$out/$1-$arch.txt" || true
	done
}

main() {
	[ -d "$src/.git" ] || die "no tree at $src: run 'make tree'"
	[ -z "$(g status --porcelain)" ] || die "$src has uncommitted changes"
	[ "$(g rev-parse --abbrev-ref HEAD)" = series ] || die "$src is not on branch series"
	mkdir -p "$out"
	rm -f "$out"/*.txt
	# Debian 12's sparse is too old for 7.3: the kernel would skip the
	# check and report nothing.
	sparse=$("$top/kernel/sparse.sh")

	mapfile -t posts < <("$top/kernel/tree.sh" postings)
	local p c
	for p in "${posts[@]}"; do
		g rev-parse -q --verify "refs/heads/$p" >/dev/null || die "$src has no branch $p: run 'make tree'"
		echo "$p: $(g rev-list --count "base..refs/heads/$p") commit(s)"
	done
	mapfile -t objs < <(g diff --name-only base series -- '*.c' ':!tools' | sed 's/\.c$/.o/')
	echo "sparse and W=1 on ${objs[*]:-nothing}"

	step "checkpatch --strict on every posting" checkpatch

	trap 'g checkout -q series' EXIT
	g checkout -q --detach base
	step "base builds ($arches)" build_all || die "the base does not build"
	[ "${#objs[@]}" -eq 0 ] || step "sparse and W=1 at base" findings base

	for p in "${posts[@]}"; do
		for c in $(g rev-list --reverse "base..refs/heads/$p"); do
			g checkout -q --detach "$c"
			step "$p: $(g log -1 --format='%h %s') builds ($arches)" build_all ||
				die "$p: $(g log -1 --format='%h %s') does not build"
		done
	done
	g checkout -q --detach series
	[ "${#objs[@]}" -eq 0 ] || step "sparse and W=1 at the tip of series" findings tip

	local arch new bad=0
	for arch in $arches; do
		[ "${#objs[@]}" -eq 0 ] && break
		new=$(comm -13 <(sort "$out/base-$arch.txt") <(sort "$out/tip-$arch.txt"))
		if [ -n "$new" ]; then
			echo "new sparse/W=1 findings on $arch:"
			echo "$new"
			bad=1
		else
			echo "sparse and W=1 on $arch: nothing new ($(awk '{ n += $1 } END { print n + 0 }' "$out/tip-$arch.txt") finding(s) at base and tip)"
		fi
	done
	[ "$bad" = 0 ] || die "the postings add sparse or W=1 findings"
	step "every commit of patches/criu builds (build/criu/each)" "$top/kernel/criu.sh" build-each ||
		die "a commit of patches/criu does not build"
	echo "kernel/check-series.sh: every commit of every posting builds on $arches; checkpatch, sparse and W=1 clean; every CRIU commit builds"
}

main "$@"
