# Helpers of the guest runs (ci/run-arch.sh, ci/guest/): which suites a
# guest runs.
# shellcheck shell=bash

# guest_suites ARCH VARIANT < SUITES: the lines of a suites file (ci/suites)
# that a guest of ARCH running kernel VARIANT ("" for the plain one) runs,
# without their prefixes: "ARCH:" keeps a line to that architecture,
# "x32:" to one that runs x32 programs (ARCH_X32, kernel/arch.sh: call
# arch_load first), "VARIANT:" to that variant's run, "!VARIANT:" keeps it
# out of that variant's run, "own:" is for the judge.
guest_suites() {
	awk -v arch="$1" -v variant="$2" -v x32="$([ "$ARCH_X32" = 1 ] && echo x32)" '/^#/ || /^$/ { next }
		{
			while ($1 ~ /:$/) {
				if ($1 ~ /^!/ && $1 == "!" variant ":") next
				if ($1 !~ /^!/ && $1 != "own:" && $1 != arch ":" && $1 != variant ":" &&
				    (x32 == "" || $1 != x32 ":")) next
				sub(/^[^ ]+ /, "")
			}
			print
		}'
}
