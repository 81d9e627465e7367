# AArch32 (the compat layout in an arm64 kernel) with Debian's
# arm-linux-gnueabihf cross toolchain, which brings its own libc.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
