"""The city-wide monthly report for the full city (1,930 schools by default), timed.

    python benchmarks/report.py [--schools 1930] [--seed 2014] [--month 2026-11]

``edunet report monthly`` runs as its own process against an HTTP server on loopback that
answers every query the report makes the way Prometheus would for a month of the full city:
every site's down steps (2 % of schools down 2 hours, one district office down 2 hours with
what it cuts), the KPIs, every site's link quality, the SLA breaches, every school's peak and
30 daily peaks. So the figure is the report's own cost (queries, JSON, arithmetic, the
workbook, the PDF, the charts), not the time series database's; the test with a real
VictoriaMetrics (tests/reports/test_truth.py) covers the queries' correctness. Time is wall
time, memory the child's peak resident set.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from edunet.load import load
from edunet.model import Inventory, SiteKind
from edunet.topology import topology_of
from reports.period import Month

LIMIT_S = 60.0
LIMIT_MB = 1024.0


def _edunet() -> list[str]:
    exe = Path(sys.executable).with_name("edunet")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "edunet"]


class City:
    """The answers of a month of the full city, by query."""

    def __init__(self, inv: Inventory, month: Month) -> None:
        rng = random.Random(2014)
        self.inv, self.month = inv, month
        self.start = month.start.timestamp()
        schools = inv.schools()
        down: dict[str, list[float]] = {}
        for s in rng.sample(schools, len(schools) // 50):
            t0 = self.start + rng.randrange(0, month.seconds - 7200, 60)
            down[s.code] = [t0 + i * 60 for i in range(120)]
        office = next(s for s in inv.sites.values() if s.kind is SiteKind.district_office)
        t0 = self.start + 86400 * 10
        for code in topology_of(inv).impact(office.code).sites_cut:
            down[code] = [t0 + i * 60 for i in range(120)]
        self.down = down

    def _site(self, code: str) -> dict[str, str]:
        s = self.inv.sites[code]
        return {
            "site": code,
            "district": self.inv.districts[s.district].name,
            "district_code": s.district,
            "isp": "VNPT",
            "medium": "metronet",
        }

    def instant(self, q: str) -> list[dict[str, Any]]:
        at = self.month.end.timestamp()
        codes = list(self.inv.sites)
        schools = [s.code for s in self.inv.schools()]

        def each(keys: list[str], value: float) -> list[dict[str, Any]]:
            return [{"metric": self._site(c), "value": [at, str(value)]} for c in keys]

        if q.startswith("avg_over_time(edunet:kpi_"):
            if "by_district" in q:
                return [
                    {
                        "metric": {"district": d.name, "district_code": d.code},
                        "value": [at, "0.995"],
                    }
                    for d in self.inv.districts.values()
                ]
            if "by_level" in q:
                return [
                    {"metric": {"level": lv}, "value": [at, "0.995"]}
                    for lv in ("mam_non", "tieu_hoc", "thcs", "thpt")
                ]
            return [{"metric": {}, "value": [at, "0.995"]}]
        if q.startswith("avg_over_time(edunet:site_probe"):
            return each(codes, 0.004)
        if q.startswith("edunet:link_threshold"):
            return [{"metric": {"medium": "metronet"}, "value": [at, "0.01"]}]
        if q.startswith("count_over_time"):
            return each(codes[::20], 12.0)
        if q.startswith("quantile_over_time"):
            return each(schools, 0.55)
        if q.startswith("max by (site) (max_over_time"):
            return each(schools, 1e8)
        return []

    def range(self, q: str, start: float, end: float, step: float) -> list[dict[str, Any]]:
        if q.startswith("edunet:site_info"):
            out = []
            for code, times in self.down.items():
                points = [[t, "1"] for t in times if start <= t <= end]
                if points:
                    out.append({"metric": self._site(code), "values": points})
            return out
        if q.startswith("quantile_over_time"):
            days = [start + i * step for i in range(int((end - start) / step) + 1)]
            return [
                {
                    "metric": self._site(s.code),
                    "values": [[t, str(0.4 * 1.03 ** (i / 30))] for i, t in enumerate(days)],
                }
                for s in self.inv.schools()
            ]
        return []


def _server(city: City) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            q = form["query"][0]
            if self.path.endswith("query_range"):
                result = city.range(
                    q, float(form["start"][0]), float(form["end"][0]), float(form["step"][0])
                )
                kind = "matrix"
            else:
                result, kind = city.instant(q), "vector"
            body = json.dumps(
                {"status": "success", "data": {"resultType": kind, "result": result}}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--month", default="2026-11")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inventory = work / "inventory.yaml"
        subprocess.run(
            [
                *_edunet(),
                "sample",
                "--schools",
                str(args.schools),
                "--seed",
                str(args.seed),
                "-o",
                str(inventory),
            ],
            check=True,
            capture_output=True,
        )
        inv = load(inventory)
        month = Month.parse(args.month)
        server = _server(City(inv, month))
        url = f"http://127.0.0.1:{server.server_address[1]}"
        began = time.perf_counter()
        done = subprocess.run(
            [
                *_edunet(),
                "report",
                "monthly",
                "--month",
                args.month,
                "--prometheus",
                url,
                "--out",
                str(work / "out"),
                "--inventory",
                str(inventory),
            ],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - began
        server.shutdown()
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        sizes = {p.name: p.stat().st_size for p in (work / "out").iterdir()}
    print("| schools | sites | wall time | peak memory | files |")
    print("|---|---|---|---|---|")
    print(
        f"| {len(inv.schools())} | {len(inv.sites)} | {wall:.1f} s (limit {LIMIT_S:.0f} s) "
        f"| {peak_mb:.0f} MB (limit {LIMIT_MB:.0f} MB) | "
        + ", ".join(f"{n} {s // 1024} kB" for n, s in sorted(sizes.items()))
        + " |"
    )
    return 0 if wall <= LIMIT_S and peak_mb <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
