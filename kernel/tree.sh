#!/usr/bin/env bash
# The kernel tree: Debian's linux-source-6.12, pinned, as a git repository
# whose first commit is the pristine base (tag "base") with patches/ on top.
#
#   tree.sh prepare   unpack once, then (re)apply patches/ when it changed
#   tree.sh export    write the commits base..HEAD back into patches/
#   tree.sh verify    check that patches/ is exactly what export would write
#   tree.sh reset     drop local commits and edits, re-apply patches/
#   tree.sh base-worktree   check out tag base in build/src-base
#   tree.sh worktree NAME REV   check out REV in build/src-NAME
#
# patches/ is the single source of truth. The cover letter's text lives in
# the tree as the branch description (git branch --edit-description), seeded
# from patches/0000-cover-letter.patch, so export reproduces it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/ci/versions.sh"
src=${KERNEL_SRC:-$top/build/src}
patches=$top/patches
stamp=$src/.git/series-applied
branch=series

die() { echo "kernel/tree.sh: $*" >&2; exit 1; }
say() { echo "kernel/tree.sh: $*"; }
g() { git -C "$src" "$@"; }
# The base commit and git am need an identity even where none is configured;
# the patches keep their own authors.
g_build() {
	GIT_AUTHOR_NAME=kernel-build GIT_AUTHOR_EMAIL=build@localhost \
	GIT_COMMITTER_NAME=kernel-build GIT_COMMITTER_EMAIL=build@localhost g "$@"
}
g_am() {
	GIT_COMMITTER_NAME=kernel-build GIT_COMMITTER_EMAIL=build@localhost g "$@"
}

series_files() { mkdir -p "$patches"; find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-cover-letter.patch' | sort; }

series_hash() {
	{
		series_files
		if [ -f "$patches/0000-cover-letter.patch" ]; then
			echo "$patches/0000-cover-letter.patch"
		fi
	} |
		xargs -r cat | sha256sum | cut -d' ' -f1
}

check_tarball() {
	local have ver
	[ -f "$LINUX_SOURCE_TARBALL" ] ||
		die "$LINUX_SOURCE_TARBALL missing: run 'make setup' (installs linux-source-6.12=$LINUX_SOURCE_VERSION)"
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
	[ "$ver" = "$LINUX_SOURCE_VERSION" ] ||
		die "linux-source-6.12 is version '${ver:-none}', pinned is '$LINUX_SOURCE_VERSION' (ci/versions.sh): run 'make setup'"
	have=$(sha256sum "$LINUX_SOURCE_TARBALL" | cut -d' ' -f1)
	[ "$have" = "$LINUX_SOURCE_SHA256" ] ||
		die "$LINUX_SOURCE_TARBALL sha256 is $have, pinned is $LINUX_SOURCE_SHA256 (ci/versions.sh)"
}

unpack() {
	local tmp=$src.unpack
	check_tarball
	say "unpacking $LINUX_SOURCE_TARBALL ($LINUX_SOURCE_VERSION) into $src"
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	tar -xJf "$LINUX_SOURCE_TARBALL" -C "$tmp" --strip-components=1
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
	git -C "$tmp" init -q -b "$branch"
	git -C "$tmp" add -A -f
	src=$tmp g_build commit -q -m "Linux $LINUX_SOURCE_VERSION (Debian linux-source-6.12)" \
		-m "Pristine base: $LINUX_SOURCE_TARBALL sha256 $LINUX_SOURCE_SHA256, without Debian's top-level .gitignore stanza."
	src=$tmp g_build tag -a base -m "linux-source-6.12 $LINUX_SOURCE_VERSION"
	echo "$LINUX_SOURCE_SHA256" > "$tmp/.git/base-sha256"
	mv "$tmp" "$src"
}

# Subject and body of the cover letter, for the branch description.
cover_description() {
	python3 - "$1" <<'PY'
import email, re, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
subject = re.sub(r"\s+", " ", str(msg["Subject"])).strip()
subject = re.sub(r"^\[[^]]*\]\s*", "", subject)
body = msg.get_payload()
# format-patch appends the shortlog ("Name (N):") and diffstat: cut there.
out = []
for line in body.split("\n"):
    if re.match(r"^\S.* \(\d+\):$", line):
        break
    out.append(line)
print(subject + "\n\n" + "\n".join(out).strip())
PY
}

apply_series() {
	local files
	mapfile -t files < <(series_files)
	g reset -q --hard base
	g clean -q -fdx
	if [ "${#files[@]}" -gt 0 ]; then
		say "applying ${#files[@]} patch(es) from patches/"
		g_am am -q --whitespace=nowarn "${files[@]}" ||
			{ g am --abort || true; die "git am failed on patches/ (tree left at base)"; }
	else
		say "patches/ is empty: tree is the pristine base"
	fi
	if [ -f "$patches/0000-cover-letter.patch" ]; then
		g config "branch.$branch.description" "$(cover_description "$patches/0000-cover-letter.patch")"
	fi
	record
}

record() { printf '%s %s\n' "$(series_hash)" "$(g rev-parse HEAD)" > "$stamp"; }

prepare() {
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-sha256" 2>/dev/null)" != "$LINUX_SOURCE_SHA256" ]; then
		unpack
		apply_series
		return
	fi
	check_tarball
	local want_hash have_hash have_head
	want_hash=$(series_hash)
	read -r have_hash have_head < "$stamp" 2>/dev/null || true
	if [ "$want_hash" = "${have_hash:-}" ]; then
		say "tree up to date ($(g rev-list --count base..HEAD) commit(s) on base)"
		return
	fi
	if [ "$(g rev-parse HEAD)" != "${have_head:-}" ] || [ -n "$(g status --porcelain)" ]; then
		die "patches/ changed, but $src has commits or edits not exported to patches/.
  Save them with 'make export-patches', or drop them with 'make reset-tree'."
	fi
	apply_series
}

export_series() {
	[ -d "$src/.git" ] || die "no tree at $src: run 'make tree' first"
	[ -z "$(g status --porcelain)" ] ||
		die "$src has uncommitted changes: commit them in the tree first"
	local n
	n=$(g rev-list --count base..HEAD)
	rm -f "$patches"/[0-9][0-9][0-9][0-9]-*.patch
	if [ "$n" -eq 0 ]; then
		say "no commits on base: patches/ is empty"
		record
		return
	fi
	g format-patch -q --cover-letter --cover-from-description=subject \
		--zero-commit --abbrev=12 --no-signature -o "$patches" base..HEAD
	say "exported $n patch(es) and a cover letter to patches/"
	record
}

# A second checkout of the tree at REV in build/src-NAME: the pristine base
# to boot (base-worktree), or the series without a patch, to measure it.
worktree() {
	local name=${1:?usage: tree.sh worktree NAME REV} rev=${2:?usage: tree.sh worktree NAME REV}
	local wt=$top/build/src-$name commit
	[ -d "$src/.git" ] || die "no tree at $src: run 'make tree' first"
	commit=$(g rev-parse --verify -q "$rev^{commit}") || die "no commit '$rev' in $src"
	if [ -e "$wt/.git" ] && [ "$(git -C "$wt" rev-parse HEAD)" = "$commit" ]; then
		say "$name worktree up to date"
		return
	fi
	rm -rf "$wt"
	g worktree prune
	g worktree add -q --detach "$wt" "$commit"
	say "$name worktree at $wt ($(g log -1 --format='%h %s' "$commit"))"
}

# Does patches/ hold exactly what export would write from the tree?
verify() {
	local tmp rc=0
	[ -d "$src/.git" ] || die "no tree at $src: run 'make tree' first"
	tmp=$(mktemp -d)
	g format-patch -q --cover-letter --cover-from-description=subject \
		--zero-commit --abbrev=12 --no-signature -o "$tmp" base..HEAD
	# The cover letter's Date: is the time of the export.
	diff -r -I '^Date: ' "$patches" "$tmp" >&2 || rc=1
	rm -rf "$tmp"
	[ "$rc" = 0 ] || die "patches/ differs from what 'make export-patches' writes (hand edit, or unexported commits in $src)"
	say "patches/ matches the tree ($(g rev-list --count base..HEAD) patch(es))"
}

case "${1:-}" in
prepare) prepare ;;
verify) verify ;;
base-worktree) worktree base base ;;
worktree) shift; worktree "$@" ;;
export) export_series ;;
reset) [ -d "$src/.git" ] || die "no tree at $src"; apply_series ;;
*) die "usage: tree.sh prepare|export|verify|reset|base-worktree|worktree NAME REV" ;;
esac
