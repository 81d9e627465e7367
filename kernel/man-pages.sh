#!/usr/bin/env bash
# The man-pages patches that document the postings: patches/N-NAME/man-pages/
# on top of the pages Debian ships in manpages and manpages-dev (pinned in
# lib/inputs.sh), laid out as upstream's tree lays them out
# (man/manSECTION/NAME.SECTION), as a git repository in build/man-pages
# whose first commit is those pages (tag "base"), with a branch per posting
# that has man pages, named as the posting (lib/queue.sh): the base and
# that posting's man-pages patches, applied with git am -3.
#
#   man-pages.sh postings  the postings with man-pages patches, in order
#   man-pages.sh prepare   fetch and unpack once, then make again the
#                          branches whose patches changed
#   man-pages.sh export    write every posting branch back into
#                          patches/N-NAME/man-pages/
#   man-pages.sh verify [POSTING...]   each posting's man-pages/ is exactly
#                          what export writes
#   man-pages.sh lint [POSTING...]     groff -ww and mandoc -T lint on every
#                          page a posting's branch touches: no warning the
#                          page at base lacks
#   man-pages.sh send-ready   each posting's pages mail-ready (b4) in
#                          $SEND_OUT/man-pages/N-NAME (build/send), To: the
#                          man-pages maintainer, Cc: linux-man, linux-api
#
# As in the kernel tree, patches/ is the truth: check out a posting's
# branch in build/man-pages (a new one: git -C build/man-pages branch
# N-NAME base), commit there, then make export-man-pages.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/queue.sh"
src=$top/build/man-pages
q_src=$src q_sub=man-pages
q_format=(--zero-commit --abbrev=12 --no-signature)

say() { echo "kernel/man-pages.sh: $*"; }

# The pinned inputs manpages and manpages-dev (lib/inputs.sh; the newest
# sid serves when the pinned version is gone, loudly): "NAME DIR DIR",
# NAME naming the pages' version for the tree's base commit.
fetch() {
	local v1 d1 v2 d2 _
	read -r v1 d1 _ < <(input_fetch manpages) || exit 1
	read -r v2 d2 _ < <(input_fetch manpages-dev) || exit 1
	echo "manpages-$v1+manpages-dev-$v2 $d1 $d2"
}

# The pages as upstream lays them out: NAME.SECTION.gz in usr/share/man/
# manN/ becomes man/manSECTION/NAME.SECTION; a symlink (an alias page)
# becomes the ".so" stub upstream keeps instead.
unpack() { # NAME DIR...
	local name=$1 tmp=$src.unpack d f page sect target
	shift
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	for d; do
		for f in "$d"/root/usr/share/man/man*/*.gz; do
			page=$(basename "$f" .gz)
			sect=${page##*.}
			mkdir -p "$tmp/man/man$sect"
			if [ -L "$f" ]; then
				target=$(basename "$(readlink "$f")" .gz)
				printf '.so man%s/%s\n' "${target##*.}" "$target" > "$tmp/man/man$sect/$page"
			else
				gzip -dc "$f" > "$tmp/man/man$sect/$page"
			fi
		done
	done
	git -C "$tmp" init -q -b pages
	git -C "$tmp" add -A
	git_build "$tmp" commit -q -m "man-pages from Debian's $name"
	git_build "$tmp" tag base
	echo "$name" > "$tmp/.git/base-name"
	mv "$tmp" "$src"
}

# Make the branches of POSTINGS from their patches; the main worktree
# goes back to the branch it had, or to base.
apply() { # POSTINGS...
	local p head
	head=$(q symbolic-ref -q --short HEAD || true)
	for p in "$@"; do
		q_apply "$p" -3 -q ||
			die "patches/${q_failed#"$top"/patches/} does not apply to Debian's pages, even 3-way (branch $p left at base)"
		say "branch $p: $(patch_files "$(q_dir "$p")" | wc -l) patch(es) on base"
	done
	if [ -n "$head" ] && [ -n "$(q_head "$head")" ]; then
		q checkout -q "$head"
	else
		q checkout -q --detach base
	fi
}

prepare() {
	local name dirs head
	read -r name dirs < <(fetch) || exit 1
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-name")" != "$name" ]; then
		# shellcheck disable=SC2086 # two directories
		unpack "$name" $dirs
	fi
	q_no_legacy
	q_migrate
	q_plan
	if [ "${#q_changed[@]}" = 0 ] && [ "${#q_gone[@]}" = 0 ]; then
		say "build/man-pages up to date ($(q_postings | wc -l) posting(s))"
		return
	fi
	q_refuse "Save them with 'make export-man-pages', or drop them: git -C build/man-pages reset --hard, then delete the branch." \
		"$(q_unsaved_commits "${q_changed[@]}" "${q_gone[@]}"; q_unsaved_edits "${q_changed[@]}" "${q_gone[@]}")"
	apply "${q_changed[@]}"
	head=$(q symbolic-ref -q --short HEAD || true)
	if [ -n "$head" ] && printf '%s\n' "${q_gone[@]}" | grep -qxF "$head"; then
		q checkout -q --detach base
	fi
	q_drop "${q_gone[@]}"
}

export_pages() {
	local bs
	[ -d "$src/.git" ] || die "no tree at $src: run 'make man-pages' first"
	q_migrate
	mapfile -t bs < <(q_branches)
	q_refuse "Commit them on their posting's branch first." "$(q_unsaved_edits "${bs[@]}")"
	q_export_all
}

verify() { # [POSTINGS...]
	local p rc=0 ps=("$@")
	[ -d "$src/.git" ] || die "no tree at $src: run 'make man-pages' first"
	[ -z "$(q_legacy)" ] || { q_no_legacy 2>&1 | sed 's/^/  /' >&2; rc=1; }
	[ "$#" -gt 0 ] || mapfile -t ps < <(q_all)
	for p in "${ps[@]}"; do
		if q_verify "$p"; then
			say "patches/$p/man-pages matches branch $p of build/man-pages"
		else
			echo "kernel/man-pages.sh: patches/$p/man-pages differs from what export writes from branch $p" >&2
			rc=1
		fi
	done
	return "$rc"
}

# Warnings of groff -ww and mandoc -T lint (style level) for PAGE at REV,
# without line numbers, so that an edit above an old warning does not make
# it new.
warnings() { # REV PAGE
	local dir page
	dir=$(mktemp -d)
	page=$dir/$(basename "$2")
	q show "$1:$2" > "$page"
	{
		(cd "$src/man" && groff -man -ww -z "$page" 2>&1) | sed "s|$page|$2|g"
		mandoc -T lint -W style "$page" 2>&1 | sed "s|$page|$2|g" || true
	} | sed -E 's/:[0-9]+(:[0-9]+)?:/:/' | sort
	rm -rf "$dir"
}

lint() { # [POSTINGS...]
	local p page new rc=0 ps=("$@")
	command -v mandoc >/dev/null || die "mandoc is missing: make setup"
	[ "$#" -gt 0 ] || mapfile -t ps < <(q_postings)
	for p in "${ps[@]}"; do
		while read -r page; do
			new=$(comm -13 <(warnings base "$page") <(warnings "refs/heads/$p" "$page"))
			if [ -n "$new" ]; then
				echo "$new" >&2
				rc=1
			fi
			say "lint $p: $page: $([ -z "$new" ] && echo clean || echo "NEW WARNINGS")"
		done < <(q diff --name-only base "refs/heads/$p")
	done
	return "$rc"
}

# The man-pages project takes patches by mail (its CONTRIBUTING): To: its
# maintainer, Cc: linux-man; linux-api for new UAPI. The tree has no
# get_maintainer.pl: the queue names them. The cover letter names the
# kernel posting the pages document.
q_mail() {
	printf '%s\n' "To: Alejandro Colomar <alx@kernel.org>" "Cc: linux-man@vger.kernel.org" \
		"Cc: linux-api@vger.kernel.org"
}
q_cover() { # POSTING
	local subject
	subject=$(cover_description "$top/patches/$1/0000-cover-letter.patch" | head -n 1)
	printf '%s\n\n%s\n\n  %s\n\n%s\n' "man-pages: document \"$subject\"" \
		"These pages document the Linux kernel series" "$subject" \
		"sent to linux-kernel and linux-api at the same time, as it is posted."
}
send_ready() {
	local out=${SEND_OUT:-$top/build/send}/man-pages
	[ -d "$src/.git" ] || die "no tree at $src: run 'make man-pages' first"
	q_send_ready "$out"
	say "wrote the man-pages postings to $out"
}

case "${1:-}" in
postings) q_postings ;;
prepare) prepare ;;
export) export_pages ;;
verify) shift; verify "$@" ;;
lint) shift; lint "$@" ;;
send-ready) send_ready ;;
*) die "usage: man-pages.sh postings|prepare|export|verify [POSTING...]|lint [POSTING...]|send-ready" ;;
esac
