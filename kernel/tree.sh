#!/usr/bin/env bash
# The kernel tree: Debian's linux-source-7.3, pinned (lib/inputs.sh), as a
# git repository in build/src whose first commit is the pristine base (tag
# "base"), with a branch per posting and the stack of them all:
#
#   patches/N-NAME/   a posting, mailed on its own to its own maintainers:
#                     0000-cover-letter.patch and the patches (man pages in
#                     man-pages/: kernel/man-pages.sh)
#   branch N-NAME     the base and that posting's patches, applied with
#                     plain git am: each posting applies alone to the base.
#                     Its description is the cover letter's text.
#   branch series     the base and every posting, in the order of N,
#                     applied with git am -3: the kernel that make builds
#                     and boots. The work tree stays on it.
#
#   tree.sh fetch     download the base with a private apt configuration
#                     (build/apt, build/dl), falling back to the newest
#                     linux-source-7.3 when the pinned one is gone
#   tree.sh base-line print the base in use, one line
#   tree.sh postings  the postings with kernel patches, in stack order
#   tree.sh prepare   fetch and unpack once, then make again the branches
#                     of the postings whose patches changed, and series
#   tree.sh export    write every posting branch back into patches/N-NAME/,
#                     then make series again
#   tree.sh verify [POSTING...]   each posting is exactly what export writes
#   tree.sh applies-alone [POSTING...]   each posting's patches apply, in
#                     order and without a 3-way merge, to the base
#   tree.sh send-ready     write each posting mail-ready to build/send/N-NAME
#                     (or $SEND_OUT/N-NAME), signed by the tree's git identity
#   tree.sh reset     drop local commits and edits: every branch as patches/
#                     makes it, posting branches without a posting deleted
#   tree.sh base-worktree   check out tag base in build/src-base
#   tree.sh worktree NAME REV   check out REV in build/src-NAME
#
# patches/ is the truth, lib/queue.sh keeps the branches and it in step.
# series is made from patches/, never edited: export refuses when series
# has commits of its own. To change a posting, commit on its branch: check
# it out (git -C build/src checkout 2-signalfd-raw) or give it a worktree
# (git -C build/src worktree add ../wt-2 2-signalfd-raw), commit (amend,
# rebase -i base) there, edit the cover letter with
# git -C build/src branch --edit-description 2-signalfd-raw, then
# make export-patches. A new posting is a new branch on base, numbered
# after the last (git -C build/src branch 6-NAME base), committed to,
# described and exported the same way; a posting goes with git rm -r
# patches/N-NAME and make tree. An RFC: git -C build/src config
# branch.N-NAME.subjectPrefix 'RFC PATCH' before the export; the cover
# letter's Subject keeps it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/queue.sh"
src=${KERNEL_SRC:-$top/build/src}
patches=$top/patches
base_env=$top/build/base.env
q_src=$src q_sub=
# format-patch as export, verify and send-ready all write: one set of flags.
q_format=(--cover-letter --cover-from-description=subject --zero-commit --abbrev=12 --no-signature)

say() { echo "kernel/tree.sh: $*"; }
# build/base.env, written by fetch: the BASE_USED_* of the base in use.
# shellcheck source=/dev/null
base_load() { . "$base_env"; }

# Fetch the base (input base of lib/inputs.sh: the pinned linux-source-7.3,
# or the newest its suite serves when that one is gone) and write
# build/base.env, which names the base every later step uses.
fetch() {
	local version dir fallback tarball pinned
	read -r version dir fallback < <(input_fetch base) || exit 1
	tarball=$(echo "$dir"/root/usr/src/linux-source-*.tar.xz)
	[ -f "$tarball" ] || die "no usr/src/linux-source-*.tar.xz in $dir"
	pinned=$(input_field base version)
	if [ -f "$base_env" ]; then
		base_load
		if [ "$BASE_USED_REQUESTED" = "$pinned" ] && [ "$BASE_USED_VERSION" = "$version" ] &&
			[ "$BASE_USED_FALLBACK" = "$fallback" ] && [ "$BASE_USED_TARBALL" = "$tarball" ]; then
			[ "$BASE_USED_FALLBACK" = 0 ] || warn_fallback
			return
		fi
	fi
	cat > "$base_env" <<-EOF
	BASE_USED_REQUESTED='$pinned'
	BASE_USED_VERSION='$version'
	BASE_USED_SHA256='$(sha256sum "$tarball" | cut -d' ' -f1)'
	BASE_USED_TARBALL='$tarball'
	BASE_USED_PACKAGE='$(input_field base package)'
	BASE_USED_SUITE='$(input_field base suite)'
	BASE_USED_FALLBACK=$fallback
	EOF
	base_load
	if [ "$fallback" = 1 ]; then
		warn_fallback
	else
		say "base: $BASE_USED_PACKAGE $version (pinned, sha256 verified)"
	fi
}

warn_fallback() {
	base_load
	cat >&2 <<-EOF
	kernel/tree.sh: ****************************************************************
	kernel/tree.sh: BASE FALLBACK: $BASE_USED_SUITE no longer serves the pinned
	kernel/tree.sh:   $BASE_USED_PACKAGE $BASE_USED_REQUESTED; using the newest it serves,
	kernel/tree.sh:   $BASE_USED_VERSION (tarball sha256 $BASE_USED_SHA256, verified by apt).
	kernel/tree.sh: patches/ was exported from the pinned base; each posting is
	kernel/tree.sh: applied with git am -3, and "applies alone" and "patches/
	kernel/tree.sh: matches the tree" are skipped. Pin the new base in
	kernel/tree.sh: lib/inputs.sh and export the postings again.
	kernel/tree.sh: ****************************************************************
	EOF
}

# One line naming the base, for logs, results and the cover letter.
base_line() {
	base_load
	printf '%s %s (Debian %s), %s sha256 %s%s\n' "$BASE_USED_PACKAGE" "$BASE_USED_VERSION" \
		"$BASE_USED_SUITE" "$(basename "$BASE_USED_TARBALL")" "$BASE_USED_SHA256" \
		"$([ "$BASE_USED_FALLBACK" = 1 ] && echo ", FALLBACK: the pinned $BASE_USED_REQUESTED is gone")"
}

unpack() {
	local tmp=$src.unpack
	base_load
	say "unpacking $BASE_USED_PACKAGE $BASE_USED_VERSION into $src"
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	tar -xJf "$BASE_USED_TARBALL" -C "$tmp" --strip-components=1
	# Debian's stanza ignores the whole top level ("/*", "!/debian/"):
	# drop it so the base ignores what mainline ignores and new files
	# (selftests) are tracked.
	python3 - "$tmp/.gitignore" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("# Debian packaging"))
end = lines.index("!/debian/", start)
while start > 0 and lines[start - 1] in ("#", ""):
    start -= 1
del lines[start:end + 1]
open(p, "w").write("\n".join(lines).rstrip("\n") + "\n")
PY
	git -C "$tmp" init -q -b series
	git -C "$tmp" add -A -f
	git_build "$tmp" commit -q -m "Linux $BASE_USED_VERSION (Debian $BASE_USED_PACKAGE)" \
		-m "Pristine base: $(base_line), without Debian's top-level .gitignore stanza."
	git_build "$tmp" tag -a base -m "$BASE_USED_PACKAGE $BASE_USED_VERSION"
	echo "$BASE_USED_SHA256" > "$tmp/.git/base-sha256"
	mv "$tmp" "$src"
}

tree_exists() { [ -d "$src/.git" ] || die "no tree at $src: run 'make tree' first"; }

# On a fallback base, what the postings were made on is not there to
# compare with: exit 4, which the host checks count as a skip.
fallback_skip() {
	tree_exists
	base_load
	[ "$BASE_USED_FALLBACK" = 1 ] || return 0
	say "skipped: the postings were made on $BASE_USED_REQUESTED, the tree is $BASE_USED_VERSION (fallback)"
	exit 4
}

# The postings as stacked: names and patches, in order.
stack_hash() {
	local p
	for p in $(q_postings); do
		echo "$p $(q_hash "$p")"
	done | sha256sum | cut -d' ' -f1
}

# Make the branches of POSTINGS from their patches: plain git am on base
# (git am -3 on a fallback base), the description from the cover letter.
apply_postings() { # POSTINGS...
	local p am=(-q --whitespace=nowarn)
	base_load
	if [ "$BASE_USED_FALLBACK" = 1 ]; then
		am+=(-3)
		say "fallback base: each posting is applied with git am -3, which does not show that it applies alone to the pinned base"
	fi
	for p in "$@"; do
		say "applying patches/$p ($(patch_files "$patches/$p" | wc -l) patch(es)) to base as branch $p"
		q_apply "$p" "${am[@]}" ||
			die "patches/${q_failed#"$patches"/} does not apply to the pristine base (git am ${am[*]}): a posting must apply alone.
  Branch $p is left at base. Rebase the posting onto base: git -C ${src#"$top"/} checkout $p,
  git am -3 its patches, resolve, git am --continue, then make export-patches."
		if [ -f "$patches/$p/0000-cover-letter.patch" ]; then
			q config "branch.$p.description" "$(cover_description "$patches/$p/0000-cover-letter.patch")"
		else
			q config --unset "branch.$p.description" || true
		fi
		q_take_prefix "$p" "$patches/$p/0000-cover-letter.patch"
	done
}

# Branch series: the base and every posting in order, with git am -3.
# Postings that each add programs to a selftests Makefile or .gitignore
# touch the same lines; a union merge keeps both sides there (git am -3
# honours merge attributes).
stack() {
	local p files
	mkdir -p "$src/.git/info"
	printf '%s\n' 'tools/testing/selftests/**/Makefile merge=union' \
		'tools/testing/selftests/**/.gitignore merge=union' > "$src/.git/info/attributes"
	q checkout -q -f -B series base
	q clean -q -fdx
	q config --unset branch.series.description || true
	q_record series -
	for p in $(q_postings); do
		mapfile -t files < <(patch_files "$patches/$p")
		q_am "$src" -3 -q --whitespace=nowarn -- "${files[@]}" ||
			die "the stack (branch series) stops at patches/${q_failed#"$patches"/}: it does not apply, even 3-way,
  on top of the postings before $p; alone, each applies. Two postings change the same lines:
  change one of them, or stack them in another order (the number N of patches/N-NAME),
  then make tree. series holds the postings before $p."
		q_record series -
	done
	q_record series "$(stack_hash)"
	say "series: $(q rev-list --count base..series) commit(s) of $(q_postings | wc -l) posting(s) on base"
}

prepare() {
	fetch
	base_load
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-sha256" 2>/dev/null)" != "$BASE_USED_SHA256" ]; then
		unpack
	fi
	q_no_legacy
	q_migrate
	q_plan
	if [ "${#q_changed[@]}" = 0 ] && [ "${#q_gone[@]}" = 0 ] && series_current; then
		say "tree up to date ($(q_postings | wc -l) posting(s), series: $(q rev-list --count base..series) commit(s) on base)"
		return
	fi
	q_refuse "Save them with 'make export-patches', or drop them with 'make reset-tree'." \
		"$(q_unsaved_commits series "${q_changed[@]}" "${q_gone[@]}"; q_unsaved_edits "${q_changed[@]}" "${q_gone[@]}")"
	apply_postings "${q_changed[@]}"
	if [ "${#q_changed[@]}" -gt 0 ] || ! series_stacked; then
		stack
	else
		say "checking out series"
		q checkout -q series
	fi
	q_drop "${q_gone[@]}"
}

# Is series the stack of the postings as they are (and checked out)?
series_stacked() { [ "$(q_rec series)" = "$(q_head series) $(stack_hash)" ]; }
series_current() { series_stacked && [ "$(q symbolic-ref -q --short HEAD)" = series ]; }

reset() {
	local b ps gone=()
	tree_exists
	q_no_legacy
	q_migrate
	mapfile -t ps < <(q_postings)
	apply_postings "${ps[@]}"
	stack
	for b in $(q_branches); do
		grep -qxF "$b" <<< "$(q_postings)" || gone+=("$b")
	done
	q_drop "${gone[@]}"
}

# Every posting branch into patches/, then series made from them. Commits
# of series' own (series is made, not edited) are not lost: when the new
# stack differs from the old, the old is kept as branch series-before-export.
export_postings() {
	local b bs old own
	tree_exists
	q_migrate
	mapfile -t bs < <(q_branches)
	q_refuse "Commit them on their posting's branch first." "$(q_unsaved_edits "${bs[@]}")"
	for b in "${bs[@]}"; do
		q config "branch.$b.description" >/dev/null ||
			die "branch $b has no description, which export writes as its cover letter: git -C ${src#"$top"/} branch --edit-description $b"
	done
	own=$(q_unsaved_commits series)
	old=$(q_head series)
	q_export_all
	stack
	if [ -n "$own" ] && [ "$(q rev-parse "$old^{tree}")" != "$(q rev-parse 'series^{tree}')" ]; then
		q branch -f series-before-export "$old"
		say "series had commits no posting has: the old series is branch series-before-export." \
			"Cherry-pick what belongs to a posting onto its branch, then make export-patches."
	fi
}

# Does every posting hold exactly what export would write from its branch?
verify() { # [POSTINGS...]
	local p rc=0 cover
	fallback_skip
	[ -z "$(q_legacy)" ] || { q_no_legacy 2>&1 | sed 's/^/  /' >&2; rc=1; }
	local -a ps=("$@")
	[ "$#" -gt 0 ] || mapfile -t ps < <(q_all)
	for p in "${ps[@]}"; do
		cover=$patches/$p/0000-cover-letter.patch
		if ! q_verify "$p"; then
			echo "kernel/tree.sh: patches/$p differs from what 'make export-patches' writes (hand edit, or unexported commits on branch $p)" >&2
			rc=1
		# A fresh clone takes the description back from the cover letter.
		elif [ -f "$cover" ] && [ "$(cover_description "$cover")" != "$(q config "branch.$p.description")" ]; then
			echo "kernel/tree.sh: patches/$p's cover letter does not give back branch $p's description (kernel/tree.sh cover_description)" >&2
			rc=1
		else
			say "patches/$p matches branch $p ($(patch_files "$patches/$p" | wc -l) patch(es))"
		fi
	done
	return "$rc"
}

# Does each posting apply, patch by patch and without a 3-way merge, to
# the base? Into a scratch index: the tree and its branches are not
# touched.
applies_alone() { # [POSTINGS...]
	local p f idx rc=0 bad
	fallback_skip
	local -a ps=("$@")
	[ "$#" -gt 0 ] || mapfile -t ps < <(q_postings)
	idx=$(mktemp -u)
	for p in "${ps[@]}"; do
		GIT_INDEX_FILE=$idx q read-tree base
		bad=
		for f in $(patch_files "$patches/$p"); do
			GIT_INDEX_FILE=$idx q apply --cached "$f" || { bad=${f#"$patches"/}; break; }
		done
		if [ -n "$bad" ]; then
			echo "kernel/tree.sh: patches/$bad does not apply to the base (with the posting's patches before it)" >&2
			rc=1
		else
			say "patches/$p applies alone to the base ($(patch_files "$patches/$p" | wc -l) patch(es))"
		fi
	done
	rm -f "$idx"
	return "$rc"
}

# A second checkout of the tree at REV in build/src-NAME: the pristine base
# to boot (base-worktree), or the series without a patch, to measure it.
worktree() {
	local name=${1:?usage: tree.sh worktree NAME REV} rev=${2:?usage: tree.sh worktree NAME REV}
	local wt=$top/build/src-$name commit
	tree_exists
	commit=$(q rev-parse --verify -q "$rev^{commit}") || die "no commit '$rev' in $src"
	if [ -e "$wt/.git" ] && [ "$(git -C "$wt" rev-parse HEAD)" = "$commit" ]; then
		say "$name worktree up to date"
		return
	fi
	rm -rf "$wt"
	q worktree prune
	q worktree add -q --detach "$wt" "$commit"
	say "$name worktree at $wt ($(q log -1 --format='%h %s' "$commit"))"
}

# The postings as they are mailed (q_send_ready, lib/queue.sh, through
# b4), each in $SEND_OUT/POSTING (build/send by default): To: and Cc: what
# scripts/get_maintainer.pl names for its files (b4 prep --auto-to-cc),
# Cc: linux-api, since every posting changes what user space sees, and
# Oleg Nesterov where a posting changes kernel/signal.c, which has no
# MAINTAINERS entry of its own (get_maintainer.pl names no one for it).
q_auto_to_cc=1
q_cover() { q config "branch.$1.description"; }
q_mail() {
	echo "Cc: linux-api@vger.kernel.org"
	if q diff --name-only "base..refs/heads/$1" | grep -qx kernel/signal.c; then
		echo "To: Oleg Nesterov <oleg@redhat.com>"
	fi
}
send_ready() {
	local out=${SEND_OUT:-$top/build/send}
	tree_exists
	q_send_ready "$out"
	say "wrote the kernel postings to $out; check them, then b4 send or git send-email each"
}

case "${1:-}" in
fetch) fetch ;;
send-ready) send_ready ;;
base-line) base_line ;;
postings) q_postings ;;
prepare) prepare ;;
verify) shift; verify "$@" ;;
applies-alone) shift; applies_alone "$@" ;;
base-worktree) worktree base base ;;
worktree) shift; worktree "$@" ;;
export) export_postings ;;
reset) reset ;;
*) die "usage: tree.sh fetch|base-line|postings|prepare|export|verify [POSTING...]|applies-alone [POSTING...]|send-ready|reset|base-worktree|worktree NAME REV" ;;
esac
