# Helpers of the scripts under ci/, which source lib/common.sh first.
# shellcheck shell=bash
# shellcheck disable=SC2154 # $top is the sourcing script's

# kernel_build ARGS...: kernel/build.sh ARGS with the kselftest
# collections ci/suites runs, whose config files every kernel merges.
kernel_build() {
	"$top/kernel/build.sh" --kselftests "$(python3 "$top/ci/suites.py" collections | paste -sd' ')" "$@"
}

# base_kernel_build ARCH: the pristine base kernel of ARCH (the worktree
# build/src-base, kernel/tree.sh base-worktree) into build/ARCH-base.
base_kernel_build() {
	KERNEL_SRC=$top/build/src-base kernel_build "$1" base
}
