#!/usr/bin/env bash
# The kselftest collections the suite list (ci/suites) runs from one
# installed tree, DIR being "kselftest" (the native build, by default) or
# "kselftest32" (the compat build): read from its "run-kselftest DIR
# -c COLLECTION" and "-t COLLECTION:TEST" lines, one per line, sorted.
# selftests/build.sh installs these; kernel/build.sh merges their config.
#
#   collections.sh [DIR]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
awk -v dir="${1:-kselftest}" '/^#/ { next }
	{
		for (i = 1; i < NF; i++) {
			if ($i != "run-kselftest" || $(i + 1) != dir)
				continue
			for (j = i + 2; j < NF; j++)
				if ($j == "-c" || $j == "-t") {
					split($(j + 1), c, ":")
					print c[1]
				}
		}
	}' "$top/ci/suites" | sort -u
