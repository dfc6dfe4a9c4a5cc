"""The metric contract: every series edunet records and every raw series it reads, by name,
with its labels and a line on what it means.

This is a public API of the monitoring unit. The recording rules and alerts
(``monitors/rules/``), the dashboards (``dashboards/``) and the API's live status
(``api/routes/status.py``) import the names from here instead of spelling them; the tests
check that no rule, panel or route names an ``edunet`` series missing here, and that the
exporters still write the raw series listed here (the exporters do not import this module:
they are what the contract is checked against).

A series is a ``Series``; in an f-string it writes its name (``f"{SITE_UP}{{site=...}}"``).
Labels are what the series carries besides ``job`` and ``instance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "APP_AVAILABILITY",
    "APP_BURN_RATE",
    "APP_ERROR_BUDGET_REMAINING",
    "APP_INFO",
    "APP_LABELS",
    "APP_LATENCY",
    "APP_LATENCY_SLO",
    "APP_SLO",
    "APP_UP",
    "AVAILABILITY_WINDOWS",
    "BURN_WINDOWS",
    "DEVICE_BOOT_TIME",
    "DEVICE_LABELS",
    "DEVICE_UPTIME",
    "DISTRICT_AVAILABILITY",
    "EXPORTER_SNMP_SCRAPES",
    "IF_MIB_LABELS",
    "INTERFACE_ADMIN_UP",
    "INTERFACE_DISCARDS",
    "INTERFACE_ERRORS",
    "INTERFACE_IN_DISCARDS",
    "INTERFACE_IN_ERRORS",
    "INTERFACE_IN_OCTETS",
    "INTERFACE_LABELS",
    "INTERFACE_OPER_UP",
    "INTERFACE_OUT_DISCARDS",
    "INTERFACE_OUT_ERRORS",
    "INTERFACE_OUT_OCTETS",
    "INTERFACE_SPEED",
    "KPI_CONNECTED",
    "KPI_CONNECTED_BY_DISTRICT",
    "KPI_CONNECTED_BY_LEVEL",
    "KPI_LAN_UPLINK_OK",
    "KPI_LAN_UPLINK_OK_BY_DISTRICT",
    "KPI_LAN_UPLINK_OK_BY_LEVEL",
    "LEVEL_AVAILABILITY",
    "LINK_THRESHOLD_JITTER",
    "LINK_THRESHOLD_LATENCY",
    "LINK_THRESHOLD_LOSS",
    "PROBE_APP_LABELS",
    "PROBE_APP_LATENCY",
    "PROBE_APP_TLS_EXPIRY",
    "PROBE_APP_UP",
    "PROBE_JITTER",
    "PROBE_LABELS",
    "PROBE_RECEIVED",
    "PROBE_RTT",
    "PROBE_SENT",
    "PROBE_SITE_LABELS",
    "RECONCILE_MISMATCH",
    "RECONCILE_OK",
    "SITE_AVAILABILITY",
    "SITE_DEVICES_DOWN",
    "SITE_INFO",
    "SITE_LABELS",
    "SITE_LAN_UP",
    "SITE_LAN_UPLINK_OK",
    "SITE_PROBE_JITTER",
    "SITE_PROBE_LOSS",
    "SITE_PROBE_RTT",
    "SITE_UP",
    "SNMP_ENGINE_ID_CHANGES",
    "SNMP_ERROR",
    "SNMP_UP",
    "UP",
    "UPLINK_INFO",
    "UPLINK_UTILISATION",
    "Series",
    "Source",
    "all_series",
    "find",
    "names",
]

# who writes a series: edunet's recording rules, one of the exporters, or Prometheus itself
Source = Literal["rules", "snmp", "probe", "prometheus"]
Type = Literal["gauge", "counter", "histogram"]
Part = Literal["bucket", "sum", "count"]
HISTOGRAM_PARTS: tuple[Part, ...] = ("bucket", "sum", "count")


@dataclass(frozen=True, slots=True)
class Series:
    """One series of the contract: its name, its labels, what it means and who writes it."""

    name: str
    labels: tuple[str, ...]
    help: str
    source: Source
    type: Type = "gauge"

    def __str__(self) -> str:
        return self.name

    def part(self, suffix: Part) -> str:
        """A histogram's ``_bucket``, ``_sum`` or ``_count`` series."""
        assert self.type == "histogram", self.name
        return f"{self.name}_{suffix}"

    @property
    def names(self) -> tuple[str, ...]:
        """The names a query may read this series by (a histogram's three parts)."""
        if self.type == "histogram":
            return tuple(self.part(p) for p in HISTOGRAM_PARTS)
        return (self.name,)


_ALL: list[Series] = []


def _series(
    name: str, labels: tuple[str, ...], help: str, source: Source, type: Type = "gauge"
) -> Series:
    series = Series(name, labels, help, source, type)
    _ALL.append(series)
    return series


def _recorded(name: str, labels: tuple[str, ...], help: str) -> Series:
    return _series(name, labels, help, "rules")


def _windowed(
    stem: str, windows: tuple[str, ...], labels: tuple[str, ...], help: str
) -> dict[str, Series]:
    """One recorded series per window: ``<stem><window>``, help with ``{w}`` filled in."""
    return {w: _recorded(f"{stem}{w}", labels, help.format(w=w)) for w in windows}


# ---- label sets ------------------------------------------------------------------------------

# a site as the rules label it (district is the name, as the exporters write it; district_code
# and site_kind come from edunet:site_info)
SITE_LABELS = ("site", "site_name", "site_kind", "district", "district_code", "level")
# a device as the SNMP exporter labels it, in the order the rules group by
DEVICE_LABELS = ("device", "role", "site", "site_name", "district", "district_code", "level")
# a port of a device, on the SNMP exporter's interface series: ours, then snmp_exporter's if_mib
# labels (ifAlias is the port's description); rules group by ``interface``, never by these four
IF_MIB_LABELS = ("ifIndex", "ifName", "ifDescr", "ifAlias")
INTERFACE_LABELS = ("interface", "uplink", "isp", "medium", *IF_MIB_LABELS)
# an application as the rules label it
APP_LABELS = ("application", "name", "criticality")
# the prober's own site labels on its ICMP series (no district_code, no site_kind)
PROBE_SITE_LABELS = ("site", "site_name", "district", "level")
# every ICMP target of the prober, sites and data-center hosts alike
PROBE_LABELS = ("target", "kind", "host", *PROBE_SITE_LABELS, "role", "isp", "medium")
# an application check of the prober (one per VM)
PROBE_APP_LABELS = (*APP_LABELS, "vm", "check")
# a site's uplink, as the link-quality series carry it
_LINK = (*PROBE_SITE_LABELS, "isp", "medium", "district_code")
_PORT = (*DEVICE_LABELS, *INTERFACE_LABELS)

AVAILABILITY_WINDOWS = ("1d", "7d", "30d")
BURN_WINDOWS = ("5m", "30m", "1h", "6h")

# ---- recorded: static series from the inventory (edunet-topology.rules.yml) -----------------

SITE_INFO = _recorded(
    "edunet:site_info",
    (*SITE_LABELS, "district_office", "schools_cut_off", "lat", "lon"),
    "1 per site of the inventory: its kind, district, level, district office, schools it cuts "
    "off, and where it is (lat, lon: only sites with a location)",
)
UPLINK_INFO = _recorded(
    "edunet:uplink_info",
    (
        "device",
        "interface",
        "link",
        "site",
        "site_name",
        "district_code",
        "isp",
        "medium",
        "schools_cut_off",
    ),
    "1 per uplink port: its link, provider, medium and the schools it cuts off",
)
APP_INFO = _recorded(
    "edunet:app_info",
    ("application", "name", "name_en", "criticality"),
    "1 per application of the inventory, with its names and criticality",
)
APP_SLO = _recorded(
    "edunet:app_slo:ratio", ("application",), "the application's availability objective, 0 to 1"
)
APP_LATENCY_SLO = _recorded(
    "edunet:app_latency_slo:seconds",
    ("application",),
    "the application's latency objective (only applications that have one)",
)
LINK_THRESHOLD_LOSS = _recorded(
    "edunet:link_threshold_loss:ratio", ("medium",), "probe loss above which a link is degraded"
)
LINK_THRESHOLD_LATENCY = _recorded(
    "edunet:link_threshold_latency:seconds",
    ("medium",),
    "mean round trip above which a link is slow",
)
LINK_THRESHOLD_JITTER = _recorded(
    "edunet:link_threshold_jitter:seconds", ("medium",), "jitter above which a link is unsteady"
)

# ---- recorded: sites, KPIs, links, applications (edunet-recording.rules.yml) ----------------

SITE_UP = _recorded(
    "edunet:site_up", SITE_LABELS, "1 while the site's probe address answers, 0 when it does not"
)
SITE_PROBE_LOSS = _recorded(
    "edunet:site_probe_loss:ratio", _LINK, "share of echo requests without reply over 5 minutes"
)
SITE_PROBE_RTT = _recorded(
    "edunet:site_probe_rtt:seconds", _LINK, "mean echo round trip over 5 minutes"
)
SITE_PROBE_JITTER = _recorded(
    "edunet:site_probe_jitter:seconds", _LINK, "mean jitter of the echo replies over 5 minutes"
)
SITE_LAN_UP = _recorded(
    "edunet:site_lan_up:ratio", SITE_LABELS, "share of the site's devices answering SNMP"
)
SITE_DEVICES_DOWN = _recorded(
    "edunet:site_devices_down:count", SITE_LABELS, "the site's devices not answering SNMP"
)
SITE_LAN_UPLINK_OK = _recorded(
    "edunet:site_lan_uplink_ok",
    SITE_LABELS,
    "1 when half the site's devices answer and an uplink port is up (absent: not OK)",
)
KPI_LAN_UPLINK_OK = _recorded(
    "edunet:kpi_lan_uplink_ok:ratio", (), "share of the city's units with LAN and uplink OK"
)
KPI_LAN_UPLINK_OK_BY_DISTRICT = _recorded(
    "edunet:kpi_lan_uplink_ok:ratio_by_district",
    ("district", "district_code"),
    "share of a district's units with LAN and uplink OK",
)
KPI_LAN_UPLINK_OK_BY_LEVEL = _recorded(
    "edunet:kpi_lan_uplink_ok:ratio_by_level",
    ("level",),
    "share of a school level's schools with LAN and uplink OK",
)
KPI_CONNECTED = _recorded(
    "edunet:kpi_connected:ratio", (), "share of the city's units connected (site up)"
)
KPI_CONNECTED_BY_DISTRICT = _recorded(
    "edunet:kpi_connected:ratio_by_district",
    ("district", "district_code"),
    "share of a district's units connected",
)
KPI_CONNECTED_BY_LEVEL = _recorded(
    "edunet:kpi_connected:ratio_by_level", ("level",), "share of a school level's schools connected"
)
UPLINK_UTILISATION = _recorded(
    "edunet:uplink_utilisation:ratio",
    _PORT,
    "an uplink port's busier direction over its speed, over 5 minutes",
)
INTERFACE_ERRORS = _recorded(
    "edunet:interface_errors:rate5m", _PORT, "in + out errors a second (ports that count any)"
)
INTERFACE_DISCARDS = _recorded(
    "edunet:interface_discards:rate5m", _PORT, "in + out discards a second (ports that count any)"
)
APP_UP = _recorded(
    "edunet:app_up", APP_LABELS, "1 while any VM of the application passes its check"
)
APP_LATENCY = _recorded(
    "edunet:app_latency:seconds", APP_LABELS, "mean check latency of the VMs that answer, 5 minutes"
)

# ---- recorded: availability and error budgets (edunet-slo.rules.yml) -------------------------

SITE_AVAILABILITY = _windowed(
    "edunet:site_availability:ratio_",
    AVAILABILITY_WINDOWS,
    SITE_LABELS,
    "share of the last {w} the site was up",
)
DISTRICT_AVAILABILITY = _windowed(
    "edunet:district_availability:ratio_",
    AVAILABILITY_WINDOWS,
    ("district", "district_code"),
    "the district's units' mean availability over {w} (a unit without data counts as down)",
)
LEVEL_AVAILABILITY = _windowed(
    "edunet:level_availability:ratio_",
    AVAILABILITY_WINDOWS,
    ("level",),
    "a school level's mean availability over {w} (a school without data counts as down)",
)
APP_AVAILABILITY = _windowed(
    "edunet:app_availability:ratio_",
    AVAILABILITY_WINDOWS,
    APP_LABELS,
    "share of the last {w} the application was up",
)
APP_ERROR_BUDGET_REMAINING = _recorded(
    "edunet:app_error_budget_remaining:ratio_30d",
    APP_LABELS,
    "share of the 30-day error budget left (negative: overspent)",
)
APP_BURN_RATE = _windowed(
    "edunet:app_burn_rate:ratio_",
    BURN_WINDOWS,
    APP_LABELS,
    "how fast the application spends its error budget over {w} (1: exactly on budget)",
)

# ---- raw: the SNMP exporter ------------------------------------------------------------------

SNMP_UP = _series("edunet_snmp_up", DEVICE_LABELS, "1 if the device answered the poll", "snmp")
SNMP_ERROR = _series(
    "edunet_snmp_error", (*DEVICE_LABELS, "reason"), "1 for the reason a poll failed", "snmp"
)
SNMP_ENGINE_ID_CHANGES = _series(
    "edunet_snmp_engine_id_changes_total",
    DEVICE_LABELS,
    "times the device's SNMPv3 engine ID changed since the exporter started",
    "snmp",
    "counter",
)
DEVICE_UPTIME = _series(
    "edunet_device_uptime_seconds", DEVICE_LABELS, "time since the device's agent started", "snmp"
)
DEVICE_BOOT_TIME = _series(
    "edunet_device_boot_time_seconds",
    DEVICE_LABELS,
    "Unix time the device's agent started: a reboot is a step",
    "snmp",
)
INTERFACE_OPER_UP = _series(
    "edunet_interface_oper_up", _PORT, "1 if the port is operationally up", "snmp"
)
INTERFACE_ADMIN_UP = _series(
    "edunet_interface_admin_up", _PORT, "1 if the port is administratively up", "snmp"
)
INTERFACE_SPEED = _series("edunet_interface_speed_bps", _PORT, "the port's speed", "snmp")
INTERFACE_IN_OCTETS = _series(
    "edunet_interface_in_octets_total", _PORT, "octets received", "snmp", "counter"
)
INTERFACE_OUT_OCTETS = _series(
    "edunet_interface_out_octets_total", _PORT, "octets sent", "snmp", "counter"
)
INTERFACE_IN_ERRORS = _series(
    "edunet_interface_in_errors_total", _PORT, "inbound errors", "snmp", "counter"
)
INTERFACE_OUT_ERRORS = _series(
    "edunet_interface_out_errors_total", _PORT, "outbound errors", "snmp", "counter"
)
INTERFACE_IN_DISCARDS = _series(
    "edunet_interface_in_discards_total", _PORT, "inbound discards", "snmp", "counter"
)
INTERFACE_OUT_DISCARDS = _series(
    "edunet_interface_out_discards_total", _PORT, "outbound discards", "snmp", "counter"
)
RECONCILE_OK = _series(
    "edunet_reconcile_ok",
    DEVICE_LABELS,
    "1 if the device's model, serial and LLDP neighbours match the inventory",
    "snmp",
)
RECONCILE_MISMATCH = _series(
    "edunet_reconcile_mismatch",
    (*DEVICE_LABELS, "kind", "port", "expected", "found"),
    "1 for each difference between the device and the inventory",
    "snmp",
)
EXPORTER_SNMP_SCRAPES = _series(
    "edunet_exporter_snmp_scrapes_total",
    ("module", "outcome"),
    "the SNMP exporter's scrapes, by module and outcome",
    "snmp",
    "counter",
)

# ---- raw: the prober -------------------------------------------------------------------------

PROBE_SENT = _series(
    "edunet_probe_sent_total", PROBE_LABELS, "echo requests sent", "probe", "counter"
)
PROBE_RECEIVED = _series(
    "edunet_probe_received_total", PROBE_LABELS, "echo replies received", "probe", "counter"
)
PROBE_RTT = _series(
    "edunet_probe_rtt_seconds", PROBE_LABELS, "echo round-trip time", "probe", "histogram"
)
PROBE_JITTER = _series(
    "edunet_probe_jitter_seconds",
    PROBE_LABELS,
    "mean absolute difference of consecutive round trips",
    "probe",
)
PROBE_APP_UP = _series(
    "edunet_app_up", PROBE_APP_LABELS, "1 if the VM's last application check passed", "probe"
)
PROBE_APP_LATENCY = _series(
    "edunet_app_latency_seconds", PROBE_APP_LABELS, "how long the last check took", "probe"
)
PROBE_APP_TLS_EXPIRY = _series(
    "edunet_app_tls_expiry_seconds",
    PROBE_APP_LABELS,
    "time left before the VM's TLS certificate expires",
    "probe",
)

# ---- raw: Prometheus itself ------------------------------------------------------------------

UP = _series(
    "up",
    ("job", "instance", "instance_name", "application", "node"),
    "1 if Prometheus scraped the target (the extra labels come from the scrape configuration)",
    "prometheus",
)


def all_series() -> tuple[Series, ...]:
    """Every series of the contract, recorded ones first, in the order of the rules files."""
    return tuple(_ALL)


def names() -> frozenset[str]:
    """Every name a query may read a contract series by (histograms' three parts included)."""
    return frozenset(n for s in _ALL for n in s.names)


def find(name: str) -> Series | None:
    """The contract series a query reads by ``name`` (a histogram's part included), if any."""
    for s in _ALL:
        if name in s.names:
            return s
    return None
