"""SNMP exporter benchmark: ours against Debian's prometheus-snmp-exporter.

    python benchmarks/snmp.py [--rounds 3] [--seconds 6] [--concurrency 8] [--agents 4]

Needs root (it makes a network namespace). Inside it: ``--agents`` net-snmp ``snmpd``
processes on 127.0.1.N, and 54 veth ends plus lo, so each agent serves a real 55-row
IF-MIB at C speed. Both exporters are scraped over the same OIDs (module ``if_mib``; an
snmp.yml for exactly those is generated) by ``--concurrency`` clients in a loop for
``--seconds``, ``--rounds`` times each, alternating. Per round: CPU seconds of the exporter
process and of the agents (from /proc/<pid>/stat), device scrapes and varbinds. Printed:
medians, and ours / snmp_exporter.

"Ours" is the HTTP exporter (``edunet exporters run snmp``) when that command exists, else
our poll plus a plain prometheus_client render in a process of its own
(``benchmarks/snmp_inproc.py``: no HTTP server, so it flatters us a little).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import snmp_agents  # noqa: E402
from benchmarks.snmp_inproc import cpu_seconds  # noqa: E402
from benchmarks.snmp_yml import snmp_yml  # noqa: E402
from exporters.snmp.oids import MODULES  # noqa: E402

COMMUNITY = "bench"
VETH_PAIRS = 27  # 54 interfaces + lo: a 55-row ifTable like a 48-port switch with uplinks
SNMP_EXPORTER_PORT = 9116
OUR_PORT = 9117
V3_PROFILE = "v3-default"  # the test city's devices use it


@dataclass
class Round:
    scrapes: int
    varbinds: int
    failures: int
    exporter_cpu_s: float
    agents_cpu_s: float
    wall_s: float


@dataclass
class Figures:
    name: str
    rounds: list[Round] = field(default_factory=list)

    def median(self, what: str) -> float:
        values = []
        for r in self.rounds:
            per_scrape = max(r.scrapes, 1)
            values.append(
                {
                    "cpu_ms": 1000 * r.exporter_cpu_s / per_scrape,
                    "agent_cpu_ms": 1000 * r.agents_cpu_s / per_scrape,
                    "scrapes_s": r.scrapes / r.wall_s,
                    "varbinds_s": r.varbinds / r.wall_s,
                    "failures": r.failures,
                }[what]
            )
        return statistics.median(values)


def wait_http(url: str, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout_s:g} s")


async def http_load(
    urls: list[str], seconds: float, concurrency: int, pdus_metric: bytes
) -> tuple[int, int, int, float]:
    """Scrape ``urls`` round-robin; (ok scrapes, varbinds, failures, wall seconds)."""
    import aiohttp

    counts = [0, 0, 0]
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:

        async def worker(offset: int) -> None:
            i = offset
            while time.monotonic() < deadline:
                async with http.get(urls[i % len(urls)]) as answer:
                    body = await answer.read()
                i += 1
                at = body.find(pdus_metric)
                if answer.status != 200 or at < 0:
                    counts[2] += 1
                    continue
                end = body.index(b"\n", at + 1)
                value = float(body[at + len(pdus_metric) : end].split()[-1])
                if pdus_metric.startswith(b"edunet") and value == 0:
                    counts[2] += 1
                    continue
                counts[0] += 1
                counts[1] += int(value)

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return counts[0], counts[1], counts[2], time.monotonic() - started


def measure_http(
    pid: int, agents: list[int], urls: list[str], args: argparse.Namespace, metric: bytes
) -> Round:
    cpu0, agents0 = cpu_seconds(pid), sum(cpu_seconds(a) for a in agents)
    scrapes, varbinds, failures, wall = asyncio.run(
        http_load(urls, args.seconds, args.concurrency, metric)
    )
    cpu1, agents1 = cpu_seconds(pid), sum(cpu_seconds(a) for a in agents)
    return Round(scrapes, varbinds, failures, cpu1 - cpu0, agents1 - agents0, wall)


def measure_inproc(agents: list[int], addresses: list[str], args: argparse.Namespace) -> Round:
    argv = [sys.executable, str(ROOT / "benchmarks" / "snmp_inproc.py")]
    argv += ["--targets", ",".join(addresses), "--community", COMMUNITY]
    argv += ["--seconds", str(args.seconds), "--concurrency", str(args.concurrency)]
    agents0 = sum(cpu_seconds(a) for a in agents)
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=120)
    agents1 = sum(cpu_seconds(a) for a in agents)
    f = json.loads(done.stdout.strip().splitlines()[-1])
    # the agents' share of the warm-up is small; counted anyway, per scrape
    return Round(
        f["scrapes"], f["varbinds"], f["failures"], f["cpu_s"], agents1 - agents0, f["wall_s"]
    )


def our_http_exporter() -> list[str] | None:
    """The HTTP exporter's command line, if the CLI has it."""
    edunet = shutil.which("edunet")
    if edunet is None:
        return None
    probe = subprocess.run([edunet, "exporters", "run", "--help"], capture_output=True, text=True)
    return [edunet, "exporters", "run", "snmp"] if probe.returncode == 0 else None


def start_our_exporter(
    command: list[str], addresses: list[str], v3: tuple[str, str, str], workdir: Path
) -> tuple[subprocess.Popen[bytes], list[str]]:
    """Ours over HTTP, its first SNMPv3 devices of the test city mapped onto the agents."""
    import edunet

    inventory = ROOT / "tests" / "core" / "data" / "small.yaml"
    devices = [
        d
        for d in edunet.load(inventory).devices.values()
        if d.snmp is not None and d.snmp.name == V3_PROFILE and d.mgmt_ip is not None
    ][: len(addresses)]
    rules = ",".join(f"{d.mgmt_ip}/32={a}/32" for d, a in zip(devices, addresses, strict=False))
    prefix = "EDUNET_SNMP_" + V3_PROFILE.upper().replace("-", "_")
    env = dict(os.environ)
    env.update({f"{prefix}_USER": v3[0], f"{prefix}_AUTH_KEY": v3[1], f"{prefix}_PRIV_KEY": v3[2]})
    argv = [*command, "-i", str(inventory), "--address-map", rules]
    argv += ["--listen-snmp", f"127.0.0.1:{OUR_PORT}"]
    env.pop("EDUNET_SECRETS_FILE", None)  # the keys come from the environment above
    log = open(workdir / "ours.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, [d.name for d in devices]


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
        config = workdir / "snmp.yml"
        config.write_text(snmp_yml(MODULES["if_mib"], COMMUNITY, v3=v3), encoding="utf-8")
        config.chmod(0o600)
        version = subprocess.run(
            ["prometheus-snmp-exporter", "--version"], capture_output=True, text=True
        )
        theirs = subprocess.Popen(
            [
                "prometheus-snmp-exporter",
                f"--config.file={config}",
                f"--web.listen-address=127.0.0.1:{SNMP_EXPORTER_PORT}",
                "--log.level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(theirs)
        base = f"http://127.0.0.1:{SNMP_EXPORTER_PORT}/snmp?module=if_mib"
        wait_http(f"{base}&target={addresses[0]}")
        agent_pids = [p.pid for p in agents]
        first = (version.stdout or version.stderr).splitlines()[0]
        print(f"{first}; {args.agents} snmpd agents x 55 interfaces; module if_mib")
        print(f"{args.rounds} rounds x {args.seconds:g} s, {args.concurrency} scrapes in flight")

        ours_http = our_http_exporter()
        tables = [
            ("SNMPv2c", Figures("snmp_exporter"), Figures("ours: poll+render, no HTTP")),
        ]
        if ours_http:
            ours, names = start_our_exporter(ours_http, addresses, v3, workdir)
            processes.append(ours)
            our_base = f"http://127.0.0.1:{OUR_PORT}/snmp?module=if_mib"
            try:
                wait_http(f"{our_base}&target={names[0]}")
            except RuntimeError:
                sys.stderr.write((workdir / "ours.log").read_text(errors="replace")[-2000:])
                raise
            tables.append(
                ("SNMPv3 authPriv SHA/AES", Figures("snmp_exporter"), Figures("ours: HTTP"))
            )
        their_metric = b"\nsnmp_scrape_pdus_returned "
        for _ in range(args.rounds):
            v2, v2_ours = tables[0][1], tables[0][2]
            urls = [f"{base}&target={a}" for a in addresses]
            v2.rounds.append(measure_http(theirs.pid, agent_pids, urls, args, their_metric))
            v2_ours.rounds.append(measure_inproc(agent_pids, addresses, args))
            if ours_http:
                h, h_ours = tables[1][1], tables[1][2]
                urls = [f"{base}_v3&target={a}" for a in addresses]
                h.rounds.append(measure_http(theirs.pid, agent_pids, urls, args, their_metric))
                urls = [f"{our_base}&target={n}" for n in names]
                metric = b"\nedunet_snmp_varbinds{"
                h_ours.rounds.append(measure_http(ours.pid, agent_pids, urls, args, metric))
        for title, their_figures, our_figures in tables:
            print(f"\n{title}")
            print_table([their_figures, our_figures])
        if not ours_http:
            print("\n(edunet exporters run snmp not available: HTTP exporter not measured)")
    finally:
        for p in processes:
            snmp_agents.stop(p)


def print_table(figures: list[Figures]) -> None:
    rows = [
        ("exporter CPU ms / device scrape", "cpu_ms", False),
        ("agents CPU ms / device scrape", "agent_cpu_ms", False),
        ("device scrapes / s", "scrapes_s", True),
        ("varbinds / s", "varbinds_s", True),
        ("failed scrapes / round", "failures", False),
    ]
    theirs, ours = figures
    print(f"{'median':34} {theirs.name:>15} {ours.name:>30} {'ours/theirs':>12}")
    for label, key, _higher_better in rows:
        a, b = theirs.median(key), ours.median(key)
        ratio = f"{b / a:.2f}" if a else "-"
        print(f"{label:34} {a:15.2f} {b:30.2f} {ratio:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--agents", type=int, default=4)
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
    netns = f"edunet-snmpbench-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="snmpbench-") as tmp:
        try:
            snmp_agents.netns_create(netns, VETH_PAIRS)
            argv = ["ip", "netns", "exec", netns, sys.executable, __file__, "--inside", tmp]
            argv += ["--rounds", str(args.rounds), "--seconds", str(args.seconds)]
            argv += ["--concurrency", str(args.concurrency), "--agents", str(args.agents)]
            subprocess.run(argv, check=True, timeout=170)
        finally:
            snmp_agents.netns_delete(netns)


if __name__ == "__main__":
    main()
