"""Discovery against the lab's own agents for the small city (one responder, a free port).

The city as LLDP sees it from the data center (every uplink between two of its routers
carries LLDP; an Internet uplink does not)::

    ttdl-rt1 ─┬─ so-gddt-rt1 ─┬─ pgd-q1-rt1 ───────────┬─ 79760012-rt1 ── sw1 ── ap1, ap2
      srv1,   │               │    └ pgd-q1-sw1        └─ 79760031-rt1 ── sw1 ── ap1, ap2
      srv2    │               ├─ so-gddt-sw1
              └───────────────┴─ pgd-binh-chanh-rt1 ── 79785007-rt1 ── sw1 ── ap1, ap2
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support.lab_agents import Agents, lldp_links
from typer.testing import CliRunner

from edunet.cli.main import app
from edunet.load import load
from edunet.model import Inventory
from edunet.reach import LAB_MAP
from exporters.discover.fragment import fragment
from exporters.discover.run import Credentials, default_seeds, discover
from exporters.discover.sweep import plan_sweep
from exporters.discover.walk import WalkOptions
from lab import snmprec

pytestmark = [pytest.mark.integration]

REMOVED_SITES = ("PGD-Q1", "79760012", "79760031")  # a district office and its schools


def options(port: int, **kw: float) -> WalkOptions:
    return WalkOptions(port=port, address_map=LAB_MAP, **kw)  # type: ignore[arg-type]


def run(agents: Agents, inv: Inventory, seeds: list[str] | None = None, **kw: float):  # type: ignore[no-untyped-def]
    credentials = Credentials(inv, agents.store(), inv.snmp_profiles["v3-default"])
    walk_options = options(agents.port, **kw)
    return discover(
        inv, seeds or default_seeds(inv), credentials, walk_options, sweep=plan_sweep(inv)
    )


def test_the_small_city_is_as_declared(small_agents: Agents) -> None:
    inv = small_agents.inv
    walk, proposal = run(small_agents, inv)
    assert walk.reached == len(snmprec.lab_devices(inv)) == 21
    assert sorted(proposal.matched) == sorted(d.name for d in snmprec.lab_devices(inv))
    assert (proposal.devices, proposal.links, proposal.mismatches) == ([], [], [])
    assert proposal.unreachable == [] and proposal.not_answering == []
    assert walk.hops["10.32.0.129"] == 0 and walk.hops["10.33.3.25"] == 5  # ttdl-rt1, an AP


@pytest.fixture(scope="module")
def without_q1(small_agents: Agents, tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = yaml.safe_load(small_agents.inventory.read_text(encoding="utf-8"))
    doc["sites"] = [s for s in doc["sites"] if s["code"] not in REMOVED_SITES]
    path = tmp_path_factory.mktemp("without-q1") / "inventory.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_district_office_removed_is_proposed_back(small_agents: Agents, without_q1: Path) -> None:
    full, copy = small_agents.inv, load(without_q1)
    walk, proposal = run(small_agents, copy)
    removed = {n: d for n, d in full.devices.items() if d.site in REMOVED_SITES}
    proposed = {d.name: d for d in proposal.devices}
    assert proposed.keys() == removed.keys()  # precision and recall 100%
    for name, d in proposed.items():
        was = removed[name]
        assert (d.model, d.role, d.address) == (was.model.model, was.role.value, str(was.mgmt_ip))
        assert d.serial == (was.hardware.serial if was.hardware else "")
        assert d.site.code == was.site and d.site.district == was.district
    assert proposed["79760012-rt1"].serial == "HEX7A1B2C3"
    found = {frozenset({(x.a.device, x.a.port), (x.b.device, x.b.port)}) for x in proposal.links}
    assert found == lldp_links(full, REMOVED_SITES)
    assert proposal.mismatches == [] and proposal.unreachable == []

    # the fragment, merged into the copy, loads and gives back the same devices and LAN
    text = fragment(copy, proposal, walk.hops)
    merged = yaml.safe_load(without_q1.read_text(encoding="utf-8"))
    merged["sites"] += yaml.safe_load(text)["sites"]
    path = without_q1.parent / "merged.yaml"
    path.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    back = load(path)
    for name, was in removed.items():
        now = back.devices[name]
        assert (now.model.model, now.mgmt_ip, now.site) == (was.model.model, was.mgmt_ip, was.site)
    assert lldp_links(back, REMOVED_SITES) == lldp_links(full, REMOVED_SITES)


@pytest.fixture()
def silent_agent(small_agents: Agents) -> Iterator[str]:
    """An address where a socket takes every request and answers none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.32.0.201", small_agents.port))
        yield "10.32.0.201"


SLOW_S = 1.5  # past the poll's whole budget (1 s) in the test below


@pytest.fixture()
def slow_agent(small_agents: Agents) -> Iterator[str]:
    """A device too slow: every request relayed to ttdl-rt1's agent, and its answer sent back
    from here, ``SLOW_S`` seconds late (after the walk gave up on it)."""
    agent = ("127.32.0.129", small_agents.port)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.32.0.202", small_agents.port))
    front.settimeout(0.1)
    stop = threading.Event()

    def late(data: bytes, client: tuple[str, int]) -> None:
        if stop.wait(SLOW_S):
            return
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as back:
            back.settimeout(2.0)
            back.sendto(data, agent)
            with contextlib.suppress(OSError):  # the agent said nothing, or the test is over
                front.sendto(back.recv(65535), client)

    def relay() -> None:
        while not stop.is_set():
            try:
                data, client = front.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=late, args=(data, client), daemon=True).start()

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    try:
        yield "10.32.0.202"
    finally:
        stop.set()
        thread.join(2.0)
        front.close()


def test_a_dead_and_a_slow_seed_do_not_stop_it(
    small_agents: Agents, silent_agent: str, slow_agent: str
) -> None:
    inv = small_agents.inv
    dead = "10.32.0.200"  # nothing listens there: the port is unreachable
    seeds = [dead, silent_agent, slow_agent, *default_seeds(inv)]
    walk, proposal = run(small_agents, inv, seeds, timeout_s=0.3, budget_s=1.0)
    assert walk.reached == 21 and sorted(walk.failed) == [dead, silent_agent, slow_agent]
    assert walk.failed[silent_agent].startswith("timeout")
    assert walk.failed[slow_agent].startswith("timeout")
    assert walk.seconds < 10
    assert {a for a, _, _ in proposal.unreachable} == {dead, silent_agent, slow_agent}
    assert proposal.matched and proposal.not_answering == []


def test_the_command(small_agents: Agents, without_q1: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in small_agents.secrets.items()}
    fragment_file = tmp_path / "proposal.yaml"
    argv = ["discover", "-i", str(without_q1), "--address-map", "10.0.0.0/8=127.0.0.0/8",
            "--snmp-port", str(small_agents.port), "--format", "json",
            "--write", str(fragment_file)]  # fmt: skip
    done = CliRunner().invoke(app, argv, env=env)
    assert done.exit_code == 1, done.output  # findings
    report = json.loads(done.stdout)
    assert len(report["devices"]) == 10 and report["reached"] == 21
    assert {d["name"]: d["serial"] for d in report["devices"]}["79760012-rt1"] == "HEX7A1B2C3"
    assert "79760012-rt1" in fragment_file.read_text(encoding="utf-8")


def test_answers_among_empty_addresses_come_at_the_first_try(small_agents: Agents) -> None:
    """Each empty address on loopback answers with an ICMP port unreachable, which Linux
    hands to the next send or read of the socket: neither may lose an agent's request or
    answer (a sweep sends hundreds of such probes at once)."""
    import asyncio

    from exporters.discover.sweep import PROBE
    from exporters.snmp.poll import poll
    from exporters.snmp.session import SnmpTarget, close_session, session

    inv = small_agents.inv
    credentials = small_agents.store().snmp(inv.snmp_profiles["v3-default"])
    live = [str(LAB_MAP(d.mgmt_ip)) for d in snmprec.lab_devices(inv)]
    order = []
    for i in range(400):
        order.append(f"127.99.{i // 250}.{i % 250 + 1}")
        if i % 19 == 0 and live:
            order.append(live.pop())

    async def main() -> list[tuple[str, bool]]:
        session(64)
        try:

            async def one(address: str) -> tuple[str, bool]:
                target = SnmpTarget(address, address, credentials, small_agents.port)
                return address, (await poll(target, PROBE, timeout_s=5.0, retries=0)).ok

            return await asyncio.gather(*(one(a) for a in order))
        finally:
            close_session()

    answered = dict(asyncio.run(main()))
    assert [a for a, ok in answered.items() if ok != (not a.startswith("127.99."))] == []
