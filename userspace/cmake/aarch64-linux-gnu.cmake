# Cross-compile for arm64 with Debian's aarch64-linux-gnu toolchain; the
# arm64 libraries (libgtest-dev:arm64, liburing-dev:arm64) come from dpkg
# multiarch and the cross compiler finds them on its own.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
