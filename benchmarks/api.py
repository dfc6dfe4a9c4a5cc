"""API benchmark: the full-scale generated city served by uvicorn on loopback, under load.

    python benchmarks/api.py [--schools 1930] [--seed 7] [--duration 5] [--connections 16]
                             [--rounds 3] [--no-exports | --exports-only]

The city comes from ``edunet sample``; the API runs in a child uvicorn process (one worker,
the app factory, as ``edunet api serve`` runs it) and a bare FastAPI hello-world in another,
started the same way. Load comes from a second process: ``wrk`` when installed, else a
bounded asyncio+httpx loop. Each route gets two passes: a throughput pass with many
connections (req/s, and the latency a caller sees under that load) and a latency pass with
one connection (what one request costs: the p99 bar applies to this one). The device list is
also asked with a token limited to that district (no filter: the reach alone cuts it), which
bears the same bar as the filtered list. Rounds interleave
the routes and each figure is the median over them. The machine is shared and noisy, so read
the ratios to hello-world, measured in the same run.

Then the exports case: the filtered device list (throughput and one-connection p99) and
``/health`` measured alone and again while two connections download the whole city's hardware
as CSV, as XLSX, and as XLSX with a new ``on=`` date each time (nothing cached: every download
is built, and the ones beyond the export slots are refused with 429).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the units, and the tests' shared harness

from support import processes, ready  # noqa: E402
from support.ports import free_tcp_port  # noqa: E402

HELLO = """from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}
"""
P99_BAR_MS = 20.0  # topology path and impact, one connection
LIST_RATIO_BAR = 0.5  # filtered list req/s over hello-world req/s
EXPORTS_RATIO_BAR = 0.5  # filtered list req/s with exports in flight over without
HEALTH_P99_BAR_MS = 50.0  # /health p99 at one connection with exports in flight
DOWNLOADERS = 2  # connections downloading files at once
DISTRICT_TOKEN = "devices, district token"  # the list as a district's NOC sees it


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _serve(target: str, port: int, env: dict[str, str], app_dir: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "--factory" if ":app_" in target else "", target]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--app-dir", str(app_dir)]
    cmd += ["--no-access-log", "--log-level", "warning"]
    return processes.spawn([c for c in cmd if c], env=env, cwd=None)


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if m is None:
        raise ValueError(text)
    return float(m.group(1)) * _UNIT[m.group(2)]


def _wrk(url: str, token: str | None, connections: int, duration_s: float) -> Result:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s:g}s", "--latency", "--timeout", "5s"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, timeout=duration_s + 30, check=True
    ).stdout
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "50" not in pct or "99" not in pct:
        raise SystemExit(f"wrk gave no latency distribution:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps is not None, out
    return Result(
        rps=float(rps.group(1)),
        p50_ms=_ms(pct["50"]),
        p99_ms=_ms(pct["99"]),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(int(g) for g in sock.groups()) if sock else 0),
    )


async def _httpx_load(url: str, token: str | None, connections: int, duration_s: float) -> Result:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    times: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections)
    deadline = time.monotonic() + duration_s
    max_requests = 200_000  # a bound on count as well as time

    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=5) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline and len(times) < max_requests:
                t0 = time.perf_counter()
                r = await client.get(url)
                times.append(time.perf_counter() - t0)
                errors += r.status_code >= 300

        start = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.monotonic() - start
    q = statistics.quantiles(times, n=100)
    return Result(len(times) / elapsed, q[49] * 1000, q[98] * 1000, errors)


@dataclass
class Downloads:
    ok: int
    refused: int  # 429
    other: int
    mean_s: float  # time of one answered download


async def _download_loop(
    url: str, token: str, connections: int, duration_s: float, vary: bool
) -> Downloads:
    """Download ``url`` over and over on ``connections`` connections; with ``vary``, a new
    ``on=`` date each time. A 429 is waited out briefly (0.2 s), as an impatient client does."""
    counts = {"ok": 0, "refused": 0, "other": 0}
    times: list[float] = []
    deadline = time.monotonic() + duration_s
    day = iter(range(1, 100_000))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                target = url
                if vary:
                    n = next(day)
                    target += f"&on={2000 + n // 336:04d}-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
                t0 = time.perf_counter()
                r = await client.get(target)
                if r.status_code == 200:
                    counts["ok"] += 1
                    times.append(time.perf_counter() - t0)
                elif r.status_code == 429:
                    counts["refused"] += 1
                    await asyncio.sleep(0.2)
                else:
                    counts["other"] += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    mean = statistics.mean(times) if times else float("nan")
    return Downloads(counts["ok"], counts["refused"], counts["other"], mean)


def _start_downloads(url: str, token: str, duration_s: float, vary: bool) -> subprocess.Popen[str]:
    cmd = [sys.executable, __file__, "--download", url, "--duration", str(duration_s)]
    cmd += ["--connections", str(DOWNLOADERS)] + (["--vary"] if vary else [])
    return subprocess.Popen(
        cmd, env=os.environ | {"BENCH_TOKEN": token}, stdout=subprocess.PIPE, text=True
    )


def _load(url: str, token: str | None, connections: int, duration_s: float) -> Result:
    """Runs in a process of its own either way: wrk, or this script again as the loader."""
    if shutil.which("wrk"):
        return _wrk(url, token, connections, duration_s)
    cmd = [sys.executable, __file__, "--load", url, "--connections", str(connections)]
    cmd += ["--duration", str(duration_s)]
    env = os.environ | ({"BENCH_TOKEN": token} if token else {})
    out = subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=True, timeout=duration_s + 30
    ).stdout
    rps, p50, p99, errors = out.split()
    return Result(float(rps), float(p50), float(p99), int(errors))


def _targets(inventory: Path) -> dict[str, str]:
    """Realistic queries for this city: a district's devices, a school's path to the data
    center, the failure of a district office's router."""
    import edunet

    inv = edunet.load(inventory)
    school = next(s for s in inv.sites.values() if s.kind.value == "school")
    office = next(
        s
        for s in inv.sites.values()
        if s.kind.value == "district_office" and s.district == school.district and s.gateway
    )
    return {
        "devices?district": f"/api/v1/devices?district={school.district}",
        DISTRICT_TOKEN: "/api/v1/devices",
        "topology path": f"/api/v1/topology/paths?a={school.code}",
        "topology impact": f"/api/v1/topology/impact/{office.gateway}",
        "procurement summary": "/api/v1/procurement/summary",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per pass")
    ap.add_argument("--connections", type=int, default=16, help="throughput pass")
    ap.add_argument("--rounds", type=int, default=3, help="medians over this many rounds")
    ap.add_argument("--no-exports", action="store_true", help="skip the exports case")
    ap.add_argument("--exports-only", action="store_true", help="only the exports case")
    ap.add_argument("--load", help=argparse.SUPPRESS)  # the fallback loader's entry
    ap.add_argument("--download", help=argparse.SUPPRESS)  # the exports case's downloader
    ap.add_argument("--vary", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.download:
        token = os.environ["BENCH_TOKEN"]
        d = asyncio.run(
            _download_loop(args.download, token, args.connections, args.duration, args.vary)
        )
        print(d.ok, d.refused, d.other, d.mean_s)
        return
    if args.load:
        r = asyncio.run(
            _httpx_load(args.load, os.environ.get("BENCH_TOKEN"), args.connections, args.duration)
        )
        print(r.rps, r.p50_ms, r.p99_ms, r.errors)
        return

    from api.auth import Scope, create_token
    from edunet.access import Reach

    with tempfile.TemporaryDirectory(prefix="edunet-api-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        city = tmp / "city.yaml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "edunet",
                "sample",
                "--schools",
                str(args.schools),
                "--seed",
                str(args.seed),
                "-o",
                str(city),
            ],
            check=True,
            cwd=ROOT,
            timeout=300,
        )
        tokens = tmp / "tokens.yaml"
        scopes = [Scope.inventory_read, Scope.topology_read, Scope.procurement_read]
        token = create_token(tokens, scopes, "bench")
        district = _targets(city)["devices?district"].rsplit("=", 1)[1]
        noc = create_token(tokens, scopes, "bench noc", Reach(frozenset({district})))
        (tmp / "hello_app.py").write_text(HELLO)
        env = os.environ | {
            "PYTHONPATH": str(ROOT),
            "EDUNET_API_INVENTORY": str(city),
            "EDUNET_API_TOKENS_FILE": str(tokens),
            "EDUNET_API_RELOAD_INTERVAL_S": "0",
        }
        api_port, hello_port = free_tcp_port(), free_tcp_port()
        servers = [
            _serve("api.main:app_from_env", api_port, env, ROOT),
            _serve("hello_app:app", hello_port, env, tmp),
        ]
        try:
            api, hello = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{hello_port}"
            ready.wait_http(f"{api}/health", 60, proc=servers[0])
            ready.wait_http(f"{hello}/hello", 60, proc=servers[1])
            routes: dict[str, tuple[str, str | None]] = {
                "hello-world (bare FastAPI)": (f"{hello}/hello", None)
            }
            routes |= {
                k: (api + v, noc if k == DISTRICT_TOKEN else token)
                for k, v in _targets(city).items()
            }
            totals = {}
            for name, (url, tok) in routes.items():
                auth = {"Authorization": f"Bearer {tok}"} if tok else {}
                answer = httpx.get(url, headers=auth, timeout=30)
                if answer.status_code != 200:
                    raise SystemExit(f"{name}: {url} answered {answer.status_code}")
                totals[name] = answer.json().get("total")
            if totals[DISTRICT_TOKEN] != totals["devices?district"]:
                raise SystemExit(f"the district token's list is not its district's: {totals}")
            for url, tok in routes.values():
                _load(url, tok, 2, 1.0)  # warm-up: caches, the topology, connections
            # rounds interleave the routes, so a noisy minute hits the peer as much as the API
            rounds: dict[str, list[tuple[Result, Result]]] = {name: [] for name in routes}
            for _ in range(0 if args.exports_only else args.rounds):
                for name, (url, tok) in routes.items():
                    many = _load(url, tok, args.connections, args.duration)
                    one = _load(url, tok, 1, args.duration)
                    rounds[name].append((many, one))
            results = {name: (_median(r, 0), _median(r, 1)) for name, r in rounds.items() if r}
            exports = None if args.no_exports else _exports_case(api, city, token, args)
        finally:
            for p in servers:
                processes.stop(p, 10)
    ok = args.exports_only or _report(results, args)
    if exports is not None:
        ok &= _report_exports(exports, args)
    sys.exit(0 if ok else 1)


ExportsCase = dict[str, tuple[Result, Result, Result, Downloads | None]]


def _exports_case(api: str, city: Path, token: str, args: argparse.Namespace) -> ExportsCase:
    """The device list (many connections, one connection) and /health (one connection),
    alone and with each kind of download in flight."""
    devices = api + _targets(city)["devices?district"]
    hardware = api + "/api/v1/procurement/hardware?format="
    kinds: dict[str, tuple[str, bool] | None] = {
        "alone": None,
        "2 × hardware CSV": (hardware + "csv", False),
        "2 × hardware XLSX": (hardware + "xlsx", False),
        "2 × XLSX, new on= each": (hardware + "xlsx", True),
    }
    out: ExportsCase = {}
    d = args.duration
    for name, kind in kinds.items():
        loader = None
        if kind is not None:
            loader = _start_downloads(kind[0], token, 3 * d + 6, kind[1])
            time.sleep(3)  # the downloads under way (the first builds started)
        many = _load(devices, token, args.connections, d)
        one = _load(devices, token, 1, d)
        health = _load(api + "/health", None, 1, d)
        downloads = None
        if loader is not None:
            stdout, _ = loader.communicate(timeout=3 * d + 90)
            ok, refused, other, mean = stdout.split()
            downloads = Downloads(int(ok), int(refused), int(other), float(mean))
        out[name] = (many, one, health, downloads)
    return out


def _report_exports(out: ExportsCase, args: argparse.Namespace) -> bool:
    alone = out["alone"][0].rps
    print(
        f"\nthe filtered device list with {DOWNLOADERS} connections downloading the city's hardware"
    )
    head = (
        f"{'in flight':24} {'req/s c=' + str(args.connections):>12} {'× alone':>8}"
        f" {'p99 c=1':>8} {'health p99':>10} {'files':>6} {'429':>5} {'s/file':>7}"
    )
    print(head)
    print("-" * len(head))
    ok = True
    for name, (many, one, health, dl) in out.items():
        files = f"{dl.ok:6d} {dl.refused:5d} {dl.mean_s:7.2f}" if dl else f"{'':6} {'':5} {'':7}"
        print(
            f"{name:24} {many.rps:12.0f} {many.rps / alone:8.2f} {one.p99_ms:8.2f}"
            f" {health.p99_ms:10.2f} {files}"
        )
        if dl is not None:
            ok &= many.rps / alone >= EXPORTS_RATIO_BAR and health.p99_ms <= HEALTH_P99_BAR_MS
            ok &= dl.other == 0 and dl.ok > 0
    print(
        f"  bars: the list keeps ≥ {EXPORTS_RATIO_BAR:.0%} of its req/s and /health p99 ≤ "
        f"{HEALTH_P99_BAR_MS:g} ms with every kind in flight: {'pass' if ok else 'FAIL'}"
    )
    return ok


def _median(runs: list[tuple[Result, Result]], which: int) -> Result:
    """Each figure's median over the rounds (errors: their sum)."""
    picked = [r[which] for r in runs]
    return Result(
        rps=statistics.median(r.rps for r in picked),
        p50_ms=statistics.median(r.p50_ms for r in picked),
        p99_ms=statistics.median(r.p99_ms for r in picked),
        errors=sum(r.errors for r in picked),
    )


def _report(results: dict[str, tuple[Result, Result]], args: argparse.Namespace) -> bool:
    base = results["hello-world (bare FastAPI)"][0].rps
    c = args.connections
    loader = "wrk" if shutil.which("wrk") else "asyncio+httpx"
    print(
        f"\n{args.schools} schools (seed {args.seed}); load: {loader}, {args.duration:g} s a "
        f"pass; medians of {args.rounds} rounds"
    )
    head = (
        f"{'route':28} {'req/s c=' + str(c):>12} {'× hello':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'p50 c=1':>8} {'p99 c=1':>8} {'errors':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, (many, one) in results.items():
        print(
            f"{name:28} {many.rps:12.0f} {many.rps / base:8.2f} {many.p50_ms:8.2f}"
            f" {many.p99_ms:8.2f} {one.p50_ms:8.2f} {one.p99_ms:8.2f}"
            f" {many.errors + one.errors:6d}"
        )
    print("\nbars:")
    ok = True
    for name in ("topology path", "topology impact"):
        p99 = results[name][1].p99_ms
        ok &= p99 <= P99_BAR_MS
        print(
            f"  {name} p99 (one connection) {p99:.2f} ms ≤ {P99_BAR_MS:g} ms: "
            f"{'pass' if p99 <= P99_BAR_MS else 'FAIL'}"
        )
    for name, what in (("devices?district", "filtered list"), (DISTRICT_TOKEN, DISTRICT_TOKEN)):
        ratio = results[name][0].rps / base
        ok &= ratio >= LIST_RATIO_BAR
        print(
            f"  {what} {ratio:.0%} of hello-world req/s ≥ {LIST_RATIO_BAR:.0%}: "
            f"{'pass' if ratio >= LIST_RATIO_BAR else 'FAIL'}"
        )
    errors = sum(m.errors + o.errors for m, o in results.values())
    ok &= errors == 0
    return ok


if __name__ == "__main__":
    main()
