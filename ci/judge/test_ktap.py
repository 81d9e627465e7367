#!/usr/bin/env python3
"""Host-side checks of ci/judge/ktap.py: every way a guest run can go wrong must
count as a failure, and only a complete, clean report passes."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

BOOT = "[    0.000000] Linux version 7.3.4\n"


def run(body, dmesg="[    1.0] ok\n", end=True, boot=BOOT, known=None, own=frozenset()):
    text = boot + ktap.BEGIN + "\nKTAP version 1\n" + body
    if dmesg is not None:
        text += ktap.DMESG_BEGIN + "\n" + dmesg + ktap.DMESG_END + "\n"
    if end:
        text += ktap.END + "\n"
    return ktap.parse(text, known, own)


SUITE_OK = """# smoke: running, timeout 60s
    TAP version 13
    1..2
    ok 1 global.a
    ok 2 global.b
    # Totals: pass:2 fail:0
# smoke: exit 0 after 0s
ok 1 smoke
"""


# run_kselftest.sh: one result per program, each program's KTAP under "# ".
KSELFTEST = """# k: running, timeout 600s
    TAP version 13
    1..2
    # timeout set to 60
    # selftests: signalfd: signalfd_test
    # TAP version 13
    # 1..2
    # #  RUN           global.a ...
    # ok 1 global.a
    # ok 2 global.b # SKIP no io_uring
    # # Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0
    ok 1 selftests: signalfd: signalfd_test
    # timeout set to 60
    # selftests: signalfd: signalfd_uring_test
    {second}
    # Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0
# k: exit {rc} after 1s
{result}
"""


def kselftest(second="ok 2 selftests: signalfd: signalfd_uring_test", rc=0, result="ok 1 k", own=frozenset()):
    return run("1..1\n" + KSELFTEST.format(second=second, rc=rc, result=result), own=own)


class Judge(unittest.TestCase):
    def test_clean_run_passes(self):
        rep = run("1..1\n" + SUITE_OK)
        self.assertEqual(rep.counts(), (3, 0, 0))  # two cases + kernel log

    def test_failing_case_fails(self):
        rep = run("1..1\n# s: running\n    1..2\n    ok 1 a\n    not ok 2 b\nnot ok 1 s # exit 1\n")
        self.assertEqual(rep.counts(), (2, 1, 0))

    def test_suite_failing_outside_its_cases_fails(self):
        rep = run("1..1\n# s: running\n    1..2\n    ok 1 a\nnot ok 1 s # exit 139\n")
        self.assertEqual(rep.counts()[1], 1)

    def test_suite_timeout_fails(self):
        rep = run("1..1\n# s: running\n    1..3\n    ok 1 a\nnot ok 1 s # TIMEOUT after 3s\n")
        self.assertEqual(rep.counts()[1], 1)
        self.assertIn("TIMEOUT", ktap.render(rep, "x"))

    def test_skipped_cases_are_skips(self):
        rep = run("1..1\n# s: running\n    1..2\n    ok 1 a # SKIP no feature\n    ok 2 b\nok 1 s\n")
        self.assertEqual(rep.counts(), (2, 0, 1))

    def test_skip_without_description_is_named_by_its_reason(self):
        rep = run("1..1\n# s: running\n    1..1\n    ok 1 # SKIP recycled pid test: Skipping test\nok 1 s\n")
        self.assertEqual(rep.counts(), (1, 0, 1))
        self.assertIn("skip: recycled pid test: Skipping test", ktap.render(rep, "x"))

    def test_skip_in_an_own_suite_fails(self):
        body = "1..1\n# s: running\n    1..2\n    ok 1 a # SKIP no feature\n    ok 2 b\nok 1 s\n"
        rep = run(body, own={"s"})
        self.assertEqual(rep.counts(), (2, 1, 0))
        self.assertIn("series' own test", ktap.render(rep, "x"))

    def test_suite_skipped_whole_says_why(self):
        rep = run("1..1\n# s: running\n    1..0 # SKIP no feature\nok 1 s # SKIP\n")
        self.assertEqual(rep.counts(), (1, 0, 1))
        self.assertIn("(SKIP: no feature)", ktap.render(rep, "x"))

    def test_own_suite_skipped_whole_fails(self):
        rep = run("1..1\n# s: running\n    1..0 # SKIP no feature\nok 1 s # SKIP\n", own={"s"})
        self.assertEqual(rep.counts()[1], 1)

    def test_own_suites_are_read_from_the_suites_file(self):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "suites")
        own = ktap.load_own(path)
        self.assertIn("signalfd", own)
        self.assertIn("sigcr32", own)
        self.assertNotIn("pidfd_test", own)
        self.assertNotIn("posix_timers", own)

    def test_no_report_at_all_fails(self):
        rep = ktap.parse(BOOT + "[    2.0] Kernel panic - not syncing: No working init found.\n")
        p, f, s = rep.counts()
        self.assertGreaterEqual(f, 1)
        self.assertIn("never reported", ktap.render(rep, "x"))

    def test_guest_that_stops_reporting_fails(self):
        rep = run("1..2\n" + SUITE_OK + "# hang: running\n", dmesg=None, end=False)
        p, f, s = rep.counts()
        self.assertGreaterEqual(f, 1)
        self.assertIn("stopped before the end", ktap.render(rep, "x"))

    def test_missing_suites_fail(self):
        rep = run("1..3\n" + SUITE_OK)
        self.assertEqual(rep.counts()[1], 2)

    def test_warn_in_dmesg_fails(self):
        warn = ("[    3.1] ------------[ cut here ]------------\n"
                "[    3.1] WARNING: CPU: 1 PID: 60 at drivers/misc/lkdtm/bugs.c:95 lkdtm_WARNING+0x1/0x2\n")
        rep = run("1..1\n" + SUITE_OK, dmesg=warn)
        self.assertEqual(rep.counts(), (2, 1, 0))

    def test_reports_of_every_kind_fail(self):
        for line in ("BUG: KASAN: slab-out-of-bounds in foo", "UBSAN: shift-out-of-bounds in x",
                     "WARNING: possible circular locking dependency detected",
                     "BUG: sleeping function called from invalid context",
                     "Oops: general protection fault, probably for non-canonical address",
                     "Unable to handle kernel NULL pointer dereference at virtual address 0",
                     "BUG kmalloc-128 (Not tainted): Redzone overwritten",
                     "BUG sigqueue (Tainted: G        W): Poison overwritten",
                     "BUG: KFENCE: use-after-free read in foo",
                     "ODEBUG: free active (active state 0) object: 000000 object type: hrtimer",
                     "WARNING: suspicious RCU usage",
                     # the lockup detectors (kernel/configs/common.config)
                     "watchdog: BUG: soft lockup - CPU#1 stuck for 61s! [sigcr_fuzz:93]",
                     "watchdog: CPU1: Watchdog detected hard LOCKUP on cpu 0",
                     "INFO: task sigcr_fuzz:93 blocked for more than 300 seconds.",
                     "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
                     "rcu: INFO: rcu_sched self-detected stall on CPU",
                     "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 61s!"):
            with self.subTest(line=line):
                rep = run("1..1\n" + SUITE_OK, dmesg="[ 1.0] " + line + "\n")
                self.assertEqual(rep.counts()[1], 1)

    def test_report_in_boot_log_fails(self):
        rep = run("1..1\n" + SUITE_OK, boot=BOOT + "[ 0.5] WARNING: CPU: 0 PID: 1 at init/main.c:1\n")
        self.assertEqual(rep.counts()[1], 1)

    KNOWN = {"t": {"check_rearm": "fails on base"}}

    def test_known_failure_is_expected(self):
        body = "1..1\n# t: running\n    1..2\n    ok 1 a\n    not ok 2 check_rearm\nnot ok 1 t # exit 1\n"
        rep = run(body, known=self.KNOWN)
        self.assertEqual(rep.counts(), (3, 0, 0))
        self.assertIn("xfail: check_rearm", ktap.render(rep, "x"))

    def test_known_failure_that_passes_fails(self):
        body = "1..1\n# t: running\n    1..2\n    ok 1 a\n    ok 2 check_rearm\nok 1 t\n"
        rep = run(body, known=self.KNOWN)
        self.assertEqual(rep.counts(), (2, 1, 0))
        self.assertIn("xpass: check_rearm", ktap.render(rep, "x"))

    def test_known_failure_does_not_excuse_a_crash(self):
        body = "1..1\n# t: running\n    1..3\n    not ok 1 check_rearm\nnot ok 1 t # exit 139\n"
        self.assertEqual(run(body, known=self.KNOWN).counts()[1], 1)

    def test_known_failure_does_not_excuse_other_failures(self):
        body = "1..1\n# t: running\n    1..2\n    not ok 1 b\n    not ok 2 check_rearm\nnot ok 1 t # exit 1\n"
        self.assertEqual(run(body, known=self.KNOWN).counts(), (2, 1, 0))

    FLAKY = {"t": {"dist": "flaky: host load"}}

    def test_flaky_failure_is_a_named_skip(self):
        body = "1..1\n# t: running\n    1..2\n    ok 1 a\n    not ok 2 dist\nnot ok 1 t # exit 1\n"
        rep = run(body, known=self.FLAKY)
        self.assertEqual(rep.counts(), (2, 0, 1))
        self.assertIn("flaky: dist (not judged: host load", ktap.render(rep, "x"))

    def test_flaky_pass_is_a_pass(self):
        body = "1..1\n# t: running\n    1..2\n    ok 1 a\n    ok 2 dist\nok 1 t\n"
        self.assertEqual(run(body, known=self.FLAKY).counts(), (3, 0, 0))

    def test_flaky_does_not_excuse_other_failures(self):
        body = "1..1\n# t: running\n    1..2\n    not ok 1 b\n    not ok 2 dist\nnot ok 1 t # exit 1\n"
        self.assertEqual(run(body, known=self.FLAKY).counts(), (1, 1, 1))

    def test_flaky_does_not_excuse_a_crash(self):
        body = "1..1\n# t: running\n    1..2\n    not ok 1 dist\nnot ok 1 t # exit 139\n"
        self.assertEqual(run(body, known=self.FLAKY).counts()[1], 1)

    def test_known_failures_file_parses(self):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-failures")
        known = ktap.load_known(path)
        for suite, tests in known.items():
            for test, reason in tests.items():
                self.assertTrue(reason, f"{suite}/{test} has no reason")

    def test_test_output_is_not_scanned(self):
        body = "1..1\n# s: running\n    # checking that no BUG: line leaks\n    ok 1 a\nok 1 s\n"
        self.assertEqual(run(body).counts(), (2, 0, 0))


    def test_kselftest_program_cases_are_cases(self):
        rep = kselftest()
        # global.a, global.b (skip), the case-less second program, kernel log
        self.assertEqual(rep.counts(), (3, 0, 1))
        self.assertIn(("signalfd_test: global.a", "pass"), rep.suites[0].cases)
        self.assertIn(("signalfd_uring_test", "pass"), rep.suites[0].cases)

    def test_kselftest_program_skipped_whole_is_named_with_its_reason(self):
        rep = kselftest(second="# 1..0 # SKIP signalfd4() refuses SFD_RAW\n"
                        "    ok 2 selftests: signalfd: signalfd_uring_test # SKIP")
        self.assertEqual(rep.counts(), (2, 0, 2))
        self.assertIn("skip: signalfd_uring_test: signalfd4() refuses SFD_RAW", ktap.render(rep, "x"))

    def test_kselftest_own_program_skip_fails(self):
        rep = kselftest(second="# 1..0 # SKIP no feature\n"
                        "    ok 2 selftests: signalfd: signalfd_uring_test # SKIP", own={"k"})
        self.assertEqual(rep.counts()[1], 2)  # the whole program and global.b

    def test_kselftest_program_timeout_after_passing_cases_fails(self):
        rep = kselftest(second="# 1..3\n    # ok 1 x\n"
                        "    not ok 2 selftests: signalfd: signalfd_uring_test # TIMEOUT 60 seconds",
                        rc=1, result="not ok 1 k # exit 1")
        self.assertEqual(rep.counts()[1], 1)
        self.assertIn("signalfd_uring_test (TIMEOUT 60 seconds)", ktap.render(rep, "x"))

    def test_kselftest_failing_case_fails_once(self):
        rep = kselftest(second="# 1..1\n    # not ok 1 x\n"
                        "    not ok 2 selftests: signalfd: signalfd_uring_test # exit=1",
                        rc=1, result="not ok 1 k # exit 1")
        self.assertEqual(rep.counts()[1], 1)
        self.assertIn(("signalfd_uring_test: x", "fail"), rep.suites[0].cases)

def main():
    counts = None
    if "--counts" in sys.argv:
        i = sys.argv.index("--counts")
        counts = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    if counts:
        with open(counts, "w") as f:
            f.write(f"{result.testsRun - failed - skipped} {failed} {skipped}\n")
    return 1 if failed else 0



if __name__ == "__main__":
    sys.exit(main())
