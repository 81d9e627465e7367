# The pinned inputs: every Debian package or source tarball the project
# fetches, one row each, fetched by input_fetch (lib/common.sh) with a
# private apt configuration per suite under build/apt, into build/dl, and
# never installed. Change a row's version and sha256 together.
# shellcheck shell=bash
#
#   NAME     what the scripts ask input_fetch for
#   KIND     deb: the binary package, unpacked with dpkg -x;
#            source: the source package, unpacked with dpkg-source -x;
#            orig: the upstream tarball of the source package, as is
#   SUITE    the Debian suite that serves it
#   PACKAGE  the package (PACKAGE:ARCH for another architecture's)
#   VERSION  the pinned version; the environment's PIN_NAME (NAME with
#            "-" as "_") overrides it, to try the fallback
#   FALLBACK newest: when SUITE no longer serves VERSION, fetch the
#            newest it serves and say so loudly (backports and sid keep
#            only their newest); none: fail
#   SHA256   of the .deb (deb), the .dsc (source) or the tarball (orig)
#            of the pinned version; apt checks a fallback's against the
#            suite's signed index
#
# base: the kernel tree (kernel/tree.sh). manpages, manpages-dev: the
# pages the postings change (kernel/man-pages.sh). sparse: built for make
# check-series (kernel/sparse.sh), Debian 12's 0.6.4 being too old for
# 7.3. busybox-arm64: the arm64 guest's static busybox (installing it
# would replace the host's). virtme-ng: boots the vng kernel on the
# host's userland with Debian 12's python3 (pure Python). criu: built
# with patches/criu/ for the virtme-ng guest (kernel/criu.sh); Debian
# 12's criu 3.17.1 fails on every x86 kernel since 6.13 ("vdso:
# Unexpected rt vDSO area bounds", CRIU issue #2532, fixed in 4.1), and
# sid's 4.2.1 is the newest whose tarball downloads (experimental's 4.3
# answers 404).
# shellcheck disable=SC2034 # read by input_row (lib/common.sh)
INPUTS='
base          deb    trixie-backports linux-source-7.3     7.3.4-1~bpo13+1       newest 703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
manpages      deb    sid              manpages             6.20-2                newest f548d9487bc389b511dc92f1fd742c93c13f86264cabe9f0e3f0a1756399ebdb
manpages-dev  deb    sid              manpages-dev         6.20-2                newest 87d169598ec031180a07995deb5573496556a2f67668aec1dcb689c5b8d1cd34
sparse        source sid              sparse               0.6.5~rc1-2           none   3520edb07c89820367b7fd99212236aaaf7bf4034ce06fdb7718da0c7e61e076
busybox-arm64 deb    bookworm         busybox-static:arm64 1:1.35.0-4+deb12u1+b1 none   732c9135564fc71337e0e05fb4da4d11e6c28c1834bce3e405e575afef2a52f5
virtme-ng     deb    trixie           virtme-ng            1.35-1                none   e7b9d2f28e34766446db5c40b7fdd9a09ed561af21e4aa580a660ff9a0a86f5a
criu          orig   sid              criu                 4.2.1-1               newest 29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9
'
