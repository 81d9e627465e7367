#!/usr/bin/env bash
# The man-pages patches that document the series: patches/man-pages/ on
# top of the pages Debian ships in manpages and manpages-dev
# (MANPAGES_VERSION, kernel/versions.sh), laid out as upstream's tree lays them
# out (man/manSECTION/NAME.SECTION), as a git repository in build/man-pages
# whose first commit is those pages (tag "base").
#
#   man-pages.sh prepare   fetch and unpack once, then (re)apply the
#                          patches when they changed
#   man-pages.sh export    write base..HEAD back into patches/man-pages/
#   man-pages.sh verify    patches/man-pages/ is exactly what export writes
#   man-pages.sh lint      groff -ww and mandoc -T lint on every page the
#                          patches touch: no warning the page at base lacks
#
# Like patches/, patches/man-pages/ is the single source of truth: edit in
# build/man-pages, commit there, export.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernel/versions.sh"
. "$top/kernel/lib.sh"
src=$top/build/man-pages
patches=$top/patches/man-pages
packages=(manpages manpages-dev)

say() { echo "kernel/man-pages.sh: $*"; }
g() { git -C "$src" "$@"; }

patch_files() { find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | sort; }
patches_hash() { patch_files | xargs -r cat | sha256sum | cut -d' ' -f1; }

# The pinned version when sid still serves it, else the newest, loudly.
fetch() {
	local served version p dir sha want var
	served=$(deb_served "$MANPAGES_SUITE" manpages)
	version=$MANPAGES_VERSION
	if ! grep -qxF "$version" <<< "$served"; then
		version=$(head -n 1 <<< "$served")
		[ -n "$version" ] || die "$MANPAGES_SUITE serves no manpages: pick a version in kernel/versions.sh"
		echo "kernel/man-pages.sh: FALLBACK: $MANPAGES_SUITE no longer serves manpages $MANPAGES_VERSION; using $version" >&2
	fi
	dir=$top/build/dl/man-pages-${version//[:~]/_}
	for p in "${packages[@]}"; do
		[ -f "$dir/$p.deb.sha256" ] || deb_unpack "$MANPAGES_SUITE" "$p" "$version" "$dir" >&2
		sha=$(cat "$dir/$p.deb.sha256")
		var=MANPAGES_SHA256_${p//-/_}
		want=${!var}
		if [ "$version" = "$MANPAGES_VERSION" ] && [ "$sha" != "$want" ]; then
			die "$p $version .deb sha256 is $sha, pinned is $want (kernel/versions.sh)"
		fi
	done
	echo "$dir"
}

# The pages as upstream lays them out: NAME.SECTION.gz in usr/share/man/
# manN/ becomes man/manSECTION/NAME.SECTION; a symlink (an alias page)
# becomes the ".so" stub upstream keeps instead.
unpack() {
	local dir=$1 tmp=$src.unpack f name sect target
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	for f in "$dir"/root/usr/share/man/man*/*.gz; do
		name=$(basename "$f" .gz)
		sect=${name##*.}
		mkdir -p "$tmp/man/man$sect"
		if [ -L "$f" ]; then
			target=$(basename "$(readlink "$f")" .gz)
			printf '.so man%s/%s\n' "${target##*.}" "$target" > "$tmp/man/man$sect/$name"
		else
			gzip -dc "$f" > "$tmp/man/man$sect/$name"
		fi
	done
	git -C "$tmp" init -q -b pages
	git -C "$tmp" add -A
	git_build "$tmp" commit -q -m "man-pages from Debian's manpages and manpages-dev $(basename "$dir")"
	git_build "$tmp" tag base
	basename "$dir" > "$tmp/.git/base-name"
	mv "$tmp" "$src"
}

apply() {
	local files
	mapfile -t files < <(patch_files)
	g reset -q --hard base
	if [ "${#files[@]}" -gt 0 ]; then
		GIT_COMMITTER_NAME=tree-build GIT_COMMITTER_EMAIL=build@localhost \
			g am -3 -q "${files[@]}" ||
			{ g am --abort || true; die "git am failed on patches/man-pages (tree left at base)"; }
	fi
	printf '%s %s\n' "$(patches_hash)" "$(g rev-parse HEAD)" > "$src/.git/series-applied"
	say "build/man-pages: ${#files[@]} patch(es) on base"
}

prepare() {
	local dir have_hash have_head
	dir=$(fetch)
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-name")" != "$(basename "$dir")" ]; then
		unpack "$dir"
		apply
		return
	fi
	read -r have_hash have_head < "$src/.git/series-applied" 2>/dev/null || true
	[ "$(patches_hash)" != "${have_hash:-}" ] || return 0
	if [ "$(g rev-parse HEAD)" != "${have_head:-}" ] || [ -n "$(g status --porcelain)" ]; then
		die "patches/man-pages changed, but build/man-pages has commits or edits not exported"
	fi
	apply
}

format() { g format-patch -q --zero-commit --abbrev=12 --no-signature -o "$1" base..HEAD; }

export_pages() {
	[ -z "$(g status --porcelain)" ] || die "build/man-pages has uncommitted changes"
	mkdir -p "$patches"
	rm -f "$patches"/[0-9][0-9][0-9][0-9]-*.patch
	format "$patches"
	printf '%s %s\n' "$(patches_hash)" "$(g rev-parse HEAD)" > "$src/.git/series-applied"
	say "exported $(g rev-list --count base..HEAD) patch(es) to patches/man-pages/"
}

verify() {
	local tmp rc=0
	tmp=$(mktemp -d)
	format "$tmp"
	diff -r "$patches" "$tmp" >&2 || rc=1
	rm -rf "$tmp"
	[ "$rc" = 0 ] || die "patches/man-pages differs from what export writes"
	say "patches/man-pages matches build/man-pages"
}

# Warnings of groff -ww and mandoc -T lint (style level) for PAGE at REV,
# without line numbers, so that an edit above an old warning does not make
# it new.
warnings() { # REV PAGE
	local dir page
	dir=$(mktemp -d)
	page=$dir/$(basename "$2")
	g show "$1:$2" > "$page"
	{
		(cd "$src/man" && groff -man -ww -z "$page" 2>&1) | sed "s|$page|$2|g"
		mandoc -T lint -W style "$page" 2>&1 | sed "s|$page|$2|g" || true
	} | sed -E 's/:[0-9]+(:[0-9]+)?:/:/' | sort
	rm -rf "$dir"
}

lint() {
	local page new rc=0
	command -v mandoc >/dev/null || die "mandoc is missing: make setup"
	while read -r page; do
		new=$(comm -13 <(warnings base "$page") <(warnings HEAD "$page"))
		if [ -n "$new" ]; then
			echo "$new" >&2
			rc=1
		fi
		say "lint $page: $([ -z "$new" ] && echo clean || echo "NEW WARNINGS")"
	done < <(g diff --name-only base..HEAD)
	return "$rc"
}

case "${1:-}" in
prepare) prepare ;;
export) export_pages ;;
verify) verify ;;
lint) lint ;;
*) die "usage: man-pages.sh prepare|export|verify|lint" ;;
esac
