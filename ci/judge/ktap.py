#!/usr/bin/env python3
"""Judge a guest run from its serial console log.

The guest's init prints a top-level KTAP document, one test per suite, with
each suite's own KTAP output nested four spaces deeper, then all of dmesg.
This prints the results per suite, checks dmesg for kernel reports, and
ends with "N passed, N failed, N skipped". A guest that never reports, or
stops reporting, fails: it is never a pass.

  ktap.py CONSOLE_LOG [--name NAME] [--counts FILE] [--known FILE]
          [--own SUITES_FILE]
  ktap.py --follow -          echo a console's report lines as they come

--own reads the suites file (ci/suites, through ci/suites.py) for the
suites marked "own:", the series' own tests: in a guest running the
series, a skip there is a failure (the feature is there, so nothing may
be skipped).

--known names subtests that fail on the unpatched base too
(ci/judge/known-failures, empty at present): such a failure counts as
expected, and such a test passing
counts as a failure. A reason starting with "flaky:" marks a subtest that
fails now and then on the base as well, for a reason outside the kernel
under test (host load under TCG): its failure counts as skipped and is
named with the reason, its pass counts as passed.

Exit status: 0 when nothing failed, 1 otherwise.
"""
import argparse
import os
import re
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suites  # noqa: E402 (ci/suites.py, the one reader of ci/suites)

BEGIN, END = "@@@ guest results begin", "@@@ guest results end"
DMESG_BEGIN, DMESG_END = "@@@ dmesg begin", "@@@ dmesg end"

# Kernel reports that fail a run wherever they appear outside test output.
REPORTS = re.compile(
    r"\bWARNING: |------------\[ cut here \]------------"
    r"|\bBUG: |kernel BUG at|\bOops\b|Kernel panic - not syncing"
    r"|general protection fault|Unable to handle kernel"
    r"|INFO: possible|DEBUG_LOCKS_WARN_ON|KASAN:|UBSAN:|KFENCE:|kmemleak:|ODEBUG:"
    r"|\bBUG [\w.-]+ \((?:Not tainted|Tainted:[^)]*)\): "  # SLUB debugging
    r"|INFO: task .* blocked for more than|INFO: rcu_\w+ (self-)?detected stall"
    r"|Watchdog detected hard LOCKUP"
)

RESULT = re.compile(r"^(ok|not ok) (\d+)(?: -)? ?([^#]*?)\s*(?:#\s*(.*))?$")


@dataclass
class Suite:
    name: str
    ok: bool = False
    directive: str = ""
    reported: bool = False
    cases: list = field(default_factory=list)  # (name, "pass"|"fail"|"skip"|"xfail"|"xpass"|"flaky"|"ownskip")
    reasons: dict = field(default_factory=dict)  # flaky case -> reason
    own: bool = False  # the series' own suite: no skip allowed
    skip_reason: str = ""  # of a suite that skipped whole ("1..0 # SKIP why")

    def counts(self):
        p = sum(1 for _, r in self.cases if r in ("pass", "xfail"))
        f = sum(1 for _, r in self.cases if r in ("fail", "xpass", "ownskip"))
        s = sum(1 for _, r in self.cases if r in ("skip", "flaky"))
        if not self.cases:
            if not self.reported or not self.ok:
                f = 1
            elif self.directive.upper().startswith("SKIP"):
                if self.own:
                    f = 1
                else:
                    s = 1
            else:
                p = 1
        elif not self.ok and f == 0 and not self.failed_only_as_expected():
            # The suite failed around its cases (crash, timeout, exit code).
            f = 1
        return p, f, s

    def failed_only_as_expected(self):
        return (self.directive == "exit 1" and
                any(r in ("xfail", "flaky") for _, r in self.cases))

    def apply_known(self, known):
        names = known.get(self.name, {})
        for i, (case, result) in enumerate(self.cases):
            if case not in names or result == "skip":
                continue
            if names[case].startswith("flaky:"):
                if result == "fail":
                    self.cases[i] = (case, "flaky")
                    self.reasons[case] = names[case][len("flaky:"):].strip()
            else:
                self.cases[i] = (case, "xfail" if result == "fail" else "xpass")


@dataclass
class Report:
    suites: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # run-level failures
    kernel_reports: list = field(default_factory=list)

    def counts(self):
        p = f = s = 0
        for suite in self.suites:
            sp, sf, ss = suite.counts()
            p, f, s = p + sp, f + sf, s + ss
        # The kernel-log check is a test of its own; so is each
        # run-level problem (no report, no end of report).
        if self.kernel_reports:
            f += 1
        else:
            p += 1
        return p, f + len(self.problems), s


def classify(ok, directive):
    d = directive.upper()
    if d.startswith("SKIP"):
        return "skip"
    if ok or d.startswith("XFAIL"):
        return "pass"
    return "fail"


def case_name(m):
    """A result line's name; kselftest's ksft_test_result_skip() puts the
    whole text after "# SKIP": use it when the description is empty."""
    return m.group(3) or re.sub(r"^SKIP\s*", "", m.group(4) or "", flags=re.I)


PROGRAM = re.compile(r"^# selftests: (\S+): (\S+)$")
PROGRAM_SKIP = re.compile(r"^# 1\.\.0 # SKIP\s*(.*)$")


def nested(suite, line, program):
    """One line of a suite's own output. Most suites print KTAP: each
    result is a case. kselftest's run_kselftest.sh prints one result per
    test program and nests the program's own results under "# ": those
    are the cases, named "PROGRAM: CASE"; a program without any, or one
    that failed around them (crash, timeout), is a case of its own.
    Returns the program being run."""
    m = PROGRAM.match(line)
    if m:
        return {"name": m.group(2), "cases": 0, "failed": 0, "skip": ""}
    m = re.match(r"^1\.\.0 # SKIP\s*(.*)$", line)
    if m and program is None:
        suite.skip_reason = m.group(1)
        return program
    if program is not None:
        m = PROGRAM_SKIP.match(line)
        if m:
            program["skip"] = m.group(1)
            return program
        if line.startswith("# "):
            m = RESULT.match(line[2:])
            if m:
                result = classify(m.group(1) == "ok", m.group(4) or "")
                suite.cases.append((f"{program['name']}: {case_name(m)}", result))
                program["cases"] += 1
                program["failed"] += result == "fail"
            return program
    m = RESULT.match(line)
    if not m:
        return program
    result = classify(m.group(1) == "ok", m.group(4) or "")
    if program is None or not m.group(3).endswith(": " + program["name"]):
        suite.cases.append((case_name(m), result))
        return program
    name = program["name"]
    if result == "skip" and program["skip"]:
        name = f"{name}: {program['skip']}"
    if not program["cases"]:
        suite.cases.append((name, result))
    elif result == "fail" and not program["failed"]:
        suite.cases.append((f"{name} ({m.group(4) or 'failed'})", "fail"))
    return None


def load_own(path):
    """The names of the suites a suites file marks "own:"."""
    return suites.own(suites.read(path))


def load_known(path):
    """SUITE | TEST | REASON lines -> {suite: {test: reason}}."""
    known = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            suite, test, reason = (x.strip() for x in line.split("|", 2))
            known.setdefault(suite, {})[test] = reason
    return known


def parse(text, known=None, own=frozenset()):
    lines = text.splitlines()
    rep = Report()
    try:
        start = lines.index(BEGIN)
    except ValueError:
        rep.problems.append("the guest never reported (no KTAP results on the console)")
        rep.kernel_reports = [l for l in lines if REPORTS.search(l)]
        return rep

    try:
        end = lines.index(END, start)
    except ValueError:
        end = len(lines)
        rep.problems.append("the guest stopped before the end of its report (hang, crash or timeout)")

    section = lines[start + 1:end]
    dmesg = []
    if DMESG_BEGIN in section:
        i = section.index(DMESG_BEGIN)
        j = section.index(DMESG_END) if DMESG_END in section else len(section)
        dmesg = section[i + 1:j]
        section = section[:i]
    elif not rep.problems:
        rep.problems.append("the guest printed no dmesg")

    plan = None
    current = Suite(name="")
    program = None  # run_kselftest.sh's current test program
    for line in section:
        if line.startswith("    "):
            program = nested(current, line[4:], program)
            continue
        m = re.match(r"^1\.\.(\d+)$", line)
        if m:
            plan = int(m.group(1))
            continue
        m = re.match(r"^# (\S+): running", line)
        if m:
            current = Suite(name=m.group(1))
            rep.suites.append(current)
            continue
        m = RESULT.match(line)
        if m:
            current.name = m.group(3) or current.name
            current.ok = m.group(1) == "ok"
            current.directive = m.group(4) or ""
            current.reported = True
            if not current in rep.suites:
                rep.suites.append(current)
            current = Suite(name="")

    if plan is None:
        rep.problems.append("no KTAP plan line")
    else:
        for i in range(plan - len(rep.suites)):
            rep.problems.append(f"suite {len(rep.suites) + i + 1} of {plan} never ran")

    for suite in rep.suites:
        suite.apply_known(known or {})
        if suite.name in own:
            suite.own = True
            suite.cases = [(c, "ownskip" if r == "skip" else r) for c, r in suite.cases]

    before = lines[:start]
    rep.kernel_reports = [l for l in before + dmesg if REPORTS.search(l)]
    return rep


def render(rep, name):
    out = []
    for suite in rep.suites:
        p, f, s = suite.counts()
        state = "FAIL" if f else ("SKIP" if s and not p else "ok")
        why = f" ({suite.directive})" if suite.directive else ""
        if suite.skip_reason and not suite.cases:
            why = f" ({suite.directive}: {suite.skip_reason})"
        xfail = sum(1 for _, r in suite.cases if r == "xfail")
        flaky = sum(1 for _, r in suite.cases if r == "flaky")
        if xfail or flaky:
            parts = [f"{xfail} of the passed are known base failures"] if xfail else []
            parts += [f"{flaky} of the skipped failed as known flaky"] if flaky else []
            why = f" ({', '.join(parts)}, exit 1)"
        if not suite.reported:
            why = " (no result: killed or crashed)"
        out.append(f"  {state:4} {name}/{suite.name}: {p} passed, {f} failed, {s} skipped{why}")
        for case, result in suite.cases:
            if result == "xpass":
                out.append(f"         xpass: {case} (listed as a known failure, but passed: update ci/judge/known-failures)")
            elif result == "xfail":
                out.append(f"         xfail: {case} (known failure of the base kernel, ci/judge/known-failures)")
            elif result == "ownskip":
                out.append(f"         skip: {case} (a skip of the series' own test fails: the feature is in this kernel)")
            elif result == "flaky":
                out.append(f"         flaky: {case} (not judged: {suite.reasons[case]}, ci/judge/known-failures)")
            elif result != "pass":
                out.append(f"         {result}: {case}")
    if rep.kernel_reports:
        out.append(f"  FAIL {name}/kernel-log: {len(rep.kernel_reports)} report line(s) in dmesg:")
        out.extend(f"         {l}" for l in rep.kernel_reports[:20])
    else:
        out.append(f"  ok   {name}/kernel-log: no WARN, BUG, Oops, lockdep, KASAN or UBSAN report")
    for problem in rep.problems:
        out.append(f"  FAIL {name}: {problem}")
    p, f, s = rep.counts()
    out.append(f"{name}: {p} passed, {f} failed, {s} skipped")
    return "\n".join(out)


def follow(stream, out):
    """Echo a guest console as it comes, keeping only the guest's report
    (between BEGIN and DMESG_BEGIN, without the suites' "#" notes) and
    the host harness's own lines (PREFIX: ...): what a run shows live."""
    on = False
    for line in stream:
        text = line.rstrip("\r\n")
        if text == BEGIN:
            on = True
        elif text == DMESG_BEGIN:
            on = False
        elif re.match(r"^ci/guest/[a-z]+\.sh:", text) or (on and not text.startswith("    #")):
            out.write(line)
            out.flush()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="the console log; - with --follow: standard input")
    ap.add_argument("--follow", action="store_true",
                    help="echo the report lines of a console as it comes (stdin), judge nothing")
    ap.add_argument("--name", default="guest")
    ap.add_argument("--counts", help="write 'passed failed skipped' to this file")
    ap.add_argument("--known", help="known failures file (SUITE | TEST | REASON)")
    ap.add_argument("--own", help="suites file: its own: suites may not skip")
    args = ap.parse_args()
    if args.follow:
        return follow(sys.stdin, sys.stdout)
    known = load_known(args.known) if args.known else {}
    own = load_own(args.own) if args.own else frozenset()
    with open(args.log, errors="replace") as f:
        rep = parse(f.read(), known, own)
    print(render(rep, args.name))
    p, f, s = rep.counts()
    if args.counts:
        with open(args.counts, "w") as c:
            c.write(f"{p} {f} {s}\n")
    return 1 if f else 0


if __name__ == "__main__":
    sys.exit(main())
