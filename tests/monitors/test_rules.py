"""The generated Prometheus rules: shape, contract names, determinism, the lab's faster clock,
and promtool's verdict (check + the unit tests under promtool/ on the test city)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import edunet
from edunet.generated import header
from edunet.model import Inventory, Medium, SiteKind
from edunet.topology import topology_of
from monitors.rules import RULES_DIR, alert_names, render_rules, rule_files, slug
from monitors.settings import MonitoringSettings

ROOT = Path(__file__).parent.parent.parent
PROMTOOL_TESTS = Path(__file__).parent / "promtool"
RUNBOOKS = ROOT / "docs" / "runbooks"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool (prometheus) missing")

DASHBOARDS = {
    "edunet-city",
    "edunet-district",
    "edunet-school",
    "edunet-links",
    "edunet-datacenter",
    "edunet-apps",
    "edunet-hardware",
}
CONTRACT_ALERTS = {
    "EdunetDeviceDown",
    "EdunetSiteUnreachable",
    "EdunetUplinkDown",
    "EdunetLinkLossHigh",
    "EdunetLinkLatencyHigh",
    "EdunetLinkJitterHigh",
    "EdunetInterfaceErrors",
    "EdunetUplinkSaturated",
    "EdunetDeviceRebooted",
    "EdunetAppDown",
    "EdunetAppSlow",
    "EdunetTlsCertExpiring",
    "EdunetInventoryMismatch",
    "EdunetExporterDown",
    "EdunetSnmpPollFailing",
    "EdunetProbeFailing",
    "EdunetAppErrorBudgetBurn",
}
ANNOTATIONS = ["summary", "summary_en", "description", "runbook_url", "dashboard"]
SITE_LABELS = {"site", "site_name", "district", "district_code", "site_kind"}


def _settings(inv: Inventory, **overrides: Any) -> MonitoringSettings:
    return MonitoringSettings.for_inventory(inv, **overrides)


def _rules(inv: Inventory, name: str, **overrides: Any) -> list[dict[str, Any]]:
    doc = rule_files(inv, _settings(inv, **overrides))[f"{RULES_DIR}/{name}"]
    return [r for g in doc["groups"] for r in g["rules"]]


def _alerts(inv: Inventory) -> list[dict[str, Any]]:
    return _rules(inv, "edunet-alerts.rules.yml")


def test_files_header_and_yaml(small: Inventory) -> None:
    files = render_rules(small, _settings(small))
    assert sorted(files) == [
        f"{RULES_DIR}/edunet-{n}.rules.yml" for n in ("alerts", "recording", "slo", "topology")
    ]
    for text in files.values():
        assert text.startswith(header())
        assert "\\u" not in text  # Vietnamese unescaped
        assert yaml.safe_load(text)["groups"]
    assert "Trường Tiểu học Lê Ngọc Hân" in files[f"{RULES_DIR}/edunet-topology.rules.yml"]


def test_deterministic() -> None:
    inv = edunet.load(ROOT / "inventory.yaml")
    again = edunet.load(ROOT / "inventory.yaml")
    assert render_rules(inv, _settings(inv)) == render_rules(again, _settings(again))


def test_contract_alert_names(small: Inventory) -> None:
    names = set(alert_names(small, _settings(small)))
    assert names >= CONTRACT_ALERTS
    assert names - CONTRACT_ALERTS == {"EdunetAppInstanceDown"}  # the one addition


def test_every_alert_is_complete(small: Inventory) -> None:
    settings = _settings(small)
    for rule in _alerts(small):
        name = rule["alert"]
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, name
        assert rule["labels"]["team"] in {"network", "datacenter", "applications"}, name
        notes = rule["annotations"]
        assert list(notes) == ANNOTATIONS, name
        assert all(notes[k].strip() for k in ANNOTATIONS), name
        assert notes["runbook_url"] == settings.runbooks + slug(name)
        assert notes["dashboard"] in DASHBOARDS, name
        # about a site: the site's labels, and its Vietnamese name in the summary
        if "edunet:site_info" in rule["expr"]:
            assert "{{ $labels.site_name }}" in notes["summary"], name


def test_site_alerts_carry_site_labels(small: Inventory) -> None:
    """Every alert joined with edunet:site_info takes site_kind from it; site, site_name,
    district and district_code come from the series it starts from."""
    for rule in _alerts(small):
        expr = rule["expr"]
        if "edunet:site_info" not in expr:
            continue
        assert re.search(r"group_left\([^)]*(site_kind|district_office)", expr), rule["alert"]
        for label in ("site", "site_name", "district", "district_code"):
            assert label in expr or "edunet:site_up" in expr, (rule["alert"], label)


def test_slug() -> None:
    assert slug("EdunetSiteUnreachable") == "site-unreachable"
    assert slug("EdunetTlsCertExpiring") == "tls-cert-expiring"
    assert slug("EdunetAppErrorBudgetBurn") == "app-error-budget-burn"


def test_topology_info_series(small: Inventory) -> None:
    rules = _rules(small, "edunet-topology.rules.yml")
    sites = [r["labels"] for r in rules if r["record"] == "edunet:site_info"]
    assert [s["site"] for s in sites] == list(small.sites)
    topo = topology_of(small)
    for labels in sites:
        site = small.sites[labels["site"]]
        assert labels["district_code"] == site.district
        if site.kind is SiteKind.district_office:
            assert labels["district_office"] == site.code
            assert labels["schools_cut_off"] == str(topo.impact(site.code).schools_cut)
        else:
            assert labels["schools_cut_off"] == "0"
    by_site = {s["site"]: s for s in sites}
    assert by_site["79760012"]["district_office"] == "PGD-Q1"
    assert by_site["PGD-Q1"]["schools_cut_off"] == "1"
    uplinks = [r["labels"] for r in rules if r["record"] == "edunet:uplink_info"]
    assert len(uplinks) == sum(len(s.uplinks) for s in small.sites.values())
    slo = {
        r["labels"]["application"]: r["expr"] for r in rules if r["record"].endswith("slo:ratio")
    }
    assert slo == {"portal": "vector(0.999)"}
    for aspect in ("loss", "latency", "jitter"):
        media = {r["labels"]["medium"] for r in rules if f"threshold_{aspect}" in r["record"]}
        assert media == {m.value for m in Medium}


def test_lab_time_scale_shortens_windows(small: Inventory) -> None:
    real = {r["alert"]: r.get("for") for r in _alerts(small)}
    lab_rules = _rules(small, "edunet-alerts.rules.yml", time_scale=1 / 8, scrape_interval_s=5)
    lab = {r["alert"]: r.get("for") for r in lab_rules}
    unreachable = [r for r in _alerts(small) if r["alert"] == "EdunetSiteUnreachable"]
    lab_unreachable = [r for r in lab_rules if r["alert"] == "EdunetSiteUnreachable"]
    # a school waits longer than its district office, so the office's alert inhibits it
    assert [r["for"] for r in unreachable] == ["2m", "2m", "3m"]
    assert [r["for"] for r in lab_unreachable] == ["15s", "15s", "22s"]
    assert real["EdunetUplinkSaturated"] == "15m" and lab["EdunetUplinkSaturated"] == "1m52s"
    recording = _rules(small, "edunet-recording.rules.yml", time_scale=1 / 8, scrape_interval_s=5)
    loss = next(r for r in recording if r["record"] == "edunet:site_probe_loss:ratio")
    assert "[38s]" in loss["expr"]
    slo = _rules(small, "edunet-slo.rules.yml", time_scale=1 / 8, scrape_interval_s=5)
    assert any("[3d18h]" in r["expr"] for r in slo)  # 30 days, 8× faster


def test_rate_windows_never_shorter_than_three_scrapes(small: Inventory) -> None:
    recording = _rules(small, "edunet-recording.rules.yml", time_scale=1 / 8)  # 60 s scrapes
    up = next(r for r in recording if r["record"] == "edunet:site_up")
    assert "[3m]" in up["expr"]


def _promtool_fired() -> set[str]:
    fired: set[str] = set()
    for path in sorted(PROMTOOL_TESTS.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for test in doc["tests"]:
            for case in test.get("alert_rule_test", []):
                if case.get("exp_alerts"):
                    fired.add(case["alertname"])
    return fired


def test_every_alert_has_a_firing_promtool_test(small: Inventory) -> None:
    missing = set(alert_names(small, _settings(small, shards=2))) - _promtool_fired()
    assert not missing, f"alerts without a promtool test that fires them: {sorted(missing)}"


def test_every_alert_has_a_runbook(small: Inventory) -> None:
    index = (RUNBOOKS / "README.md").read_text(encoding="utf-8")
    for name in alert_names(small, _settings(small, shards=2)):  # with the shards' own
        path = RUNBOOKS / f"{slug(name)}.md"
        assert path.is_file(), path
        text = path.read_text(encoding="utf-8")
        assert name in text
        assert any(uid in text for uid in DASHBOARDS), f"{path.name} names no dashboard"
        assert f"({slug(name)}.md)" in index, f"README.md does not list {path.name}"


def _render_into(tmp: Path, inv: Inventory) -> list[Path]:
    out = []
    # with shards, so the shards' watchdog rules are checked and tested too
    for rel, text in render_rules(inv, _settings(inv, shards=2)).items():
        path = tmp / Path(rel).name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


@pytest.mark.integration
@needs_promtool
def test_promtool_check_rules(tmp_path: Path) -> None:
    inv = edunet.load(ROOT / "inventory.yaml")
    files = _render_into(tmp_path, inv)
    done = subprocess.run(
        [str(PROMTOOL), "check", "rules", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.integration
@needs_promtool
def test_promtool_unit_tests(tmp_path: Path, small: Inventory) -> None:
    _render_into(tmp_path, small)
    tests = []
    for path in sorted(PROMTOOL_TESTS.glob("*.yml")):
        shutil.copy(path, tmp_path / path.name)
        tests.append(path.name)
    assert tests
    done = subprocess.run(
        [str(PROMTOOL), "test", "rules", *tests],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
