#!/usr/bin/env bash
# The CRIU patches that keep the series' signalfd modes and every pending
# signal across checkpoint/restore: patches/criu/, a series of its own
# (0000-cover-letter.patch and the patches) for CRIU's criu-dev branch, made
# on the upstream tarball of Debian's criu source package (CRIU_VERSION,
# lib/inputs.sh), as a git repository in build/criu/tree whose first
# commit is that tarball (tag "base") and whose branch "criu" is the base
# and the patches (lib/queue.sh), applied with plain git am (git am -3
# on a fallback version). The virtme-ng guest runs a build of that branch.
#
#   criu.sh prepare   fetch and unpack once, then make branch criu again
#                     when its patches changed
#   criu.sh export    write branch criu back into patches/criu/
#   criu.sh verify    patches/criu/ is exactly what export writes
#   criu.sh lint      CRIU's own "make lint" rules for C and git clang-format
#                     with its .clang-format, on what the patches change
#   criu.sh build-each   every commit of branch criu builds (make criu,
#                     and the zdtm tests the commit adds), in build/criu/each
#   criu.sh base-line print the CRIU version in use, one line
#
# patches/criu/ is the truth. To change a patch: git -C build/criu/tree
# checkout criu, commit (git commit -s; amend, rebase -i base) there, edit
# the cover letter with git -C build/criu/tree branch --edit-description
# criu, then make export-criu.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/inputs.sh"
. "$top/lib/common.sh"
. "$top/lib/queue.sh"
src=$top/build/criu/tree
q_src=$src q_sub=
q_format=(--cover-letter --cover-from-description=subject --zero-commit --abbrev=12 --no-signature)

say() { echo "kernel/criu.sh: $*"; }

# One queue, one branch: patches/criu/ and branch criu.
q_postings() { [ -z "$(patch_files "$top/patches/criu")" ] || echo criu; }
q_branches() { if q rev-parse -q --verify refs/heads/criu >/dev/null; then echo criu; fi; }

src_index() { # SUITE: a private apt configuration of SUITE's sources
	local apt=$top/build/apt/$1-src
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $1 main" \
		> "$apt/sources.list"
	papt "$1-src" apt-get update >/dev/null || die "apt-get update of $1 sources failed (network? see build/apt/$1-src)"
}

# The tarball of criu VERSION: "PATH SHA256" as SUITE's signed index gives
# it, downloaded into build/dl once.
download() { # SUITE VERSION
	local upstream=${2#*:} line url file sha dir
	upstream=${upstream%-*}
	file=criu_$upstream.orig.tar.xz
	dir=$top/build/dl/criu-${2//[:~]/_}
	line=$(papt "$1-src" apt-get source --print-uris "criu=$2" 2>/dev/null | awk -v f="$file" '$2 == f')
	[ -n "$line" ] || die "$1 lists no $file for criu $2"
	url=$(awk '{ gsub(/\x27/, "", $1); print $1 }' <<< "$line")
	sha=$(awk '{ sub(/^SHA256:/, "", $4); print $4 }' <<< "$line")
	mkdir -p "$dir"
	if [ ! -f "$dir/$file" ] || [ "$(sha256sum < "$dir/$file" | cut -d' ' -f1)" != "$sha" ]; then
		wget -q -O "$dir/$file.part" "$url" || die "download of $url failed (Debian answers 404 for some tarballs: pin another version)"
		mv "$dir/$file.part" "$dir/$file"
	fi
	[ "$(sha256sum < "$dir/$file" | cut -d' ' -f1)" = "$sha" ] || die "$dir/$file does not have the sha256 $1's index gives ($sha)"
	echo "$dir/$file $sha"
}

# The pinned version when a suite of CRIU_SUITES still serves it, else the
# newest they serve, loudly. Prints "VERSION TARBALL FALLBACK(0|1)".
fetch() {
	local upstream=${CRIU_VERSION%-*} dir file s v served=() newest='' out
	dir=$top/build/dl/criu-${CRIU_VERSION//[:~]/_}
	file=$dir/criu_$upstream.orig.tar.xz
	if [ -f "$file" ] && [ "$(sha256sum < "$file" | cut -d' ' -f1)" = "$CRIU_ORIG_SHA256" ]; then
		echo "$CRIU_VERSION $file 0"
		return
	fi
	for s in $CRIU_SUITES; do
		src_index "$s"
		while read -r v; do served+=("$v $s"); done < <(papt "$s-src" apt-cache showsrc criu | awk '/^Version:/ { print $2 }')
	done
	for v in "${served[@]}"; do
		if [ "${v% *}" = "$CRIU_VERSION" ]; then
			out=$(download "${v#* }" "$CRIU_VERSION")
			[ "${out#* }" = "$CRIU_ORIG_SHA256" ] ||
				die "criu $CRIU_VERSION's tarball has sha256 ${out#* }, pinned is $CRIU_ORIG_SHA256 (lib/inputs.sh)"
			echo "$CRIU_VERSION ${out% *} 0"
			return
		fi
	done
	newest=$(printf '%s\n' "${served[@]}" | sort -r -V | head -n 1)
	[ -n "$newest" ] || die "$CRIU_SUITES serve no criu: pin a version in lib/inputs.sh"
	echo "kernel/criu.sh: FALLBACK: criu $CRIU_VERSION is gone from $CRIU_SUITES; using ${newest% *} from ${newest#* }" >&2
	out=$(download "${newest#* }" "${newest% *}")
	echo "${newest% *} ${out% *} 1"
}

unpack() { # VERSION TARBALL FALLBACK
	local tmp=$src.unpack
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	tar -xf "$2" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b upstream
	git -C "$tmp" add -f -A
	git_build "$tmp" commit -q -m "CRIU ${1%-*} (the tarball of Debian's criu $1)"
	git_build "$tmp" tag base
	echo "$1 $3" > "$tmp/.git/base-name"
	mv "$tmp" "$src"
}

base_line() {
	local v fb
	read -r v fb < "$src/.git/base-name"
	echo "CRIU ${v%-*} (Debian criu $v$([ "$fb" = 1 ] && echo ", FALLBACK from $CRIU_VERSION"))"
}

apply() {
	local am=(-q) fb
	read -r _ fb < "$src/.git/base-name"
	[ "$fb" = 0 ] || am+=(-3)
	q_apply criu "${am[@]}" ||
		die "patches/${q_failed#"$top"/patches/} does not apply to $(base_line) (git am ${am[*]}; branch criu left at base)"
	q config branch.criu.description "$(cover_description "$top/patches/criu/0000-cover-letter.patch")"
	q_take_prefix criu "$top/patches/criu/0000-cover-letter.patch"
	say "branch criu: $(patch_files "$top/patches/criu" | wc -l) patch(es) on $(base_line)"
}

prepare() {
	local version tarball fb
	read -r version tarball fb < <(fetch)
	if [ ! -d "$src/.git" ] || [ "$(cat "$src/.git/base-name")" != "$version $fb" ]; then
		[ ! -d "$src/.git" ] ||
			q_refuse "A new CRIU base replaces the tree: save them with 'make export-criu' first." \
				"$(q_unsaved_commits criu; q_unsaved_edits criu)"
		unpack "$version" "$tarball" "$fb"
	fi
	q_plan
	if [ "${#q_changed[@]}" = 0 ]; then
		say "build/criu/tree up to date: $(base_line)"
		return
	fi
	q_refuse "Save them with 'make export-criu', or drop them: git -C build/criu/tree reset --hard, then delete the branch." \
		"$(q_unsaved_commits criu; q_unsaved_edits criu)"
	apply
}

export_criu() {
	[ -d "$src/.git" ] || die "no tree at $src: run 'make criu' first"
	q_refuse "Commit them on branch criu first." "$(q_unsaved_edits criu)"
	q config branch.criu.description >/dev/null ||
		die "branch criu has no description, which export writes as its cover letter: git -C build/criu/tree branch --edit-description criu"
	q_export_all
}

verify() {
	[ -d "$src/.git" ] || die "no tree at $src: run 'make criu' first"
	if q_verify criu; then
		say "patches/criu matches branch criu of build/criu/tree"
	else
		die "patches/criu differs from what export writes from branch criu"
	fi
}

# CRIU's "make lint" rules for C (its Makefile; ruff, shellcheck and
# codespell left out) on the lines the patches add, and git clang-format
# (CRIU's "make indent", advisory there) on the C files they touch.
lint() {
	local added rc=0 fmt
	[ -d "$src/.git" ] || die "no tree at $src: run 'make criu' first"
	added=$(q diff base refs/heads/criu -- '*.c' '*.h' | grep -E '^\+[^+]' | cut -c2- || true)
	lint_rule() { # WHAT REGEX [FILTER]
		local hits
		hits=$(grep -E "$2" <<< "$added" || true)
		[ -z "$hits" ] || { echo "kernel/criu.sh: lint: $1:" >&2; echo "$hits" >&2; rc=1; }
	}
	lint_rule "\\n appended to pr_perror, pr_pwarn or fail" '^\s*\<(pr_perror|pr_pwarn|fail)\>.*\\n"'
	lint_rule "%m with pr_* or fail" '^\s*\<(pr_(err|perror|warn|pwarn|debug|info|msg)|fail)\>.*%m'
	lint_rule "errno with pr_perror, pr_pwarn or fail" '^\s*\<(pr_perror|pr_pwarn|fail)\>\(".*".*errno'
	lint_rule "trailing whitespace" '\s+$'
	hits=$(grep -E '^\s*\<pr_(err|warn|msg|info|debug)\>.*\);$' <<< "$added" | grep -v '\\n' || true)
	if [ -n "$hits" ]; then
		printf '%s\n%s\n' 'kernel/criu.sh: lint: pr_* without \n:' "$hits" >&2
		rc=1
	fi
	command -v clang-format >/dev/null || die "clang-format is missing: make setup"
	[ "$(q symbolic-ref -q --short HEAD)" = criu ] || die "$src is not on branch criu"
	fmt=$(cd "$src" && { git clang-format --quiet --diff base -- '*.c' '*.h' 2>&1 || true; })
	if [ -n "$fmt" ] && [ "$fmt" != "no modified files to format" ]; then
		echo "kernel/criu.sh: lint: git clang-format would change:" >&2
		echo "$fmt" >&2
		rc=1
	fi
	[ "$rc" = 0 ] && say "lint: patches/criu clean (make lint's C rules, clang-format)"
	return "$rc"
}

# Every commit of branch criu, in build/criu/each (a copy refreshed with
# rsync --checksum, so each build compiles what the commit changed).
build_each() {
	local each=$top/build/criu/each c tests
	[ -d "$src/.git" ] || die "no tree at $src: run 'make criu' first"
	mkdir -p "$each/src"
	for c in $(q rev-list --reverse base..refs/heads/criu); do
		rm -rf "$each/export"
		mkdir -p "$each/export"
		q archive "$c" | tar -x -C "$each/export"
		rsync -rlc "$each/export/" "$each/src/"
		make -s -C "$each/src" -j"$(nproc)" criu CC="ccache gcc" >"$each/build.log" 2>&1 ||
			die "$(q log -1 --format='%h %s' "$c") does not build: $each/build.log"
		tests=$(q diff --name-only "$c~" "$c" -- test/zdtm/static | sed -n 's|^test/zdtm/static/\(.*\)\.c$|\1|p')
		if [ -n "$tests" ]; then
			# shellcheck disable=SC2086 # test names
			{ make -s -C "$each/src/test/zdtm/lib" CC="ccache gcc" &&
				make -s -C "$each/src/test/zdtm/static" CC="ccache gcc" $tests; } >>"$each/build.log" 2>&1 ||
				die "$(q log -1 --format='%h %s' "$c"): its zdtm tests do not build: $each/build.log"
		fi
		say "builds: $(q log -1 --format='%h %s' "$c")${tests:+ (and its zdtm tests)}"
	done
	rm -rf "$each/export"
}

case "${1:-}" in
prepare) prepare ;;
export) export_criu ;;
verify) verify ;;
lint) lint ;;
build-each) build_each ;;
base-line) base_line ;;
*) die "usage: criu.sh prepare|export|verify|lint|build-each|base-line" ;;
esac
