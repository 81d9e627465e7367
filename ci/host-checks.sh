#!/usr/bin/env bash
# Checks that need no guest: the KTAP judge's own tests, checkpatch.pl
# --strict on every patch of every posting (checkpatch_series in
# lib/common.sh); per posting: it applies alone to the pristine base, it is
# exactly what the kernel tree exports, its cover letter is under
# $cover_max lines; per posting with man pages: they are what
# build/man-pages exports and add no lint warning; the CRIU patches apply,
# are what build/criu/tree exports, and build; make send-ready (b4)
# refusing the placeholder identity and signing every posting of every
# queue with a real one, to its addresses; shellcheck. Prints one
# KTAP-style line per check and writes build/host-counts ("passed failed
# skipped").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
pass=0 fail=0 skip=0
log=$top/build/host-check.log
cover_max=200

result() { # ok name [detail]
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "  ok   host/$2"
	else
		fail=$((fail + 1)); echo "  FAIL host/$2${3:+: $3}"
	fi
}

# run NAME COMMAND...: COMMAND's result as check NAME, its output shown
# when it fails; exit 4 is a skip (kernel/tree.sh on a fallback base).
run() {
	local name=$1 rc
	shift
	"$@" >"$log" 2>&1 && rc=0 || rc=$?
	if [ "$rc" = 4 ]; then
		skip=$((skip + 1))
		echo "  SKIP host/$name: $(tail -n 1 "$log")"
		return
	fi
	[ "$rc" = 0 ] || sed 's/^/    /' "$log"
	result "$rc" "$name"
}

judge() {
	local counts=$top/build/ktap-counts p f
	python3 "$top/ci/judge/test_ktap.py" --counts "$counts" 2>&1 | tail -n 1 | sed 's/^/  /' || true
	read -r p f _ < "$counts" 2>/dev/null || { p=0 f=1; }
	pass=$((pass + p)) fail=$((fail + f))
	echo "  $([ "$f" = 0 ] && echo "ok  " || echo FAIL) host/ktap-judge: $p passed, $f failed"
}

checkpatch_one() { # PATCH REPORT
	[ -z "$2" ] || printf "%s\n" "$2" | sed "s/^/    /"
	result "$([ -z "$2" ] && echo 0 || echo 1)" "checkpatch --strict ${1#"$top"/patches/}"
}

# The cover letter's body, shortlog and diffstat included: what a reader
# of the mail reads.
cover_lines() { awk 'body { n++ } /^$/ { body = 1 } END { print n + 0 }' "$1"; }

postings_checks() {
	local p n rc
	for p in $("$top/kernel/tree.sh" postings); do
		run "$p applies alone to the pristine base" "$top/kernel/tree.sh" applies-alone "$p"
		run "patches/$p matches the kernel tree" "$top/kernel/tree.sh" verify "$p"
		n=$(cover_lines "$top/patches/$p/0000-cover-letter.patch" 2>/dev/null || echo none)
		[ "$n" != none ] && [ "$n" -lt "$cover_max" ] && rc=0 || rc=1
		result "$rc" "$p cover letter under $cover_max lines ($n)"
	done
}

# make send-ready (b4): the placeholder identity is refused by each queue
# and nothing is written; another identity signs every patch of every
# posting, of the man pages and of CRIU, no placeholder is left, and each
# goes to its own addresses.
send_queues=(kernel/tree.sh kernel/man-pages.sh kernel/criu.sh)
send_ready() {
	local out placeholder="Seed Placeholder" rc s p d n
	out=$(mktemp -d)
	rmdir "$out"
	rc=0
	for s in "${send_queues[@]}"; do
		if GIT_AUTHOR_NAME=$placeholder GIT_AUTHOR_EMAIL=maintainers@users.noreply.h-seed.example \
			SEND_OUT=$out "$top/$s" send-ready >"$log" 2>&1; then
			rc=1
		fi
		grep -q "refusing to sign" "$log" || rc=1
	done
	[ ! -e "$out" ] || rc=1
	result "$rc" "send-ready refuses a placeholder identity (kernel, man pages, CRIU)" "$(tail -n 2 "$log")"
	rc=0
	for s in "${send_queues[@]}"; do
		GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@tester.dev SEND_OUT=$out \
			"$top/$s" send-ready >"$log" 2>&1 || { rc=1; sed 's/^/    /' "$log"; }
	done
	result "$rc" "send-ready writes every posting through b4"
	# signed_by DIR ADDRESS-PATTERN: every mail from Ada Tester, every patch
	# signed off by her, no placeholder left, the cover letter to ADDRESS.
	signed_by() {
		local d=$1 n
		n=$(find "$d" -name '0*.eml' 2>/dev/null | wc -l)
		[ "$n" -gt 1 ] &&
			[ "$(grep -l '^From: Ada Tester <ada@tester.dev>$' "$d"/0*.eml | wc -l)" = "$n" ] &&
			[ "$(grep -l '^Signed-off-by: Ada Tester <ada@tester.dev>$' "$d"/0*.eml | wc -l)" = "$((n - 1))" ] &&
			! grep -qE '@[^>]*\.example>' "$d"/0*.eml &&
			sed -n '/^To:/,/^[A-Z][-A-Za-z]*: /p' "$d"/0000-*.eml | grep -qE "$2" &&
			sed -n '/^Cc:/,/^[A-Z][-A-Za-z]*: /p' "$d"/0000-*.eml | grep -qE "$3"
	}
	for p in $("$top/kernel/tree.sh" postings); do
		signed_by "$out/$p" '@' 'linux-api@vger\.kernel\.org' && rc=0 || rc=1
		result "$rc" "send-ready signs $p with the tree's identity; To: its maintainers, Cc: linux-api"
	done 2>/dev/null
	for p in $("$top/kernel/man-pages.sh" postings); do
		signed_by "$out/man-pages/$p" 'alx@kernel\.org' 'linux-man@vger\.kernel\.org' && rc=0 || rc=1
		result "$rc" "send-ready signs $p's man pages; To: the man-pages maintainer, Cc: linux-man"
	done 2>/dev/null
	signed_by "$out/criu" 'criu@lists\.linux\.dev' '@' && rc=0 || rc=1
	result "$rc" "send-ready signs the CRIU series; To: criu@lists.linux.dev"
	rm -rf "$out"
}

# The man-pages patches: they apply to Debian's pages, each posting's are
# what build/man-pages exports and add no groff or mandoc warning.
man_pages() {
	local p
	run "man-pages patches apply to Debian's pages" "$top/kernel/man-pages.sh" prepare
	for p in $("$top/kernel/man-pages.sh" postings); do
		run "patches/$p/man-pages matches build/man-pages" "$top/kernel/man-pages.sh" verify "$p"
		run "$p man-pages lint (groff -ww, mandoc -T lint): no new warning" "$top/kernel/man-pages.sh" lint "$p"
	done
}

# Every shell script of the project (a .sh file, or a #!/bin/sh or bash
# script such as the busybox guest's, checked as the shell its shebang
# or its "shellcheck shell=" directive names): shellcheck finds nothing.
shell_scripts() {
	git -C "$top" ls-files -- ':!patches' | while read -r f; do
		[ -f "$top/$f" ] || continue
		case $f in
		*.sh) echo "$f" ;;
		*) head -n 1 "$top/$f" | grep -qE '^#!.*[/ ](ba)?sh$' && echo "$f" ;;
		esac
	done
}
shellcheck_in_top() ( cd "$top" && shellcheck -x "$@" )
shellcheck_all() {
	local files
	mapfile -t files < <(shell_scripts)
	run "shellcheck: ${#files[@]} shell scripts, no finding" shellcheck_in_top "${files[@]}"
}

# The CRIU patches: they apply to the pinned CRIU with git am, are what
# build/criu/tree exports, pass CRIU's lint rules, and build.
criu_patches() {
	run "CRIU patches apply to the pinned CRIU with git am" "$top/kernel/criu.sh" prepare
	run "patches/criu matches build/criu/tree" "$top/kernel/criu.sh" verify
	run "patches/criu: CRIU's make lint rules for C, clang-format" "$top/kernel/criu.sh" lint
	run "CRIU builds with patches/criu" "$top/ci/guest/criu.sh"
}

judge
shellcheck_all
checkpatch_series checkpatch_one
postings_checks
man_pages
criu_patches
send_ready
echo "$pass $fail $skip" > "$top/build/host-counts"
echo "host: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
