# 32-bit x86 (the compat layout in an x86-64 kernel) with Debian's
# i686-linux-gnu cross toolchain, which brings its own libc.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
