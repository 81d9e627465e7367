#!/usr/bin/env bash
# make repeat: boot one guest again and again, running only the suites
# named, with every lockup detector set to panic (GUEST_PANIC_ON_LOCKUP=1,
# ci/guest/lib.sh), until a boot fails or N boots in a row pass. For an
# intermittent hang: 11 passes in a row rule out "one boot in four hangs"
# with 95 % confidence (0.75^11 < 0.05). Not part of make test.
#
#   SUITE="fuzz stress"  names in ci/suites (required)
#   N=11                 boots
#   ARCH=x86_64          the guest's architecture
#   REV=COMMIT           the series, tests and tools as this repository had
#                        them at COMMIT (e.g. the v2 series), in a worktree
#                        build/repeat/COMMIT with its own build/, and today's
#                        guest harness (ci/guest/, ci/suites.py, lib/) and
#                        kernel configs laid over it, so that its guests
#                        detect lockups and say where their CPUs are;
#                        without REV, the series as it is.
#
# Keeps each boot's console in build/repeat/LABEL/console-I.log and ends
# with one line: the passes in a row, or the boot that failed and why.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lib/common.sh"
suites=${SUITE:?SUITE=NAME... names the suites of ci/suites to repeat}
n=${N:-11}
arch=${ARCH:-x86_64}
rev=${REV:-}

tree=$top
label=series-$arch
if [ -n "$rev" ]; then
	rev=$(git -C "$top" rev-parse --short "$rev^{commit}")
	tree=$top/build/repeat/$rev/tree
	label=$rev-$arch
	if [ ! -d "$tree" ]; then
		mkdir -p "$(dirname "$tree")"
		git -C "$top" worktree add -q --detach "$tree" "$rev"
	fi
	# Today's harness and configs over the old tree: lockup detectors,
	# CPU dumps. The guest harness is the same code it had, plus these.
	git -C "$top" archive HEAD ci/guest ci/suites.py kernel/configs lib | tar -x -C "$tree"
	# Its build/ starts empty; the Debian downloads are the same.
	mkdir -p "$tree/build"
	[ -e "$tree/build/dl" ] || ln -s "$top/build/dl" "$tree/build/dl"
	[ -e "$tree/build/apt" ] || ln -s "$top/build/apt" "$tree/build/apt"
fi
out=$top/build/repeat/$label
mkdir -p "$out"

# The suites' lines, prefixes kept: run-arch.sh picks the arch's own.
# shellcheck disable=SC2086 # a list of names
python3 "$top/ci/suites.py" --file "$tree/ci/suites" select $suites > "$out/suites" || exit 1
echo "repeat: $suites on $arch, ${rev:-the series as it is}, up to $n boots; logs in $out"

passes=0
for i in $(seq 1 "$n"); do
	start=$SECONDS
	if SUITES=$out/suites GUEST_PANIC_ON_LOCKUP=1 "$tree/ci/run-arch.sh" "$arch" > "$out/run-$i.log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	cp "$tree/build/$arch/console.log" "$out/console-$i.log" 2>/dev/null || true
	if [ "$rc" != 0 ]; then
		why=$(grep -m1 -E 'not ok |guest killed|Kernel panic|soft lockup|hard LOCKUP|hung_task|rcu_.*stall|BUG:' \
			"$out/console-$i.log" 2>/dev/null || echo "ci/run-arch.sh failed: $out/run-$i.log")
		echo "repeat: boot $i failed after $((SECONDS - start))s ($why); $passes passed before it"
		exit 1
	fi
	passes=$((passes + 1))
	echo "repeat: boot $i passed in $((SECONDS - start))s"
done
echo "repeat: $suites on $arch, ${rev:-the series as it is}: $passes of $n boots passed in a row"
