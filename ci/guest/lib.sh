# Helpers of the guest runs (ci/run-arch.sh, ci/guest/): which suites a
# guest runs.
# shellcheck shell=bash
# shellcheck disable=SC2154 # $top is the sourcing script's

# guest_suites ARCH VARIANT SUITES: the lines of a suites file (ci/suites)
# that a guest of ARCH running kernel VARIANT ("" for the plain one) runs,
# without their prefixes (ci/suites.py guest; call arch_load first, for
# ARCH_X32).
guest_suites() {
	local x32=()
	[ "$ARCH_X32" != 1 ] || x32=(--x32)
	python3 "$top/ci/suites.py" --file "$3" guest "$1" "$2" "${x32[@]}"
}

# How long a guest may run before the host kills it, in seconds, unless
# GUEST_TIMEOUT says otherwise (the debug guest: times SLOW).
# shellcheck disable=SC2034 # read by the scripts that source this
GUEST_TIMEOUT_DEFAULT=900

# Kernel command-line thresholds of the lockup detectors (kernel/configs/
# common.config), raised for a loaded two-core host running TCG: a soft
# lockup after 60 s (twice watchdog_thresh), a stalled workqueue after 60 s.
# GUEST_PANIC_ON_LOCKUP=1 (make repeat) makes every detector panic, so
# that a lockup ends the boot with its report.
GUEST_LOCKUP_ARGS="watchdog_thresh=30 workqueue.watchdog_thresh=60"
if [ "${GUEST_PANIC_ON_LOCKUP:-0}" = 1 ]; then
	GUEST_LOCKUP_ARGS+=" softlockup_panic=1 nmi_watchdog=panic hung_task_panic=1"
	GUEST_LOCKUP_ARGS+=" sysctl.kernel.panic_on_rcu_stall=1 workqueue.panic_on_stall=1"
fi

# pid_tree PID: PID and its descendants (pgrep -P), parents first.
pid_tree() {
	local c
	echo "$1"
	for c in $(pgrep -P "$1"); do pid_tree "$c"; done
}

# any_alive PID...: whether one of them is still there.
any_alive() {
	local p
	for p; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}

# wait_guest PID SECONDS DUMP...: wait for the guest's process PID, at most
# SECONDS; past that, run DUMP (where its CPUs are) and kill it with every
# process under it (vng runs QEMU two processes down): TERM, then KILL
# for what is still there 10 s later.
wait_guest() {
	local pid=$1 deadline=$((SECONDS + $2)) pids
	shift 2
	while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 1
	done
	if kill -0 "$pid" 2>/dev/null; then
		"$@"
		pids=$(pid_tree "$pid")
		# shellcheck disable=SC2086 # a list of pids
		kill $pids 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			# shellcheck disable=SC2086
			any_alive $pids || break
			sleep 1
		done
		# shellcheck disable=SC2086
		kill -9 $pids 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}
