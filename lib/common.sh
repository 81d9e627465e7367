# Shell helpers for every script of the project, which sets $top, the
# checkout, and then sources this:
#   die, step        an error that names the script; a step that says what
#                    it is doing and how long it took
#   git_build        git with the identity of the trees' own commits
#   papt, deb_*      Debian packages fetched with a private apt
#                    configuration, never installed
#   postings, patch_files   the postings in patches/ and their patches
#   checkpatch_*     checkpatch.pl --strict on every posting
# lib/arches.sh (the architectures) and lib/inputs.sh (the pinned
# inputs) are the project's two tables, sourced beside it.
# shellcheck shell=bash
# shellcheck disable=SC2154 # $top is the sourcing script's

# ccache hashes paths under the checkout relative to the build directory,
# so a fresh clone (as CI makes) hits the cache a previous clone filled.
export CCACHE_BASEDIR=$top

# die MESSAGE: "SCRIPT: MESSAGE" on stderr (SCRIPT relative to the
# checkout, e.g. kernel/tree.sh), exit 1.
die() {
	echo "${0#"$top"/}: $*" >&2
	exit 1
}

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
	printf '<== %s: %s in %.1fs\n' "$what" "$([ "$rc" = 0 ] && echo "done" || echo "FAILED (exit $rc)")" \
		"$(echo "$(date +%s.%N) - $start" | bc)"
	return "$rc"
}

# git -C DIR, with the identity of the trees' own commits (the unpacked
# base, git am's committer); the patches keep their authors.
git_build() { # DIR ARGS...
	local dir=$1
	shift
	GIT_AUTHOR_NAME=tree-build GIT_AUTHOR_EMAIL=build@localhost \
	GIT_COMMITTER_NAME=tree-build GIT_COMMITTER_EMAIL=build@localhost git -C "$dir" "$@"
}

# Debian packages fetched without touching the system's apt: a private apt
# configuration per suite under build/apt/SUITE (its own sources list,
# lists and cache), apt-get download, dpkg -x. Nothing is ever installed.

# papt SUITE apt-get|apt-cache ARGS...
papt() {
	local dir=$top/build/apt/$1 tool=$2
	shift 2
	"$tool" -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o APT::Sandbox::User=root "$@"
}

# The versions of PACKAGE that SUITE serves now, newest first. apt verified
# the index they come from against Debian's archive keys.
deb_served() { # SUITE PACKAGE
	local dir=$top/build/apt/$1
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $1 main" \
		> "$dir/sources.list"
	papt "$1" apt-get update >/dev/null || die "apt-get update of $1 failed (network? see build/apt/$1)"
	papt "$1" apt-cache madison "$2" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u -r -V
}

# Download PACKAGE=VERSION from SUITE and unpack it into DIR/root; the
# .deb's sha256 is kept in DIR/PACKAGE.deb.sha256.
deb_unpack() { # SUITE PACKAGE VERSION DIR
	mkdir -p "$4/root"
	(cd "$4" && papt "$1" apt-get download "$2=$3" >/dev/null) ||
		die "apt-get download $2=$3 from $1 failed"
	sha256sum "$4/$2_"*.deb | cut -d' ' -f1 > "$4/$2.deb.sha256"
	dpkg -x "$4/$2_"*.deb "$4/root"
	rm -f "$4/$2_"*.deb
}

# Download the Debian source package PACKAGE=VERSION from SUITE and unpack
# it into DIR (dpkg-source checks it against the .dsc apt verified).
deb_source() { # SUITE PACKAGE VERSION DIR
	local apt=$top/build/apt/$1-src
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$4"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $1 main" \
		> "$apt/sources.list"
	papt "$1-src" apt-get update >/dev/null || die "apt-get update of $1 sources failed"
	(cd "$4" && papt "$1-src" apt-get source --download-only "$2=$3" >/dev/null) ||
		die "apt-get source $2=$3 from $1 failed"
	(cd "$4" && dpkg-source -x --no-check "$2_${3#*:}.dsc" src >/dev/null) ||
		die "dpkg-source -x $2_$3 failed"
}

# checkpatch_report SRC PATCH: what checkpatch.pl --strict says of PATCH
# in the tree SRC; nothing if it is clean. checkpatch warns about every
# added file ("does MAINTAINERS need updating?") unless the patch itself
# touches MAINTAINERS. Check what it asks instead: every file a patch adds
# must be in a MAINTAINERS entry with a maintainer (THE REST does not
# count).
checkpatch_report() {
	local src=$1 p=$2 f
	# Debian's python3 has ply and git for spdxcheck.py; pyenv's may not.
	(cd "$src" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q \
		--ignore FILE_PATH_CHANGES "$p" 2>&1) || true
	awk '/^diff --git / { file = substr($4, 3) } /^new file mode/ { print file }' "$p" |
		while read -r f; do
			(cd "$src" && perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>/dev/null) |
				grep -v 'THE REST' | grep -q '(maintainer:' ||
				echo "${p#"$top"/patches/}: $f is in no MAINTAINERS entry with a maintainer"
		done
}

# The postings, one name a line in stack order: every directory
# patches/N-NAME/, ordered by N. Each is posted on its own, to its own
# maintainers, and applies alone to the pristine base; stacked in this
# order they are the kernel the guests run (branch series of build/src).
postings() {
	local d
	for d in "$top"/patches/[0-9]*-*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		echo "${d##*/}"
	done | sort -t- -k1,1n -k2
}

# patch_files DIR: DIR's patches in order, the cover letter left out.
patch_files() {
	local f
	for f in "$1"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$f" ] && [ "${f##*/}" != 0000-cover-letter.patch ] && echo "$f"
	done
	return 0
}

# checkpatch_series FN: FN PATCH REPORT for every kernel patch of every
# posting (not the cover letters), REPORT being checkpatch_report's of the
# tree in build/src. The host checks and kernel/check-series.sh report
# with it.
checkpatch_series() {
	local p f
	for p in $(postings); do
		for f in $(patch_files "$top/patches/$p"); do
			"$1" "$f" "$(checkpatch_report "$top/build/src" "$f")"
		done
	done
}
