# Helpers shared by kernel/tree.sh (the kernel base and series) and
# kernel/man-pages.sh (the man pages and their patches), which define
# $top and die().
# shellcheck shell=bash

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
