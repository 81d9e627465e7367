#!/usr/bin/env bash
# Checks that need no guest: the KTAP judge's own tests, checkpatch.pl
# --strict on every patch, and patches/ being exactly what the kernel tree
# exports. Prints one KTAP-style line per check and writes
# build/host-counts ("passed failed skipped").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/src
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
	python3 "$top/ci/test_ktap.py" --counts "$counts" 2>&1 | tail -n 1 | sed 's/^/  /' || true
	read -r p f s < "$counts" 2>/dev/null || { p=0 f=1; }
	pass=$((pass + p)) fail=$((fail + f))
	echo "  $([ "$f" = 0 ] && echo "ok  " || echo FAIL) host/ktap-judge: $p passed, $f failed"
}

checkpatch() {
	local p report
	for p in "$top"/patches/0*.patch; do
		[ -e "$p" ] || continue
		[ "$(basename "$p")" = 0000-cover-letter.patch ] && continue
		# Debian's python3 has ply and git for spdxcheck.py; pyenv's may not.
		report=$(cd "$src" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q "$p" 2>&1) || true
		[ -z "$report" ] || echo "$report" | sed 's/^/    /'
		result "$([ -z "$report" ] && echo 0 || echo 1)" "checkpatch --strict $(basename "$p")"
	done
}

judge
checkpatch
"$top/kernel/tree.sh" verify >"$top/build/verify.log" 2>&1 && rc=0 || rc=$?
if [ "$rc" = 4 ]; then
	# A fallback base (kernel/tree.sh fetch): nothing to compare against.
	skip=$((skip + 1))
	echo "  SKIP host/patches/ matches the kernel tree: $(tail -n 1 "$top/build/verify.log")"
else
	[ "$rc" = 0 ] || sed 's/^/    /' "$top/build/verify.log"
	result "$rc" "patches/ matches the kernel tree"
fi
echo "$pass $fail $skip" > "$top/build/host-counts"
echo "host: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
