"""The rendered Alertmanager configuration: its shape, amtool's verdict and routing, and a real
Alertmanager applying the topology's inhibitions and notifying the webhook receiver."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.ports import free_tcp_port as free_port

import edunet
from edunet.generated import header
from edunet.model import District, Inventory, Site, SiteKind
from monitors.alertmanager_config import PATH, render_alertmanager
from monitors.settings import MonitoringSettings
from monitors.stack import Service, start_alertmanager
from monitors.webhook import WebhookServer, WebhookSink, serve_webhook

ROOT = Path(__file__).parent.parent.parent
AMTOOL = shutil.which("amtool")
needs_amtool = pytest.mark.skipif(AMTOOL is None, reason="amtool (prometheus-alertmanager) missing")


@pytest.fixture(scope="module")
def city() -> Inventory:
    return edunet.load(ROOT / "inventory.yaml")


def _render(inv: Inventory, **overrides: Any) -> str:
    files = render_alertmanager(inv, MonitoringSettings.for_inventory(inv, **overrides))
    assert list(files) == [PATH]
    return files[PATH]


def _config(inv: Inventory, **overrides: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(_render(inv, **overrides))
    return loaded


def _quan1(inv: Inventory) -> District:
    return next(d for d in inv.districts.values() if d.name == "Quận 1")


def _office_and_schools(inv: Inventory, district: District) -> tuple[Site, list[Site]]:
    office = inv.district_office(district.code)
    assert office is not None
    schools = [
        s for s in inv.schools() if s.district == district.code and office.code in s.upstream
    ]
    return office, schools


# --- the file --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["inventory.yaml", "tests/core/data/small.yaml"])
def test_header_first_and_deterministic(source: str) -> None:
    text = _render(edunet.load(ROOT / source))
    assert text.startswith(header())
    assert text == _render(edunet.load(ROOT / source))  # a fresh load: byte-identical
    assert "#   noc-q1: Quận 1 (760)\n" in text  # Vietnamese unescaped


def test_receivers_and_routes_follow_the_districts(city: Inventory) -> None:
    cfg = _config(city)
    names = [r["name"] for r in cfg["receivers"]]
    districts = sorted(city.districts.values(), key=lambda d: d.code)
    assert len(districts) == 24
    assert names == ["city-noc", "datacenter"] + [f"noc-{d.slug}" for d in districts]
    assert all(n.isascii() for n in names)
    route = cfg["route"]
    assert route["receiver"] == "city-noc"
    assert route["group_by"] == ["alertname", "district_code", "site"]
    by_district = [r for r in route["routes"] if r["receiver"].startswith("noc-")]
    assert [r["matchers"] for r in by_district] == [
        [f'district_code="{d.code}"'] for d in districts
    ]
    for r in cfg["receivers"]:
        hook = r["webhook_configs"][0]
        assert hook["url"] == f"http://127.0.0.1:9095/alerts/{r['name']}"
        assert hook["send_resolved"] is True
    mail = {
        r["name"]: r["email_configs"][0]["to"] for r in cfg["receivers"] if "email_configs" in r
    }
    assert mail == {"city-noc": "noc@hcm.edu.vn", "datacenter": "dc@hcm.edu.vn"}
    assert cfg["global"] == {
        "resolve_timeout": "5m",
        "smtp_smarthost": "mail.hcm.edu.vn:587",
        "smtp_from": "noc@hcm.edu.vn",
        "smtp_require_tls": True,
    }


def test_inhibitions_are_the_contracts(small: Inventory) -> None:
    rules = _config(small)["inhibit_rules"]
    assert rules[0] == {
        "source_matchers": ['alertname="EdunetSiteUnreachable"', 'site_kind="district_office"'],
        "target_matchers": ['alertname="EdunetSiteUnreachable"', 'site_kind="school"'],
        "equal": ["district_office"],
    }
    assert rules[1]["equal"] == ["site"]
    for name in ("DeviceDown", "UplinkDown", "LinkLossHigh", "LinkLatencyHigh", "LinkJitterHigh"):
        assert f"Edunet{name}" in rules[1]["target_matchers"][0]
    assert rules[2]["equal"] == ["application"]
    assert rules[3] == {
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["alertname", "site", "device", "interface", "application", "vm"],
    }
    assert all(set(r) == {"source_matchers", "target_matchers", "equal"} for r in rules)


def test_timings_scale_with_the_lab_clock(small: Inventory) -> None:
    real = _config(small)["route"]
    assert (real["group_wait"], real["group_interval"], real["repeat_interval"]) == (
        "30s",
        "5m",
        "4h",
    )
    lab = _config(small, time_scale=1 / 8)["route"]
    assert (lab["group_wait"], lab["group_interval"]) == ("4s", "38s")
    fast = _config(small, time_scale=1 / 1000)
    assert fast["route"]["group_wait"] == "1s"  # never below a second
    assert fast["global"]["resolve_timeout"] == "1s"


# --- amtool ----------------------------------------------------------------------------------


def _amtool(*args: str) -> str:
    assert AMTOOL is not None
    done = subprocess.run([AMTOOL, *args], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.integration
@needs_amtool
@pytest.mark.parametrize("which", ["city", "small"])
def test_amtool_check_config(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    path = tmp_path / "alertmanager.yml"
    path.write_text(_render(request.getfixturevalue(which)), encoding="utf-8")
    out = _amtool("check-config", str(path))
    assert "SUCCESS" in out
    assert "4 inhibit rules" in out


@pytest.mark.integration
@needs_amtool
def test_amtool_routes(city: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "alertmanager.yml"
    path.write_text(_render(city), encoding="utf-8")
    q1 = _quan1(city)
    office, schools = _office_and_schools(city, q1)
    school = schools[0]
    dc = city.datacenter

    def route(**labels: str) -> str:
        args = [f"{k}={v}" for k, v in labels.items()]
        return _amtool("config", "routes", "test", f"--config.file={path}", *args).strip()

    school_alert = {"alertname": "EdunetSiteUnreachable", "site": school.code}
    school_alert |= {"site_kind": "school", "district_code": q1.code, "team": "network"}
    assert route(**school_alert, severity="warning") == "noc-q1"
    assert route(**school_alert, severity="critical") == "city-noc,noc-q1"
    assert route(alertname="EdunetSiteUnreachable", site=office.code, district_code=q1.code) == (
        "noc-q1"
    )
    assert route(alertname="EdunetAppDown", team="applications", application="x") == "datacenter"
    assert route(alertname="EdunetDeviceDown", team="datacenter", district_code=q1.code) == (
        "datacenter"
    )
    assert route(alertname="EdunetExporterDown", team="network", severity="warning") == "city-noc"
    assert route(alertname="EdunetExporterDown", severity="critical") == "city-noc"
    # the core sites are not their district's business
    core = {"alertname": "EdunetSiteUnreachable", "team": "network", "severity": "warning"}
    assert route(**core, site=dc.code, site_kind="datacenter", district_code=dc.district) == (
        "datacenter"
    )
    dept = city.department
    for severity in ("warning", "critical"):  # a critical one is not sent twice
        labels = core | {"severity": severity, "site_kind": "department"}
        assert route(**labels, site=dept.code, district_code=dept.district) == "city-noc"
    other = next(d for d in city.districts.values() if d.code != q1.code)
    assert route(alertname="EdunetUplinkDown", district_code=other.code) == f"noc-{other.slug}"


# --- a real Alertmanager -----------------------------------------------------------------------

DELIVERY_TIMEOUT_S = 20.0  # group_wait is 1 s in the rendered test configuration


@dataclass
class LiveAlertmanager:
    service: Service
    sink: WebhookSink
    inv: Inventory


@pytest.fixture(scope="module")
def live(city: Inventory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAlertmanager]:
    if shutil.which("prometheus-alertmanager") is None and shutil.which("alertmanager") is None:
        pytest.skip("Alertmanager (prometheus-alertmanager) is not installed")
    server: WebhookServer
    server, thread = serve_webhook("127.0.0.1:0")
    base = tmp_path_factory.mktemp("alertmanager")
    settings = MonitoringSettings.for_inventory(
        city,
        time_scale=1 / 30,
        webhook_url=f"{server.url}/alerts",
        # e-mail goes to a closed loopback port: it fails, harmlessly, and leaves the machine never
        smtp_smarthost=f"127.0.0.1:{free_port()}",
    )
    config = base / "alertmanager.yml"
    config.write_text(render_alertmanager(city, settings)[PATH], encoding="utf-8")
    try:
        with start_alertmanager(config, base) as service:
            yield LiveAlertmanager(service, server.sink, city)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _post_alerts(url: str, alerts: list[dict[str, Any]], starts_ago: float = 0.0) -> None:
    """POST to /api/v2/alerts, firing for the whole test. ``startsAt`` is now unless told: a
    group whose first alert is older than group_wait is sent at once (see the last test)."""
    now = dt.datetime.now(dt.UTC)
    starts, ends = now - dt.timedelta(seconds=starts_ago), now + dt.timedelta(minutes=10)
    body = [a | {"startsAt": starts.isoformat(), "endsAt": ends.isoformat()} for a in alerts]
    req = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200


def _am_alerts(url: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The Alertmanager's alerts by (alertname, site or application)."""
    with urllib.request.urlopen(url + "/api/v2/alerts", timeout=10) as resp:
        alerts: list[dict[str, Any]] = json.loads(resp.read())
    out = {}
    for a in alerts:
        labels = a["labels"]
        out[(labels["alertname"], labels.get("site") or labels.get("application", ""))] = a
    return out


def _site_alert(inv: Inventory, name: str, site: Site, sev: str, **extra: str) -> dict[str, Any]:
    """An alert as the rules label it (see the contract), about one site."""
    district = inv.districts[site.district]
    offices = [u for u in site.upstream if inv.sites[u].kind is SiteKind.district_office]
    office = site.code if site.kind is SiteKind.district_office else (offices or [""])[0]
    labels = {"alertname": name, "severity": sev, "team": "network", "site": site.code}
    labels |= {"site_name": site.name, "district": district.name, "district_code": district.code}
    labels |= {"site_kind": site.kind.value, "district_office": office, **extra}
    summary = f"{site.name}: {name}"
    return {"labels": labels, "annotations": {"summary": summary, "summary_en": summary}}


def _wait_states(
    url: str, expected: dict[tuple[str, str], bool], timeout: float
) -> dict[tuple[str, str], dict[str, Any]]:
    """Poll until every expected alert is there and inhibited (True) or active (False)."""
    deadline = time.monotonic() + timeout
    while True:
        alerts = _am_alerts(url)
        states = {k: bool(alerts[k]["status"]["inhibitedBy"]) for k in expected if k in alerts}
        if states == expected or time.monotonic() > deadline:
            assert states == expected
            return alerts
        time.sleep(0.2)


@pytest.mark.integration
@pytest.mark.slow
def test_a_cut_off_district_office_silences_its_schools(live: LiveAlertmanager) -> None:
    inv = live.inv
    q1 = _quan1(inv)
    office, schools = _office_and_schools(inv, q1)
    assert len(schools) >= 2
    other_district = next(d for d in inv.districts.values() if d.code != q1.code)
    other_office, other_schools = _office_and_schools(inv, other_district)
    gateway = inv.sites[office.code].gateway or ""
    alerts = [
        _site_alert(inv, "EdunetSiteUnreachable", office, "critical", schools_cut_off="2"),
        _site_alert(inv, "EdunetSiteUnreachable", schools[0], "warning"),
        _site_alert(inv, "EdunetSiteUnreachable", schools[1], "warning"),
        _site_alert(inv, "EdunetSiteUnreachable", other_schools[0], "warning"),
        _site_alert(inv, "EdunetDeviceDown", office, "warning", device=gateway),
    ]
    assert alerts[3]["labels"]["district_office"] == other_office.code
    t0 = time.monotonic()
    _post_alerts(live.service.url, alerts)

    unreachable = "EdunetSiteUnreachable"
    got = _wait_states(
        live.service.url,
        {
            (unreachable, office.code): False,
            (unreachable, schools[0].code): True,
            (unreachable, schools[1].code): True,
            (unreachable, other_schools[0].code): False,
            ("EdunetDeviceDown", office.code): True,
        },
        timeout=10,
    )
    assert got[(unreachable, office.code)]["receivers"] == [
        {"name": "city-noc"},
        {"name": "noc-q1"},
    ]

    def delivered(receiver: str, site: str) -> Any:
        return lambda seen: any(
            a["receiver"] == receiver and a["labels"].get("site") == site for a in seen
        )

    assert live.sink.wait_for(delivered("noc-q1", office.code), DELIVERY_TIMEOUT_S)
    delivery_s = time.monotonic() - t0
    other = f"noc-{other_district.slug}"
    assert live.sink.wait_for(delivered(other, other_schools[0].code), DELIVERY_TIMEOUT_S)
    assert live.sink.wait_for(delivered("city-noc", office.code), DELIVERY_TIMEOUT_S)
    time.sleep(1.5)  # more than group_wait: an inhibited alert would have been sent by now
    silenced = {schools[0].code, schools[1].code}
    for a in live.sink.alerts():
        labels = a["labels"]
        assert labels.get("site") not in silenced, a
        assert labels["alertname"] != "EdunetDeviceDown", a
    office_alert = next(a for a in live.sink.alerts("noc-q1") if a["labels"]["site"] == office.code)
    assert office_alert["status"] == "firing"
    assert office_alert["labels"]["schools_cut_off"] == "2"
    print(f"district office alert delivered to noc-q1 in {delivery_s:.2f} s")


@pytest.mark.integration
@pytest.mark.slow
def test_an_application_down_silences_its_slowness(live: LiveAlertmanager) -> None:
    apps = list(live.inv.applications.values())
    assert len(apps) >= 2
    down, fine = apps[0].code, apps[1].code

    def app_alert(name: str, app: str, severity: str) -> dict[str, Any]:
        labels = {"alertname": name, "severity": severity, "team": "applications"}
        return {"labels": labels | {"application": app}, "annotations": {"summary": name}}

    _post_alerts(
        live.service.url,
        [
            app_alert("EdunetAppDown", down, "critical"),
            app_alert("EdunetAppSlow", down, "warning"),
            app_alert("EdunetAppErrorBudgetBurn", down, "warning"),
            app_alert("EdunetAppSlow", fine, "warning"),
        ],
    )
    _wait_states(
        live.service.url,
        {
            ("EdunetAppDown", down): False,
            ("EdunetAppSlow", down): True,
            ("EdunetAppErrorBudgetBurn", down): True,
            ("EdunetAppSlow", fine): False,
        },
        timeout=10,
    )

    def delivered(name: str, app: str) -> Any:
        return lambda seen: any(
            a["receiver"] == "datacenter"
            and a["labels"]["alertname"] == name
            and a["labels"].get("application") == app
            for a in seen
        )

    assert live.sink.wait_for(delivered("EdunetAppDown", down), DELIVERY_TIMEOUT_S)
    assert live.sink.wait_for(delivered("EdunetAppSlow", fine), DELIVERY_TIMEOUT_S)
    time.sleep(1.5)
    for a in live.sink.alerts():
        labels = a["labels"]
        if labels.get("application") == down:
            assert labels["alertname"] == "EdunetAppDown", a


@pytest.mark.integration
@pytest.mark.slow
def test_schools_failing_after_their_office_are_silenced_at_once(live: LiveAlertmanager) -> None:
    """Prometheus posts ``startsAt`` = when the alert began pending, so a new group is sent
    without group_wait: the inhibition holds only if the office's alert is already known —
    which the rules must ensure, e.g. by a longer ``for:`` on a school's alert."""
    inv = live.inv
    district = sorted(inv.districts.values(), key=lambda d: d.code)[2]
    office, schools = _office_and_schools(inv, district)
    assert len(schools) >= 2
    unreachable = "EdunetSiteUnreachable"
    _post_alerts(
        live.service.url, [_site_alert(inv, unreachable, office, "critical")], starts_ago=300
    )
    _wait_states(live.service.url, {(unreachable, office.code): False}, timeout=10)
    receiver = f"noc-{district.slug}"
    assert live.sink.wait_for(
        lambda seen: any(a["receiver"] == receiver for a in seen), DELIVERY_TIMEOUT_S
    )
    late = [_site_alert(inv, unreachable, s, "warning") for s in schools[:4]]
    _post_alerts(live.service.url, late, starts_ago=240)
    expected = {(unreachable, s.code): True for s in schools[:4]}
    _wait_states(live.service.url, expected, timeout=10)
    time.sleep(1.5)  # these groups are due at once: anything not inhibited is sent by now
    cut_off = {s.code for s in schools[:4]}
    assert not [a for a in live.sink.alerts() if a["labels"].get("site") in cut_off]
