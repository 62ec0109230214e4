#!/usr/bin/env python3
"""Footprint and cost per cycle, side by side, in one run (called by run.sh, as root).

Rig (every peer in its own namespace, names pps-fp*-<random>): miniupnpd 2.3.1 in a gateway namespace (10.2.0.1 on
a veth to the client's wg0 10.2.0.2), qbittorrent-nox 4.5.2 in its own namespace (WebUI on 10.3.0.1:8080, a veth
to the client), and the subjects in the client namespace, one after the other:
  aot   the NativeAOT daemon with the shipped unit's Environment= lines, metrics on, --renew-interval 1
  jit   the same daemon on the JIT (dotnet proton-port-sync.dll), same flags and environment
  loop  ProtonVPN's documented loop: natpmpc UDP + natpmpc TCP + curl setPreferences to qBittorrent per cycle
  floor floor.c: the daemon's per-cycle exchanges and nothing else, in C, one thread, blocking (what the kernel and a
        minimal program charge for a cycle on this host; the ceiling of any ratio to the loop here)
It prints a table; it asserts nothing. Every process it starts it stops by PID; every wait is bounded.
"""
import base64, hashlib, json, os, re, secrets, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

AOT, JIT, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
MINUTES = float(os.environ.get("MINUTES", "10"))
RUNS = int(os.environ.get("RUNS", "5"))
CPU_SECONDS = int(os.environ.get("CPU_SECONDS", "60"))
LOOP_CYCLES = int(os.environ.get("LOOP_CYCLES", "40"))
# Seconds the loop sleeps between its cycles while its CPU is measured: the daemons renew every second, so by default
# the loop runs at that cadence too (a cycle after a pause costs more than one straight after another); 0 = back to back.
LOOP_SLEEP = float(os.environ.get("LOOP_SLEEP", "1"))
SUBJECTS = os.environ.get("SUBJECTS", "aot jit loop floor").split()
FLOOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "floor.c")
PORT = 40000          # internal port asked for; miniupnpd grants it as the external port too
IDLE_PORT = 6881      # qBittorrent's port before each start, so that "listening on the mapped port" is a change
TICK = os.sysconf("SC_CLK_TCK")
UNIT_ENV = {"LOG_LEVEL": "warning", "DOTNET_GCgen0size": "80000"}  # the unit's lines (log level lowered: no journald here)
UNIT_ENV.update(kv.split("=", 1) for kv in os.environ.get("DAEMON_ENV", "").split())  # e.g. DAEMON_ENV="DOTNET_gcConcurrent=0"

os.environ["PATH"] += ":/usr/sbin:/sbin"
suffix = secrets.token_hex(3)
work = tempfile.mkdtemp(prefix="pps-fp-")
namespaces, procs = [], []


def sh(*args, check=True, ns=None, **kw):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    r = subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise SystemExit(f"footprint: {' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r


def start(args, ns, env=None, **kw):
    p = subprocess.Popen(["ip", "netns", "exec", ns] + args, env={**os.environ, **(env or {})}, **kw)
    procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait(5)


def cleanup():
    for p in procs:
        stop(p)
    for ns in reversed(namespaces):
        sh("ip", "netns", "delete", ns, check=False)
    shutil.rmtree(work, ignore_errors=True)


def netns(role):
    name = f"pps-fp{role}-{suffix}"
    sh("ip", "netns", "add", name)
    namespaces.append(name)
    sh("ip", "link", "set", "lo", "up", ns=name)
    return name


def veth(a, a_name, a_addr, b, b_name, b_addr):
    tmp = "pv" + secrets.token_hex(4)
    sh("ip", "link", "add", tmp, "type", "veth", "peer", "name", tmp + "p")
    sh("ip", "link", "set", tmp, "netns", a); sh("ip", "link", "set", tmp + "p", "netns", b)
    sh("ip", "link", "set", tmp, "name", a_name, ns=a); sh("ip", "link", "set", tmp + "p", "name", b_name, ns=b)
    sh("ip", "addr", "add", a_addr, "dev", a_name, ns=a); sh("ip", "addr", "add", b_addr, "dev", b_name, ns=b)
    sh("ip", "link", "set", a_name, "up", ns=a); sh("ip", "link", "set", b_name, "up", ns=b)


def wait_until(what, predicate, seconds, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise SystemExit(f"footprint: timed out after {seconds} s waiting for {what}")


def listening(ns, port):
    """True when something in ns listens on TCP port (read from the namespace's /proc/net/tcp)."""
    text = sh("cat", "/proc/net/tcp", "/proc/net/tcp6", ns=ns, check=False).stdout
    return any(f":{port:04X} " in line and line.split()[3] == "0A" for line in text.splitlines()[1:] if len(line.split()) > 3)


def build_rig():
    gw, cl, qb = netns("gw"), netns("cl"), netns("qb")
    veth(gw, "wgp", "10.2.0.1/24", cl, "wg0", "10.2.0.2/24")
    veth(qb, "qb0", "10.3.0.1/24", cl, "qb0", "10.3.0.2/24")
    sh("ip", "link", "add", "wan0", "type", "veth", "peer", "name", "wan0p", ns=gw)
    sh("ip", "addr", "add", "192.168.200.1/24", "dev", "wan0", ns=gw)
    sh("ip", "link", "set", "wan0", "up", ns=gw); sh("ip", "link", "set", "wan0p", "up", ns=gw)
    chains = """table inet filter {
  chain forward {
    type filter hook forward priority 0; policy accept;
    jump miniupnpd
  }
  chain miniupnpd {
  }
  chain prerouting {
    type nat hook prerouting priority -100; policy accept;
    jump prerouting_miniupnpd
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    jump postrouting_miniupnpd
  }
  chain prerouting_miniupnpd {
  }
  chain postrouting_miniupnpd {
  }
}
"""
    sh("nft", "-f", "-", ns=gw, input=chains)
    conf = os.path.join(work, "miniupnpd.conf")
    with open(conf, "w") as f:
        f.write("ext_ifname=wan0\next_ip=1.2.3.4\nlistening_ip=wgp\nenable_natpmp=yes\nenable_upnp=no\nipv6_disable=yes\n"
                f"secure_mode=yes\nsystem_uptime=no\nlease_file={work}/leases\nallow 1-65535 10.2.0.0/24 1-65535\ndeny 0-65535 0.0.0.0/0 0-65535\n")
    start(["miniupnpd", "-f", conf, "-d", "-P", f"{work}/miniupnpd.pid"], gw, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until("miniupnpd", lambda: ":5351 " in sh("ss", "-lun", ns=gw).stdout, 10)

    password = secrets.token_hex(8)
    salt = secrets.token_bytes(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, 64)
    profile = os.path.join(work, "qbt")
    os.makedirs(f"{profile}/qBittorrent/config")
    with open(f"{profile}/qBittorrent/config/qBittorrent.conf", "w") as f:
        f.write(f"""[LegalNotice]
Accepted=true

[BitTorrent]
Session\\Port={IDLE_PORT}
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\UPnP=false
Connection\\ResolvePeerCountries=false
General\\UseRandomPort=false
WebUI\\Address=10.3.0.1
WebUI\\Port=8080
WebUI\\UseUPnP=false
WebUI\\HostHeaderValidation=false
WebUI\\Username=admin
WebUI\\Password_PBKDF2="@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"
""")
    with open(f"{work}/qbt-password", "w") as f:
        f.write(password + "\n")
    os.chmod(f"{work}/qbt-password", 0o600)
    start(["env", f"HOME={profile}", "qbittorrent-nox", f"--profile={profile}"], qb, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until("qBittorrent's WebUI", lambda: listening(qb, 8080), 30)
    wait_until(f"qBittorrent on {IDLE_PORT}", lambda: listening(qb, IDLE_PORT), 30)
    return gw, cl, qb, password


def qbt_set_port(cl, password, port):
    jar = f"{work}/jar"
    sh("curl", "-fsS", "-c", jar, "--data-urlencode", "username=admin", "--data-urlencode", f"password={password}",
       "http://10.3.0.1:8080/api/v2/auth/login", ns=cl)
    sh("curl", "-fsS", "-b", jar, "--data-urlencode", f'json={{"listen_port":{port}}}', "http://10.3.0.1:8080/api/v2/app/setPreferences", ns=cl)


def proc_stat(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime, seconds, threads that ended included


def daemon_cpu_ms(pid, seconds):
    """CPU the process used over the next `seconds`, in ms: utime+stime, which the kernel scales to the scheduler's
    exact runtime (sum_exec_runtime), so only the 10 ms unit rounds; the loop's getrusage is the same clock.
    (perf's task-clock reads lower for both, more so for the loop: it leaves out part of each switch and exec.)"""
    c0 = proc_stat(pid)
    time.sleep(seconds)
    return (proc_stat(pid) - c0) * 1000


def status_field(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def smaps_summary(pid):
    """Resident kB per mapped file (anonymous memory as [anon], heaps and stacks included), largest first."""
    totals, name = {}, "[anon]"
    for line in open(f"/proc/{pid}/smaps"):
        parts = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            name = parts[5] if len(parts) > 5 else "[anon]"
            name = "[anon]" if name in ("[heap]", "[stack]") or name.startswith("[anon") else os.path.basename(name)
        elif parts[0] == "Rss:":
            totals[name] = totals.get(name, 0) + int(parts[1])
    return ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v >= 100)


def thread_names(pid):
    """The process's threads by name (/proc/PID/task/*/comm), e.g. ".NET Sockets ×1"."""
    names = [open(f"/proc/{pid}/task/{t}/comm").read().strip() for t in sorted(os.listdir(f"/proc/{pid}/task"), key=int)]
    return ", ".join(f"{n} ×{names.count(n)}" for n in dict.fromkeys(names))


def page_out_image(pid, image):
    """process_madvise(MADV_PAGEOUT) over the read-only file mappings of `image` (the daemon's own executable)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = libc.syscall(434, pid, 0)  # pidfd_open
    iov = []
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split()
        if image and len(parts) > 5 and os.path.realpath(parts[5]) == os.path.realpath(image) and "w" not in parts[1]:
            a, b = (int(x, 16) for x in parts[0].split("-"))
            iov.append((a, b - a))
    vec = (ctypes.c_size_t * (2 * len(iov)))(*[x for pair in iov for x in pair])
    done = libc.syscall(440, pidfd, vec, len(iov), 21, 0)  # process_madvise(pidfd, iov, n, MADV_PAGEOUT, 0)
    os.close(pidfd)
    if done < 0:
        raise SystemExit(f"footprint: process_madvise failed: {os.strerror(ctypes.get_errno())}")


def rss_mb(pid):
    return status_field(pid, "VmRSS") / 1024


def scrape(cl, port, path="/metrics"):
    return sh("curl", "-fsS", "--max-time", "5", f"http://127.0.0.1:{port}{path}", ns=cl, check=False).stdout


def metric(text, name):
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(m.group(1)) if m else float("nan")


def daemon_cmd(kind, metrics_port):
    args = ["run", "--gateway", "10.2.0.1", "--bind-address", "10.2.0.2", "--internal-port", str(PORT), "--suggested-port", str(PORT),
            "--renew-interval", "1", "--recovery", "none", "--qbt-url", "http://10.3.0.1:8080", "--qbt-password-file", f"{work}/qbt-password",
            "--metrics-addr", f"127.0.0.1:{metrics_port}"]
    return ([AOT] if kind == "aot" else ["dotnet", JIT]) + args


def floor_cmd(count_file):
    """The floor (compiled by main() before anything is measured) with the daemon's addresses and ports."""
    return [f"{work}/floor", "10.2.0.1", "10.2.0.2", "10.3.0.1", "8080", f"{work}/qbt-password", count_file, str(PORT)]


def cpu_window(cl, password, pid, cycles):
    """CPU per cycle of `pid` over CPU_SECONDS, nobody scraping, `cycles()` counting its renewals; the loop runs just
    before and just after the window (the subject idles meanwhile), so the ratio compares the two under the same load."""
    around = loop_cpu_per_cycle(cl, password, 1)
    c0 = cycles()
    used = daemon_cpu_ms(pid, CPU_SECONDS)
    c1 = cycles()
    around += loop_cpu_per_cycle(cl, password, 1)
    return used / max(c1 - c0, 1), around, c1 - c0


def floor_run(cl, password):
    """The floor's CPU per cycle over CPU_SECONDS (cycles counted by itself), the loop just before and after, as for a daemon."""
    count_file = f"{work}/floor-count"

    def count():  # the floor rewrites the file after each cycle: an empty read is a rewrite caught midway, read again
        for _ in range(100):
            text = open(count_file).read().strip() if os.path.exists(count_file) else "0"
            if text:
                return int(text)
            time.sleep(0.001)
        raise SystemExit("footprint: the floor's count file stayed empty")
    qbt_set_port(cl, password, IDLE_PORT)
    p = start(floor_cmd(count_file), cl, stdout=subprocess.DEVNULL, stderr=open(f"{OUT}/floor.log", "w"))
    wait_until("floor: first cycle", lambda: p.poll() is None and count() > 0, 30, step=0.2)
    time.sleep(20)
    idle, threads = rss_mb(p.pid), status_field(p.pid, "Threads")
    cpu, around, cycles = cpu_window(cl, password, p.pid, count)
    if p.poll() is not None:
        raise SystemExit(f"footprint: floor exited with {p.returncode}: {open(f'{OUT}/floor.log').read().strip()}")
    stop(p)
    return dict(idle=idle, threads=threads, cpu=cpu, around=around, cycles=cycles)


def start_to_listening(kind, cl, qb, password, n):
    """Launch → qBittorrent listens on the mapped port; the subject is stopped after each sample."""
    samples = []
    for i in range(n):
        qbt_set_port(cl, password, IDLE_PORT)
        wait_until(f"qBittorrent back on {IDLE_PORT}", lambda: listening(qb, IDLE_PORT) and not listening(qb, PORT), 20)
        t0 = time.monotonic()
        if kind == "loop":
            p = start(["bash", loop_script(password, cycles=1)], cl, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif kind == "floor":
            p = start(floor_cmd(f"{work}/floor-start-{i}"), cl, stdout=subprocess.DEVNULL, stderr=open(f"{OUT}/floor-start-{i}.log", "w"))
        else:
            p = start(daemon_cmd(kind, 9900 + i), cl, env=UNIT_ENV, stdout=subprocess.DEVNULL, stderr=open(f"{OUT}/{kind}-start-{i}.log", "w"))
        wait_until(f"{kind}: qBittorrent on {PORT}", lambda: listening(qb, PORT), 30, step=0.002)
        samples.append((time.monotonic() - t0) * 1000)
        stop(p)
    print(f"  {kind} start → listening, ms: {', '.join(f'{x:.0f}' for x in samples)}", file=sys.stderr)
    return samples


def loop_script(password, cycles, sleep=0):
    """ProtonVPN's documented loop (natpmpc UDP, natpmpc TCP) plus the curl that tells qBittorrent, `cycles` times."""
    path = f"{work}/loop-{cycles}-{sleep}.sh"
    with open(path, "w") as f:
        f.write(f"""set -e
curl -fsS -c {work}/loopjar --data-urlencode username=admin --data-urlencode password={password} http://10.3.0.1:8080/api/v2/auth/login >/dev/null
for i in $(seq {cycles}); do
  port=$(natpmpc -a {PORT} {PORT} udp 60 -g 10.2.0.1 | sed -n 's/^Mapped public port \\([0-9]*\\).*/\\1/p')
  natpmpc -a {PORT} {PORT} tcp 60 -g 10.2.0.1 >/dev/null
  curl -fsS -b {work}/loopjar --data-urlencode "json={{\\"listen_port\\":$port}}" http://10.3.0.1:8080/api/v2/app/setPreferences
  sleep {sleep:g}
done
""")
    return path


def loop_cpu_per_cycle(cl, password, runs):
    """CPU (user+system of every process of the loop) per cycle: LOOP_CYCLES cycles LOOP_SLEEP s apart, `runs` times."""
    script = loop_script(password, LOOP_CYCLES, LOOP_SLEEP)
    samples = []
    for _ in range(runs):
        code = ("import resource,subprocess,sys; subprocess.run(['bash', sys.argv[1]], check=True, stdout=subprocess.DEVNULL);"
                "r=resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime+r.ru_stime)")
        out = sh("python3", "-c", code, script, ns=cl).stdout
        samples.append(float(out) * 1000 / LOOP_CYCLES)
    return samples


def daemon_long_run(kind, cl, qb, password):
    port = 9834
    qbt_set_port(cl, password, IDLE_PORT)
    p = start(daemon_cmd(kind, port), cl, env=UNIT_ENV, stdout=subprocess.DEVNULL, stderr=open(f"{OUT}/{kind}.log", "w"))
    wait_until(f"{kind}: in sync", lambda: metric(scrape(cl, port), "proton_port_sync_in_sync") == 1, 60, step=0.2)
    time.sleep(20)
    idle = rss_mb(p.pid)
    print(f"  {kind} idle, resident MB by mapping: {smaps_summary(p.pid)}", file=sys.stderr)
    print(f"  {kind} idle, threads: {thread_names(p.pid)}", file=sys.stderr)
    if os.environ.get("SMAPS_DIR"):  # the whole smaps, for a look per mapping (e.g. SMAPS_DIR=/tmp/x)
        shutil.copy(f"/proc/{p.pid}/smaps", os.path.join(os.environ["SMAPS_DIR"], f"{kind}-idle.smaps"))

    if os.environ.get("PAGEOUT"):  # experiment, not what the daemon does: see "Returning cold pages" in the README
        page_out_image(p.pid, AOT if kind == "aot" else None)
        print(f"  {kind} right after MADV_PAGEOUT of its image: {rss_mb(p.pid):.1f} MB; {smaps_summary(p.pid)}", file=sys.stderr)
        time.sleep(20)
        idle = rss_mb(p.pid)
        print(f"  {kind} 20 s after MADV_PAGEOUT: {idle:.1f} MB; {smaps_summary(p.pid)}", file=sys.stderr)

    # CPU per renewal cycle: renewals counted by the daemon itself.
    cpu, around, cycles = cpu_window(cl, password, p.pid, lambda: metric(scrape(cl, port), "proton_port_sync_renewals_total"))

    # One scrape per second for MINUTES; RSS sampled every 10 s.
    series, scrapes, failed, at120 = [], 0, 0, None
    t0 = time.monotonic()
    while time.monotonic() - t0 < MINUTES * 60:
        tick = time.monotonic()
        failed += 0 if scrape(cl, port) else 1
        scrapes += 1
        if scrapes == 120:
            at120 = rss_mb(p.pid)
        if scrapes % 10 == 0:
            series.append(((time.monotonic() - t0) / 60, rss_mb(p.pid)))
        time.sleep(max(0, 1 - (time.monotonic() - tick)))
    final, threads = rss_mb(p.pid), status_field(p.pid, "Threads")
    print(f"  {kind} after scraping, resident MB by mapping: {smaps_summary(p.pid)}", file=sys.stderr)
    half = [s for s in series if s[0] >= MINUTES / 2] or series
    slope = statistics.linear_regression([s[0] for s in half], [s[1] for s in half]).slope if len(half) > 1 else float("nan")
    in_sync = metric(scrape(cl, port), "proton_port_sync_in_sync")
    stop(p)
    return dict(idle=idle, at120=at120, final=final, slope=slope, threads=threads, cpu=cpu, around=around, cycles=cycles, scrapes=scrapes, failed=failed, in_sync=in_sync)


def size_mb(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs) / 1e6
    return os.path.getsize(path) / 1e6


def fmt(v, spec=".1f"):
    return "—" if v is None or v != v else format(v, spec)


def main():
    if "floor" in SUBJECTS:
        sh("cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", f"{work}/floor", FLOOR)
    gw, cl, qb, password = build_rig()
    results = {}
    loop_samples = loop_cpu_per_cycle(cl, password, RUNS)
    for kind in SUBJECTS:
        started = statistics.median(start_to_listening(kind, cl, qb, password, RUNS))
        long = floor_run(cl, password) if kind == "floor" else daemon_long_run(kind, cl, qb, password) if kind != "loop" else {}
        results[kind] = dict(started=started, **long)
        loop_samples += long.get("around", [])
        print(f"  {kind}: done ({json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in results[kind].items()})})", file=sys.stderr)

    sizes = {"aot": size_mb(AOT), "jit": size_mb(os.path.dirname(JIT)), "loop": None, "floor": None}
    names = {"aot": "daemon, NativeAOT", "jit": "daemon, JIT", "loop": "ProtonVPN loop (natpmpc×2 + curl)", "floor": "floor (floor.c: the cycle's exchanges only)"}
    print()
    loop_cpu = statistics.median(loop_samples)
    print(f"Footprint and cost per cycle — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; renew every 1 s; "
          f"{MINUTES:g} min of 1 scrape/s; medians of {RUNS} starts; CPU (utime+stime) over {CPU_SECONDS} s (daemon) / "
          f"{len(loop_samples)}×{LOOP_CYCLES} cycles {LOOP_SLEEP:g} s apart (loop); a daemon's ratio is to the loop run just before and after its window")
    print()
    print("| subject | RSS idle (MB) | RSS after 120 scrapes | RSS after the scraping | slope (MB/min, 2nd half) | threads | CPU/cycle (ms) | loop ÷ this | start → listening (ms) | binary (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kind in SUBJECTS:
        r = results[kind]
        cpu = loop_cpu if kind == "loop" else r["cpu"]
        loop_then = statistics.mean(r["around"]) if kind != "loop" else loop_cpu
        print(f"| {names[kind]} | {fmt(r.get('idle'))} | {fmt(r.get('at120'))} | {fmt(r.get('final'))} | {fmt(r.get('slope'), '+.2f')} | "
              f"{r.get('threads', '—')} | {fmt(cpu, '.2f')} | {fmt(loop_then / cpu if cpu else None, '.1f')}× | {fmt(r['started'], '.0f')} | "
              f"{fmt(sizes[kind])}{' (+ .NET runtime)' if kind == 'jit' else ''} |")
    for kind in SUBJECTS:
        r = results[kind]
        if kind == "floor":
            print(f"  floor: {r['cycles']:.0f} cycles in the CPU window, the loop {' and '.join(f'{x:.1f}' for x in r['around'])} ms per cycle "
                  f"just before and after it; RSS idle {r['idle']:.1f} MB")
        elif kind != "loop":
            print(f"  {kind}: {r['cycles']:.0f} cycles in the CPU window, the loop {' and '.join(f'{x:.1f}' for x in r['around'])} ms per cycle "
                  f"just before and after it, {r['scrapes']} scrapes ({r['failed']} failed), in sync at the end: {r['in_sync'] == 1}")
    if "floor" in results and results["floor"]["cpu"] == 0:
        print(f"  ÷ floor: not measurable, the floor used less than one {1000 // TICK} ms tick in {CPU_SECONDS} s; raise CPU_SECONDS")
    elif "floor" in results:
        floor = results["floor"]["cpu"]
        for kind in SUBJECTS:
            if kind in ("aot", "jit"):
                print(f"  {kind} ÷ floor: {results[kind]['cpu'] / floor:.2f}× the floor's CPU per cycle (both make the same exchanges; the loop's cost is mostly exec)")
    print(f"  loop: {', '.join(f'{x:.1f}' for x in loop_samples)} ms per cycle (every sample, in order)")


try:
    main()
finally:
    cleanup()
