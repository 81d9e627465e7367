#!/usr/bin/env bash
# Build the CRIU the virtme-ng guest runs (see CRIU_* in kernel/versions.sh):
# the upstream tarball of CRIU_VERSION's Debian source package, fetched
# through a private apt configuration, checked against the pinned sha256
# (the one apt's signed index gives), built with Debian 12's toolchain and
# libraries (ci/setup.sh installs them). Nothing is installed.
#
#   criu.sh        prints the path of the criu binary, building it first
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/kernel/versions.sh"
. "$top/kernel/lib.sh"
dir=$top/build/criu
src=$dir/src-${CRIU_VERSION}
bin=$src/criu/criu

fetch() {
	local apt=$top/build/apt/$CRIU_SUITE-src url sha
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $CRIU_SUITE main" \
		> "$apt/sources.list"
	papt "$CRIU_SUITE-src" apt-get update >/dev/null || die "apt-get update of $CRIU_SUITE sources failed"
	url=$(papt "$CRIU_SUITE-src" apt-get source --print-uris "criu=$CRIU_VERSION" 2>/dev/null |
		awk -v f="$CRIU_ORIG" '$2 == f { gsub(/\x27/, "", $1); print $1 }')
	[ -n "$url" ] || die "$CRIU_SUITE no longer serves criu $CRIU_VERSION: pin a new one in kernel/versions.sh"
	wget -q -O "$dir/$CRIU_ORIG" "$url" || die "download of $url failed"
	sha=$(sha256sum "$dir/$CRIU_ORIG" | cut -d' ' -f1)
	[ "$sha" = "$CRIU_ORIG_SHA256" ] || die "$CRIU_ORIG has sha256 $sha, pinned is $CRIU_ORIG_SHA256"
}

if [ ! -x "$bin" ]; then
	[ -f "$dir/$CRIU_ORIG" ] || fetch >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$dir/$CRIU_ORIG" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	echo "ci/guest/criu.sh: building criu $CRIU_VERSION in $src" >&2
	make -s -C "$src" -j"$(nproc)" criu CC="ccache gcc" >"$dir/build.log" 2>&1 ||
		die "criu did not build: $dir/build.log"
fi
echo "$bin"
