"""Shared pieces of the acceptance tests (their fixtures are in conftest.py): the sample
city's lab on a free port, the exporters as real processes, net-snmp's own tools, and a small
reader of the exposition text.

Everything here drives the product the way an operator does: ``edunet lab up|down|fault``
and ``edunet exporters run`` as commands, the lab's secrets file, HTTP scrapes.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import processes
from support.ports import free_port_on, free_tcp_port
from support.ready import NotReady, http_get, wait_http

from edunet.model import Device, Inventory
from edunet.reach import LAB_MAP
from lab.netfaults import NetFaults

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "inventory.yaml"
ADDRESS_MAP = "10.0.0.0/8=127.0.0.0/8"
TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds"
V3_PREFIX = "EDUNET_SNMP_V3_DEFAULT_"

# Figures the tests measured, printed at the end of the run (also without ``-s``).
FIGURES: list[str] = []


def figure(test: str, text: str) -> None:
    line = f"{test}: {text}"
    FIGURES.append(line)
    print(line, flush=True)


def edunet_cmd(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``edunet ARGS`` as a child process, as CI runs it."""
    return processes.edunet(*args, env=env, timeout=timeout)


def snmp_devices(inv: Inventory) -> list[Device]:
    return [d for d in inv.devices.values() if d.snmp is not None and d.platform.snmp]


def lab_address(device: Device) -> str:
    return str(LAB_MAP(device.mgmt_ip))


def free_udp_port(addresses: list[str]) -> int:
    """A high UDP port free on every lab address (another lab may be running on its own)."""
    return free_port_on(addresses, socket.SOCK_DGRAM)


# --- the lab ------------------------------------------------------------------------------------


@dataclass
class Lab:
    state_dir: Path
    port: int
    inv: Inventory
    secrets_file: Path
    secrets: dict[str, str]
    pids: list[tuple[int, list[str]]]
    up_seconds: float
    namespaces: set[str] = field(default_factory=set)
    responders: set[int] = field(default_factory=set)

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return edunet_cmd(*args, "--state-dir", str(self.state_dir), timeout=timeout)

    def fault(self, *args: str) -> None:
        """``edunet lab fault ARGS``; fails the test when the command does."""
        done = self.cli("lab", "fault", *args)
        assert done.returncode == 0, f"lab fault {' '.join(args)}: {done.stderr.strip()}"
        self.note_network_faults()

    def clear_all(self) -> None:
        done = self.cli("lab", "fault", "clear", "--all")
        assert done.returncode == 0, done.stderr

    def note_network_faults(self) -> None:
        """Remember the namespaces and responders in place, to check that down removes them."""
        if os.geteuid() != 0:
            return
        for f in NetFaults(self.state_dir).active():
            if f.namespace:
                self.namespaces.add(f.namespace)
            if f.responder_pid:
                self.responders.add(f.responder_pid)

    def env(self, secrets_file: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_SNMP_")}
        env["EDUNET_SECRETS_FILE"] = str(secrets_file or self.secrets_file)
        return env


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def agents_state(sd: Path) -> dict[str, Any]:
    from lab.state import read_state

    return read_state(sd) or {}


# --- the exporters ------------------------------------------------------------------------------


@dataclass
class Exporter:
    proc: subprocess.Popen[bytes]
    base: str  # http://127.0.0.1:PORT

    def get(
        self, path: str, timeout: float = 30, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        return http_get(self.base + path, timeout, headers)

    def scrape(self, target: str, module: str = "if_mib", scrape_timeout: float = 10) -> Metrics:
        status, body = self.get(
            f"/snmp?target={target}&module={module}",
            timeout=scrape_timeout + 5,
            headers={TIMEOUT_HEADER: str(scrape_timeout)},
        )
        assert status == 200, f"scrape of {target}: HTTP {status}: {body[:200]}"
        return Metrics.parse(body)

    def stop(self) -> None:
        processes.stop(self.proc, 15)


def start_exporter(
    lab: Lab,
    log: Path,
    secrets_file: Path | None = None,
    which: str = "snmp",
    extra: tuple[str, ...] = (),
) -> Exporter:
    """``edunet exporters run snmp`` (or ``probe``) against the lab, ready to scrape."""
    port = free_tcp_port()
    argv = [*processes.EDUNET, "exporters", "run", which, "-i", str(INVENTORY)]
    argv += ["--address-map", ADDRESS_MAP, "--snmp-port", str(lab.port)]
    argv += [f"--listen-{which}", f"127.0.0.1:{port}", "--log-format", "logfmt", *extra]
    proc = processes.spawn(argv, log=log, env=lab.env(secrets_file))
    exporter = Exporter(proc, f"http://127.0.0.1:{port}")
    try:
        wait_http(f"{exporter.base}/metrics", 60, proc=proc, log=log)
    except NotReady:
        exporter.stop()
        raise
    return exporter


# --- the exposition text ------------------------------------------------------------------------

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def _unescape(v: str) -> str:
    return v.replace(r"\"", '"').replace(r"\n", "\n").replace("\\\\", "\\")


@dataclass
class Metrics:
    samples: list[tuple[str, dict[str, str], float]]

    @classmethod
    def parse(cls, text: str) -> Metrics:
        out = []
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = _SAMPLE.match(line)
            if m is None:
                continue
            labels = {k: _unescape(v) for k, v in _LABEL.findall(m.group(2) or "")}
            out.append((m.group(1), labels, float(m.group(3))))
        return cls(out)

    def all(self, name: str, **match: str) -> list[tuple[dict[str, str], float]]:
        return [
            (labels, value)
            for n, labels, value in self.samples
            if n == name and all(labels.get(k) == v for k, v in match.items())
        ]

    def one(self, name: str, **match: str) -> float:
        found = self.all(name, **match)
        assert len(found) == 1, f"{name}{match}: {len(found)} samples"
        return found[0][1]

    def labels(self, name: str) -> dict[str, str]:
        found = self.all(name)
        assert len(found) == 1, f"{name}: {len(found)} samples"
        return found[0][0]

    def by_interface(self, name: str) -> dict[str, float]:
        return {labels["interface"]: value for labels, value in self.all(name)}


# --- net-snmp's own tools -----------------------------------------------------------------------


def net_snmp_auth(lab: Lab, device: Device) -> list[str]:
    """Command-line credentials for ``device``'s profile, from the lab's secrets."""
    assert device.snmp is not None
    p = device.snmp.env_prefix
    if device.snmp.version == "v2c":
        return ["-v2c", "-c", lab.secrets[f"{p}_COMMUNITY"]]
    return [
        "-v3", "-l", "authPriv", "-u", lab.secrets[f"{p}_USER"],
        "-a", (device.snmp.auth or "sha").upper(), "-A", lab.secrets[f"{p}_AUTH_KEY"],
        "-x", (device.snmp.priv or "aes").upper(), "-X", lab.secrets[f"{p}_PRIV_KEY"],
        "-n", lab.secrets.get(f"{p}_CONTEXT", "public"),
    ]  # fmt: skip


# numeric OIDs, enums and timeticks as numbers, no types or units, strings as ASCII
NET_SNMP_OUTPUT = ["-On", "-Oe", "-Ot", "-OQ", "-OU", "-Oa"]


def parse_net_snmp(text: str) -> dict[tuple[int, ...], str]:
    """``.1.3.6… = value`` lines into OID -> value (strings without their quotes)."""
    out: dict[tuple[int, ...], str] = {}
    for line in text.splitlines():
        if not line.startswith(".") or " = " not in line:
            continue  # a continuation of a multi-line string
        name, value = line.split(" = ", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        out[tuple(int(x) for x in name.strip(".").split("."))] = value
    return out
