"""Application checks against the lab's application servers: 200, 503, slow, TLS expiry,
a refused TCP port, and an untrusted certificate."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from support.processes import running

from edunet import load
from edunet.model import CheckKind, Inventory
from edunet.reach import AddressMap
from exporters.probe.apps import AppChecker, check_app, client_tls_context
from exporters.probe.metrics import AppResult
from exporters.probe.targets import AppTarget, app_targets

pytestmark = pytest.mark.integration

SMALL = Path(__file__).parent.parent / "core" / "data" / "small.yaml"
# The data center's 10.0/16 moved to a block of its own per run, in 127.100-127.189
# where no lab process listens, so neither a running lab nor a concurrent run collides.
AMAP = AddressMap.parse(f"10.0.0.0/16=127.{100 + os.getpid() % 90}.0.0/16")

EXTRA_APPLICATIONS = """
  - code: email
    name: Hệ thống thư điện tử
    name_en: Mail
    owner: Văn phòng Sở
    criticality: low
    slo: {availability_pct: 99.5, latency_ms: 1000}
    url: https://mail.hcm.edu.vn/
    port: 993
    check: tls
    vms:
      - {name: mail-01, vcpu: 2, memory_gb: 4, disks_gb: [80], segment: dmz, node: ttdl-srv1}
  - code: student-cards
    name: Hệ thống thẻ học sinh điện tử
    name_en: Student cards
    owner: Phòng Công nghệ thông tin
    criticality: medium
    slo: {availability_pct: 99.0, latency_ms: 1000}
    url: https://thehocsinh.hcm.edu.vn/
    port: 8443
    check: tcp
    vms:
      - {name: thehs-01, vcpu: 2, memory_gb: 4, disks_gb: [80], segment: dmz, node: ttdl-srv2}
  - code: e-library
    name: Thư viện điện tử
    name_en: E-library
    owner: Phòng Công nghệ thông tin
    criticality: medium
    slo: {availability_pct: 99.0, latency_ms: 1000}
    url: http://thuvien.hcm.edu.vn/sach/
    port: 8080
    vms:
      - {name: thuvien-01, vcpu: 2, memory_gb: 4, disks_gb: [80], segment: dmz, node: ttdl-srv2}
"""


def write_inventory(path: Path) -> Path:
    """The test city with a TLS, a TCP and a plain HTTP application added."""
    text = SMALL.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("      - {name: portal-02")  # the last section
    path.write_text(text.rstrip() + "\n" + EXTRA_APPLICATIONS.lstrip("\n"), encoding="utf-8")
    return path


@dataclass
class Lab:
    inventory: Inventory
    state_dir: Path
    checks: dict[str, AppTarget]  # by VM

    def fault(self, applications: dict[str, dict[str, int]]) -> None:
        tmp = self.state_dir / "faults.json.tmp"
        tmp.write_text(json.dumps({"applications": applications}), encoding="utf-8")
        os.replace(tmp, self.state_dir / "faults.json")
        time.sleep(1.2)  # the servers look at the file's mtime every 0.5 s

    def check(self, vm: str, timeout_s: float = 3.0) -> AppResult:
        ctx = client_tls_context(self.state_dir / "ca.pem")
        return asyncio.run(check_app(self.checks[vm], ctx, timeout_s))


def wait_for_log(path: Path, text: str, deadline_s: float) -> None:
    """Our own servers are up (not someone else's on the same addresses)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        log = path.read_text(encoding="utf-8")
        if text in log:
            return
        if "listening on" in log:
            raise AssertionError(f"the application servers did not all start:\n{log}")
        time.sleep(0.1)
    raise AssertionError(f"the application servers did not start in {deadline_s} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("apps")
    inv_path = write_inventory(base / "city.yaml")
    state_dir = base / "lab"
    argv = [sys.executable, "-m", "lab.appservers", "-i", str(inv_path)]
    argv += ["--state-dir", str(state_dir), "--address-map", str(AMAP)]
    with running(argv, log=base / "appservers.log", cwd=None):
        inv = load(inv_path)
        checks = {c.vm: c for c in app_targets(inv, AMAP)}
        wait_for_log(base / "appservers.log", f"listening on {len(checks)} of {len(checks)}", 30)
        yield Lab(inv, state_dir, checks)


@pytest.fixture(autouse=True)
def no_faults(lab: Lab) -> Iterator[None]:
    yield
    if (lab.state_dir / "faults.json").exists():
        lab.fault({})


def test_https_application_answers_200_with_sni_and_trusted_certificate(lab: Lab) -> None:
    r = lab.check("portal-01")
    assert r.up and r.http_status == 200 and r.error is None
    assert r.latency_s is not None and 0 < r.latency_s < 1.0
    assert r.tls_expiry_s is not None and r.tls_expiry_s > 300 * 86400


def test_plain_http_application(lab: Lab) -> None:
    r = lab.check("thuvien-01")
    assert (r.up, r.http_status, r.tls_expiry_s) == (True, 200, None)


def test_near_expiry_certificate_is_reported(lab: Lab) -> None:
    r = lab.check("mail-01")  # the low-criticality TLS application gets the 10-day certificate
    assert r.up and r.http_status is None
    assert r.tls_expiry_s == pytest.approx(10 * 86400, abs=3600)


def test_503_fault_is_down_with_its_status(lab: Lab) -> None:
    lab.fault({"portal": {"status": 503}})
    r = lab.check("portal-02")
    assert (r.up, r.http_status) == (False, 503)
    assert r.latency_s is not None  # it answered: the latency is still known
    lab.fault({})
    assert lab.check("portal-02").up


def test_slow_application_is_timed_and_a_too_slow_one_times_out(lab: Lab) -> None:
    lab.fault({"e-library": {"delay_ms": 400}})
    r = lab.check("thuvien-01")
    assert r.up and r.latency_s is not None and 0.39 < r.latency_s < 1.5
    r = lab.check("thuvien-01", timeout_s=0.2)
    assert (r.up, r.error, r.latency_s) == (False, "timeout", None)


def test_tcp_application_up_then_refused(lab: Lab) -> None:
    r = lab.check("thehs-01")
    assert r.up and r.http_status is None and r.tls_expiry_s is None
    lab.fault({"student-cards": {"status": 503}})
    r = lab.check("thehs-01")
    assert (r.up, r.error) == (False, "refused")


def test_tls_application_broken_handshake_is_down(lab: Lab) -> None:
    lab.fault({"email": {"status": 503}})
    r = lab.check("mail-01")
    assert not r.up and r.error is not None


def test_untrusted_certificate_is_down(lab: Lab) -> None:
    ctx = client_tls_context(None)  # the system's trust store does not know the lab CA
    r = asyncio.run(check_app(lab.checks["portal-01"], ctx, 3.0))
    assert not r.up and r.error is not None and r.error.startswith("certificate")


def test_wrong_host_name_is_down(lab: Lab) -> None:
    wrong = replace(lab.checks["portal-01"], server_name="khac.hcm.edu.vn")
    ctx = client_tls_context(lab.state_dir / "ca.pem")
    r = asyncio.run(check_app(wrong, ctx, 3.0))
    assert not r.up and r.error is not None


def test_checker_runs_all_concurrently_within_the_timeout(lab: Lab) -> None:
    lab.fault({"e-library": {"delay_ms": 5000}})
    checker = AppChecker(list(lab.checks.values()), ca_file=lab.state_dir / "ca.pem", timeout_s=2.0)
    started = time.monotonic()
    asyncio.run(checker.check_all())
    assert time.monotonic() - started < 4.0  # the slow one is cut off, the rest not held up
    results = dict(zip(lab.checks, checker.results, strict=True))
    assert results["thuvien-01"] is not None and not results["thuvien-01"].up
    assert all(r is not None and r.up for vm, r in results.items() if vm != "thuvien-01"), results


def test_nothing_listening_is_refused_not_a_crash() -> None:
    nowhere = AppTarget(
        application="x",
        name="x",
        criticality="low",
        vm="x-01",
        check=CheckKind.http,
        address=IPv4Address("127.94.255.254"),
        port=9,
        server_name="x.hcm.edu.vn",
        path="/",
        tls=True,
    )
    r = asyncio.run(check_app(nowhere, client_tls_context(None), 2.0))
    assert (r.up, r.error) == (False, "refused")
