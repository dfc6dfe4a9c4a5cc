"""Discovery benchmark: ``edunet discover``'s walk over the sample city's lab agents.

    python benchmarks/discover.py [--inventory inventory.yaml] [--shards 2] [--runs 3]
                                  [--concurrency 64] [--office PGD-Q1]

Starts the lab's SNMP agents for the city (``--shards`` responder processes, a free port,
every device at its management address on loopback; no root needed), then:

- ``--runs`` walks of the whole city from the data center's core, as ``edunet discover``
  does (SNMPv3 authPriv, LLDP hop by hop, then the sweep of the IP plan's management
  prefixes LLDP did not match whole): devices answered, sweep probes, seconds, devices/s
  (median);
- one walk with the inventory stripped of the district office ``--office`` and its schools:
  precision and recall of the devices, models and serials it proposes back.

The agents share the machine with the walker; on a busy machine read the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the units, and the tests' shared harness

from support.lab_agents import (  # noqa: E402
    lldp_links,
    score,
    start_agents,
    stop_agents,
    without_district_office,
)

from edunet.load import load  # noqa: E402
from edunet.reach import LAB_MAP  # noqa: E402
from exporters.discover.run import Credentials, default_seeds, discover  # noqa: E402
from exporters.discover.sweep import plan_sweep  # noqa: E402
from exporters.discover.walk import WalkOptions  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inventory", type=Path, default=ROOT / "inventory.yaml")
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--office", default="PGD-Q1")
    ap.add_argument("--probe-timeout", type=float, default=1.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="edunet-discover-") as tmp:
        work = Path(tmp)
        print(f"starting the lab's agents for {args.inventory.name} ({args.shards} shards) …")
        agents, pids = start_agents(args.inventory, work, args.shards)
        try:
            inv = agents.inv
            options = WalkOptions(
                args.concurrency,
                port=agents.port,
                address_map=LAB_MAP,
                probe_timeout_s=args.probe_timeout,
            )
            profile = next(iter(inv.snmp_profiles.values()))
            rates, reached = [], 0
            for run in range(1, args.runs + 1):
                credentials = Credentials(inv, agents.store(), profile)
                sweep = plan_sweep(inv)
                walk, proposal = discover(
                    inv, default_seeds(inv), credentials, options, sweep=sweep
                )
                rates.append(walk.reached / walk.seconds)
                reached = walk.reached
                print(
                    f"run {run}: {walk.reached:,} devices, {walk.probes:,} sweep probes in "
                    f"{walk.seconds:.2f} s "
                    f"({rates[-1]:,.0f}/s), {len(walk.failed)} unreachable, "
                    f"{len(proposal.devices) + len(proposal.links) + len(proposal.mismatches)}"
                    " findings"
                )
            copy = work / "without.yaml"
            gone = without_district_office(args.inventory, args.office, copy)
            stripped = load(copy)
            credentials = Credentials(stripped, agents.store(), profile)
            sweep = plan_sweep(stripped)
            walk, proposal = discover(
                stripped, default_seeds(stripped), credentials, options, sweep=sweep
            )
            found = [(d.name, d.model, d.serial) for d in proposal.devices]
            scores = score(inv, gone, found)
            links = {
                frozenset({(x.a.device, x.a.port), (x.b.device, x.b.port)}) for x in proposal.links
            }
            expected = lldp_links(inv, gone)
        finally:
            stop_agents(pids)
    print()
    print("| figure | value |\n|---|---|")
    print(f"| devices answered (whole city) | {reached:,} of {len(inv.devices):,} |")
    print(f"| devices/s (median of {args.runs}) | {statistics.median(rates):,.0f} |")
    print(f"| removed: {args.office} and {len(gone) - 1} schools | "
          f"{scores['devices'].expected} devices |")  # fmt: skip
    for what, s in scores.items():
        print(f"| {what}: precision / recall | {s.precision:.1%} / {s.recall:.1%} |")
    print(f"| links proposed back, right ports | {len(links & expected)} of {len(expected)} "
          f"({len(links - expected)} wrong) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
