"""The Prometheus configuration: one ``prometheus.yml``, or one file per shard when the city
is split across several Prometheus servers (``settings.shards``).

Targets come from the file_sd files (:mod:`monitors.file_sd`), so adding a school rewrites a
target list, not this file. With shards, every job but ``prometheus`` itself keeps only the
targets whose ``hashmod`` of the address falls on its shard; the hash is taken before the SNMP
job rewrites ``__address__`` to the exporter, so devices — not the one exporter — are split.
Each shard remote-writes to VictoriaMetrics, where the city is whole again. The rules join and
aggregate across targets, so a shard loads none and sends no alerts: vmalert evaluates them once
on the merged view (:mod:`monitors.vmalert`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edunet.generated import header, yaml_text
from edunet.model import Inventory
from monitors.settings import MonitoringSettings, duration

__all__ = [
    "LOCAL_RULE_FILES",
    "LOCAL_TARGETS",
    "PROMETHEUS_DIR",
    "config_path",
    "render_prometheus",
    "scrape_timeout_s",
    "shard_address",
    "shard_config",
]

PROMETHEUS_DIR = "monitors/prometheus"
INVENTORY_INTERVAL_S = 900  # the inventory module (ENTITY-MIB, LLDP) changes rarely
RULE_FILES = "rules/*.yml"
SHARD_RULE_FILES = "rules/shard/*.yml"  # sharded: only what a shard must watch itself
# the NOC's own rules and targets: files without the generated header, which `edunet render`
# never touches (docs/monitoring.md, "Your own rules, targets and dashboards")
LOCAL_RULE_FILES = "rules/local/*.yml"
LOCAL_TARGETS = ["targets/local/*.yml", "targets/local/*.json"]

Job = dict[str, Any]


def config_path(shard: int, shards: int) -> str:
    name = "prometheus.yml" if shards == 1 else f"prometheus-shard-{shard}.yml"
    return f"{PROMETHEUS_DIR}/{name}"


def scrape_timeout_s(interval_s: float) -> int:
    """A scrape timeout a bit under the interval (the SNMP exporter spends it on retries), at
    most two minutes, at least a second."""
    return max(1, round(min(interval_s - 1, interval_s * 0.9, 120)))


def _static(address: str) -> list[dict[str, list[str]]]:
    return [{"targets": [address]}]


def _shard_relabel(shard: int, shards: int) -> list[dict[str, Any]]:
    if shards == 1:
        return []
    return [
        {
            "source_labels": ["__address__"],
            "modulus": shards,
            "target_label": "__tmp_hash",
            "action": "hashmod",
        },
        {"source_labels": ["__tmp_hash"], "regex": str(shard), "action": "keep"},
    ]


def _snmp_job(name: str, module: str, interval_s: int | None, s: MonitoringSettings) -> Job:
    """The snmp_exporter multi-target pattern: the device name becomes ``?target=``, the
    ``instance`` and ``device`` labels keep it, and the request goes to the exporter."""
    every = interval_s if interval_s is not None else s.scrape_interval_s
    job: Job = {"job_name": name}
    if interval_s is not None:
        job["scrape_interval"] = duration(interval_s)
    job |= {
        "scrape_timeout": duration(scrape_timeout_s(every)),
        "metrics_path": "/snmp",
        "params": {"module": [module]},
        "honor_labels": True,
        "file_sd_configs": [{"files": ["targets/snmp-*.yml"]}],
        "relabel_configs": [
            {"source_labels": ["__address__"], "target_label": "__param_target"},
            {"source_labels": ["__param_target"], "target_label": "instance"},
            {"source_labels": ["__param_target"], "target_label": "device"},
            {"target_label": "__address__", "replacement": s.snmp_exporter},
        ],
    }
    return job


def _static_job(name: str, address: str, **extra: Any) -> Job:
    return {"job_name": name, **extra, "static_configs": _static(address)}


def _jobs(s: MonitoringSettings, shard: int, shards: int, self_address: str) -> list[Job]:
    inventory_every = max(s.scrape_interval_s, round(INVENTORY_INTERVAL_S * s.time_scale))
    jobs: list[Job] = [
        _snmp_job("snmp", "if_mib", None, s),
        _snmp_job("snmp_inventory", "inventory", inventory_every, s),
        _static_job("probe", s.prober, honor_labels=True),
        _static_job("exporters", s.snmp_exporter),
    ]
    if s.api is not None:
        jobs.append(_static_job("api", s.api))
    jobs.append({"job_name": "node", "file_sd_configs": [{"files": ["targets/nodes.yml"]}]})
    jobs.append({"job_name": "local", "file_sd_configs": [{"files": LOCAL_TARGETS}]})
    jobs.append(_static_job("alertmanager", s.alertmanager))
    if shards > 1:
        jobs.append(_static_job("vmalert", s.vmalert))
        for job in jobs:
            # first, while __address__ is still the device name (or the static address)
            job["relabel_configs"] = _shard_relabel(shard, shards) + job.get("relabel_configs", [])
    # every shard watches itself: never sharded
    jobs.insert(-1, _static_job("prometheus", self_address))
    return jobs


def shard_address(address: str, shard: int) -> str:
    """Where shard ``shard`` listens when the shards share a host: the port plus the shard."""
    if shard == 0:
        return address
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"Prometheus address {address!r}: write HOST:PORT")
    return f"{host}:{int(port) + shard}"


def shard_config(
    settings: MonitoringSettings, shard: int = 0, self_address: str | None = None
) -> dict[str, Any]:
    """One Prometheus server's configuration as a plain mapping."""
    if self_address is None:
        self_address = shard_address(settings.prometheus, shard)
    shards = settings.shards
    external: dict[str, str] = {"city": settings.city}
    if shards > 1:
        external["shard"] = str(shard)
    interval = settings.scrape_interval_s
    config: dict[str, Any] = {
        "global": {
            "scrape_interval": duration(interval),
            # the built-in 10 s default is refused when the interval is shorter (the lab)
            "scrape_timeout": duration(min(10, interval)),
            "evaluation_interval": duration(settings.evaluation_interval_s),
            "external_labels": external,
        },
    }
    # with shards, a shard sees part of the city: vmalert evaluates the city's rules on the
    # merged view, and a shard only watches vmalert and its own remote write
    config["rule_files"] = [RULE_FILES, LOCAL_RULE_FILES] if shards == 1 else [SHARD_RULE_FILES]
    config["alerting"] = {
        "alertmanagers": [{"static_configs": _static(settings.alertmanager)}],
    }
    config["scrape_configs"] = _jobs(settings, shard, shards, self_address)
    if settings.remote_write_url:
        config["remote_write"] = [
            {
                "url": settings.remote_write_url,
                "queue_config": {
                    "capacity": 10000,
                    "max_shards": 8,
                    "max_samples_per_send": 2000,
                    "batch_send_deadline": duration(min(5, interval)),
                    "min_backoff": "100ms",
                    "max_backoff": "10s",
                },
            }
        ]
    return config


def render_prometheus(
    inv: Inventory,
    settings: MonitoringSettings,
    self_addresses: Sequence[str] = (),
) -> dict[str, str]:
    """``prometheus.yml`` (one server) or ``prometheus-shard-<i>.yml`` per shard.

    ``self_addresses``: where each server listens, for its own ``prometheus`` job; by default
    ``settings.prometheus``, and for shard ``i`` the same host on its port + ``i``. The inventory is
    not read: targets live in the file_sd files; it is taken to keep the generators alike.
    """
    del inv
    shards = settings.shards
    if shards < 1:
        raise ValueError(f"shards must be at least 1, not {shards}")
    if self_addresses and len(self_addresses) != shards:
        raise ValueError(f"{len(self_addresses)} self addresses for {shards} shards")
    files: dict[str, str] = {}
    for i in range(shards):
        me = self_addresses[i] if self_addresses else shard_address(settings.prometheus, i)
        body = yaml_text(shard_config(settings, i, me))
        files[config_path(i, shards)] = header() + body
    return files
