# Pinned inputs, sourced by the scripts that fetch them. Change them together.
# shellcheck shell=bash
# shellcheck disable=SC2034 # read by the scripts that source it

# The kernel base: Debian's linux-source-7.3 from trixie-backports, fetched
# with a private apt configuration under build/apt (kernel/tree.sh fetch)
# and unpacked with dpkg -x, never installed. Backports keep only the newest
# version of a package: when this one is gone, kernel/tree.sh falls back to
# the newest linux-source-7.3 that apt verified and says so (build/base.env).
# BASE_VERSION can be overridden from the environment to try that path.
BASE_PACKAGE='linux-source-7.3'
BASE_SUITE='trixie-backports'
BASE_VERSION=${BASE_VERSION:-'7.3.4-1~bpo13+1'}
BASE_TARBALL='usr/src/linux-source-7.3.tar.xz'
BASE_SHA256='76df1affb19f24926949369be1d74b60071c963c598ce8780bddd4bbf0fc3bc4'
# The man pages the postings document (patches/N-NAME/man-pages/): Debian's
# manpages and manpages-dev from sid, fetched the same way
# (kernel/man-pages.sh), with a fallback to the newest sid serves.
MANPAGES_SUITE='sid'
MANPAGES_VERSION=${MANPAGES_VERSION:-'6.20-2'}
MANPAGES_SHA256_manpages='f548d9487bc389b511dc92f1fd742c93c13f86264cabe9f0e3f0a1756399ebdb'
MANPAGES_SHA256_manpages_dev='87d169598ec031180a07995deb5573496556a2f67668aec1dcb689c5b8d1cd34'
# sparse for make check-series: built from Debian's source package
# (kernel/sparse.sh), since Debian 12's 0.6.4 is too old for 7.3.
SPARSE_SUITE='sid'
SPARSE_VERSION='0.6.5~rc1-2'
BUSYBOX_VERSION='1:1.35.0-4+deb12u1+b1'
# virtme-ng, which boots the vng kernel variant on the host's userland
# (the virtme-ng guest): Debian's package from trixie (arch all, pure Python),
# fetched the same way and run with Debian 12's python3.
VNG_SUITE='trixie'
VNG_VERSION='1.35-1'
VNG_DEB_SHA256='e7b9d2f28e34766446db5c40b7fdd9a09ed561af21e4aa580a660ff9a0a86f5a'
# CRIU, patched with patches/criu/ (kernel/criu.sh) and built for the
# virtme-ng guest. Debian 12's criu 3.17.1 fails on
# every x86 kernel since 6.13 ("vdso: Unexpected rt vDSO area bounds": it
# does not know the [vvar_vclock] mapping, CRIU issue #2532, fixed in 4.1),
# so CRIU is built from the upstream tarball of a newer Debian source
# package, whose sha256 apt's signed index gives (pinned here), with
# Debian 12's compilers and libraries. The newest whose tarball downloads:
# sid's 4.2.1 (experimental's 4.3 answers 404). When the suites in
# CRIU_SUITES no longer serve CRIU_VERSION, kernel/criu.sh falls back to
# the newest criu they serve and says so. CRIU_VERSION can be overridden
# from the environment to try that path.
CRIU_SUITE='sid'
CRIU_SUITES='sid'
CRIU_VERSION=${CRIU_VERSION:-'4.2.1-1'}
CRIU_ORIG_SHA256='29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9'
