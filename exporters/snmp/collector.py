"""Metric families from one poll of one device, labelled from the inventory.

Built fresh per scrape from a :class:`PollResult` and the :class:`Device`: nothing is kept
between scrapes, so a device that disappears from the inventory disappears from the
metrics. :class:`PollCollector` is a prometheus_client custom collector (register it on a
fresh ``CollectorRegistry``); :func:`render` writes the same families as exposition text
directly, which is what the server answers with: every sample of a device shares one
label prefix, so it is escaped once per scrape instead of once per sample.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from edunet.model import Device, Inventory
from exporters.exposition import clean_label, label_text
from exporters.snmp.reconcile import DeviceReport, chassis
from exporters.snmp.result import PollResult, Value, as_text

__all__ = ["Family", "LabelSet", "PollCollector", "device_labels", "families", "render"]

DEVICE_LABELS = ("device", "district", "district_code", "site", "site_name", "level", "role")
# ours, then snmp_exporter's if_mib labels (its lookups on ifIndex), so its queries work here
IF_MIB_LABELS = ("ifIndex", "ifName", "ifDescr", "ifAlias")
INTERFACE_LABELS = ("interface", "uplink", "isp", "medium", *IF_MIB_LABELS)

IF_UP = 1  # IF-MIB ifAdminStatus/ifOperStatus up(1)


@dataclass(frozen=True, slots=True)
class LabelSet:
    """Label pairs, with their exposition text rendered once."""

    pairs: tuple[tuple[str, str], ...]
    text: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _pairs_text(self.pairs))

    @classmethod
    def _joined(cls, first: LabelSet, pairs: tuple[tuple[str, str], ...], text: str) -> LabelSet:
        # the first set's text is already escaped: a device's prefix is escaped once per
        # scrape, not once per interface
        joined = object.__new__(cls)
        object.__setattr__(joined, "pairs", first.pairs + pairs)
        object.__setattr__(
            joined, "text", f"{first.text},{text}" if first.text and text else first.text or text
        )
        return joined

    def __add__(self, other: LabelSet) -> LabelSet:
        return LabelSet._joined(self, other.pairs, other.text)

    def extend(self, *pairs: tuple[str, str]) -> LabelSet:
        return LabelSet._joined(self, pairs, _pairs_text(pairs))


def _pairs_text(pairs: tuple[tuple[str, str], ...]) -> str:
    return ",".join(f'{k}="{label_text(v)}"' for k, v in pairs)


@dataclass(slots=True)
class Family:
    name: str  # full sample name (counters end in _total)
    kind: str  # "gauge" | "counter"
    help: str
    samples: list[tuple[LabelSet, float]] = field(default_factory=list)

    def add(self, labels: LabelSet, value: float) -> None:
        self.samples.append((labels, value))


def device_labels(inv: Inventory | None, device: Device | None, key: str = "") -> LabelSet:
    """The inventory labels every sample of a device carries (empty for an unknown one)."""
    if device is None or inv is None:
        return LabelSet(tuple((n, key if n == "device" else "") for n in DEVICE_LABELS))
    site = inv.sites[device.site]
    district = inv.districts[device.district]
    return LabelSet(
        (
            ("device", device.name),
            ("district", district.name),
            ("district_code", district.code),
            ("site", site.code),
            ("site_name", site.name),
            ("level", site.level.value if site.level is not None else ""),
            ("role", device.role.value),
        )
    )


def _num(value: Value) -> float | None:
    return float(value) if isinstance(value, int) else None


def families(
    result: PollResult,
    device: Device | None,
    inv: Inventory | None,
    *,
    report: DeviceReport | None = None,
    now: float | None = None,
) -> list[Family]:
    """Every family of one scrape: the poll's own health, then the device's data."""
    now = time.time() if now is None else now
    base = device_labels(inv, device, result.target)
    out = [
        Family("edunet_snmp_up", "gauge", "1 if the device answered the poll, else 0."),
        Family("edunet_snmp_poll_duration_seconds", "gauge", "How long the poll took."),
        Family("edunet_snmp_requests", "gauge", "SNMP requests sent, retries included."),
        Family("edunet_snmp_varbinds", "gauge", "Varbinds received by the poll."),
    ]
    for fam, value in zip(
        out, (float(result.ok), result.duration_s, result.requests, result.varbinds), strict=True
    ):
        fam.add(base, float(value))
    if result.engine_id_changes is not None:  # SNMPv3 only
        help_ = "Times the device's SNMPv3 engine ID changed (a restart, a replacement)."
        out.append(Family("edunet_snmp_engine_id_changes_total", "counter", help_))
        out[-1].add(base, float(result.engine_id_changes))
    if not result.ok:
        err = Family("edunet_snmp_error", "gauge", "1 for the reason the poll failed.")
        reason = result.error.value if result.error is not None else "unknown"
        err.add(base.extend(("reason", reason)), 1.0)
        out.append(err)
        return out
    out.extend(_system(result, base, now))
    if result.module == "if_mib":
        out.extend(_interfaces(result, device, inv, base, now))
    if report is not None:
        out.extend(_reconcile(report, base))
    return out


def _uptime_s(result: PollResult) -> float | None:
    ticks = _num(result.scalars.get("sysUpTime"))
    return ticks / 100.0 if ticks is not None else None


def _system(result: PollResult, base: LabelSet, now: float) -> list[Family]:
    out = []
    uptime = _uptime_s(result)
    if uptime is not None:
        up = Family("edunet_device_uptime_seconds", "gauge", "Time since the agent started.")
        up.add(base, uptime)
        boot = Family(
            "edunet_device_boot_time_seconds",
            "gauge",
            "Unix time the agent started (sysUpTime back from now); a reboot is a step.",
        )
        # whole seconds: poll latency would otherwise make every scrape a new value
        boot.add(base, float(round(now - uptime)))
        out += [up, boot]
    model, serial = chassis(result)
    info = Family("edunet_device_info", "gauge", "What the device reports about itself.")
    descr = as_text(result.scalars.get("sysDescr")).strip().splitlines()
    info.add(
        base.extend(
            ("sys_name", as_text(result.scalars.get("sysName"))),
            ("sys_object_id", as_text(result.scalars.get("sysObjectID"))),
            ("sys_descr", descr[0][:120] if descr else ""),
            ("model", model),
            ("serial", serial),
        ),
        1.0,
    )
    out.append(info)
    return out


# (family name, kind, help, column, scale)
_IF_METRICS: tuple[tuple[str, str, str, str, float], ...] = (
    ("edunet_interface_speed_bps", "gauge", "Interface speed (ifHighSpeed).", "ifHighSpeed", 1e6),
    ("edunet_interface_in_octets_total", "counter", "Octets received.", "ifHCInOctets", 1.0),
    ("edunet_interface_out_octets_total", "counter", "Octets sent.", "ifHCOutOctets", 1.0),
    ("edunet_interface_in_errors_total", "counter", "Inbound errors.", "ifInErrors", 1.0),
    ("edunet_interface_out_errors_total", "counter", "Outbound errors.", "ifOutErrors", 1.0),
    ("edunet_interface_in_discards_total", "counter", "Inbound discards.", "ifInDiscards", 1.0),
    ("edunet_interface_out_discards_total", "counter", "Outbound discards.", "ifOutDiscards", 1.0),
)


def _interfaces(
    result: PollResult, device: Device | None, inv: Inventory | None, base: LabelSet, now: float
) -> list[Family]:
    cols = result.columns
    names, descrs, aliases = (
        cols.get("ifName", {}),
        cols.get("ifDescr", {}),
        cols.get("ifAlias", {}),
    )
    indexes = sorted(set(names) | set(descrs) | set(cols.get("ifOperStatus", {})))
    uplinks = inv.uplink_ports(device.name) if device is not None and inv is not None else {}
    oper = Family("edunet_interface_oper_up", "gauge", "1 if ifOperStatus is up(1), else 0.")
    admin = Family("edunet_interface_admin_up", "gauge", "1 if ifAdminStatus is up(1), else 0.")
    change = Family(
        "edunet_interface_last_change_seconds",
        "gauge",
        "Unix time of the interface's last status change (ifLastChange after boot).",
    )
    numeric = [Family(n, k, h) for n, k, h, _, _ in _IF_METRICS]
    uptime = _uptime_s(result)
    boot = now - uptime if uptime is not None else None
    seen: set[str] = set()
    for index in indexes:
        dotted = ".".join(map(str, index))
        if_name, if_descr = as_text(names.get(index)), as_text(descrs.get(index))
        name = if_name or if_descr or dotted
        if name in seen:  # one name on two rows: ``interface`` stays unique without ifIndex
            name = f"{name} (ifIndex {dotted})"
        seen.add(name)
        link = uplinks.get(name)
        labels = base.extend(
            ("interface", name),
            ("uplink", "true" if link is not None else "false"),
            ("isp", (link.isp or "") if link is not None else ""),
            ("medium", link.medium.value if link is not None else ""),
            ("ifIndex", dotted),
            ("ifName", if_name),
            ("ifDescr", if_descr),
            ("ifAlias", as_text(aliases.get(index))),
        )
        for fam, column in ((oper, "ifOperStatus"), (admin, "ifAdminStatus")):
            status = cols.get(column, {}).get(index)
            if isinstance(status, int):
                fam.add(labels, 1.0 if status == IF_UP else 0.0)
        last = _num(cols.get("ifLastChange", {}).get(index))
        if last is not None and boot is not None:
            change.add(labels, float(round(boot + last / 100.0)))
        for fam, (_, _, _, column, scale) in zip(numeric, _IF_METRICS, strict=True):
            value = _num(cols.get(column, {}).get(index))
            if value is not None:
                fam.add(labels, value * scale)
    return [oper, admin, *numeric, change]


def _reconcile(report: DeviceReport, base: LabelSet) -> list[Family]:
    ok = Family("edunet_reconcile_ok", "gauge", "1 if model, serial and LLDP match the inventory.")
    ok.add(base, 1.0 if report.ok else 0.0)
    bad = Family(
        "edunet_reconcile_mismatch",
        "gauge",
        "1 for each difference between what the device reports and the inventory.",
    )
    for m in report.mismatches:
        bad.add(
            base.extend(
                ("kind", m.kind), ("port", m.port), ("expected", m.expected), ("found", m.found)
            ),
            1.0,
        )
    return [ok, bad]


def go_float(value: float) -> str:
    """A sample value as prometheus_client (and Go) writes it: ``1.0``, ``1.2345e+14``."""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    s = repr(value)
    dot = s.find(".")
    if value > 0 and dot > 6:  # Go switches to exponents sooner than Python
        mantissa = f"{s[0]}.{s[1:dot]}{s[dot + 1 :]}".rstrip("0.")
        return f"{mantissa}e+{dot - 1:02d}"
    return s


def render(fams: Sequence[Family]) -> bytes:
    """The Prometheus text format (0.0.4) of ``fams``, as ``generate_latest`` would write it."""
    out: list[str] = []
    for fam in fams:
        out.append(f"# HELP {fam.name} {fam.help}\n# TYPE {fam.name} {fam.kind}\n")
        name = fam.name
        out.extend(f"{name}{{{labels.text}}} {go_float(value)}\n" for labels, value in fam.samples)
    return "".join(out).encode("utf-8")


class PollCollector:
    """A prometheus_client collector over one poll: register it on a fresh registry."""

    def __init__(self, fams: Sequence[Family]):
        self.fams = fams

    def describe(self) -> list[Metric]:
        return []  # names are only known per poll; a fresh registry per scrape never clashes

    def collect(self) -> Iterator[Metric]:
        for fam in self.fams:
            metric: Metric
            if fam.kind == "counter":
                metric = CounterMetricFamily(fam.name, fam.help)
            else:
                metric = GaugeMetricFamily(fam.name, fam.help)
            for labels, value in fam.samples:
                metric.add_sample(fam.name, {k: clean_label(v) for k, v in labels.pairs}, value)
            yield metric
