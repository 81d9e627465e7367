# Shared by the ci/ scripts: run a named step and say how long it took.
# shellcheck shell=bash

# step "what" command args...: prints "==> what", runs, prints the time.
step() {
	local what=$1 start rc
	shift
	echo "==> $what"
	start=$(date +%s.%N)
	set +e
	"$@"
	rc=$?
	set -e
	printf '<== %s: %s in %.1fs\n' "$what" "$([ "$rc" = 0 ] && echo done || echo "FAILED (exit $rc)")" \
		"$(echo "$(date +%s.%N) - $start" | bc)"
	return "$rc"
}

# checkpatch_report SRC PATCH: what checkpatch.pl --strict says of PATCH
# in the tree SRC; nothing if it is clean. checkpatch warns about every
# added file ("does MAINTAINERS need updating?") unless the patch itself
# touches MAINTAINERS. Check what it asks instead: every file a patch adds
# must be in a MAINTAINERS entry with a maintainer (THE REST does not
# count). Used by ci/host-checks.sh and kernel/check-series.sh.
checkpatch_report() {
	local src=$1 p=$2 f
	# Debian's python3 has ply and git for spdxcheck.py; pyenv's may not.
	(cd "$src" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q \
		--ignore FILE_PATH_CHANGES "$p" 2>&1) || true
	for f in $(awk '/^diff --git / { file = substr($4, 3) } /^new file mode/ { print file }' "$p"); do
		(cd "$src" && perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>/dev/null) |
			grep -v 'THE REST' | grep -q '(maintainer:' ||
			echo "$(basename "$p"): $f is in no MAINTAINERS entry with a maintainer"
	done
}

# guest_suites ARCH VARIANT < SUITES: the lines of a suites file (ci/suites)
# that a guest of ARCH running kernel VARIANT ("" for the plain one) runs,
# without their prefixes: "ARCH:" keeps a line to that architecture,
# "VARIANT:" to that variant's run, "!VARIANT:" keeps it out of that
# variant's run, "own:" is for the judge.
guest_suites() {
	awk -v arch="$1" -v variant="$2" '/^#/ || /^$/ { next }
		{
			while ($1 ~ /:$/) {
				if ($1 ~ /^!/ && $1 == "!" variant ":") next
				if ($1 !~ /^!/ && $1 != "own:" && $1 != arch ":" && $1 != variant ":") next
				sub(/^[^ ]+ /, "")
			}
			print
		}'
}
