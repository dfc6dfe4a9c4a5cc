"""The lab's SNMP agents: snmpsim command responders, one per shard of the city's devices.

One responder serves many endpoints (``--agent-udpv4-endpoint`` per device) and picks a
device's data by snmpsim's own naming: ``<data-dir>/<context>/<transport domain>.snmprec``,
where the transport domain ``1.3.6.1.6.1.1.N`` is the N-th endpoint of that responder and
the context is ``public`` for SNMPv3 (the context the clients send) or ``v2c-<profile>``
for a community, mapped by the launcher below. A device thus answers only at its own
address, and only with its profile's SNMP version.

The launcher (``python -m lab.agents``) runs snmpsim's responder with the data of
each endpoint in memory, answered from pre-encoded tables (:mod:`lab.agent_responder`),
with its per-endpoint data selection repaired for pysnmp 7, and with the v2c communities
registered from a chmod-600 file rather than from data file names (which would put the
community in a file name).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edunet import atomic
from edunet.model import SnmpProfile
from lab.credentials import SNMP_CONTEXT
from lab.snmprec import LIVE

__all__ = [
    "Endpoint",
    "probe",
    "process_alive",
    "rss_kib",
    "shard_argv",
    "start",
    "stop",
    "transport_domain",
    "write_shard_config",
]

UDP_DOMAIN = "1.3.6.1.6.1.1"  # snmpsim numbers each endpoint's transport domain under this
MAX_BULK_VARBINDS = 100  # per GETBULK response: net-snmp snmpd's maxGetbulkResponses default


@dataclass(frozen=True, slots=True)
class Endpoint:
    device: str
    address: str  # lab address (127.a.b.c)
    context: str  # "public" for SNMPv3, "v2c-<profile>" for a community
    shard: int
    index: int  # position among the shard's endpoints: its transport domain


def context_of(profile: SnmpProfile) -> str:
    return SNMP_CONTEXT if profile.version == "v3" else f"v2c-{profile.name}"


def transport_domain(index: int) -> str:
    return f"{UDP_DOMAIN}.{index}"


def data_file(shard_dir: Path, ep: Endpoint) -> Path:
    return shard_dir / ep.context / f"{transport_domain(ep.index)}.snmprec"


def write_shard_config(
    data_dir: Path,
    shard: int,
    endpoints: Sequence[Endpoint],
    port: int,
    profiles: Sequence[SnmpProfile],
    secrets: dict[str, str],
) -> tuple[Path, Path]:
    """The responder's argument file and v2c community file (both chmod 600: keys inside)."""
    lines = ["--v3-engine-id=auto", f"--data-dir={data_dir / f'shard-{shard}'}"]
    communities: dict[str, str] = {}
    for profile in profiles:
        p = profile.env_prefix
        if profile.version == "v2c":
            communities[context_of(profile)] = secrets[f"{p}_COMMUNITY"]
            continue
        values = [secrets[f"{p}_USER"], secrets[f"{p}_AUTH_KEY"], secrets[f"{p}_PRIV_KEY"]]
        if any(len(v.split()) != 1 for v in values):
            raise ValueError(f"SNMP profile {profile.name}: user and keys may not hold spaces")
        if min(len(values[1]), len(values[2])) < 8:
            raise ValueError(f"SNMP profile {profile.name}: keys need at least 8 characters")
        lines += [
            f"--v3-user={values[0]}",
            f"--v3-auth-key={values[1]}",
            f"--v3-auth-proto={(profile.auth or 'sha').upper()}",
            f"--v3-priv-key={values[2]}",
            f"--v3-priv-proto={(profile.priv or 'aes').upper()}",
        ]
    lines += [f"--agent-udpv4-endpoint={ep.address}:{port}" for ep in endpoints]
    args = data_dir / f"shard-{shard}.args"
    comm = data_dir / f"shard-{shard}.communities.json"
    atomic.write_text(args, "\n".join(lines) + "\n", mode=0o600)
    atomic.write_text(comm, json.dumps(communities), mode=0o600)
    return args, comm


def shard_argv(data_dir: Path, shard: int, faults: Path, variation_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "lab.agents",
        f"--edunet-communities={data_dir / f'shard-{shard}.communities.json'}",
        f"--args-from-file={data_dir / f'shard-{shard}.args'}",
        f"--cache-dir={data_dir / f'cache-{shard}'}",
        f"--variation-modules-dir={variation_dir}",
        f"--variation-module-options=edunet_live:{faults}",
        "--v3-only",  # no communities from data file names; ours come from the launcher
        f"--max-var-binds={MAX_BULK_VARBINDS}",
        "--log-level=error",  # info would log the USM keys
    ]


# --- processes -----------------------------------------------------------------------------


def start(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start a lab process in its own session, output to its log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    environ = dict(os.environ if env is None else env)
    environ["SNMPSIM_ALLOW_ROOT"] = "true"  # the lab runs as root to serve port 161
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environ,
            start_new_session=True,
        )
    return proc


def process_alive(pid: int, argv: Sequence[str] | None = None) -> bool:
    """True when ``pid`` runs and (if given) still runs ``argv``: a reused pid is not ours."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":
        with contextlib.suppress(ChildProcessError):  # a zombie child of ours: reap it
            os.waitpid(pid, os.WNOHANG)
        return False
    return argv is None or raw.split(b"\0")[:-1] == [a.encode() for a in argv]


def stop(pid: int, argv: Sequence[str] | None = None, grace_s: float = 5.0) -> bool:
    """SIGTERM, then SIGKILL after ``grace_s``; False when it was not running."""
    if not process_alive(pid, argv):
        return False
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 2.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not process_alive(pid):
                return True
            time.sleep(0.05)
    return not process_alive(pid)


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def address_in_use(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind((address, port))
        except OSError:
            return True
    return False


# --- probing -------------------------------------------------------------------------------


async def _get(address: str, port: int, auth: Any, context: str, oid: str) -> str | None:
    from pysnmp.hlapi.v3arch.asyncio import (
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        get_cmd,
    )

    target = await UdpTransportTarget.create((address, port), timeout=0.5, retries=0)
    error, status, _, var_binds = await get_cmd(
        SnmpEngine(),
        auth,
        target,
        ContextData(contextName=context.encode()),
        ObjectType(ObjectIdentity(oid)),
        lookupMib=False,
    )
    if error or status or not var_binds:
        return None
    return bytes(var_binds[0][1]).decode(errors="replace")


def probe(address: str, port: int, profile: SnmpProfile, secrets: dict[str, str]) -> str | None:
    """sysName.0 of the agent at this address with the profile's credentials, or None."""
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        UsmUserData,
        usmAesCfb128Protocol,
        usmHMACSHAAuthProtocol,
    )

    p = profile.env_prefix
    auth: Any
    if profile.version == "v2c":
        auth, context = CommunityData(secrets[f"{p}_COMMUNITY"], mpModel=1), ""
    else:
        auth = UsmUserData(
            secrets[f"{p}_USER"],
            secrets[f"{p}_AUTH_KEY"],
            secrets[f"{p}_PRIV_KEY"],
            authProtocol=usmHMACSHAAuthProtocol,
            privProtocol=usmAesCfb128Protocol,
        )
        context = SNMP_CONTEXT
    try:
        return asyncio.run(_get(address, port, auth, context, "1.3.6.1.2.1.1.5.0"))
    except Exception:  # an agent still starting answers nothing useful yet
        return None


# --- the launcher --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    communities: dict[str, str] = {}
    faults = ""
    for a in list(args):
        if a.startswith("--edunet-communities="):
            args.remove(a)
            communities = json.loads(Path(a.split("=", 1)[1]).read_text(encoding="utf-8"))
        elif a.startswith(f"--variation-module-options={LIVE}:"):
            faults = a.split(":", 1)[1]
    from lab import agent_responder

    agent_responder.patch(communities, faults)
    from snmpsim.commands import responder

    sys.argv = ["snmpsim-command-responder", *args]
    return int(responder.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
