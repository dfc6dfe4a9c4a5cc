"""What a scrape request or an agent can put on a metrics page: an unknown target is shown
bounded and without control characters, a repeated ``target=`` or ``module=`` is a 400 as in
snmp_exporter, and no raw CR or NUL reaches a page of either exporter or the log."""

from __future__ import annotations

import asyncio
import io
import logging
from ipaddress import IPv4Address
from urllib.parse import quote

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from edunet.secrets import SecretStore
from exporters import logs
from exporters.exposition import clean_label, label_text
from exporters.probe.server import Prober
from exporters.probe.targets import LABELS, Target
from exporters.snmp.oids import IF_COLUMNS, Module, Oid
from exporters.snmp.result import PollResult, Value
from exporters.snmp.server import ScrapeConfig, SelfMetrics, make_app
from exporters.snmp.session import SnmpTarget
from exporters.snmp.targets import SHOWN_TARGET_CHARS, Targets

HOSTILE = "bad\r\x00host" + "x" * 7000
RT = "79760012-rt1"


async def _answer(
    target: SnmpTarget, module: Module, *, timeout_s: float = 2.0, retries: int = 1, **_: object
) -> PollResult:
    cols: dict[str, dict[Oid, Value]] = {c: {(1,): 1} for c in IF_COLUMNS}
    cols["ifName"] = {(1,): b"ether1"}
    cols["ifAlias"] = {(1,): b"to the \r\x00 office\x1b[2J"}
    scalars: dict[str, Value] = {"sysUpTime": 100, "sysName": b"rt\r\x00one", "sysDescr": b"x\x7f"}
    return PollResult(
        target.name, target.address, module.name, ok=True, scalars=scalars, columns=cols
    )


Client = TestClient[web.Request, web.Application]


def _scrape(small: Inventory, query: str) -> tuple[int, bytes]:
    config = ScrapeConfig(small, Targets(small, SecretStore(env={}), LAB_MAP), _answer)

    async def main() -> tuple[int, bytes]:
        app = make_app(config, SelfMetrics(process=False))
        async with TestClient(TestServer(app)) as client:
            resp = await client.get("/snmp?" + query)
            return resp.status, await resp.read()

    return asyncio.run(main())


def test_an_unknown_target_is_shown_bounded_and_without_control_characters(
    small: Inventory,
) -> None:
    status, body = _scrape(small, "target=" + quote(HOSTILE))
    assert status == 200
    assert b"\r" not in body and b"\x00" not in body
    assert len(body) < 3000  # the 7 KB target is not repeated in every sample
    (up,) = [
        s
        for fam in text_string_to_metric_families(body.decode())
        for s in fam.samples
        if s.name == "edunet_snmp_up"
    ]
    assert up.value == 0
    device = up.labels["device"]
    assert device.startswith("bad\ufffd\ufffdhost") and len(device) <= SHOWN_TARGET_CHARS + 1
    assert device.endswith("…")


def test_a_repeated_target_or_module_is_a_400_as_in_snmp_exporter(small: Inventory) -> None:
    status, body = _scrape(small, f"target={RT}&target=79760031-rt1")
    assert (status, body) == (400, b"'target' parameter must be specified once\n")
    status, body = _scrape(small, f"target={RT}&module=if_mib&module=inventory")
    assert (status, body) == (400, b"'module' parameter must only be specified once\n")
    status, body = _scrape(small, "module=" + "m\r" * 5000)
    assert status == 400 and b"\r" not in body and len(body) < 400


def test_what_an_agent_sends_reaches_the_page_without_control_characters(
    small: Inventory,
) -> None:
    status, body = _scrape(small, f"target={RT}")
    assert status == 200 and b'device="79760012-rt1"' in body
    assert b"\r" not in body and b"\x00" not in body and b"\x1b" not in body
    assert b"\x7f" not in body


def test_the_log_line_of_an_unknown_target_is_bounded(small: Inventory) -> None:
    stream = io.StringIO()
    logs.setup("logfmt", stream=stream)
    try:
        _scrape(small, "target=" + quote(HOSTILE))
    finally:
        logging.getLogger("exporters").handlers.clear()
    text = stream.getvalue()
    assert text.count("\n") == 1 and "\r" not in text and "\x00" not in text
    assert "unknown_target" in text and len(text) < 1000


def test_label_text_escapes_and_replaces_controls() -> None:
    assert label_text('a"b\\c\nd\re\x00f\tg') == 'a\\"b\\\\c\\nd\ufffde\ufffdf\tg'
    assert clean_label("Trường\u00a0học") == "Trường\u00a0học"
    assert clean_label("x\x85y\x9b") == "x\ufffdy\ufffd"


def test_the_prober_page_carries_no_raw_control_characters() -> None:
    values = ("t\r\x00", "k", "h", *[""] * (len(LABELS) - 3))
    prober = Prober([Target(IPv4Address("127.0.0.1"), values)])
    page = prober.metrics()
    assert b"\r" not in page and b"\x00" not in page
    assert 'target="t\ufffd\ufffd"'.encode() in page


def test_a_logfmt_value_with_a_control_character_is_quoted() -> None:
    record = logging.LogRecord("exporters", logging.INFO, "", 0, "poll failed", None, None)
    record.edunet_fields = {"detail": "said\rlevel\x00"}
    line = logs.StructuredFormatter("logfmt").format(record)
    assert "\r" not in line and "\x00" not in line
    assert 'detail="said\\rlevel\\u0000"' in line
