"""The sweep over the small city's IP plan, against a recorded network where LLDP shows
nothing: what the walk cannot lead to, the sweep finds; an empty slot costs one probe; a
prefix LLDP matched whole costs none.

The small city's plan: a /16 per area (0: the core; Quận 1 is area 1, Bình Chánh area 22),
a /26 per slot. Its highest slot is 31 (79760031), so the plan is swept for slots 0-47."""

from __future__ import annotations

import asyncio
from ipaddress import IPv4Network

from edunet.model import Inventory
from edunet.secrets import SnmpCredentials
from exporters.discover.propose import propose
from exporters.discover.sweep import SLOT_MARGIN, plan_sweep, told_prefix
from exporters.discover.walk import Walk, WalkOptions, walk
from exporters.snmp.oids import Module
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.session import SnmpTarget

CREDENTIALS = SnmpCredentials("v3-default", "v3", None, "edunet", None, None, None, None)
# a school the inventory lacks, at Quận 1's slot 6: its router (the gateway) and a switch
NEW = {"10.33.1.129": "79760006-rt1", "10.33.1.137": "79760006-sw1"}


class Network:
    """Every answering address with its sysName, no LLDP; what was asked, in order."""

    def __init__(self, answering: dict[str, str]):
        self.answering = answering
        self.asked: list[tuple[str, str, float, int]] = []  # address, module, timeout, retries

    async def poll(
        self,
        target: SnmpTarget,
        module: Module,
        *,
        timeout_s: float = 2.0,
        retries: int = 1,
        budget_s: float | None = None,
    ) -> PollResult:
        self.asked.append((target.name, module.name, timeout_s, retries))
        out = PollResult(target.name, target.address, module.name)
        name = self.answering.get(target.name)
        if name is None:
            out.error = PollError.timeout
            return out
        out.ok = True
        out.scalars = {"sysName": name.encode(), "sysObjectID": "1.3.6.1.4.1.14988.1"}
        return out

    def probed(self, prefix: str) -> list[str]:
        net = IPv4Network(prefix)
        return [a for a, m, _, _ in self.asked if m == "probe" and IPv4Network(a).subnet_of(net)]


def run(inv: Inventory, network: Network, seeds: list[str], sweep: bool = True) -> Walk:
    options = WalkOptions(8, probe_timeout_s=0.25)
    plan = plan_sweep(inv) if sweep else None
    return asyncio.run(walk(seeds, lambda _: CREDENTIALS, network.poll, options, sweep=plan))


def everything(inv: Inventory) -> dict[str, str]:
    return {str(d.mgmt_ip): d.name for d in inv.devices.values()} | NEW


def test_the_plan_s_prefixes(small: Inventory) -> None:
    plan = plan_sweep(small)
    assert len(plan.plan) == 3 * (31 + 1 + SLOT_MARGIN)  # areas 0, 1 and 22
    assert IPv4Network("10.33.1.128/26") in plan.plan  # Quận 1, slot 6: no site there
    assert IPv4Network("10.54.11.192/26") in plan.plan  # Bình Chánh, slot 47
    assert IPv4Network("10.54.12.0/26") not in plan.plan  # slot 48: past the margin
    assert plan.declared[IPv4Network("10.33.3.0/26")] == {
        "10.33.3.1", "10.33.3.9", "10.33.3.25", "10.33.3.26"
    }  # fmt: skip
    assert len(plan_sweep(small, 2).plan) == 3 * 2 + 4  # and the 4 sites beyond slot 1
    assert told_prefix("10.33.1.130/26") == IPv4Network("10.33.1.128/26")


def test_without_lldp_the_sweep_finds_every_device(small: Inventory) -> None:
    network = Network(everything(small))
    without = run(small, network, ["10.32.0.129"], sweep=False)
    assert list(without.told) == ["10.32.0.129"]  # no LLDP: the seed alone
    network = Network(everything(small))
    found = run(small, network, ["10.32.0.129"])
    assert set(found.told) == set(everything(small))
    proposal = propose(small, found)
    assert sorted(d.name for d in proposal.devices) == sorted(NEW.values())
    assert proposal.not_answering == []
    # the new school's router was probed first; its switch once the router answered
    assert network.probed("10.33.1.128/26")[0] == "10.33.1.129"
    assert found.hops["10.33.1.137"] > found.hops["10.32.0.129"] == 0  # never a way out
    # a probe is one GET of sysObjectID, one try, the sweep's wait
    probes = {(m, t, r) for _, m, t, r in network.asked if m == "probe"}
    assert probes == {("probe", 0.25, 0)}


def test_an_empty_slot_costs_one_probe(small: Inventory) -> None:
    network = Network(everything(small))
    run(small, network, ["10.32.0.129"])
    assert network.probed("10.33.2.0/26") == ["10.33.2.1"]  # Quận 1, slot 8: nobody
    assert network.probed("10.54.11.192/26") == ["10.54.11.193"]
    # 3 areas of 48 slots: the 7 sites' prefixes swept whole (but for the seed), the new
    # school's from its gateway, the other 136 slots one probe each
    assert len(network.probed("10.0.0.0/8")) == (7 * 62 - 1) + 62 + (3 * 48 - 8)


def test_a_prefix_lldp_matched_whole_is_not_swept(small: Inventory) -> None:
    network = Network(everything(small))
    seeds = [str(d.mgmt_ip) for d in small.site_devices("TTDL")]  # the data center, all of it
    run(small, network, seeds)
    assert network.probed("10.32.0.128/26") == []


def test_declared_but_not_answering(small: Inventory) -> None:
    answering = everything(small)
    del answering["10.33.3.26"]  # 79760012-ap2: declared, silent
    found = run(small, Network(answering), ["10.32.0.129"])
    proposal = propose(small, found)
    assert proposal.not_answering == [("79760012-ap2", "10.33.3.26", "timeout")]
    assert proposal.unreachable == []
