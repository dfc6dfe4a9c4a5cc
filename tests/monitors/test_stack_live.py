"""The rendered stack for real: Prometheus and Alertmanager on loopback watching the lab (the
small city) through the edunet exporters. Every target is scraped, every rule evaluates and
returns data, every dashboard panel's query returns data, and faults injected in the lab fire
the expected alerts, reach the webhook receiver in bounded time, and the topology's
inhibitions hold (a district office cut off hides its school's own alert)."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from promql_names import metric_names
from stack_kit import SMALL, LabRun, small_lab, until
from support.ports import free_tcp_port as free_port

import edunet
from edunet.model import Inventory
from monitors.run import RunningStack, StackPlan, running_stack
from monitors.settings import monitoring_settings
from monitors.stack import get_json, query, targets

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ALERT_BOUND_S = 240  # fault injected → alert at the webhook
# series that exist only while something is wrong, or only after the slow inventory scrape
ONLY_ON_TROUBLE = {
    "edunet_reconcile_mismatch",
    "edunet_snmp_error",
    "ALERTS",
    # recorded only for ports that count errors (the panel test makes one)
    "edunet:interface_errors:rate5m",
    "edunet:interface_discards:rate5m",
}

SCHOOL_DOWN = "79785007"  # Bình Chánh, single uplink
LOSSY_SCHOOL = "79760031"  # Quận 1, two uplinks
CUT_LINK = "pgd-q1-up1"  # PGD-Q1's only uplink: takes the office and school 79760012 off
CUT_SCHOOL = "79760012"
APP = "portal"
SWAPPED = "ttdl-srv1"  # has a hardware record: a swapped chassis is a mismatch


@pytest.fixture(scope="module")
def small_city() -> Inventory:
    return edunet.load(SMALL)


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, small_city: Inventory
) -> Iterator[tuple[LabRun, RunningStack]]:
    if os.geteuid() != 0:
        pytest.skip("the lab's network faults need root (CI runs as root)")
    tmp = tmp_path_factory.mktemp("stack")
    with small_lab(tmp) as lab:
        settings = monitoring_settings(
            small_city,
            True,
            snmp_exporter=lab.snmp_exporter,
            prober=lab.prober,
            scrape_interval_s=5,
            time_scale=1 / 8,  # a 2-minute window is 15 s: three scrapes
        )
        plan = StackPlan(
            tmp / "monitors",
            prometheus=f"127.0.0.1:{free_port()}",
            alertmanager=f"127.0.0.1:{free_port()}",
            webhook=f"127.0.0.1:{free_port()}",
            victoria_metrics=None,
        )
        with running_stack(small_city, settings, plan) as stack:
            # early, so the slow inventory scrape (every 2 minutes here) sees it
            lab.fault("serial", SWAPPED, "SWAPPED0001")
            yield lab, stack


def _gateway(city: Inventory, site: str) -> str:
    gateway = city.sites[site].gateway
    assert gateway is not None
    return gateway


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    """``until`` for checks that answer with something falsy while they wait."""
    return until(what, lambda: check() or None, timeout)[0]


def _unix(stamp: str) -> float:
    """Prometheus' RFC 3339 time (nanoseconds, Z) as unix seconds."""
    day, _, rest = stamp.rstrip("Z").partition("T")
    whole, _, frac = rest.partition(".")
    t = dt.datetime.fromisoformat(f"{day}T{whole}+00:00").timestamp()
    return t + float(f"0.{frac}" if frac else 0)


def _firing(stack: RunningStack) -> list[dict[str, str]]:
    return [r["metric"] for r in query(stack.prometheus.url, 'ALERTS{alertstate="firing"}')]


def test_every_target_is_scraped_and_up(live: tuple[LabRun, RunningStack]) -> None:
    _, stack = live

    def all_up() -> list[dict[str, Any]] | None:
        # the inventory module is scraped every 15 minutes (2 here): not waited for
        found = [t for t in targets(stack.prometheus.url) if t["labels"]["job"] != "snmp_inventory"]
        scraped = [t for t in found if t["lastScrape"] != "0001-01-01T00:00:00Z"]
        jobs = {t["labels"]["job"] for t in found}
        if len(scraped) < len(found) or not {"snmp", "probe", "node", "exporters"} <= jobs:
            return None
        return found

    found = wait_for("every target scraped once", all_up, timeout=90)
    down = [
        (t["labels"]["job"], t["labels"].get("instance"), t["lastError"])
        for t in found
        if t["health"] != "up"
    ]
    assert down == []


def test_every_rule_evaluates_and_returns_data(live: tuple[LabRun, RunningStack]) -> None:
    _, stack = live
    url = stack.prometheus.url

    def evaluated_twice() -> list[dict[str, Any]] | None:
        groups: list[dict[str, Any]] = get_json(url, "/api/v1/rules")["data"]["groups"]
        now = time.time()
        fresh = all(
            g["lastEvaluation"] != "0001-01-01T00:00:00Z"
            and now - _unix(g["lastEvaluation"]) < g["interval"]
            for g in groups
        )
        return groups if fresh and time.monotonic() - started > 2 * slowest(groups) else None

    def slowest(groups: list[dict[str, Any]]) -> float:
        return max(float(g["interval"]) for g in groups)

    started = time.monotonic()
    groups, _ = until("every rule group evaluated twice", evaluated_twice, 120)
    rules = [r for g in groups for r in g["rules"]]
    assert len(rules) > 50
    broken = [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"]
    assert broken == []

    empty_records = sorted(
        {r["name"] for r in rules if r["type"] == "recording" and not query(url, r["name"])}
        - ONLY_ON_TROUBLE
    )
    assert empty_records == []
    names = {n for r in rules for n in metric_names(r["query"])} - ONLY_ON_TROUBLE
    missing = sorted(n for n in names if not query(url, f"count({n})"))
    assert missing == []


@pytest.fixture(scope="module")
def faulted(
    live: tuple[LabRun, RunningStack], small_city: Inventory
) -> tuple[LabRun, RunningStack, float]:
    lab, stack = live
    started = time.monotonic()
    lab.fault("site-down", SCHOOL_DOWN)
    lab.fault("uplink", LOSSY_SCHOOL, "--loss", "10")
    lab.fault("app-down", APP)
    lab.fault("link-down", CUT_LINK)
    gateway = _gateway(small_city, LOSSY_SCHOOL)
    lab.fault("reboot", gateway)
    lab.fault("errors", gateway, small_city.devices[gateway].model.interfaces[1])
    return lab, stack, started


def _has(alerts: list[dict[str, Any]], name: str, **labels: str) -> bool:
    return any(
        a["labels"]["alertname"] == name and all(a["labels"].get(k) == v for k, v in labels.items())
        for a in alerts
        if a.get("status", "firing") == "firing"
    )


def test_faults_fire_the_expected_alerts_at_the_webhook(
    faulted: tuple[LabRun, RunningStack, float],
) -> None:
    _, stack, started = faulted
    assert stack.webhook is not None
    sink = stack.webhook.sink
    expected = [
        ("EdunetSiteUnreachable", {"site": SCHOOL_DOWN}),
        ("EdunetLinkLossHigh", {"site": LOSSY_SCHOOL}),
        ("EdunetAppDown", {"application": APP}),
        ("EdunetSiteUnreachable", {"site": "PGD-Q1", "schools_cut_off": "1"}),
    ]
    arrived: dict[str, float] = {}

    def all_arrived(alerts: list[dict[str, Any]]) -> bool:
        for name, labels in expected:
            key = f"{name}{labels}"
            if key not in arrived and _has(alerts, name, **labels):
                arrived[key] = time.monotonic() - started
        return len(arrived) == len(expected)

    ok = sink.wait_for(all_arrived, ALERT_BOUND_S)
    print("alert delivery, s after the fault:", {k: round(v, 1) for k, v in arrived.items()})
    assert ok, f"arrived: {sorted(arrived)}; firing: {_firing(stack)}"
    # the receivers follow the district and the team
    by_receiver = {
        (a["labels"]["alertname"], a["labels"].get("site"), a["receiver"]) for a in sink.alerts()
    }
    assert ("EdunetSiteUnreachable", "PGD-Q1", "noc-q1") in by_receiver
    assert ("EdunetSiteUnreachable", SCHOOL_DOWN, "noc-binh-chanh") in by_receiver
    assert any(
        a["receiver"] == "datacenter"
        for a in sink.alerts()
        if a["labels"]["alertname"] == "EdunetAppDown"
    )


def test_the_cut_off_school_fires_in_prometheus_but_is_inhibited(
    faulted: tuple[LabRun, RunningStack, float],
) -> None:
    _, stack, _ = faulted
    wait_for(
        "the cut-off school's alert fires in Prometheus",
        lambda: any(
            m["alertname"] == "EdunetSiteUnreachable" and m.get("site") == CUT_SCHOOL
            for m in _firing(stack)
        ),
        timeout=ALERT_BOUND_S,
    )
    am = stack.alertmanager.url

    def school_inhibited() -> bool:
        alerts = get_json(am, "/api/v2/alerts")
        school = [
            a
            for a in alerts
            if a["labels"]["alertname"] == "EdunetSiteUnreachable"
            and a["labels"].get("site") == CUT_SCHOOL
        ]
        return bool(school) and all(a["status"]["inhibitedBy"] for a in school)

    wait_for("Alertmanager inhibits the school behind PGD-Q1", school_inhibited, timeout=60)
    assert stack.webhook is not None
    time.sleep(5)  # a group interval: an inhibited alert would have been sent by now
    assert not _has(stack.webhook.sink.alerts(), "EdunetSiteUnreachable", site=CUT_SCHOOL)


SUBSTITUTE = {
    "__rate_interval": "1m",
    "__interval": "30s",
    "__range": "1h",
    "__range_s": "3600",
    "interval": "1m",
}


def panel_expr(expr: str, city: Inventory) -> str:
    """A panel's query as Grafana would send it, its variables set to a real school."""
    # multi-value variables, as the NOC picks them: a school cut off, a lossy and rebooted
    # one, and the data center with its swapped server (no level: the empty value)
    sites = [
        city.sites[LOSSY_SCHOOL],
        city.sites[SCHOOL_DOWN],
        city.sites[city.devices[SWAPPED].site],
    ]
    real = {
        "district": "|".join(sorted({city.districts[s.district].name for s in sites})),
        "district_code": "|".join(sorted({s.district for s in sites})),
        "site": "|".join(s.code for s in sites),
        "level": "|".join(sorted({str(s.level) if s.level else "" for s in sites})),
        "application": APP,
    }

    def value(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return real.get(name) or SUBSTITUTE.get(name, ".*")

    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", value, expr)


def test_every_dashboard_panel_query_returns_data(
    faulted: tuple[LabRun, RunningStack, float], small_city: Inventory
) -> None:
    from dashboards import panel_queries, render_dashboards

    lab, stack, _ = faulted
    url = stack.prometheus.url
    lab.fault("clear", "app:portal")  # a down application has no latency to show
    wait_for("the application's latency", lambda: query(url, "edunet:app_latency:seconds"), 60)
    wait_for("the swapped serial", lambda: query(url, "edunet_reconcile_mismatch"), 150)
    settings = monitoring_settings(small_city, True)
    queries = panel_queries(render_dashboards(small_city, settings))
    assert len(queries) > 40
    # wait for the alerts, so panels about trouble have something to show
    wait_for("an unreachable site", lambda: query(stack.prometheus.url, "edunet:site_up == 0"), 120)
    empty = []
    located = any(s.location is not None for s in small_city.sites.values())
    for uid, title, expr in queries:
        if not located and 'lat!=""' in expr:
            continue  # the map shows located sites only, and this small city places none
        promql = panel_expr(expr, small_city)
        if not query(stack.prometheus.url, promql):
            empty.append((uid, title, promql))
    assert empty == [], "\n".join(f"{u} / {t}: {q}" for u, t, q in empty)
