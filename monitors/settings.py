"""Where the monitoring stack's pieces listen and how fast it reacts: one frozen object that
every generator of this unit reads, resolved once from the inventory and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from edunet.model import Inventory
from edunet.reach import AddressMap

__all__ = ["MonitoringSettings", "duration"]


def duration(seconds: float) -> str:
    """Seconds as a Prometheus duration (``90`` → ``1m30s``, ``86400`` → ``1d``)."""
    s = max(1, round(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            parts.append(f"{s // size}{unit}")
            s %= size
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class MonitoringSettings:
    """The knobs of a rendered stack. Defaults describe the real city: everything on the data
    center's monitoring server, exporters beside Prometheus. The lab renders the same with its
    address map and a faster clock (``time_scale``)."""

    city: str  # the city code, an external label of every Prometheus
    domain: str  # the city's e-mail and web domain
    scrape_interval_s: int = 60
    evaluation_interval_s: int = 30
    # every `for:` and rate window of the rules is multiplied by this (the lab uses 1/8)
    time_scale: float = 1.0
    prometheus: str = "127.0.0.1:9090"  # Prometheus' own address (shard i: port + i)
    snmp_exporter: str = "127.0.0.1:9116"
    prober: str = "127.0.0.1:9374"
    api: str | None = "127.0.0.1:8000"
    alertmanager: str = "127.0.0.1:9093"
    vmalert: str = "127.0.0.1:8880"  # the rule evaluator when Prometheus is sharded
    node_exporter_port: int = 9100
    # VictoriaMetrics' Prometheus-compatible write endpoint; None: no remote_write
    remote_write_url: str | None = "http://127.0.0.1:8428/api/v1/write"
    shards: int = 1
    webhook_url: str = "http://127.0.0.1:9095/alerts"
    smtp_smarthost: str = ""  # "" → mail.<domain>:587
    runbook_base_url: str = ""  # "" → https://noc.<domain>/runbooks/
    address_map: AddressMap = field(default_factory=AddressMap)  # identity unless the lab's

    @classmethod
    def for_inventory(cls, inv: Inventory, **overrides: Any) -> MonitoringSettings:
        base = cls(city=inv.city.code, domain=inv.city.domain)
        return replace(base, **overrides) if overrides else base

    @property
    def runbooks(self) -> str:
        """The runbooks' base URL, with a trailing slash."""
        url = self.runbook_base_url or f"https://noc.{self.domain}/runbooks/"
        return url if url.endswith("/") else url + "/"

    @property
    def smarthost(self) -> str:
        return self.smtp_smarthost or f"mail.{self.domain}:587"

    def window(self, seconds: float) -> str:
        """A rule duration (window or `for:`), scaled by ``time_scale``."""
        return duration(seconds * self.time_scale)
