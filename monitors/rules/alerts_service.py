"""Application alerts (down, slow, certificates, error budget) and the monitoring's own
health (exporters, SNMP credentials, the prober, inventory drift)."""

from __future__ import annotations

from monitors import contract as c
from monitors.rules.common import APP_LABELS, DEVICE_LABELS, Rule, Text, Windows, alert, by, fold
from monitors.settings import MonitoringSettings

__all__ = ["app_alerts", "platform_alerts"]

DAY = 86400
TLS_WARNING_S = 21 * DAY
TLS_CRITICAL_S = 7 * DAY
# multi-window, multi-burn-rate (the SRE workbook): (long, short, factor, hold, severity)
BURN_ALERTS = (
    ("1h", "5m", 14.4, 120, "critical"),
    ("6h", "30m", 6.0, 900, "warning"),
)
SNMP_CREDENTIAL_SHARE = 0.1  # this share of devices failing on credentials: not the devices
SNMP_SCRAPE_SHARE = 0.5  # this share of SNMP scrapes failing: the exporter, not the devices
APP = by(*APP_LABELS)
INVENTORY_INTERVAL_S = 900  # the snmp_inventory job's interval in the real city


def _inventory_every(s: MonitoringSettings) -> float:
    """How often the inventory module is scraped (as the Prometheus configuration sets it)."""
    return max(s.scrape_interval_s, INVENTORY_INTERVAL_S * s.time_scale)


def _app(name: str, expr: str, w: Windows, hold: float, severity: str, text: Text) -> Rule:
    return alert(
        name,
        expr,
        hold=w.hold(hold) if hold else None,
        severity=severity,
        team="applications",
        dashboard="edunet-apps",
        settings=w.settings,
        text=text,
    )


def app_alerts(w: Windows) -> list[Rule]:
    rules = [
        _app(
            "EdunetAppDown",
            f'{c.APP_UP}{{criticality{op}"critical|high"}} == 0',
            w,
            120,
            severity,
            Text(
                "Ứng dụng {{ $labels.name }} ngừng hoạt động",
                "Application {{ $labels.application }} is down",
                "No VM of {{ $labels.name }} ({{ $labels.application }}, criticality "
                "{{ $labels.criticality }}) passes its check.",
            ),
        )
        for op, severity in (("=~", "critical"), ("!~", "warning"))
    ]
    rules.append(
        _app(
            "EdunetAppInstanceDown",
            fold(f"""
            max by ({APP}, vm) ({c.PROBE_APP_UP}{{job="probe"}} == 0)
            unless on(application) ({c.APP_UP} == 0)
            """),
            w,
            300,
            "warning",
            Text(
                "Máy ảo {{ $labels.vm }} của ứng dụng {{ $labels.name }} không phản hồi",
                "VM {{ $labels.vm }} of {{ $labels.application }} fails its check",
                "The application still answers from its other VMs, without redundancy.",
            ),
        )
    )
    rules.append(
        _app(
            "EdunetAppSlow",
            fold(f"""
            {c.APP_LATENCY}
            > on(application) group_left() {c.APP_LATENCY_SLO}
            """),
            w,
            600,
            "warning",
            Text(
                "Ứng dụng {{ $labels.name }} phản hồi chậm ({{ $value | humanizeDuration }})",
                "Application {{ $labels.application }} is slow ({{ $value | humanizeDuration }})",
                "Mean check latency over 5 minutes is above the application's latency SLO "
                "for 10 minutes.",
            ),
        )
    )
    for severity, low, high in (
        ("critical", None, TLS_CRITICAL_S),
        ("warning", TLS_CRITICAL_S, TLS_WARNING_S),
    ):
        bound = f" >= {low}" if low is not None else ""
        expiry = f'min by ({APP}, vm) ({c.PROBE_APP_TLS_EXPIRY}{{job="probe"}})'
        rules.append(
            _app(
                "EdunetTlsCertExpiring",
                f"{expiry} < {high}{bound}",
                w,
                600,
                severity,
                Text(
                    "Chứng chỉ TLS của {{ $labels.name }} hết hạn sau "
                    "{{ $value | humanizeDuration }}",
                    "TLS certificate of {{ $labels.application }} ({{ $labels.vm }}) expires "
                    "in {{ $value | humanizeDuration }}",
                    f"Renew before it expires: warning under {TLS_WARNING_S // DAY} days, "
                    f"critical under {TLS_CRITICAL_S // DAY} days.",
                ),
            )
        )
    for long, short, factor, hold, severity in BURN_ALERTS:
        rules.append(
            _app(
                "EdunetAppErrorBudgetBurn",
                fold(f"""
                {c.APP_BURN_RATE[long]}{{criticality="critical"}} > {factor:g}
                and on(application) {c.APP_BURN_RATE[short]} > {factor:g}
                """),
                w,
                hold,
                severity,
                Text(
                    "Ứng dụng {{ $labels.name }} tiêu hao ngân sách lỗi nhanh "
                    f'(×{{{{ $value | printf "%.1f" }}}} trong {long})',
                    f"{{{{ $labels.application }}}} burns its error budget "
                    f'{{{{ $value | printf "%.1f" }}}}× too fast over {long}',
                    f"Burn rate above {factor:g} over {long} and over {short}: at this pace "
                    f"the 30-day error budget is spent within {30 / factor:.1f} days.",
                ),
            )
        )
    return rules


def _platform(
    name: str, expr: str, w: Windows, hold: float, severity: str, team: str, text: Text
) -> Rule:
    dashboard = "edunet-hardware" if name == "EdunetInventoryMismatch" else "edunet-datacenter"
    return alert(
        name,
        expr,
        hold=w.hold(hold) if hold else None,
        severity=severity,
        team=team,
        dashboard=dashboard,
        settings=w.settings,
        text=text,
    )


def platform_alerts(w: Windows) -> list[Rule]:
    s = w.settings
    down = Text(
        "Bộ thu thập {{ $labels.job }} ({{ $labels.instance }}) không phản hồi",
        "Exporter {{ $labels.job }} at {{ $labels.instance }} is down",
        "Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}): the data "
        "it serves is missing, and the alerts built on it are blind.",
    )
    snmp_down = fold(f"""
        label_replace(
          count by (job) (up{{job="snmp"}} == 0) / count by (job) (up{{job="snmp"}})
          > {SNMP_SCRAPE_SHARE:g},
          "instance", "{s.snmp_exporter}", "", ""
        )
        """)
    inventory = by(*DEVICE_LABELS, "kind", "port", "expected", "found")
    window = w.span(1200, _inventory_every(s) + 2 * s.scrape_interval_s)
    return [
        _platform(
            "EdunetExporterDown",
            f'max by (job, instance) (up{{job=~"probe|exporters|api"}} == 0) or {snmp_down}',
            w,
            180,
            "critical",
            "network",
            down,
        ),
        _platform(
            "EdunetExporterDown",
            'max by (job, instance, instance_name) (up{job="node"} == 0)',
            w,
            300,
            "warning",
            "datacenter",
            down,
        ),
        _platform(
            "EdunetSnmpPollFailing",
            fold(f"""
            sum by (reason) ({c.SNMP_ERROR}{{job="snmp",reason=~"auth|credentials"}})
            / scalar(count({c.SNMP_UP}{{job="snmp"}}))
            > {SNMP_CREDENTIAL_SHARE:g}
            """),
            w,
            600,
            "critical",
            "network",
            Text(
                "Thu thập SNMP thất bại hàng loạt ({{ $labels.reason }}: "
                "{{ $value | humanizePercentage }} thiết bị)",
                "SNMP polls failing city-wide ({{ $labels.reason }}: "
                "{{ $value | humanizePercentage }} of devices)",
                "Too many devices fail on {{ $labels.reason }} at once for the devices to be "
                "at fault: the exporter's credentials (secrets file, environment) or the "
                "SNMP profiles are wrong.",
            ),
        ),
        _platform(
            "EdunetProbeFailing",
            fold(f"""
            sum by (job) (rate({c.PROBE_SENT}{{job="probe"}}[{w.rate(300)}])) == 0
            or absent({c.PROBE_SENT}{{job="probe"}})
            """),
            w,
            300,
            "critical",
            "network",
            Text(
                "Bộ dò ping không gửi gói nào",
                "The prober sends no echo requests",
                f"{c.PROBE_SENT} does not grow or is missing: site reachability, "
                "link quality and the KPIs are blind.",
            ),
        ),
        _platform(
            "EdunetInventoryMismatch",
            fold(f"""
            max by ({inventory}) (
              max_over_time({c.RECONCILE_MISMATCH}{{job="snmp_inventory"}}[{window}]) == 1
            )
            * on(site) group_left(site_kind, district_office) {c.SITE_INFO}
            """),
            w,
            0,
            "warning",
            "network",
            Text(
                "{{ $labels.device }} ({{ $labels.site_name }}) khác với kho thiết bị: "
                "{{ $labels.kind }}",
                "{{ $labels.device }} at {{ $labels.site_name }} differs from the inventory: "
                "{{ $labels.kind }}",
                "{{ $labels.kind }} on {{ $labels.port }}: expected {{ $labels.expected }}, "
                "found {{ $labels.found }}.",
            ),
        ),
    ]
