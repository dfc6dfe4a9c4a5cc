"""Process wiring: the SNMP exporter, the prober, or both as two child processes (so a
busy SNMP decode never delays a probe's timestamps). SIGTERM or SIGINT stops cleanly:
listeners close, in-flight polls are cancelled, and the process exits within a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from aiohttp import web

from edunet.model import Inventory
from edunet.reach import AddressMap
from edunet.secrets import SecretStore
from exporters.logs import LogFormat, event
from exporters.snmp.targets import PollFn

__all__ = ["RunOptions", "Which", "run", "serve_snmp"]

log = logging.getLogger("exporters.run")

Which = Literal["snmp", "probe", "all"]


@dataclass(frozen=True, slots=True)
class RunOptions:
    inventory: Path
    address_map: AddressMap
    listen_snmp: str = "127.0.0.1:9116"
    listen_probe: str = "127.0.0.1:9374"
    secrets_file: Path | None = None
    ca_file: Path | None = None
    log_format: LogFormat = "json"
    shutdown_s: float = 5.0  # from SIGTERM to exit, at most (plus a second to kill)
    snmp_port: int = 161
    probe_interval_s: float = 1.0  # each target gets probe_packets echo requests per interval
    probe_packets: int = 1
    app_port_offset: int = 0

    def to_json(self) -> str:
        """The options as one JSON text: how a parent hands them to its children."""
        data: dict[str, Any] = asdict(self)
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = value if value is None or isinstance(value, int | float) else str(value)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> RunOptions:
        data = json.loads(text)
        data["inventory"] = Path(data["inventory"])
        data["address_map"] = AddressMap.parse(data["address_map"])
        for key in ("secrets_file", "ca_file"):
            data[key] = Path(data[key]) if data[key] is not None else None
        return cls(**data)


def parse_listen(listen: str) -> tuple[str, int]:
    """``"127.0.0.1:9116"`` or ``":9116"`` (every address) into host and port."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"listen address {listen!r}: write HOST:PORT")
    return host.strip("[]") or "0.0.0.0", int(port)


def urls(which: Which, opts: RunOptions) -> list[str]:
    out = []
    if which in ("snmp", "all"):
        base = f"http://{opts.listen_snmp}"
        out += [f"snmp   {base}/snmp?target=DEVICE&module=if_mib", f"snmp   {base}/metrics"]
    if which in ("probe", "all"):
        out.append(f"probe  http://{opts.listen_probe}/metrics")
    return out


async def serve_snmp(
    inv: Inventory,
    *,
    listen: str,
    address_map: AddressMap,
    secrets: SecretStore,
    stop: asyncio.Event,
    poll: PollFn | None = None,
    shutdown_s: float = 5.0,
    snmp_port: int = 161,
) -> None:
    """Serve ``/snmp`` and ``/metrics`` on ``listen`` until ``stop`` is set."""
    from prometheus_client import disable_created_metrics

    from exporters.snmp.server import ScrapeConfig, make_app
    from exporters.snmp.targets import Targets

    disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series beside the exporter's own counters

    if poll is None:
        from exporters.snmp.poll import poll as real_poll

        poll = real_poll
    app = make_app(ScrapeConfig(inv, Targets(inv, secrets, address_map, port=snmp_port), poll))
    host, port = parse_listen(listen)
    # handler cancellation: a scrape whose client hung up takes its poll with it
    runner = web.AppRunner(
        app, access_log=None, handler_cancellation=True, shutdown_timeout=shutdown_s
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        event(log, logging.INFO, "listening", exporter="snmp", url=f"http://{listen}")
        await stop.wait()
    finally:
        await runner.cleanup()
        with contextlib.suppress(Exception):
            from exporters.snmp.session import close_session

            close_session()


async def _serve(which: Literal["snmp", "probe"], inv: Inventory, opts: RunOptions) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if which == "snmp":
        job = serve_snmp(
            inv,
            listen=opts.listen_snmp,
            address_map=opts.address_map,
            secrets=SecretStore(file=opts.secrets_file),
            stop=stop,
            shutdown_s=opts.shutdown_s,
            snmp_port=opts.snmp_port,
        )
    else:
        from exporters.probe import serve_prober

        job = serve_prober(
            inv,
            listen=opts.listen_probe,
            address_map=opts.address_map,
            stop=stop,
            interval_s=opts.probe_interval_s,
            packets=opts.probe_packets,
            ca_file=opts.ca_file,
            app_port_offset=opts.app_port_offset,
        )
    task = asyncio.create_task(job)
    await asyncio.wait([task, asyncio.create_task(stop.wait())], return_when="FIRST_COMPLETED")
    if not task.done():  # stopping: give the server its bound to close, then leave
        try:
            await asyncio.wait_for(task, opts.shutdown_s + 1)
        except TimeoutError:
            event(log, logging.WARNING, "shutdown overran", exporter=which, bound_s=opts.shutdown_s)
            return
    task.result()  # a server that failed on its own (port taken …) fails the process
    event(log, logging.INFO, "stopped", exporter=which)


def serve_one(which: Literal["snmp", "probe"], inv: Inventory, opts: RunOptions) -> int:
    try:
        asyncio.run(_serve(which, inv, opts))
    except OSError as e:  # e.g. the listen address is taken
        event(log, logging.ERROR, "cannot serve", exporter=which, error=str(e))
        return 1
    return 0


def child_argv(which: Literal["snmp", "probe"], opts: RunOptions) -> list[str]:
    """``python -m exporters WHICH OPTIONS``: the options travel whole, spelled once."""
    return [sys.executable, "-m", "exporters", which, opts.to_json()]


def supervise(opts: RunOptions, spawn: Callable[[list[str]], subprocess.Popen[bytes]]) -> int:
    """Run the SNMP exporter and the prober as children; stop both when either stops or
    on SIGTERM/SIGINT, within the shutdown bound."""
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    children = {w: spawn(child_argv(w, opts)) for w in ("snmp", "probe")}
    try:
        while not stopping and all(c.poll() is None for c in children.values()):
            time.sleep(0.1)
        for which, child in children.items():
            if child.poll() is None:
                child.terminate()
            elif not stopping:
                event(log, logging.ERROR, "child exited", exporter=which, code=child.returncode)
        deadline = time.monotonic() + opts.shutdown_s + 1
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    codes = [c.returncode for c in children.values()]
    return 0 if stopping and all(c in (0, -signal.SIGTERM) for c in codes) else 1


def run(which: Which, inv_loader: Callable[[Path], Inventory], opts: RunOptions) -> int:
    """Run ``which``; returns the process exit code."""
    if which == "all":
        return supervise(opts, lambda argv: subprocess.Popen(argv))
    return serve_one(which, inv_loader(opts.inventory), opts)
