# Shared by the ci/ scripts: run a named step and say how long it took.
# shellcheck shell=bash

# step "what" command args...: prints "==> what", runs, prints the time.
step() {
	local what=$1 start rc
	shift
	echo "==> $what"
	start=$(date +%s.%N)
	set +e
	"$@"
	rc=$?
	set -e
	printf '<== %s: %s in %.1fs\n' "$what" "$([ "$rc" = 0 ] && echo done || echo "FAILED (exit $rc)")" \
		"$(echo "$(date +%s.%N) - $start" | bc)"
	return "$rc"
}
