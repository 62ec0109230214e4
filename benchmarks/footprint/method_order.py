#!/usr/bin/env python3
"""The NativeAOT code layout: which managed methods the daemon runs, learnt with uprobes, written as ILC's order file.

  method_order.py probe BINARY DBG GROUP      a uprobe on every function of BINARY's __managedcode (names from DBG)
  method_order.py read GROUP OUT             the functions hit (address, count) into OUT; the probes are removed
  method_order.py write DBG OUT HITS...      OUT = the functions hit, one mangled name per line: the functions of the
                                             first HITS file first, then those only in the next, … (address order in each)
  method_order.py check DBG ORDER            does the published binary follow ORDER? (prints, exit 1 if not)

Why (benchmarks/footprint/README.md, round 4): the kernel maps a file's cached pages 64 KiB at a time around each
fault, so the binary's resident share is every 64 KiB window its running code touches. ILC places methods in an
order of its own, which scatters the ~0.8 MiB the daemon runs over all 4 MiB of code; with `IlcOrderFile` the
methods listed come first, in the file's order.
"""
import os, re, subprocess, sys

TRACING = "/sys/kernel/tracing"


def sections(binary):
    """name -> (address, file offset, size) from readelf."""
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            found[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16))
    return found


def functions(dbg, start, end):
    """address -> (size, name) of the function symbols in [start, end); one name per address (folded bodies)."""
    out = subprocess.run(["nm", "-S", "--defined-only", dbg], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and parts[2] in ("t", "T"):
            address, size = int(parts[0], 16), int(parts[1], 16)
            if start <= address < end and size > 0:
                found.setdefault(address, (size, parts[3]))
    return found


def managed_code(binary, dbg):
    address, offset, size = sections(binary)["__managedcode"]
    return address, offset, functions(dbg, address, address + size)


def probe(binary, dbg, group):
    address, offset, funcs = managed_code(binary, dbg)
    refused = 0
    fd = os.open(f"{TRACING}/uprobe_events", os.O_WRONLY | os.O_APPEND)
    try:
        for a in sorted(funcs):
            try:
                os.write(fd, f"p:{group}/f{a:x} {binary}:0x{a - address + offset:x}\n".encode())
            except OSError:
                refused += 1
    finally:
        os.close(fd)
    with open(f"{TRACING}/events/{group}/enable", "w") as f:
        f.write("1")
    print(f"{len(funcs) - refused} uprobes on {binary} ({refused} refused)", file=sys.stderr)


def read(group, out):
    hits = []
    with open(f"{TRACING}/uprobe_profile") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[1].startswith("f") and parts[2] != "0":
                hits.append((int(parts[1][1:], 16), int(parts[2])))
    remove(group)
    with open(out, "w") as f:
        for a, n in sorted(hits):
            f.write(f"{a:x} {n}\n")
    print(f"{len(hits)} functions hit", file=sys.stderr)


def remove(group):
    if not os.path.exists(f"{TRACING}/events/{group}"):
        return
    with open(f"{TRACING}/events/{group}/enable", "w") as f:
        f.write("0")
    # "-:GROUP/" removes every event of the group at once (one by one takes minutes for 24,000 probes).
    fd = os.open(f"{TRACING}/uprobe_events", os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, f"-:{group}/\n".encode())
    finally:
        os.close(fd)


def write(dbg, out, hit_files):
    address, _, funcs = managed_code(dbg, dbg)
    placed, tiers = set(), []
    for path in hit_files:
        with open(path) as f:
            hit = {int(l.split()[0], 16) for l in f if l.strip()}
        tier = sorted(a for a in hit if a in funcs and a not in placed)
        placed |= set(tier)
        tiers.append((path, tier))
    with open(out, "w") as f:
        f.write("# Managed methods the daemon runs, first in its NativeAOT code (IlcOrderFile, --method-layout:explicit).\n"
                "# Written by benchmarks/footprint/method-order.sh; lines that name no method (like these) are skipped.\n")
        for path, tier in tiers:
            size = sum(funcs[a][0] for a in tier)
            f.write(f"# {len(tier)} methods, {size / 1024:.0f} KiB: {os.path.basename(path)}\n")
            for a in tier:
                f.write(funcs[a][1] + "\n")
            print(f"{os.path.basename(path)}: {len(tier)} methods, {size / 1024:.0f} KiB", file=sys.stderr)


def check(dbg, order):
    """The listed methods that the binary has must open its __managedcode, in one block."""
    address, _, funcs = managed_code(dbg, dbg)
    with open(order) as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    by_name = {name: a for a, (_, name) in funcs.items()}
    present = [by_name[n] for n in listed if n in by_name]
    share = len(present) / len(listed) if listed else 0
    ordered = sorted(funcs)
    block = set(ordered[:len(present)])
    inside = sum(1 for a in present if a in block)
    hot = sum(funcs[a][0] for a in present)
    last = ordered[len(present) - 1] if present else address
    end = last + funcs[last][0] - address if present else 0
    print(f"method order: {len(present)} of {len(listed)} listed methods in the binary ({share:.1%}), {hot / 1024:.0f} KiB; "
          f"{inside} of them in the first {len(present)} functions of __managedcode; a block of {end / 1024:.0f} KiB")
    # Names drift as the code changes (renamed methods, other generic instantiations): the file must then be written again.
    if share < 0.9 or inside < 0.98 * len(present):
        print("method order: the binary does not follow src/ProtonPortSync/method-order.txt; "
              "run `sudo benchmarks/footprint/method-order.sh` to write it again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "probe":
        probe(*args)
    elif command == "read":
        read(*args)
    elif command == "remove":
        remove(*args)
    elif command == "write":
        write(args[0], args[1], args[2:])
    elif command == "check":
        sys.exit(check(*args))
    else:
        sys.exit(f"method_order.py: unknown command {command!r} (probe, read, remove, write, check)")
