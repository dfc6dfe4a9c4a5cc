"""Acceptance on the sample city's lab agents: the whole city walked and swept from the data
center as declared; a district office and its schools removed from a copy of the inventory,
proposed back with every device's model and serial and every link's ports (precision and
recall 100%, the devices behind Internet-only uplinks found by the sweep of the IP plan)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support.lab_agents import (
    Agents,
    lldp_links,
    lldp_reachable,
    score,
    start_agents,
    stop_agents,
    without_district_office,
)

from edunet.load import load
from edunet.reach import LAB_MAP
from exporters.discover.fragment import fragment
from exporters.discover.run import Credentials, default_seeds, discover
from exporters.discover.sweep import plan_sweep
from exporters.discover.walk import WalkOptions
from lab import snmprec

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).parent.parent.parent.parent
OFFICE = "PGD-Q1"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agents]:
    running, pids = start_agents(ROOT / "inventory.yaml", tmp_path_factory.mktemp("city"), 2)
    try:
        yield running
    finally:
        stop_agents(pids)


def run(agents: Agents, path: Path):  # type: ignore[no-untyped-def]
    inv = load(path)
    credentials = Credentials(inv, agents.store(), inv.snmp_profiles["v3-default"])
    # a generous budget: the agents share a busy machine with the walker
    options = WalkOptions(32, 3.0, 30.0, port=agents.port, address_map=LAB_MAP, probe_timeout_s=3.0)
    sweep = plan_sweep(inv)
    return inv, *discover(inv, default_seeds(inv), credentials, options, sweep=sweep)


def test_the_sample_city_is_as_declared(city: Agents) -> None:
    inv, walk, proposal = run(city, city.inventory)
    everyone = [d.name for d in snmprec.lab_devices(inv)]
    assert len(lldp_reachable(inv, default_seeds(inv))) < len(everyone)  # LLDP alone: not all
    assert sorted(proposal.matched) == sorted(everyone) and len(everyone) == 1443
    assert (proposal.devices, proposal.links, proposal.mismatches) == ([], [], [])
    assert proposal.unreachable == [] and proposal.not_answering == []
    print(
        f"{walk.reached} devices, {walk.probes} sweep probes in {walk.seconds:.2f} s: "
        f"{walk.reached / walk.seconds:.0f}/s"
    )


def test_a_district_office_and_its_schools_come_back(city: Agents, tmp_path: Path) -> None:
    copy = tmp_path / "inventory.yaml"
    gone = without_district_office(city.inventory, OFFICE, copy)
    stripped, walk, proposal = run(city, copy)
    found = [(d.name, d.model, d.serial) for d in proposal.devices]
    scores = score(city.inv, gone, found)
    for what, s in scores.items():
        print(f"{what}: {s.right}/{s.expected}, precision {s.precision:.0%}, recall {s.recall:.0%}")
    assert all((s.precision, s.recall) == (1.0, 1.0) for s in scores.values()), scores
    assert scores["devices"].expected == 53  # PGD-Q1 and its schools, every device
    links = {frozenset({(x.a.device, x.a.port), (x.b.device, x.b.port)}) for x in proposal.links}
    expected = lldp_links(city.inv, gone)
    print(f"links: {len(links & expected)}/{len(expected)}, {len(links - expected)} wrong")
    assert links == expected
    assert proposal.mismatches == [] and proposal.unreachable == []
    assert proposal.not_answering == []
    merged = yaml.safe_load(copy.read_text(encoding="utf-8"))
    merged["sites"] += yaml.safe_load(fragment(stripped, proposal, walk.hops))["sites"]
    (tmp_path / "merged.yaml").write_text(yaml.safe_dump(merged, allow_unicode=True), "utf-8")
    back = load(tmp_path / "merged.yaml")
    for name, was in city.inv.devices.items():
        if was.site in gone:
            now = back.devices[name]
            assert (now.model.model, now.mgmt_ip, now.site) == (
                was.model.model,
                was.mgmt_ip,
                was.site,
            )
