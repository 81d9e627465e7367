#!/usr/bin/env bash
# Checks that need no guest: the KTAP judge's own tests, checkpatch.pl
# --strict on every patch (checkpatch_series in kernel/lib.sh), patches/
# being exactly what the kernel tree exports, make send-ready refusing the
# placeholder identity and signing with a real one, and the man-pages
# patches. Prints one KTAP-style line per check and writes
# build/host-counts ("passed failed skipped").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernel/lib.sh"
pass=0 fail=0 skip=0

result() { # ok name [detail]
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "  ok   host/$2"
	else
		fail=$((fail + 1)); echo "  FAIL host/$2${3:+: $3}"
	fi
}

judge() {
	local counts=$top/build/ktap-counts p f s
	python3 "$top/ci/judge/test_ktap.py" --counts "$counts" 2>&1 | tail -n 1 | sed 's/^/  /' || true
	read -r p f s < "$counts" 2>/dev/null || { p=0 f=1; }
	pass=$((pass + p)) fail=$((fail + f))
	echo "  $([ "$f" = 0 ] && echo "ok  " || echo FAIL) host/ktap-judge: $p passed, $f failed"
}

checkpatch_one() { # PATCH REPORT
	[ -z "$2" ] || echo "$2" | sed 's/^/    /'
	result "$([ -z "$2" ] && echo 0 || echo 1)" "checkpatch --strict $(basename "$1")"
}

judge
checkpatch_series checkpatch_one
"$top/kernel/tree.sh" verify >"$top/build/verify.log" 2>&1 && rc=0 || rc=$?
if [ "$rc" = 4 ]; then
	# A fallback base (kernel/tree.sh fetch): nothing to compare against.
	skip=$((skip + 1))
	echo "  SKIP host/patches/ matches the kernel tree: $(tail -n 1 "$top/build/verify.log")"
else
	[ "$rc" = 0 ] || sed 's/^/    /' "$top/build/verify.log"
	result "$rc" "patches/ matches the kernel tree"
fi
# make send-ready: the placeholder identity is refused and nothing is
# written; another identity signs every patch, and no placeholder is left.
send_ready() {
	local out placeholder="Seed Placeholder <maintainers@users.noreply.h-seed.example>" rc
	out=$(mktemp -d)
	rmdir "$out"
	GIT_AUTHOR_NAME=${placeholder% <*} GIT_AUTHOR_EMAIL=maintainers@users.noreply.h-seed.example \
		SEND_OUT=$out "$top/kernel/tree.sh" send-ready >"$top/build/send-check.log" 2>&1 && rc=1 || rc=0
	[ ! -e "$out" ] || rc=1
	grep -q "refusing to sign" "$top/build/send-check.log" || rc=1
	result "$rc" "send-ready refuses a placeholder identity" "$(tail -n 2 "$top/build/send-check.log")"
	GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@tester.dev SEND_OUT=$out \
		"$top/kernel/tree.sh" send-ready >"$top/build/send-check.log" 2>&1 && rc=0 || rc=1
	if [ "$rc" = 0 ]; then
		local n
		n=$(ls "$out"/0*.patch | wc -l)
		[ "$(grep -l '^From: Ada Tester <ada@tester.dev>$' "$out"/0*.patch | wc -l)" = "$n" ] || rc=1
		[ "$(grep -l '^Signed-off-by: Ada Tester <ada@tester.dev>$' "$out"/0*.patch | wc -l)" = "$((n - 1))" ] || rc=1
		! grep -qE '@[^>]*\.example>' "$out"/0*.patch || rc=1
		grep -q 'linux-api@vger.kernel.org' "$out/0000-cover-letter.patch" || rc=1
	fi
	result "$rc" "send-ready signs the series with the tree's identity" "$(tail -n 2 "$top/build/send-check.log")"
	rm -rf "$out"
}

# The man-pages patches: they apply to Debian's pages, are what
# build/man-pages exports, and add no groff or mandoc warning.
man_pages() {
	local rc
	"$top/kernel/man-pages.sh" prepare >"$top/build/man-pages.log" 2>&1 &&
		"$top/kernel/man-pages.sh" verify >>"$top/build/man-pages.log" 2>&1 && rc=0 || rc=1
	[ "$rc" = 0 ] || sed 's/^/    /' "$top/build/man-pages.log"
	result "$rc" "patches/man-pages apply and match build/man-pages"
	"$top/kernel/man-pages.sh" lint >"$top/build/man-pages.log" 2>&1 && rc=0 || rc=1
	[ "$rc" = 0 ] || sed 's/^/    /' "$top/build/man-pages.log"
	result "$rc" "man-pages lint (groff -ww, mandoc -T lint): no new warning"
}

send_ready
man_pages
echo "$pass $fail $skip" > "$top/build/host-counts"
echo "host: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
