"""SNMP exporter benchmark: ours against Debian's prometheus-snmp-exporter, both over HTTP.

    python benchmarks/snmp.py [--rounds 5] [--seconds 4] [--slice 1] [--concurrency 8]
                              [--many 200] [--agents 4]
    python benchmarks/snmp.py --profile v3      # also write a py-spy flame graph of ours

Needs root (it makes a network namespace). Inside it: ``--agents`` net-snmp ``snmpd``
processes on 127.0.1.N, and 54 veth ends plus lo, so each agent serves a real 55-row
IF-MIB at C speed. Both exporters run as HTTP servers and are scraped over the same OIDs
with the same labels (module ``if_mib``, snmp_exporter's shaped as its generator writes it).
Three cases: SNMPv2c and SNMPv3 authPriv (SHA, AES) with ``--concurrency`` scrapes in
flight, and SNMPv3 with ``--many`` in flight. Ours serves a copy of the test city in which
the first devices of one school site use a v2c profile, the rest SNMPv3; both sets are
mapped onto the same agents.

The machine may be busy with other work, and its load moves: so within each round the two
exporters take turns in ``--slice``-second slices (theirs, ours, ours, theirs, ...; the
round after starts with the other) until each has had ``--seconds``, and whatever load
the machine carries falls on both alike. Per slice: CPU seconds of the exporter process
and of the agents (from /proc/<pid>/stat), device scrapes and varbinds; a round adds its
slices up. Printed per case: the median of each figure over the rounds, and the ratio
ours / snmp_exporter as the median of the per-round ratios with their spread (min–max).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the units, and the tests' shared harness

from support import ready, snmp_agents  # noqa: E402
from support.ports import free_tcp_port  # noqa: E402
from support.processes import spawn  # noqa: E402
from support.snmp_exporter_yml import snmp_yml  # noqa: E402

from exporters.snmp.oids import MODULES  # noqa: E402

COMMUNITY = "bench"
VETH_PAIRS = 27  # 54 interfaces + lo: a 55-row ifTable like a 48-port switch with uplinks
V3_PROFILE = "v3-default"  # the test city's devices use it
V2C_PROFILE = "bench-v2c"
V2C_SITE = "79760012"  # a school with four devices: they use the v2c profile
TICKS = os.sysconf("SC_CLK_TCK")
THEIR_VARBINDS = b"\nsnmp_scrape_pdus_returned "
OUR_VARBINDS = b"\nedunet_snmp_varbinds{"
# ours answers a failed poll with a 200 that says so (and may count the varbinds it did get);
# snmp_exporter answers it with a 500
OUR_FAILED_POLL = b"\nedunet_snmp_error{"


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass(frozen=True, slots=True)
class Case:
    """One comparison: an SNMP version and how many scrapes are in flight."""

    title: str
    version: str  # "v2c" | "v3": which URLs of each exporter
    concurrency: int


@dataclass(frozen=True, slots=True)
class Round:
    """What one exporter did in a slice, or in a round's slices added up."""

    scrapes: int = 0
    varbinds: int = 0
    failures: int = 0
    exporter_cpu_s: float = 0.0
    agents_cpu_s: float = 0.0
    wall_s: float = 0.0

    def __add__(self, other: Round) -> Round:
        return Round(
            self.scrapes + other.scrapes,
            self.varbinds + other.varbinds,
            self.failures + other.failures,
            self.exporter_cpu_s + other.exporter_cpu_s,
            self.agents_cpu_s + other.agents_cpu_s,
            self.wall_s + other.wall_s,
        )

    def figure(self, what: str) -> float:
        per_scrape = max(self.scrapes, 1)
        wall = max(self.wall_s, 1e-9)
        return {
            "cpu_ms": 1000 * self.exporter_cpu_s / per_scrape,
            "agent_cpu_ms": 1000 * self.agents_cpu_s / per_scrape,
            "scrapes_s": self.scrapes / wall,
            "varbinds_s": self.varbinds / wall,
            "varbinds": self.varbinds / per_scrape,
            "failures": float(self.failures),
        }[what]


@dataclass
class Figures:
    """Both exporters' rounds of one case, round n of each taken in the same slices."""

    theirs: list[Round] = field(default_factory=list)
    ours: list[Round] = field(default_factory=list)

    def median(self, who: str, what: str) -> float:
        rounds = self.theirs if who == "theirs" else self.ours
        return statistics.median(r.figure(what) for r in rounds) if rounds else 0.0

    def ratios(self, what: str) -> list[float]:
        """ours / theirs, round by round (rounds where theirs is 0 left out)."""
        pairs = zip(self.ours, self.theirs, strict=True)
        return [o.figure(what) / t.figure(what) for o, t in pairs if t.figure(what)]


async def http_load(
    urls: list[str], seconds: float, concurrency: int, varbinds_metric: bytes
) -> Round:
    """Scrape ``urls`` round-robin, ``concurrency`` at a time, for ``seconds`` (then let the
    scrapes in flight finish); the counts, CPU left at 0."""
    import aiohttp

    counts = [0, 0, 0]
    deadline = time.monotonic() + seconds
    # as Prometheus scrapes: gzip asked for, so both exporters compress their pages
    headers = {"Accept-Encoding": "gzip"}
    timeout = aiohttp.ClientTimeout(total=15)
    connector = aiohttp.TCPConnector(limit=concurrency)  # the default would cap it at 100
    async with aiohttp.ClientSession(timeout=timeout, headers=headers, connector=connector) as http:

        async def worker(offset: int) -> None:
            i = offset
            while time.monotonic() < deadline:
                try:
                    async with http.get(urls[i % len(urls)]) as answer:
                        body = await answer.read()
                except (aiohttp.ClientError, TimeoutError):
                    counts[2] += 1
                    continue
                finally:
                    i += 1
                at = body.find(varbinds_metric)
                if answer.status != 200 or at < 0 or OUR_FAILED_POLL in body:
                    counts[2] += 1
                    continue
                end = body.index(b"\n", at + 1)
                value = float(body[at + len(varbinds_metric) : end].split()[-1])
                if value == 0:
                    counts[2] += 1
                    continue
                counts[0] += 1
                counts[1] += int(value)

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return Round(counts[0], counts[1], counts[2], wall_s=time.monotonic() - started)


def measure(
    pid: int, agents: list[int], urls: list[str], seconds: float, concurrency: int, metric: bytes
) -> Round:
    """One slice of load on one exporter, with the CPU it and the agents spent."""
    cpu0, agents0 = cpu_seconds(pid), sum(cpu_seconds(a) for a in agents)
    load = asyncio.run(http_load(urls, seconds, concurrency, metric))
    cpu1, agents1 = cpu_seconds(pid), sum(cpu_seconds(a) for a in agents)
    return load + Round(exporter_cpu_s=cpu1 - cpu0, agents_cpu_s=agents1 - agents0)


def interleaved_round(
    case: Case,
    urls: dict[tuple[str, str], list[str]],
    pids: dict[str, int],
    agents: list[int],
    args: argparse.Namespace,
    ours_first: bool,
) -> dict[str, Round]:
    """One round of a case: the exporters take turns in slices (ABBA, so neither always goes
    first) until each has had ``args.seconds``; each one's slices added up."""
    metrics = {"theirs": THEIR_VARBINDS, "ours": OUR_VARBINDS}
    order = ["ours", "theirs"] if ours_first else ["theirs", "ours"]
    totals = {"theirs": Round(), "ours": Round()}
    for n in range(max(1, round(args.seconds / args.slice))):
        for who in order if n % 2 == 0 else reversed(order):
            totals[who] += measure(
                pids[who],
                agents,
                urls[(who, case.version)],
                args.slice,
                case.concurrency,
                metrics[who],
            )
    return totals


def bench_inventory(workdir: Path) -> Path:
    """The test city with a v2c profile on one school's devices (the rest stay SNMPv3)."""
    data = yaml.safe_load((ROOT / "tests" / "core" / "data" / "small.yaml").read_text("utf-8"))
    data["credentials"]["snmp"][V2C_PROFILE] = {"version": "v2c"}
    for site in data["sites"]:
        if str(site["code"]) == V2C_SITE:
            site["snmp"] = V2C_PROFILE
    path = workdir / "inventory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def start_our_exporter(
    addresses: list[str], v3: tuple[str, str, str], workdir: Path, port: int
) -> tuple[subprocess.Popen[bytes], dict[str, list[str]]]:
    """Ours over HTTP; per version the device names that reach the agents."""
    import edunet

    inventory = bench_inventory(workdir)
    names: dict[str, list[str]] = {}
    rules = []
    for version, profile in (("v2c", V2C_PROFILE), ("v3", V3_PROFILE)):
        devices = [
            d
            for d in edunet.load(inventory).devices.values()
            if d.snmp is not None and d.snmp.name == profile and d.mgmt_ip is not None
        ][: len(addresses)]
        if len(devices) < len(addresses):
            raise RuntimeError(f"the benchmark city has too few {version} devices")
        rules += [f"{d.mgmt_ip}/32={a}/32" for d, a in zip(devices, addresses, strict=True)]
        names[version] = [d.name for d in devices]
    v3_prefix = "EDUNET_SNMP_" + V3_PROFILE.upper().replace("-", "_")
    v2_prefix = "EDUNET_SNMP_" + V2C_PROFILE.upper().replace("-", "_")
    env = dict(os.environ)
    env.pop("EDUNET_SECRETS_FILE", None)  # the secrets come from the environment below
    env.update({f"{v3_prefix}_USER": v3[0], f"{v3_prefix}_AUTH_KEY": v3[1]})
    env.update({f"{v3_prefix}_PRIV_KEY": v3[2], f"{v2_prefix}_COMMUNITY": COMMUNITY})
    argv = [sys.executable, "-m", "edunet", "exporters", "run", "snmp", "-i", str(inventory)]
    argv += ["--address-map", ",".join(rules), "--listen-snmp", f"127.0.0.1:{port}"]
    return spawn(argv, log=workdir / "ours.log", env=env), names


def start_theirs(workdir: Path, v3: tuple[str, str, str], port: int) -> subprocess.Popen[bytes]:
    config = workdir / "snmp.yml"
    config.write_text(snmp_yml(MODULES["if_mib"], COMMUNITY, v3=v3), encoding="utf-8")
    config.chmod(0o600)
    return spawn(
        [
            "prometheus-snmp-exporter",
            f"--config.file={config}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        log=subprocess.DEVNULL,
        cwd=None,
    )


def profile_ours(pid: int, seconds: float, urls: list[str], args: argparse.Namespace) -> None:
    """py-spy samples of ours while ``urls`` are scraped: collapsed stacks, and a summary."""
    out = Path(args.profile_dir) / f"ours-{args.profile}.folded"
    spy = subprocess.Popen(
        [
            *("py-spy", "record", "-p", str(pid), "-d", str(int(seconds) + 1), "-r", "250"),
            *("--format", "raw", "-o", str(out)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # py-spy attaches
    measure(pid, [], urls, seconds, args.concurrency, OUR_VARBINDS)
    spy.wait(timeout=seconds + 30)
    print(f"\nwhere ours spends its time ({args.profile}; stacks in {out})")
    print_profile(out)


def print_profile(folded: Path, top: int = 40) -> None:
    """Inclusive share of the samples per function (file:function), the largest first."""
    inclusive: dict[str, int] = {}
    total = 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        seen = set()
        for frame in stack.split(";"):
            name, _, where = frame.partition(" (")
            key = f"{where.split(':')[0].rsplit('/', 1)[-1]}:{name.strip()}"
            if key not in seen:
                seen.add(key)
                inclusive[key] = inclusive.get(key, 0) + n
    below_loop = [kv for kv in inclusive.items() if kv[1] < 0.97 * total]  # not the frames
    for key, n in sorted(below_loop, key=lambda kv: -kv[1])[:top]:
        print(f"{100 * n / max(total, 1):6.1f}%  {key}")


def inside(args: argparse.Namespace, workdir: Path) -> None:
    """Everything that runs in the namespace: agents, exporters, load, the tables."""
    processes: list[subprocess.Popen[bytes]] = []
    v3 = ("bench", secrets.token_hex(8), secrets.token_hex(8))
    try:
        addresses = [f"127.0.1.{i + 1}" for i in range(args.agents)]
        agents = [snmp_agents.start_snmpd(workdir, a, COMMUNITY, v3=v3) for a in addresses]
        processes += agents
        for a in addresses:
            snmp_agents.wait_for_agent(a, 161, COMMUNITY)
        # free ports, not the exporters' defaults (the namespace is ours, but a run of the
        # benchmark without one must not collide with exporters already listening)
        their_port, our_port = free_tcp_port(), free_tcp_port()
        while our_port == their_port:
            our_port = free_tcp_port()
        theirs = start_theirs(workdir, v3, their_port)
        processes.append(theirs)
        ours, names = start_our_exporter(addresses, v3, workdir, our_port)
        processes.append(ours)
        their_base = f"http://127.0.0.1:{their_port}/snmp?module=if_mib"
        our_base = f"http://127.0.0.1:{our_port}/snmp?module=if_mib"
        urls = {
            ("theirs", "v2c"): [f"{their_base}&target={a}" for a in addresses],
            ("theirs", "v3"): [f"{their_base}_v3&target={a}" for a in addresses],
            ("ours", "v2c"): [f"{our_base}&target={n}" for n in names["v2c"]],
            ("ours", "v3"): [f"{our_base}&target={n}" for n in names["v3"]],
        }
        try:
            for group in urls.values():  # also warms up engines and keys
                for url in group:
                    ready.wait_http(url, 60)  # a loaded machine starts it slowly
        except RuntimeError:
            sys.stderr.write((workdir / "ours.log").read_text(errors="replace")[-2000:])
            raise
        about = subprocess.run(
            ["prometheus-snmp-exporter", "--version"], capture_output=True, text=True
        )
        first = (about.stdout or about.stderr).splitlines()[0]
        print(f"{first}; {args.agents} snmpd agents x 55 interfaces; module if_mib")
        print(
            f"{args.rounds} rounds; in each, per case, {args.seconds:g} s per exporter in "
            f"alternating {args.slice:g} s slices; both over HTTP with gzip, as Prometheus scrapes"
        )
        print(f"machine: {os.cpu_count()} CPUs, load average {_load()} at the start")
        pids = {"theirs": theirs.pid, "ours": ours.pid}
        agent_pids = [p.pid for p in agents]
        cases = [
            Case(f"SNMPv2c, {args.concurrency} in flight", "v2c", args.concurrency),
            Case(f"SNMPv3 authPriv SHA/AES, {args.concurrency} in flight", "v3", args.concurrency),
            Case(f"SNMPv3 authPriv SHA/AES, {args.many} in flight", "v3", args.many),
        ]
        figures = [Figures() for _ in cases]
        started = time.monotonic()
        for n in range(args.rounds):
            for case, fig in zip(cases, figures, strict=True):
                done = interleaved_round(case, urls, pids, agent_pids, args, ours_first=n % 2 == 1)
                fig.theirs.append(done["theirs"])
                fig.ours.append(done["ours"])
        for case, fig in zip(cases, figures, strict=True):
            print(f"\n{case.title}")
            print_table(fig)
        minutes = (time.monotonic() - started) / 60
        print(f"\nmeasured in {minutes:.1f} min; load average {_load()} at the end")
        if args.profile:
            profile_ours(ours.pid, args.seconds, urls[("ours", args.profile)], args)
    finally:
        for p in processes:
            snmp_agents.stop(p)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def print_table(fig: Figures) -> None:
    rows = [
        ("exporter CPU ms / device scrape", "cpu_ms"),
        ("agents CPU ms / device scrape", "agent_cpu_ms"),
        ("device scrapes / s", "scrapes_s"),
        ("varbinds / s", "varbinds_s"),
        ("varbinds / device scrape", "varbinds"),
        ("failed scrapes / round", "failures"),
    ]
    head = ("median over rounds", "snmp_exporter", "ours", "ours/theirs", "min–max")
    print(f"{head[0]:34} {head[1]:>14} {head[2]:>10} {head[3]:>12} {head[4]:>12}")
    for label, key in rows:
        a, b = fig.median("theirs", key), fig.median("ours", key)
        ratios = fig.ratios(key) if key != "failures" else []
        ratio = f"{statistics.median(ratios):.2f}" if ratios else "-"
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if ratios else ""
        print(f"{label:34} {a:14.2f} {b:10.2f} {ratio:>12} {spread:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0, help="per exporter, case and round")
    parser.add_argument("--slice", type=float, default=1.0, help="the turns the exporters take")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--many", type=int, default=200, help="in flight in the third case")
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument("--profile", choices=("v2c", "v3"), help="py-spy ours afterwards")
    parser.add_argument("--profile-dir", default=".", help=argparse.SUPPRESS)
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # the namespace's workdir
    args = parser.parse_args()
    if args.inside:
        inside(args, Path(args.inside))
        return
    if os.geteuid() != 0:
        sys.exit("needs root: it creates a network namespace for the agents")
    for binary in ("ip", "snmpd", "snmpget", "prometheus-snmp-exporter"):
        if shutil.which(binary) is None:
            sys.exit(f"{binary} is not installed")
    if args.profile and shutil.which("py-spy") is None:
        sys.exit("--profile needs py-spy")
    # three cases a round, two exporters each; a slice may wait for its last scrapes (up to
    # the client's timeout with ``--many`` in flight on a loaded machine)
    slices = max(1, round(args.seconds / args.slice))
    per_round = 2 * 2 * slices * (args.slice + 5) + 2 * slices * (args.slice + 16)
    bound = 90 + args.rounds * per_round + (args.seconds + 30 if args.profile else 0)
    netns = f"edunet-snmpbench-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="snmpbench-") as tmp:
        try:
            snmp_agents.netns_create(netns, VETH_PAIRS)
            argv = ["ip", "netns", "exec", netns, sys.executable, __file__, "--inside", tmp]
            argv += ["--rounds", str(args.rounds), "--seconds", str(args.seconds)]
            argv += ["--slice", str(args.slice), "--many", str(args.many)]
            argv += ["--concurrency", str(args.concurrency), "--agents", str(args.agents)]
            if args.profile:
                argv += ["--profile", args.profile, "--profile-dir", os.path.abspath(".")]
            # a session of its own: on a timeout its agents and exporters go with it
            run = subprocess.Popen(argv, start_new_session=True)
            try:
                if run.wait(timeout=bound):
                    sys.exit(f"the benchmark failed (exit {run.returncode})")
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()
                sys.exit(f"the benchmark took longer than {bound:.0f} s")
        finally:
            snmp_agents.netns_delete(netns)


if __name__ == "__main__":
    main()
