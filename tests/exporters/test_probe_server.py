"""``serve_prober``: the whole service on the test city, scraped over HTTP, then stopped."""

from __future__ import annotations

import asyncio
import os
import socket

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from support.ports import free_tcp_port

from edunet.model import Inventory
from edunet.reach import AddressMap
from exporters.probe import serve_prober
from exporters.probe.targets import probe_targets

pytestmark = pytest.mark.integration


def test_serve_prober_probes_the_city_and_stops(small: Inventory) -> None:
    port = free_tcp_port()
    # the data center's VMs moved where no lab application listens; the rest as in the lab
    block = f"127.{100 + (os.getpid() + 45) % 90}.0.0/16"
    amap = AddressMap.parse(f"10.0.0.0/16={block},10.0.0.0/8=127.0.0.0/8")

    async def main() -> str:
        stop = asyncio.Event()
        server = asyncio.create_task(
            serve_prober(
                small,
                listen=f"127.0.0.1:{port}",
                address_map=amap,
                stop=stop,
                interval_s=0.2,
                packets=2,
                app_interval_s=0.5,
                app_timeout_s=0.5,
            )
        )
        await asyncio.sleep(1.5)
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/metrics") as resp,
        ):
            assert resp.status == 200
            text = await resp.text()
        stop.set()
        await asyncio.wait_for(server, 5)
        return text

    text = asyncio.run(asyncio.wait_for(main(), 30))
    samples = {
        (s.name, s.labels.get("target", s.labels.get("vm", ""))): s.value
        for fam in text_string_to_metric_families(text)
        for s in fam.samples
    }
    school = small.schools()[0].code
    assert samples[("edunet_probe_sent_total", school)] >= 10
    assert samples[("edunet_probe_received_total", school)] >= 8
    assert samples[("edunet_probe_targets", "")] == len(probe_targets(small, amap))
    assert samples[("edunet_app_up", "portal-01")] == 0  # a dead application is a metric
    with socket.socket() as s:  # the listener is gone after stop
        assert s.connect_ex(("127.0.0.1", port)) != 0
