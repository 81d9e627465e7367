#!/usr/bin/env python3
"""Where every CPU of a running QEMU guest is, from the host.

Asks QEMU's human monitor (a unix socket) for "info registers -a" and
prints one line per vCPU: its program counter and, on arm64, its link
register, each resolved against the kernel's System.map (symbol+offset;
"user" below the kernel's text). A guest whose every CPU spins with
interrupts off cannot answer a sysrq; its registers still say where.

    cpus.py MONITOR_SOCKET SYSTEM_MAP PREFIX WHY
    cpus.py --watch FIFO MONITOR_SOCKET SYSTEM_MAP PREFIX

Prints "PREFIX WHY; where the guest's CPUs are:", then one line per vCPU,
each starting with PREFIX. Exits 0 even when the monitor does not answer,
saying so: it reports, it does not judge. With --watch, copies its input
(the guest's console) to stdout line by line, and each time a line says
a suite timed out ("# NAME: timed out after ..."), writes the dump into
FIFO, which feeds that console, so that it lands where it happened.
"""
import bisect
import re
import socket
import sys
import time


def read_map(path):
    """Sorted (address, name) of the text symbols in System.map."""
    syms = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in "tTwW":
                    syms.append((int(parts[0], 16), parts[2]))
    except OSError:
        pass
    syms.sort()
    return syms


def resolve(syms, addr):
    """symbol+0xoff for a kernel text address, else "not in the kernel"."""
    if not syms or addr < syms[0][0]:
        return "not in the kernel"
    i = bisect.bisect_right(syms, (addr, "\xff")) - 1
    base, name = syms[i]
    return f"{name}+{addr - base:#x}"


def monitor(path, command, timeout=10.0):
    """The monitor's answer to @command, without its echo and prompts."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    out = b""
    deadline = time.monotonic() + timeout

    def until_prompt():
        nonlocal out
        while not out.rstrip().endswith(b"(qemu)") and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk

    until_prompt()  # the banner
    out = b""
    s.sendall(command.encode() + b"\n")
    until_prompt()
    s.close()
    text = out.decode(errors="replace")
    # The monitor echoes with terminal escapes; drop them.
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\r", "", text)


TIMED_OUT = re.compile(r"^# \S+: timed out after ")


def watch(fifo, sock, sysmap, prefix):
    for line in sys.stdin.buffer:
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        if TIMED_OUT.match(line.decode(errors="replace")):
            with open(fifo, "w") as out:
                dump(sock, sysmap, prefix, "a suite timed out", out)
    return 0


def main():
    if sys.argv[1] == "--watch":
        return watch(*sys.argv[2:6])
    sock, sysmap, prefix, why = sys.argv[1:5]
    return dump(sock, sysmap, prefix, why, sys.stdout)


def dump(sock, sysmap, prefix, why, out):
    def say(text):
        print(f"{prefix} {text}", file=out, flush=True)

    say(f"{why}; where the guest's CPUs are:")
    syms = read_map(sysmap)
    try:
        text = monitor(sock, "info registers -a")
    except OSError as e:
        say(f"the QEMU monitor at {sock} did not answer: {e}")
        return 0
    cpus = re.split(r"^CPU#(\d+)", text, flags=re.M)
    found = 0
    # cpus: [before, n0, body0, n1, body1, ...]
    for n, body in zip(cpus[1::2], cpus[2::2]):
        # A vCPU the kernel never started shows 32-bit registers (EIP).
        regs = dict(re.findall(r"\b(RIP|EIP|PC|X30)=([0-9a-fA-F]{8,16})", body))
        where = []
        for reg in ("RIP", "EIP", "PC", "X30"):
            if reg in regs:
                addr = int(regs[reg], 16)
                label = "LR" if reg == "X30" else reg
                where.append(f"{label} {addr:#x} {resolve(syms, addr)}")
        if where:
            found += 1
            say(f"CPU#{n}: " + ", ".join(where))
    if not found:
        say("no registers in the monitor's answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
