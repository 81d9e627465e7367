# Shell helpers for every script of the project, which sets $top, the
# checkout, and then sources this:
#   die, step        an error that names the script; a step that says what
#                    it is doing and how long it took
#   git_build        git with the identity of the trees' own commits
#   input_fetch      a pinned input of lib/inputs.sh (a Debian package or
#                    tarball), fetched with a private apt configuration,
#                    never installed
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
# configuration per suite under build/apt/SUITE (binary packages) and
# build/apt/SUITE-src (sources), each with its own sources list, lists and
# cache; apt-get download or source, then dpkg -x or dpkg-source -x.
# Nothing is ever installed.

# papt INDEX apt-get|apt-cache ARGS...: apt with the configuration INDEX
# (SUITE or SUITE-src).
papt() {
	local dir=$top/build/apt/$1 tool=$2
	shift 2
	"$tool" -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o APT::Sandbox::User=root "$@"
}

# apt_index SUITE deb|deb-src: write and update the configuration of
# SUITE's packages (deb) or sources (deb-src), once per script run; prints
# its INDEX name for papt. apt verifies the index against Debian's
# archive keys, and every file it downloads against the index.
declare -A apt_updated=()
apt_index() {
	local index=$1${2#deb} dir
	dir=$top/build/apt/$index
	if [ -z "${apt_updated[$index]:-}" ]; then
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
		echo "$2 [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $1 main" \
			> "$dir/sources.list"
		papt "$index" apt-get update >/dev/null || die "apt-get update of $1 ($2) failed (network? see build/apt/$index)"
		apt_updated[$index]=1
	fi
	echo "$index"
}

# input_row NAME: set in_kind, in_suite, in_package, in_version (PIN_NAME,
# NAME with "-" as "_", when the environment sets it), in_fallback and
# in_sha256 from input NAME's row of lib/inputs.sh.
input_row() {
	local n='' var
	# shellcheck source=lib/inputs.sh
	[ -n "${INPUTS:-}" ] || . "$top/lib/inputs.sh"
	while read -r n in_kind in_suite in_package in_version in_fallback in_sha256; do
		[ "$n" = "$1" ] && break
	done <<< "$INPUTS"
	[ "$n" = "$1" ] || die "no input named $1 in lib/inputs.sh"
	var=PIN_${1//-/_}
	in_version=${!var:-$in_version}
}

# input_field NAME FIELD: one field of input NAME's row (kind, suite,
# package, version, fallback or sha256).
input_field() {
	local v
	input_row "$1"
	v=in_$2
	echo "${!v}"
}

# input_fetch NAME: the pinned input NAME of lib/inputs.sh, fetched into
# build/dl/NAME-VERSION once (a later call reads nothing from the
# network) and checked against its sha256; prints "VERSION DIR
# FALLBACK": the version fetched, where it is (DIR/root: a deb unpacked;
# DIR/src: a source package unpacked; DIR/*.orig.tar.*: a tarball), and 1
# when it is not the pinned version (the row allows the newest, and its
# suite no longer serves the pinned one: said on stderr).
input_fetch() { # NAME
	local name=$1 kind suite pkg pinned fb sha version dir served index fallback=0 got line url file
	input_row "$name"
	kind=$in_kind suite=$in_suite pkg=$in_package pinned=$in_version fb=$in_fallback sha=$in_sha256
	dir=$top/build/dl/$name-${pinned//[:~]/_}
	if [ -f "$dir/.fetched" ]; then
		echo "$pinned $dir $(cat "$dir/.fetched")"
		return
	fi
	if [ "$kind" = deb ]; then
		index=$(apt_index "$suite" deb)
		served=$(papt "$index" apt-cache madison "$pkg" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u -r -V)
	else
		index=$(apt_index "$suite" deb-src)
		served=$(papt "$index" apt-cache showsrc "$pkg" | awk '/^Version:/ { print $2 }' | sort -u -r -V)
	fi
	version=$pinned
	if ! grep -qxF "$pinned" <<< "$served"; then
		version=$(head -n 1 <<< "$served")
		[ -n "$version" ] || die "$suite serves no $pkg at all: pin another $name in lib/inputs.sh"
		[ "$fb" = newest ] ||
			die "$suite no longer serves $pkg $pinned ($name allows no fallback): pin one it serves, e.g. $version, in lib/inputs.sh"
		fallback=1
		cat >&2 <<-EOF
		${0#"$top"/}: ****************************************************************
		${0#"$top"/}: FALLBACK: $suite no longer serves the pinned $pkg $pinned;
		${0#"$top"/}:   using the newest it serves, $version (checked by apt against
		${0#"$top"/}:   the suite's signed index). Pin it in lib/inputs.sh.
		${0#"$top"/}: ****************************************************************
		EOF
	fi
	dir=$top/build/dl/$name-${version//[:~]/_}
	if [ ! -f "$dir/.fetched" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		echo "${0#"$top"/}: downloading $pkg $version ($kind) from $suite into ${dir#"$top"/}" >&2
		case $kind in
		deb)
			(cd "$dir" && papt "$index" apt-get download "$pkg=$version" >/dev/null) ||
				die "apt-get download $pkg=$version from $suite failed"
			got=$(sha256sum "$dir"/*.deb | cut -d' ' -f1)
			dpkg -x "$dir"/*.deb "$dir/root"
			rm -f "$dir"/*.deb
			;;
		source)
			(cd "$dir" && papt "$index" apt-get source --download-only "$pkg=$version" >/dev/null) ||
				die "apt-get source $pkg=$version from $suite failed"
			got=$(sha256sum "$dir"/*.dsc | cut -d' ' -f1)
			(cd "$dir" && dpkg-source -x --no-check ./*.dsc src >/dev/null) || die "dpkg-source -x of $pkg $version failed"
			;;
		orig)
			line=$(papt "$index" apt-get source --print-uris "$pkg=$version" 2>/dev/null | awk '$2 ~ /\.orig\.tar\./')
			[ -n "$line" ] || die "$suite lists no upstream tarball for $pkg $version"
			url=$(awk '{ gsub(/\x27/, "", $1); print $1 }' <<< "$line")
			file=$(awk '{ print $2 }' <<< "$line")
			wget -q -O "$dir/$file" "$url" ||
				die "download of $url failed (Debian answers 404 for some tarballs: pin another version of $name)"
			got=$(sha256sum "$dir/$file" | cut -d' ' -f1)
			[ "SHA256:$got" = "$(awk '{ print $4 }' <<< "$line")" ] ||
				die "$dir/$file does not have the sha256 $suite's index gives"
			;;
		*) die "input $name: unknown kind $kind (lib/inputs.sh)" ;;
		esac
		if [ "$fallback" = 0 ] && [ "$got" != "$sha" ]; then
			rm -rf "$dir"
			die "$pkg $version ($kind) has sha256 $got, lib/inputs.sh pins $sha"
		fi
		echo "$fallback" > "$dir/.fetched"
	fi
	echo "$version $dir $fallback"
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
