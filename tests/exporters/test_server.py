"""The exporter's HTTP side, through aiohttp's test client, with a fake poll that answers
recorded results after a chosen delay: bad requests, timeouts from Prometheus' header,
cancellation when the client goes away, concurrent scrapes, and its own metrics."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from edunet.secrets import SecretStore
from exporters import logs
from exporters.snmp.oids import IF_COLUMNS, Module, Oid
from exporters.snmp.result import PollError, PollResult, Value
from exporters.snmp.server import ScrapeConfig, SelfMetrics, make_app
from exporters.snmp.session import SnmpTarget
from exporters.snmp.targets import Targets

V3 = {
    "EDUNET_SNMP_V3_DEFAULT_USER": "monitor",
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "auth-value-5f2c",
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": "priv-value-9a1e",
}
RT, SLOW = "79760012-rt1", "79760031-rt1"


class FakePoll:
    """Answers after ``delays[device]`` seconds; ignores its budget when told to."""

    def __init__(self, delays: dict[str, float] | None = None, *, obey_budget: bool = True):
        self.delays = delays or {}
        self.obey_budget = obey_budget
        self.calls: list[tuple[str, str, float, float | None]] = []
        self.cancelled: list[str] = []

    async def __call__(
        self,
        target: SnmpTarget,
        module: Module,
        *,
        timeout_s: float = 2.0,
        retries: int = 1,
        budget_s: float | None = None,
    ) -> PollResult:
        self.calls.append((target.name, module.name, timeout_s, budget_s))
        delay = self.delays.get(target.name, 0.0)
        budget = budget_s if budget_s is not None and self.obey_budget else math.inf
        try:
            await asyncio.sleep(min(delay, budget))
        except asyncio.CancelledError:
            self.cancelled.append(target.name)
            raise
        if delay > budget:
            return PollResult(
                target.name, target.address, module.name, error=PollError.timeout, duration_s=budget
            )
        cols: dict[str, dict[Oid, Value]] = {c: {(1,): 1} for c in IF_COLUMNS}
        cols["ifName"] = {(1,): b"ether1"}
        return PollResult(
            target.name,
            target.address,
            module.name,
            ok=True,
            duration_s=delay,
            requests=2,
            varbinds=20,
            scalars={"sysUpTime": 100, "sysName": target.name.encode()},
            columns=cols,
        )


Client = TestClient[web.Request, web.Application]
Scenario = Callable[[Client, FakePoll], Awaitable[None]]


def run(inv: Inventory, poll: FakePoll, scenario: Scenario, **cfg: float) -> SelfMetrics:
    metrics = SelfMetrics(process=False)
    config = ScrapeConfig(inv, Targets(inv, SecretStore(env=V3), LAB_MAP), poll, **cfg)  # type: ignore[arg-type]

    async def main() -> None:
        async with TestClient(TestServer(make_app(config, metrics))) as client:
            await asyncio.wait_for(scenario(client, poll), 20)

    asyncio.run(main())
    return metrics


def scrapes(metrics: SelfMetrics, module: str, outcome: str) -> float:
    value = metrics.registry.get_sample_value(
        "edunet_exporter_snmp_scrapes_total", {"module": module, "outcome": outcome}
    )
    return value or 0.0


def test_a_scrape(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resp = await client.get("/snmp", params={"target": RT, "module": "if_mib"})
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await resp.text()
        assert 'edunet_snmp_up{device="79760012-rt1",district="Quận 1"' in text
        assert 'interface="ether1",uplink="true",isp="VNPT",medium="metronet"' in text
        assert poll.calls[0][:2] == (RT, "if_mib")

    metrics = run(small, FakePoll(), scenario)
    assert scrapes(metrics, "if_mib", "ok") == 1


def test_by_address_and_default_module(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resp = await client.get("/snmp", params={"target": "10.33.3.1"})
        assert resp.status == 200
        assert poll.calls[0][:2] == (RT, "if_mib")

    run(small, FakePoll(), scenario)


def test_bad_requests_are_400_with_a_clear_message(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resp = await client.get("/snmp", params={"module": "if_mib"})
        assert resp.status == 400 and "missing target" in await resp.text()
        resp = await client.get("/snmp", params={"target": RT, "module": "bgp"})
        text = await resp.text()
        assert resp.status == 400
        assert "unknown module 'bgp'" in text and "if_mib, inventory" in text
        assert poll.calls == []

    metrics = run(small, FakePoll(), scenario)
    assert scrapes(metrics, "if_mib", "bad_request") == 1


def test_unknown_target_answers_up_0(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resp = await client.get("/snmp", params={"target": "nope"})
        text = await resp.text()
        assert resp.status == 200
        assert 'edunet_snmp_up{device="nope",district=""' in text
        assert 'reason="unknown_target"} 1.0' in text

    metrics = run(small, FakePoll(), scenario)
    assert scrapes(metrics, "if_mib", "unknown_target") == 1


def test_the_scrape_timeout_header_bounds_the_poll(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        for header in ("3", "1", "junk"):
            await client.get(
                "/snmp",
                params={"target": RT},
                headers={"X-Prometheus-Scrape-Timeout-Seconds": header},
            )
        budgets = [c[3] or 0.0 for c in poll.calls]
        # less the margin (at most a quarter of it), then the default without a header
        assert all(abs(b - e) < 0.05 for b, e in zip(budgets, (2.5, 0.75, 10.0), strict=True))
        # one request never waits longer than the whole poll may
        assert [round(c[2], 1) for c in poll.calls] == [2.0, 0.7, 2.0]

    run(small, FakePoll(), scenario)


def test_a_poll_that_overruns_its_budget_is_a_timeout(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        started = time.monotonic()
        resp = await client.get(
            "/snmp", params={"target": SLOW}, headers={"X-Prometheus-Scrape-Timeout-Seconds": "1"}
        )
        elapsed = time.monotonic() - started
        text = await resp.text()
        assert resp.status == 200 and elapsed < 1.5
        assert 'reason="timeout"} 1.0' in text
        assert poll.cancelled == [SLOW]

    run(small, FakePoll({SLOW: 30}, obey_budget=False), scenario)


def test_a_client_that_goes_away_cancels_its_poll(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        with contextlib.suppress(TimeoutError):
            await client.get("/snmp", params={"target": SLOW}, timeout=aiohttp.ClientTimeout(0.3))
        for _ in range(50):  # bounded: up to 2.5 s for the server to notice
            if poll.cancelled:
                break
            await asyncio.sleep(0.05)
        assert poll.cancelled == [SLOW]

    metrics = run(small, FakePoll({SLOW: 30}), scenario)
    assert scrapes(metrics, "if_mib", "cancelled") == 1
    assert metrics.registry.get_sample_value("edunet_exporter_snmp_polls_in_flight") == 0


def test_a_slow_target_does_not_slow_the_others(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        slow = asyncio.create_task(client.get("/snmp", params={"target": SLOW}))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        fast = await asyncio.gather(
            *(client.get("/snmp", params={"target": RT}) for _ in range(20))
        )
        elapsed = time.monotonic() - started
        assert [r.status for r in fast] == [200] * 20
        assert elapsed < 1.0, elapsed
        assert not slow.done()
        resp = await client.get("/metrics")
        assert "edunet_exporter_snmp_polls_in_flight 1.0" in await resp.text()
        assert (await slow).status == 200

    run(small, FakePoll({SLOW: 1.5, RT: 0.05}), scenario)


def test_concurrent_scrapes_beyond_the_slots_wait_their_turn(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resps = await asyncio.gather(
            *(client.get("/snmp", params={"target": RT}) for _ in range(6))
        )
        assert [r.status for r in resps] == [200] * 6
        texts = [await r.text() for r in resps]
        assert all("edunet_snmp_up{" in t for t in texts)

    run(small, FakePoll({RT: 0.1}), scenario, max_in_flight=2)


def test_the_exporters_own_metrics(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        await client.get("/snmp", params={"target": RT})
        text = await (await client.get("/metrics")).text()
        assert 'edunet_exporter_snmp_scrapes_total{module="if_mib",outcome="ok"} 1.0' in text
        assert 'edunet_exporter_snmp_poll_duration_seconds_count{module="if_mib"} 1.0' in text
        assert "edunet_exporter_snmp_render_seconds_count 1.0" in text
        assert (await client.get("/-/healthy")).status == 200

    run(small, FakePoll(), scenario)


def test_an_inventory_scrape_carries_the_reconciliation(small: Inventory) -> None:
    async def scenario(client: Client, poll: FakePoll) -> None:
        resp = await client.get("/snmp", params={"target": RT, "module": "inventory"})
        text = await resp.text()
        # the fake reports no LLDP neighbour: the switch behind ether5 is missing
        assert 'edunet_reconcile_ok{device="79760012-rt1"' in text
        assert 'kind="neighbour_missing",port="ether5"' in text

    run(small, FakePoll(), scenario)


def test_a_failed_poll_logs_one_line_without_secrets(small: Inventory) -> None:
    stream = io.StringIO()
    logs.setup("json", stream=stream)

    async def scenario(client: Client, poll: FakePoll) -> None:
        await client.get(
            "/snmp",
            params={"target": SLOW},
            headers={"X-Prometheus-Scrape-Timeout-Seconds": "0.4"},
        )
        await client.get("/snmp", params={"target": RT})

    try:
        run(small, FakePoll({SLOW: 5}), scenario)
    finally:
        logging.getLogger("exporters").handlers.clear()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    failed = [line for line in lines if line["msg"] == "poll failed"]
    assert len(failed) == 1
    assert failed[0]["target"] == SLOW and failed[0]["reason"] == "timeout"
    assert failed[0]["address"] == "127.33.7.193" and failed[0]["duration_s"] > 0
    assert not any(v in stream.getvalue() for v in V3.values())
