# Pinned inputs, sourced by the scripts that fetch them. Change them together.
# shellcheck shell=bash

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
# The man pages the series documents (patches/man-pages/): Debian's
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
