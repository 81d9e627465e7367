#!/usr/bin/env python3
"""The one reader of a suites file (ci/suites, whose header says the format).

    suites.py [--file F] guest ARCH VARIANT [--x32]
        the lines a guest of ARCH running kernel VARIANT ("" for the plain
        one) runs, without their prefixes, as the guest's run-suites reads
        them; --x32 if that guest runs x32 programs
    suites.py [--file F] collections [DIR]
        the kselftest collections the suites run from the installed tree
        DIR (kselftest, kselftest32; every tree without DIR), one a line,
        sorted: from "run-kselftest DIR -c COLLECTION" and
        "-t COLLECTION:TEST"
    suites.py [--file F] select [--marked PREFIX] [NAME...]
        the lines of the suites named, or of those marked PREFIX: (e.g.
        icount), prefixes kept: a suites file of their own
    suites.py [--file F] own
        the names of the suites marked own:, one a line

F is ci/suites by default. The judge (ci/judge/ktap.py) imports it.
"""
import argparse
import os
import sys
from dataclasses import dataclass

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "suites")


@dataclass
class Suite:
    prefixes: list  # ["own:", "x86_64:", "!vng:", ...]
    name: str
    line: str  # the whole line, prefixes included
    command: str  # "NAME TIMEOUT COMMAND": the line without its prefixes


def read(path=DEFAULT):
    """Every suite of the file, in order."""
    suites = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            words = line.split()
            i = 0
            while i < len(words) and words[i].endswith(":"):
                i += 1
            if len(words) - i < 3 or not words[i + 1].isdigit():
                sys.exit(f"ci/suites.py: {path}:{n}: not [PREFIX:]... NAME TIMEOUT COMMAND: {line}")
            suites.append(Suite(words[:i], words[i], line, " ".join(words[i:])))
    return suites


def runs_in(suite, arch, variant, x32):
    """Whether a guest of ARCH running VARIANT runs it: "ARCH:", "x32:"
    and "VARIANT:" limit a line to that architecture, those that run x32
    programs, that variant; "!VARIANT:" keeps it out of that variant;
    "own:" is for the judge."""
    for p in suite.prefixes:
        if p.startswith("!"):
            if p == f"!{variant}:":
                return False
        elif p not in ("own:", f"{arch}:", f"{variant}:") and not (x32 and p == "x32:"):
            return False
    return True


def collections(suites, tree=None):
    """The kselftest collections the suites run from TREE (every tree if
    None)."""
    found = set()
    for s in suites:
        words = s.command.split()
        for i, w in enumerate(words[:-1]):
            if w != "run-kselftest" or (tree and words[i + 1] != tree):
                continue
            for j in range(i + 2, len(words) - 1):
                if words[j] in ("-c", "-t"):
                    found.add(words[j + 1].split(":")[0])
    return sorted(found)


def own(suites):
    """The names of the suites marked own:."""
    return {s.name for s in suites if "own:" in s.prefixes}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=DEFAULT)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("guest")
    g.add_argument("arch")
    g.add_argument("variant")
    g.add_argument("--x32", action="store_true")
    c = sub.add_parser("collections")
    c.add_argument("tree", nargs="?")
    s = sub.add_parser("select")
    s.add_argument("--marked")
    s.add_argument("names", nargs="*")
    sub.add_parser("own")
    args = ap.parse_args()
    suites = read(args.file)
    if args.cmd == "guest":
        out = [s.command for s in suites if runs_in(s, args.arch, args.variant, args.x32)]
    elif args.cmd == "collections":
        out = collections(suites, args.tree)
    elif args.cmd == "select":
        missing = set(args.names) - {s.name for s in suites}
        if missing:
            sys.exit(f"ci/suites.py: no suite named {' '.join(sorted(missing))} in {args.file}")
        out = [s.line for s in suites if s.name in args.names or
               (args.marked and f"{args.marked}:" in s.prefixes)]
    else:
        out = sorted(own(suites))
    for line in out:
        print(line)


if __name__ == "__main__":
    main()
