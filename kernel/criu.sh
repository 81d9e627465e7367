#!/usr/bin/env bash
# The CRIU patches that keep the series' signalfd modes and every pending
# signal across checkpoint/restore: patches/criu/, a series of its own
# (0000-cover-letter.patch and the patches) for CRIU's criu-dev branch, made
# on the upstream tarball of Debian's criu source package (input criu,
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
#   criu.sh send-ready   the series mail-ready (b4) in $SEND_OUT/criu
#                     (build/send), To: CRIU's list
#
# patches/criu/ is the truth. To change a patch: git -C build/criu/tree
# checkout criu, commit (git commit -s; amend, rebase -i base) there, edit
# the cover letter with git -C build/criu/tree branch --edit-description
# criu, then make export-criu.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
. "$top/lib/queue.sh"
src=$top/build/criu/tree
q_src=$src q_sub=
q_format=(--cover-letter --cover-from-description=subject --zero-commit --abbrev=12 --no-signature)

say() { echo "kernel/criu.sh: $*"; }

# One queue, one branch: patches/criu/ and branch criu.
q_postings() { [ -z "$(patch_files "$top/patches/criu")" ] || echo criu; }
q_branches() { if q rev-parse -q --verify refs/heads/criu >/dev/null; then echo criu; fi; }

# The input criu (lib/inputs.sh): "VERSION TARBALL FALLBACK(0|1)", the
# upstream tarball of the pinned version, or of the newest sid serves
# when that one is gone (said loudly).
fetch() {
	local version dir fallback tarball
	read -r version dir fallback < <(input_fetch criu) || exit 1
	tarball=$(echo "$dir"/criu_*.orig.tar.*)
	[ -f "$tarball" ] || die "no criu_*.orig.tar.* in $dir"
	echo "$version $tarball $fallback"
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
	echo "CRIU ${v%-*} (Debian criu $v$([ "$fb" = 1 ] && echo ", FALLBACK from $(input_field criu version)"))"
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
	read -r version tarball fb < <(fetch) || exit 1
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

# CRIU takes patches by mail as well as by pull request: to its list
# (CONTRIBUTING.md), which its maintainers read.
q_mail() { echo "To: criu@lists.linux.dev"; }
q_cover() { q config branch.criu.description; }
send_ready() {
	[ -d "$src/.git" ] || die "no tree at $src: run 'make criu' first"
	q_send_ready "${SEND_OUT:-$top/build/send}"
	say "wrote the CRIU series to ${SEND_OUT:-$top/build/send}/criu"
}

case "${1:-}" in
prepare) prepare ;;
export) export_criu ;;
verify) verify ;;
lint) lint ;;
build-each) build_each ;;
base-line) base_line ;;
send-ready) send_ready ;;
*) die "usage: criu.sh prepare|export|verify|lint|build-each|base-line|send-ready" ;;
esac
