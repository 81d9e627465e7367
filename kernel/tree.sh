#!/usr/bin/env bash
# The kernel tree: Debian's linux-source-7.3, pinned (kernel/versions.sh), as a
# git repository whose first commit is the pristine base (tag "base") with
# patches/ on top.
#
#   tree.sh fetch     download the base with a private apt configuration
#                     (build/apt, build/dl), falling back to the newest
#                     linux-source-7.3 when the pinned one is gone
#   tree.sh base-line print the base in use, one line
#   tree.sh prepare   fetch and unpack once, then (re)apply patches/ when
#                     it changed
#   tree.sh export    write the commits base..HEAD back into patches/
#   tree.sh verify    check that patches/ is exactly what export would write
#   tree.sh send-ready     write the mail-ready series to build/send (or
#                     $SEND_OUT), signed by the tree's git identity
#   tree.sh reset     drop local commits and edits, re-apply patches/
#   tree.sh base-worktree   check out tag base in build/src-base
#   tree.sh worktree NAME REV   check out REV in build/src-NAME
#
# patches/ is the single source of truth. The cover letter's text lives in
# the tree as the branch description (git branch --edit-description), seeded
# from patches/0000-cover-letter.patch, so export reproduces it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernel/versions.sh"
. "$top/kernel/lib.sh"
src=${KERNEL_SRC:-$top/build/src}
patches=$top/patches
base_env=$top/build/base.env
stamp=$src/.git/series-applied
branch=series

say() { echo "kernel/tree.sh: $*"; }
g() { git -C "$src" "$@"; }
# git am needs a committer even where no identity is configured; the
# patches keep their own authors.
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

# Download and unpack BASE_PACKAGE into build/dl/; write build/base.env,
# which names the base every later step uses: the pinned version, or,
# when BASE_SUITE no longer serves it, the newest one it does.
fetch() {
	local want=$BASE_VERSION served version dir tarball sha fallback=0
	if [ -f "$base_env" ]; then
		. "$base_env"
		if [ "$BASE_USED_REQUESTED" = "$want" ] && [ -f "$BASE_USED_TARBALL" ]; then
			[ "$BASE_USED_FALLBACK" = 0 ] || warn_fallback
			return
		fi
	fi
	served=$(deb_served "$BASE_SUITE" "$BASE_PACKAGE")
	if grep -qxF "$want" <<< "$served"; then
		version=$want
	else
		version=$(head -n 1 <<< "$served")
		[ -n "$version" ] ||
			die "$BASE_SUITE serves no $BASE_PACKAGE at all: pick a new base in kernel/versions.sh"
		fallback=1
	fi
	dir=$top/build/dl/$BASE_PACKAGE-${version//[:~]/_}
	tarball=$dir/root/$BASE_TARBALL
	if [ ! -f "$tarball" ]; then
		say "downloading $BASE_PACKAGE=$version from $BASE_SUITE (private apt configuration in build/apt)"
		rm -rf "$dir"
		deb_unpack "$BASE_SUITE" "$BASE_PACKAGE" "$version" "$dir"
	fi
	sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$fallback" = 0 ] && [ "$sha" != "$BASE_SHA256" ]; then
		die "$tarball sha256 is $sha, pinned is $BASE_SHA256 (kernel/versions.sh)"
	fi
	cat > "$base_env" <<-EOF
	BASE_USED_REQUESTED='$want'
	BASE_USED_VERSION='$version'
	BASE_USED_SHA256='$sha'
	BASE_USED_TARBALL='$tarball'
	BASE_USED_FALLBACK=$fallback
	EOF
	if [ "$fallback" = 1 ]; then
		warn_fallback
	else
		say "base: $BASE_PACKAGE $version (pinned, sha256 verified)"
	fi
}

warn_fallback() {
	. "$base_env"
	cat >&2 <<-EOF
	kernel/tree.sh: ****************************************************************
	kernel/tree.sh: BASE FALLBACK: $BASE_SUITE no longer serves the pinned
	kernel/tree.sh:   $BASE_PACKAGE $BASE_USED_REQUESTED; using the newest it serves,
	kernel/tree.sh:   $BASE_USED_VERSION (tarball sha256 $BASE_USED_SHA256, verified by apt).
	kernel/tree.sh: patches/ was exported from the pinned base; it is applied with
	kernel/tree.sh: git am -3, and "patches/ matches the tree" is skipped. Pin the
	kernel/tree.sh: new base in kernel/versions.sh and re-export the series.
	kernel/tree.sh: ****************************************************************
	EOF
}

# One line naming the base, for logs, results and the cover letter.
base_line() {
	. "$base_env"
	printf '%s %s (Debian %s), %s sha256 %s%s\n' "$BASE_PACKAGE" "$BASE_USED_VERSION" \
		"$BASE_SUITE" "$(basename "$BASE_TARBALL")" "$BASE_USED_SHA256" \
		"$([ "$BASE_USED_FALLBACK" = 1 ] && echo ", FALLBACK: the pinned $BASE_USED_REQUESTED is gone")"
}

unpack() {
	local tmp=$src.unpack
	. "$base_env"
	say "unpacking $BASE_PACKAGE $BASE_USED_VERSION into $src"
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
	git -C "$tmp" init -q -b "$branch"
	git -C "$tmp" add -A -f
	git_build "$tmp" commit -q -m "Linux $BASE_USED_VERSION (Debian $BASE_PACKAGE)" \
		-m "Pristine base: $(base_line), without Debian's top-level .gitignore stanza."
	git_build "$tmp" tag -a base -m "$BASE_PACKAGE $BASE_USED_VERSION"
	echo "$BASE_USED_SHA256" > "$tmp/.git/base-sha256"
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
# format-patch appends the shortlog ("Name (N):" and indented subjects)
# and the diffstat (indented): cut at the first author line after which
# only such lines follow. A body line may look like an author line too.
lines = body.split("\n")
author = re.compile(r"^\S.* \(\d+\):$")
cut = len(lines)
for i in range(len(lines) - 1, -1, -1):
    line = lines[i]
    if author.match(line):
        cut = i
    elif line.strip() and not line[0].isspace():
        break
print(subject + "\n\n" + "\n".join(lines[:cut]).strip())
PY
}

apply_series() {
	local files
	mapfile -t files < <(series_files)
	g reset -q --hard base
	g clean -q -fdx
	if [ "${#files[@]}" -gt 0 ]; then
		say "applying ${#files[@]} patch(es) from patches/"
		# -3: on a fallback base, a context that moved still applies.
		g_am am -3 -q --whitespace=nowarn "${files[@]}" ||
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
	fetch
	. "$base_env"
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-sha256" 2>/dev/null)" != "$BASE_USED_SHA256" ]; then
		unpack
		apply_series
		return
	fi
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

# format-patch as export, verify and send-ready all write: one set of flags.
format_series() { # DIR [git -C target] [extra format-patch args...]
	local dir=$1 repo=$2
	shift 2
	git -C "$repo" format-patch -q --cover-letter --cover-from-description=subject \
		--zero-commit --abbrev=12 --no-signature -o "$dir" "$@" base..HEAD
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
	format_series "$patches" "$src"
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
	. "$base_env"
	if [ "$BASE_USED_FALLBACK" = 1 ]; then
		say "skipped: patches/ was exported from $BASE_USED_REQUESTED, the tree is $BASE_USED_VERSION (fallback)"
		return 4
	fi
	tmp=$(mktemp -d)
	format_series "$tmp" "$src"
	# The cover letter's Date: is the time of the export.
	diff -r -x man-pages -I '^Date: ' "$patches" "$tmp" >&2 || rc=1
	rm -rf "$tmp"
	[ "$rc" = 0 ] || die "patches/ differs from what 'make export-patches' writes (hand edit, or unexported commits in $src)"
	# A fresh clone takes the description back from the cover letter.
	if [ -f "$patches/0000-cover-letter.patch" ] &&
		[ "$(cover_description "$patches/0000-cover-letter.patch")" != "$(g config "branch.$branch.description")" ]; then
		die "the cover letter in patches/ does not give back the branch description (kernel/tree.sh cover_description)"
	fi
	say "patches/ matches the tree ($(g rev-list --count base..HEAD) patch(es))"
}

# Addresses no patch may be sent from: RFC 2606/6761 reserved names, which
# the repository's placeholder identity uses.
reserved_domain='(\.(example|invalid|test|localhost)|@(example\.(com|net|org)|localhost))'

# The series as it is mailed: each commit re-authored and signed off by
# the tree's git identity (git -C build/src config user.name/user.email, or
# GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL), Signed-off-by lines of placeholder
# identities dropped, To: the maintainers and Cc: the lists that
# scripts/get_maintainer.pl names, plus linux-api (new UAPI). Written from
# a throwaway worktree; build/src and patches/ are not touched.
send_ready() {
	local out=${SEND_OUT:-$top/build/send} wt=$top/build/src-send ident name email
	local -a addr=()
	[ -d "$src/.git" ] || die "no tree at $src: run 'make tree' first"
	ident=$(g var GIT_AUTHOR_IDENT 2>/dev/null) ||
		die "send-ready: no git identity in $src; set yours: git -C build/src config user.name 'Your Name'; git -C build/src config user.email you@example.org"
	name=${ident% <*}
	email=${ident#*<}; email=${email%%>*}
	if [[ "$email" =~ ${reserved_domain}$ ]]; then
		die "send-ready: refusing to sign the series as '$name <$email>', a placeholder identity (reserved domain).
  Set yours: git -C build/src config user.name 'Your Name'; git -C build/src config user.email you@your.domain"
	fi
	rm -rf "$wt" "$out"
	g worktree prune
	g worktree add -q -B send-ready "$wt" HEAD
	trap "git -C '$src' worktree remove --force '$wt' 2>/dev/null; git -C '$src' branch -q -D send-ready 2>/dev/null" EXIT
	git -C "$wt" config "branch.send-ready.description" "$(g config "branch.$branch.description")"
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
		git -C "$wt" rebase -q --force-rebase base --exec \
		"git log -1 --format=%B | grep -Ev '^Signed-off-by: .*${reserved_domain}>\$' | git commit -q --amend --reset-author -s -F -" \
		>"$top/build/send-ready.log" 2>&1 ||
		{ cat "$top/build/send-ready.log" >&2; die "send-ready: re-signing the commits failed"; }
	while read -r a; do addr+=(--to="$a"); done < <(cd "$wt" && perl scripts/get_maintainer.pl \
		--no-git --no-git-fallback --m --nol --no-rolestats $(git diff --name-only base..HEAD | sed 's/^/-f /'))
	while read -r a; do
		[[ " ${addr[*]} " == *" --to=$a "* ]] || addr+=(--cc="$a")
	done < <(cd "$wt" && perl scripts/get_maintainer.pl \
		--no-git --no-git-fallback --nom --l --no-rolestats $(git diff --name-only base..HEAD | sed 's/^/-f /'))
	addr+=(--cc=linux-api@vger.kernel.org)
	mkdir -p "$out"
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
		format_series "$out" "$wt" --thread=shallow "${addr[@]}"
	if grep -rlE "<[^>]*${reserved_domain}>" "$out" >/dev/null; then
		die "send-ready: a placeholder identity is still in $out"
	fi
	say "wrote $(ls "$out" | wc -l) mail(s) to $out, from $name <$email>; check them, then git send-email $out/*.patch"
}

case "${1:-}" in
fetch) fetch ;;
send-ready) send_ready ;;
base-line) base_line ;;
prepare) prepare ;;
verify) verify ;;
base-worktree) worktree base base ;;
worktree) shift; worktree "$@" ;;
export) export_series ;;
reset) [ -d "$src/.git" ] || die "no tree at $src"; apply_series ;;
*) die "usage: tree.sh fetch|base-line|prepare|export|verify|reset|base-worktree|worktree NAME REV" ;;
esac
