"""A first look at the running demo: wait for the exporters, then print where to look
and a few live values read from them (a school router, the data center's edge, the prober)."""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

import edunet
from monitors import contract as c


def fetch(url: str, timeout: float = 10.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                sys.exit(f"no answer from {url} after {seconds:.0f} s")
            time.sleep(0.3)


def samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inventory", default="inventory.yaml")
    ap.add_argument("--snmp", default="127.0.0.1:9116")
    ap.add_argument("--probe", default="127.0.0.1:9374")
    ap.add_argument("--prometheus", default="")
    ap.add_argument("--alertmanager", default="")
    args = ap.parse_args()
    inv = edunet.load(args.inventory)
    school = inv.schools()[0]
    router = school.gateway or school.devices[0]
    edge = inv.datacenter.gateway or inv.datacenter.devices[0]

    wait_for(f"http://{args.snmp}/metrics", 60)
    wait_for(f"http://{args.probe}/metrics", 60)
    print()
    print("Look at:")
    for device in (router, edge):
        print(f"  http://{args.snmp}/snmp?target={device}")
    print(f"  http://{args.snmp}/snmp?target={router}&module=inventory   (declared vs discovered)")
    print(f"  http://{args.probe}/metrics   (link quality and application checks)")
    print(f"  http://{args.snmp}/metrics    (the SNMP exporter's own metrics)")
    if args.prometheus:
        wait_for(f"http://{args.prometheus}/-/ready", 60)
        print(f"  http://{args.prometheus}/alerts   (Prometheus: alert rules, firing or not)")
        print(f"  http://{args.prometheus}/graph?g0.expr={c.KPI_CONNECTED}   (a KPI)")
    if args.alertmanager:
        print(f"  http://{args.alertmanager}/#/alerts   (Alertmanager: grouped, routed, inhibited)")
    print("  try: edunet lab fault link-down pgd-q12-up1   (a district office and its schools)")
    print()
    for device in (router, edge):
        got = samples(fetch(f"http://{args.snmp}/snmp?target={device}"))
        up = next((v for n, _, v in got if n == c.SNMP_UP.name), 0.0)
        uptime = next((v for n, _, v in got if n == c.DEVICE_UPTIME.name), 0.0)
        ports = [lab for n, lab, v in got if n == c.INTERFACE_OPER_UP.name and v == 1]
        print(
            f"{device:<22} snmp up={up:.0f}  uptime {uptime / 86400:.1f} d  {len(ports)} ports up"
        )
    time.sleep(3)  # a few probe rounds
    got = samples(fetch(f"http://{args.probe}/metrics"))
    sent = {lab.get("target"): v for n, lab, v in got if n == c.PROBE_SENT.name}
    received = {lab.get("target"): v for n, lab, v in got if n == c.PROBE_RECEIVED.name}
    checks = [v for n, _, v in got if n == c.PROBE_APP_UP.name]
    print(
        f"prober: {len(sent)} targets, {sum(received.values()):.0f}/{sum(sent.values()):.0f} "
        f"echo replies; {sum(checks):.0f} of {len(checks)} application checks up"
    )


if __name__ == "__main__":
    main()
