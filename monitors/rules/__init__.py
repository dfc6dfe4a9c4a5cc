"""Prometheus rules generated from the inventory: static info series, recording rules, SLOs
and alerts (``render_rules``). Names and labels follow the monitors contract; dashboards and
Alertmanager build on them."""

from __future__ import annotations

from typing import Any

from edunet.generated import header, yaml_text
from edunet.model import Inventory
from monitors.rules.alerts_network import network_alerts
from monitors.rules.alerts_service import app_alerts, platform_alerts
from monitors.rules.common import Windows, slug
from monitors.rules.recording import recording_groups
from monitors.rules.shard import SHARD_RULES, shard_groups
from monitors.rules.slo import slo_groups
from monitors.rules.topology import topology_groups
from monitors.settings import MonitoringSettings

__all__ = ["RULES_DIR", "alert_names", "render_rules", "rule_files", "slug"]

RULES_DIR = "monitors/prometheus/rules"


def rule_files(inv: Inventory, settings: MonitoringSettings) -> dict[str, dict[str, Any]]:
    """Each rules file as a plain mapping (``{"groups": [...]}``), by repo-relative path."""
    w = Windows(settings)
    return {
        f"{RULES_DIR}/edunet-topology.rules.yml": {"groups": topology_groups(inv, w.hold(60))},
        f"{RULES_DIR}/edunet-recording.rules.yml": {"groups": recording_groups(w)},
        f"{RULES_DIR}/edunet-slo.rules.yml": {"groups": slo_groups(w)},
        f"{RULES_DIR}/edunet-alerts.rules.yml": {
            "groups": [
                {"name": "edunet-alerts-network", "rules": network_alerts(w)},
                {"name": "edunet-alerts-applications", "rules": app_alerts(w)},
                {"name": "edunet-alerts-monitoring", "rules": platform_alerts(w)},
            ]
        },
    } | ({SHARD_RULES: {"groups": shard_groups(w)}} if settings.shards > 1 else {})


def render_rules(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    """The four rules files: repo-relative path → text, header first, deterministic."""
    return {path: header() + yaml_text(doc) for path, doc in rule_files(inv, settings).items()}


def alert_names(inv: Inventory, settings: MonitoringSettings) -> list[str]:
    """Every alert name the rules define, once each, in file order (the shards' watchdog
    alerts last, when there are shards)."""
    files = rule_files(inv, settings)
    docs = [files[f"{RULES_DIR}/edunet-alerts.rules.yml"]]
    if SHARD_RULES in files:
        docs.append(files[SHARD_RULES])
    names = [r["alert"] for doc in docs for g in doc["groups"] for r in g["rules"]]
    return list(dict.fromkeys(names))
