"""Inventory benchmark: the full-scale generated city through the core.

    python benchmarks/inventory.py [--schools 1930] [--seed 2014] [--runs 5]

Each run is a fresh Python process (what `edunet validate` costs a user) that measures
load+validate, the IP plan for every site and device, the topology build, impact and path
queries, single points of failure and peak memory. The peer is PyYAML's C loader parsing
the same file with no positions, validation or model, timed in the same process. Medians
over the runs are printed beside the goals and the ratio to the peer; the machine is
shared and noisy, so read medians and ratios, not single figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

GOALS = {  # seconds, from the foundation issue
    "load_s": 1.5,
    "plan_s": 1.0,
    "impact_median_s": 0.050,
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _plan_city(inv: Any) -> int:
    """Every prefix and address of the city from the plan's functions and stable keys."""
    from edunet.model import DeviceRole

    plan = inv.plan
    edge = (DeviceRole.router, DeviceRole.firewall)
    count = 0
    for site in inv.sites.values():
        mgmt = plan.site_management(site.area, site.slot)
        for v in site.vlans:
            if not v.management and v.name in plan.slices:
                plan.vlan_prefix(site.area, site.slot, v.name)
                count += 1
        seen: dict[str, int] = {}
        loop = 0
        for n, name in enumerate(site.devices):
            role = inv.devices[name].role
            group = "edge" if role in edge else role.value
            index = 0 if n == 0 else seen.get(group, 0)
            if n:
                seen[group] = index + 1
            plan.management_host(mgmt, role, index, n == 0)
            if role in edge:
                plan.loopback(site.area, site.slot, loop)
                loop += 1
            count += 1
        for i, link_id in enumerate(site.uplinks):
            if inv.links[link_id].p2p is not None:
                plan.uplink_p2p(site.area, site.slot, i)
                count += 1
    return count


def one_run(path: str) -> dict[str, Any]:
    """Measure once, in this (fresh) process."""
    import yaml

    from edunet import load
    from edunet.topology import topology_of

    text = Path(path).read_text(encoding="utf-8")
    base = _rss_mb()

    t = time.perf_counter()
    inv = load(path)
    load_s = time.perf_counter() - t
    after_load = _rss_mb()

    t = time.perf_counter()
    addresses = _plan_city(inv)
    plan_s = time.perf_counter() - t

    t = time.perf_counter()
    topo = topology_of(inv)
    topo_s = time.perf_counter() - t
    rng = random.Random(1)
    elements = (
        rng.sample(sorted(inv.links), 100)
        + rng.sample(sorted(inv.devices), 100)
        + rng.sample(sorted(inv.sites), 50)
    )
    times = []
    for e in elements:
        t = time.perf_counter()
        topo.impact(e)
        times.append(time.perf_counter() - t)
    times.sort()
    t = time.perf_counter()
    dc_down = topo.impact(inv.datacenter.code)
    worst_s = time.perf_counter() - t
    t = time.perf_counter()
    spofs = topo.spof()
    spof_s = time.perf_counter() - t
    school = inv.schools()[len(inv.schools()) // 2].code
    t = time.perf_counter()
    topo.path_to_datacenter(school)
    path_s = time.perf_counter() - t
    peak = _rss_mb()
    # the peer last, so its memory does not count against ours
    gc.disable()
    t = time.perf_counter()
    yaml.load(text, Loader=yaml.CSafeLoader)
    peer = time.perf_counter() - t
    gc.enable()
    return {
        "peer_parse_s": peer,
        "load_s": load_s,
        "plan_s": plan_s,
        "topology_s": topo_s,
        "impact_median_s": times[len(times) // 2],
        "impact_max_s": times[-1],
        "impact_dc_down_s": worst_s,
        "spof_s": spof_s,
        "path_s": path_s,
        "rss_base_mb": base,
        "rss_after_load_mb": after_load,
        "rss_peak_mb": peak,
        "sites": len(inv.sites),
        "schools": len(inv.schools()),
        "devices": len(inv.devices),
        "links": len(inv.links),
        "addresses": addresses,
        "dc_down_cuts": len(dc_down.sites_cut),
        "spofs": len(spofs),
        "file_mb": len(text.encode()) / 1e6,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--runs", type=int, default=5, help="fresh processes (1-20)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one)))
        return
    runs = max(1, min(args.runs, 20))
    sys.path.insert(0, str(ROOT))
    from edunet import sample

    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "city.yaml"
        t = time.perf_counter()
        sample.write(city, args.schools, args.seed)
        gen_s = time.perf_counter() - t
        results = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(city)],
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
            )
            results.append(json.loads(out.stdout))
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    r0 = results[0]
    print(
        f"city: {r0['schools']:,} schools, {r0['sites']:,} sites, {r0['devices']:,} devices, "
        f"{r0['links']:,} links, {r0['file_mb']:.1f} MB of YAML (generated in {gen_s:.2f} s); "
        f"{runs} fresh processes, medians\n"
    )
    peer = med["peer_parse_s"]
    rows = [
        ("PyYAML C loader, parse only (peer)", "peer_parse_s", None),
        ("load + validate + resolve", "load_s", GOALS["load_s"]),
        (f"IP plan, {r0['addresses']:,} prefixes and addresses", "plan_s", GOALS["plan_s"]),
        ("topology build", "topology_s", None),
        ("impact query, median of 250", "impact_median_s", GOALS["impact_median_s"]),
        ("impact query, slowest of 250", "impact_max_s", None),
        (f"impact: data center down ({r0['dc_down_cuts']:,} cut)", "impact_dc_down_s", None),
        (f"single points of failure ({r0['spofs']:,})", "spof_s", None),
        ("paths school → data center", "path_s", None),
    ]
    print(f"{'measure':<46} {'median':>10} {'goal':>9} {'vs goal':>8} {'vs peer':>8}")
    for label, key, goal in rows:
        value = med[key]
        vs_goal = f"{value / goal:.2f}" if goal else ""
        goal_s = _fmt(goal) if goal else ""
        print(f"{label:<46} {_fmt(value):>10} {goal_s:>9} {vs_goal:>8} {value / peer:>8.2f}")
    print(
        f"\nmemory (max RSS): {med['rss_base_mb']:.0f} MB with edunet imported, "
        f"{med['rss_after_load_mb']:.0f} MB after load, "
        f"{med['rss_peak_mb']:.0f} MB at peak (topology and queries included)"
    )


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
