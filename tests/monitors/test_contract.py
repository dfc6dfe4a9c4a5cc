"""The metric contract (``monitors.contract``) against everything that names a series: the
rules record only contract series and read only contract series, the API's live status reads
only contract series, and the exporters still write the raw series the contract lists, with
its labels (read from the exporters' code: the exporters do not import the contract)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from promql_names import documented_metrics, metric_names

from edunet.model import Inventory
from exporters.probe import targets as probe_targets
from exporters.snmp import collector
from monitors import contract
from monitors.contract import Series
from monitors.rules import rule_files
from monitors.settings import MonitoringSettings

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"edunet[:_][A-Za-z0-9_:]*[A-Za-z0-9_]")
# what each exporter's series are written by
EXPORTER_CODE = {
    "snmp": ("exporters/snmp/collector.py", "exporters/snmp/server.py"),
    "probe": ("exporters/probe/metrics.py",),
}


@pytest.fixture(scope="module", params=[1, 2], ids=["one-prometheus", "sharded"])
def rules(request: pytest.FixtureRequest, sample_city: Inventory) -> list[dict[str, Any]]:
    """Every rule of every rules file (with shards, the shards' watchdog rules too)."""
    settings = MonitoringSettings.for_inventory(sample_city, shards=request.param)
    files = rule_files(sample_city, settings)
    return [r for doc in files.values() for g in doc["groups"] for r in g["rules"]]


def _string_names(path: Path) -> set[str]:
    """Every edunet name in a module's string literals (f-strings' fixed parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    return {m for t in texts if isinstance(t, str) for m in NAME.findall(t)}


def test_the_contract_lists_each_series_once() -> None:
    series = contract.all_series()
    names = [s.name for s in series]
    assert len(names) == len(set(names))
    assert all(isinstance(s, Series) and s.help and s.help == s.help.strip() for s in series)
    # recorded series follow the naming convention level:metric:operations, raw ones do not
    for s in series:
        assert (":" in s.name) == (s.source == "rules"), s.name
    assert contract.find("edunet_probe_rtt_seconds_bucket") is contract.PROBE_RTT
    assert contract.find("edunet:site_up") is contract.SITE_UP
    assert contract.find("edunet:nothing") is None
    assert f"{contract.SITE_UP}{{site='x'}}" == "edunet:site_up{site='x'}"


def test_every_recorded_series_is_in_the_contract(rules: list[dict[str, Any]]) -> None:
    recorded = {r["record"] for r in rules if "record" in r}
    in_contract = {s.name for s in contract.all_series() if s.source == "rules"}
    assert recorded - in_contract == set()
    # and the contract promises nothing the rules do not record
    assert in_contract - recorded == set()


def test_rules_read_only_series_of_the_contract(rules: list[dict[str, Any]]) -> None:
    names = contract.names()
    for rule in rules:
        read = {n for n in metric_names(rule["expr"]) if n.startswith("edunet")}
        assert read <= names, (rule.get("record") or rule.get("alert"), sorted(read - names))
        for text in rule.get("annotations", {}).values():
            assert set(NAME.findall(text)) <= names, (rule.get("alert"), text)


def test_static_series_carry_the_contract_labels(rules: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if "record" in rule and "labels" in rule:
            series = contract.find(rule["record"])
            assert series is not None
            assert set(rule["labels"]) == set(series.labels), rule["record"]
            seen.add(series.name)
    assert contract.SITE_INFO.name in seen and contract.UPLINK_INFO.name in seen


def test_the_api_names_only_series_of_the_contract() -> None:
    names = contract.names()
    for path in [*sorted((ROOT / "api" / "routes").glob("*.py")), ROOT / "api" / "prometheus.py"]:
        used = _string_names(path)
        assert used <= names, (path.name, sorted(used - names))


@pytest.mark.parametrize("source", sorted(EXPORTER_CODE))
def test_exporters_write_the_raw_series_of_the_contract(source: str) -> None:
    written: set[str] = set()
    for rel in EXPORTER_CODE[source]:
        written |= _string_names(ROOT / rel)
    raw = [s for s in contract.all_series() if s.source == source]
    assert raw
    for s in raw:
        # prometheus_client adds a counter's _total to the family name it is given
        assert s.name in written or s.name.removesuffix("_total") in written, s.name
        if s.type == "histogram":
            assert {s.part("bucket"), s.part("sum"), s.part("count")} <= written, s.name


def test_raw_series_are_documented() -> None:
    documented = documented_metrics(ROOT / "docs" / "exporters.md")
    for s in contract.all_series():
        if s.source in EXPORTER_CODE:
            assert set(s.names) <= documented, s.name


def test_raw_series_carry_the_exporters_labels() -> None:
    assert set(contract.DEVICE_LABELS) == set(collector.DEVICE_LABELS)
    assert contract.INTERFACE_LABELS == collector.INTERFACE_LABELS
    assert contract.PROBE_LABELS == probe_targets.LABELS
    assert contract.PROBE_APP_LABELS == probe_targets.APP_LABELS
    for s in (contract.SNMP_UP, contract.DEVICE_UPTIME, contract.RECONCILE_OK):
        assert set(s.labels) == set(collector.DEVICE_LABELS), s.name
    for s in (contract.INTERFACE_OPER_UP, contract.INTERFACE_IN_OCTETS):
        assert set(s.labels) == {*collector.DEVICE_LABELS, *collector.INTERFACE_LABELS}, s.name
    for s in (contract.PROBE_SENT, contract.PROBE_RTT):
        assert s.labels == probe_targets.LABELS, s.name
    assert contract.PROBE_APP_UP.labels == probe_targets.APP_LABELS
