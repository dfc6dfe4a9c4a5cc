"""Where the monitoring stack's pieces listen and how fast it reacts: one frozen object that
every generator of this unit reads, resolved once from the inventory and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from edunet.generated import RenderOptions
from edunet.model import Inventory
from edunet.reach import LAB_MAP, AddressMap

__all__ = ["MonitoringSettings", "duration", "monitoring_settings", "settings_for_render"]

# the lab's alerts fire in about a quarter of the time; windows still span several scrapes
LAB_TIME_SCALE = 1 / 4
# 1,443 devices every 30 s keep two cores busy but never late (every 15 s, polls time out)
LAB_SCRAPE_INTERVAL_S = 30


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


def monitoring_settings(inv: Inventory, lab: bool, **options: Any) -> MonitoringSettings:
    """The city's defaults, the lab's preset, then the options given (None: not given)."""
    preset: dict[str, Any] = {}
    if lab:
        preset = {
            "address_map": LAB_MAP,
            "time_scale": LAB_TIME_SCALE,
            "scrape_interval_s": LAB_SCRAPE_INTERVAL_S,
            "evaluation_interval_s": 5,
            "api": None,  # the lab runs no API
            # e-mail stays on this machine: nothing listens there, so the example receiver
            # fails quietly while the webhooks deliver
            "smtp_smarthost": "127.0.0.1:2525",
        }
    preset.update({k: v for k, v in options.items() if v is not None})
    return MonitoringSettings.for_inventory(inv, **preset)


def settings_for_render(inv: Inventory, options: RenderOptions) -> MonitoringSettings:
    """What ``edunet render``'s options mean for the monitoring stack."""
    settings = monitoring_settings(
        inv,
        options.lab,
        shards=options.shards,
        scrape_interval_s=options.scrape_interval_s,
        snmp_exporter=options.snmp_exporter,
        prober=options.prober,
        alertmanager=options.alertmanager,
        webhook_url=options.webhook_url,
        remote_write_url=options.remote_write_url,
    )
    return replace(settings, remote_write_url=None) if options.no_remote_write else settings
