"""Sizing of the monitoring stack, measured on the lab: the sample city's lab and exporters
scraped by a real Prometheus with the rendered configuration and rules for a few minutes.

Prints what Prometheus holds (series per job, per SNMP device, per port, per probe target),
its memory, and the figures extrapolated to the full 1,930-school city from the measured
per-device, per-port and per-target series, at the city's own scrape intervals.

    python -m benchmarks.monitoring [--minutes 4] [--scrape-interval 30]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import edunet
from edunet.model import Inventory
from edunet.reach import probe_address
from monitors.run import StackPlan, running_stack
from monitors.settings import MonitoringSettings
from monitors.stack import query

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared harness

from support.lab_run import ROOT, free_tcp_port, lab_and_exporters
from support.lab_run import edunet as run_edunet

CITY_SCRAPE_S = MonitoringSettings(city="", domain="").scrape_interval_s
INVENTORY_SCRAPE_S = 900


def value(url: str, promql: str) -> float:
    found = query(url, promql)
    return float(found[0]["value"][1]) if found else 0.0


def by_label(url: str, promql: str, label: str) -> dict[str, float]:
    return {r["metric"].get(label, ""): float(r["value"][1]) for r in query(url, promql)}


def city_counts(inv: Inventory) -> dict[str, int]:
    snmp = [d for d in inv.devices.values() if d.snmp is not None and d.model.platform.snmp]
    return {
        "snmp devices": len(snmp),
        "ports": sum(len(d.model.interfaces) for d in snmp),
        "probe targets": sum(1 for s in inv.sites.values() if probe_address(inv, s) is not None)
        + sum(1 for d in inv.devices.values() if d.site == inv.datacenter.code)
        + len(inv.vms),
        "sites": len(inv.sites),
        "node targets": sum(1 for d in inv.devices.values() if d.role == "server") + len(inv.vms),
    }


def measure(minutes: float, scrape_s: int) -> dict[str, float]:
    inv = edunet.load(ROOT / "inventory.yaml")
    with (
        tempfile.TemporaryDirectory(prefix="edunet-sizing-") as tmp,
        lab_and_exporters(Path(tmp), ROOT / "inventory.yaml") as lab,
    ):
        from monitors.settings import monitoring_settings

        settings = monitoring_settings(
            inv, True, snmp_exporter=lab.snmp_exporter, prober=lab.prober
        )
        settings = replace(settings, scrape_interval_s=scrape_s)
        plan = StackPlan(
            Path(tmp) / "monitors",
            prometheus=f"127.0.0.1:{free_tcp_port()}",
            alertmanager=f"127.0.0.1:{free_tcp_port()}",
            webhook=f"127.0.0.1:{free_tcp_port()}",
            victoria_metrics=None,
        )
        with running_stack(inv, settings, plan) as stack:
            url = stack.prometheus.url
            deadline = time.monotonic() + minutes * 60
            while time.monotonic() < deadline:  # bounded: the run's length
                time.sleep(10)
                print(f"  … {value(url, 'prometheus_tsdb_head_series'):,.0f} series", flush=True)
            jobs = by_label(url, "sum by (job) (scrape_samples_post_metric_relabeling)", "job")
            out = {f"series/{job}": n for job, n in jobs.items()}
            out["series/rules"] = value(url, 'count({__name__=~"edunet:.+"})')
            out["series/head"] = value(url, "prometheus_tsdb_head_series")
            out["samples/s measured"] = value(
                url, "rate(prometheus_tsdb_head_samples_appended_total[1m])"
            )
            out["snmp/port series"] = value(url, 'count({job="snmp", interface!=""})')
            out["snmp/device series"] = value(url, 'count({job="snmp", interface=""})')
            out["snmp failed"] = value(url, 'count(edunet_snmp_up{job="snmp"} == 0)')
            out["rss bytes"] = value(url, 'process_resident_memory_bytes{job="prometheus"}')
            out["rss max bytes"] = value(
                url, 'max_over_time(process_resident_memory_bytes{job="prometheus"}[10m])'
            )
            out["rule eval s"] = value(url, "sum(prometheus_rule_group_last_duration_seconds)")
            slowest = query(
                url, "topk(4, max_over_time(prometheus_rule_group_last_duration_seconds[2m]))"
            )
            for r in slowest:
                group = r["metric"].get("rule_group", "?").rsplit(";", 1)[-1]
                out[f"rule group s/{group}"] = float(r["value"][1])
            out["prometheus cpu"] = value(
                url, 'rate(process_cpu_seconds_total{job="prometheus"}[2m])'
            )
            out["exporter cpu"] = value(url, 'rate(process_cpu_seconds_total{job="exporters"}[2m])')
            return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=4.0)
    ap.add_argument("--scrape-interval", type=int, default=30, help="seconds, in the lab")
    args = ap.parse_args()
    sample = edunet.load(ROOT / "inventory.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        full_path = Path(tmp) / "city-1930.yaml"
        run_edunet("sample", "--schools", "1930", "-o", str(full_path))
        full = edunet.load(full_path)
    here, city = city_counts(sample), city_counts(full)
    print(f"measuring the sample city for {args.minutes:g} min ({here})", flush=True)
    m = measure(args.minutes, args.scrape_interval)

    per_port = m["snmp/port series"] / here["ports"]
    per_device = m["snmp/device series"] / here["snmp devices"]
    per_probe = m.get("series/probe", 0) / here["probe targets"]
    per_node = m.get("series/node", 0) / max(1, here["node targets"])
    per_site_rules = m["series/rules"] / here["sites"]
    inventory_series = m.get("series/snmp_inventory", 0)

    def series(c: dict[str, int]) -> dict[str, float]:
        return {
            "snmp": c["ports"] * per_port + c["snmp devices"] * per_device,
            "snmp_inventory": inventory_series * c["snmp devices"] / here["snmp devices"],
            "probe": c["probe targets"] * per_probe,
            "node": c["node targets"] * per_node,
            "rules": c["sites"] * per_site_rules,
        }

    def samples_per_s(s: dict[str, float]) -> float:
        return (
            (s["snmp"] + s["probe"] + s["node"]) / CITY_SCRAPE_S
            + s["snmp_inventory"] / INVENTORY_SCRAPE_S
            + s["rules"] / 30
        )

    rows = [
        ("sample city (measured)", here, series(here)),
        ("1,930 schools (extrapolated)", city, series(city)),
    ]
    print()
    print(
        f"per SNMP port {per_port:.1f} series, per SNMP device {per_device:.1f} (+ ports), "
        f"per probe target {per_probe:.1f}, per node {per_node:.0f}, "
        f"rules per site {per_site_rules:.1f}"
    )
    print(
        f"lab run: {m['snmp failed']:.0f} SNMP polls failing; "
        f"head {m['series/head']:,.0f} series; "
        f"{m['samples/s measured']:,.0f} samples/s at a {args.scrape_interval} s lab interval"
    )
    print(
        f"Prometheus RSS {m['rss bytes'] / 2**20:.0f} MiB "
        f"(max {m['rss max bytes'] / 2**20:.0f} MiB), CPU {m['prometheus cpu']:.2f} core; "
        f"rule evaluation {m['rule eval s'] * 1000:.0f} ms a round; "
        f"SNMP exporter CPU {m['exporter cpu']:.2f} core"
    )
    for key, seconds in m.items():
        if key.startswith("rule group s/"):
            group = key.split("/", 1)[1]
            print(f"  rule group {group}: {seconds * 1000:.0f} ms (slowest round in 2 min)")
    print()
    print("| city | SNMP devices | ports | probe targets | series | samples/s at 60 s |")
    print("|---|---|---|---|---|---|")
    for name, c, s in rows:
        total = sum(s.values())
        print(
            f"| {name} | {c['snmp devices']:,} | {c['ports']:,} | {c['probe targets']:,} | "
            f"{total:,.0f} | {samples_per_s(s):,.0f} |"
        )
    bytes_per_series = m["rss max bytes"] / max(1.0, m["series/head"])
    print(
        f"\nPrometheus memory per head series here: {bytes_per_series / 1024:.1f} KiB; "
        f"for the full city about {bytes_per_series * sum(series(city).values()) / 2**30:.1f} GiB"
    )


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.SubprocessError) as e:
        sys.exit(str(e))
