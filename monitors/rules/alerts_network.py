"""Network alerts: sites, devices, uplinks, link quality, interfaces.

Every alert about a site carries site, site_name, site_kind, district, district_code, level
and district_office (joined from ``edunet:site_info``: the exporters' series have the
district's name but not always its code or the site's kind).
"""

from __future__ import annotations

from monitors import contract as c
from monitors.rules.common import (
    DEVICE_LABELS,
    SITE_UP_WINDOW_S,
    Rule,
    Text,
    Windows,
    alert,
    by,
    fold,
)
from monitors.settings import duration

__all__ = ["network_alerts"]

SNMP = 'job="snmp",site!=""'
SITE_JOIN = f"* on(site) group_left(site_kind, district_office) {c.SITE_INFO}"
PORT_LABELS = (*DEVICE_LABELS[:1], "interface", *DEVICE_LABELS[1:])
UPLINK_LABELS = (*PORT_LABELS, "isp", "medium")
UPLINK_JOIN = f"* on(device, interface) group_left(link, schools_cut_off) {c.UPLINK_INFO}"

# interface counters that rise this fast for 15 minutes are a fault, not noise (per second)
ERRORS_PER_S = 0.1
DISCARDS_PER_S = 1.0
UTILISATION = 0.8
REBOOT_STEP_S = 60  # boot time read over SNMP wobbles by a second; a reboot moves it far more


def _sites(w: Windows) -> list[Rule]:
    s = w.settings
    rules: list[Rule] = []
    # a school waits a minute longer than its district office: when both go at once, the
    # office's alert is in Alertmanager first and inhibits the school's
    for kinds, severity, team, dashboard, hold in (
        ("district_office|department", "critical", "network", "edunet-district", 120),
        ("datacenter", "critical", "datacenter", "edunet-datacenter", 120),
        ("school", "warning", "network", "edunet-school", 180),
    ):
        office = kinds.startswith("district_office")
        cut_vi = " — cắt kết nối {{ $labels.schools_cut_off }} trường" if office else ""
        cut_en = " — cuts off {{ $labels.schools_cut_off }} schools" if office else ""
        rules.append(
            alert(
                "EdunetSiteUnreachable",
                fold(f"""
                ({c.SITE_UP}{{site_kind=~"{kinds}"}} == 0)
                * on(site) group_left(district_office, schools_cut_off) {c.SITE_INFO}
                """),
                hold=w.hold(hold),
                severity=severity,
                team=team,
                dashboard=dashboard,
                settings=s,
                text=Text(
                    "Mất kết nối tới {{ $labels.site_name }}" + cut_vi,
                    "{{ $labels.site_name }} ({{ $labels.site }}) is unreachable" + cut_en,
                    "Không nhận được phản hồi ping nào từ {{ $labels.site_name }} "
                    "({{ $labels.district }}) trong vài phút dù bộ dò vẫn gửi. "
                    "No echo reply from the site's probe address while the prober is sending; "
                    "schools cut off: {{ $labels.schools_cut_off }}.",
                ),
            )
        )
    return rules


def _devices(w: Windows) -> list[Rule]:
    s = w.settings
    # a device of an unreachable site is the site's alert, not its own: wait until the site's
    # reachability window has passed, so the device's alert never fires first
    device_hold = duration(
        max(300 * s.time_scale, w.rate_s(SITE_UP_WINDOW_S) + 2 * s.scrape_interval_s)
    )
    dev = by(*DEVICE_LABELS)
    rules: list[Rule] = []
    for where, severity, team in (
        ('site_kind="datacenter"', "critical", "datacenter"),
        ('site_kind!="datacenter"', "warning", "network"),
    ):
        rules.append(
            alert(
                "EdunetDeviceDown",
                fold(f"""
                (
                  max by ({dev}) ({c.SNMP_UP}{{{SNMP}}} == 0)
                  unless on(device) ({c.SNMP_ERROR}{{job="snmp",reason="credentials"}} == 1)
                  unless on(site) ({c.SITE_UP} == 0)
                )
                * on(site) group_left(site_kind, district_office) {c.SITE_INFO}{{{where}}}
                """),
                hold=device_hold,
                severity=severity,
                team=team,
                dashboard="edunet-hardware",
                settings=s,
                text=Text(
                    "Thiết bị {{ $labels.device }} tại {{ $labels.site_name }} không phản hồi SNMP",
                    "Device {{ $labels.device }} ({{ $labels.role }}) at "
                    "{{ $labels.site_name }} does not answer SNMP",
                    "{{ $labels.device }} ({{ $labels.role }}, {{ $labels.site_name }}, "
                    "{{ $labels.district }}) has not answered the SNMP exporter's polls for "
                    "5 minutes (timeout, network or authentication failure).",
                ),
            )
        )
    rules.append(
        alert(
            "EdunetDeviceRebooted",
            fold(f"""
            max by ({dev}) (
              max_over_time({c.DEVICE_BOOT_TIME}{{{SNMP}}}[{w.rate(900)}])
              - min_over_time({c.DEVICE_BOOT_TIME}{{{SNMP}}}[{w.rate(900)}])
              > {REBOOT_STEP_S}
            )
            {SITE_JOIN}
            """),
            hold=None,
            severity="warning",
            team="network",
            dashboard="edunet-hardware",
            settings=s,
            text=Text(
                "Thiết bị {{ $labels.device }} tại {{ $labels.site_name }} vừa khởi động lại",
                "Device {{ $labels.device }} at {{ $labels.site_name }} rebooted",
                "The boot time of {{ $labels.device }} ({{ $labels.role }}) moved by "
                "{{ $value | humanizeDuration }} in the last 15 minutes: it restarted "
                "(power cut, crash, or a planned reload).",
            ),
        )
    )
    return rules


def _uplinks(w: Windows) -> list[Rule]:
    s = w.settings
    port = by(*UPLINK_LABELS)
    rules: list[Rule] = []
    for cut, severity in (('schools_cut_off!="0"', "critical"), ('schools_cut_off="0"', "warning")):
        rules.append(
            alert(
                "EdunetUplinkDown",
                fold(f"""
                max by ({port}) (
                  ({c.INTERFACE_OPER_UP}{{{SNMP},uplink="true"}} == 0)
                  and on(device, interface) ({c.INTERFACE_ADMIN_UP}{{{SNMP}}} == 1)
                )
                * on(device, interface) group_left(link, schools_cut_off)
                  {c.UPLINK_INFO}{{{cut}}}
                {SITE_JOIN}
                """),
                hold=w.hold(120),
                severity=severity,
                team="network",
                dashboard="edunet-links",
                settings=s,
                text=Text(
                    "Đường lên {{ $labels.link }} ({{ $labels.isp }} {{ $labels.medium }}) của "
                    "{{ $labels.site_name }} bị mất",
                    "Uplink {{ $labels.link }} ({{ $labels.isp }} {{ $labels.medium }}) of "
                    "{{ $labels.site_name }} is down",
                    "Port {{ $labels.interface }} of {{ $labels.device }} is administratively up "
                    "but operationally down. Schools cut off if no other path: "
                    "{{ $labels.schools_cut_off }}.",
                ),
            )
        )
    rules.append(
        alert(
            "EdunetUplinkSaturated",
            fold(f"""
            max by ({port}) ({c.UPLINK_UTILISATION} > {UTILISATION:g})
            {UPLINK_JOIN}
            {SITE_JOIN}
            """),
            hold=w.hold(900),
            severity="warning",
            team="network",
            dashboard="edunet-links",
            settings=s,
            text=Text(
                "Đường lên {{ $labels.link }} của {{ $labels.site_name }} quá tải "
                "({{ $value | humanizePercentage }})",
                "Uplink {{ $labels.link }} of {{ $labels.site_name }} saturated "
                "({{ $value | humanizePercentage }})",
                "{{ $labels.device }} {{ $labels.interface }} ({{ $labels.isp }} "
                "{{ $labels.medium }}) has carried more than 80% of its speed in one direction "
                "for 15 minutes.",
            ),
        )
    )
    return rules


def _quality(w: Windows) -> list[Rule]:
    s = w.settings
    rules: list[Rule] = []
    aspects = (
        (
            "EdunetLinkLossHigh",
            c.SITE_PROBE_LOSS,
            c.LINK_THRESHOLD_LOSS,
            "humanizePercentage",
            "Mất gói",
            "Packet loss",
        ),
        (
            "EdunetLinkLatencyHigh",
            c.SITE_PROBE_RTT,
            c.LINK_THRESHOLD_LATENCY,
            "humanizeDuration",
            "Độ trễ",
            "Latency",
        ),
        (
            "EdunetLinkJitterHigh",
            c.SITE_PROBE_JITTER,
            c.LINK_THRESHOLD_JITTER,
            "humanizeDuration",
            "Jitter",
            "Jitter",
        ),
    )
    for name, series, threshold, fmt, vi, en in aspects:
        limit = (
            "{{ with printf `" + threshold.name + "{medium=%q}` $labels.medium | query }}"
            "{{ . | first | value | " + fmt + " }}{{ end }}"
        )
        rules.append(
            alert(
                name,
                fold(f"""
                (
                  ({series} > on(medium) group_left() {threshold})
                  unless on(site) ({c.SITE_UP} == 0)
                )
                {SITE_JOIN}
                """),
                hold=w.hold(600),
                severity="warning",
                team="network",
                dashboard="edunet-links",
                settings=s,
                text=Text(
                    f"{vi} cao trên đường truyền tới {{{{ $labels.site_name }}}}: "
                    f"{{{{ $value | {fmt} }}}}",
                    f"{en} high towards {{{{ $labels.site_name }}}}: {{{{ $value | {fmt} }}}}",
                    f"{en} from the data center to {{{{ $labels.site_name }}}} "
                    f"({{{{ $labels.isp }}}} {{{{ $labels.medium }}}}) is "
                    f"{{{{ $value | {fmt} }}}} over 5 minutes, above the {{{{ $labels.medium }}}} "
                    f"threshold of {limit}.",
                ),
            )
        )
    return rules


def _interfaces(w: Windows) -> list[Rule]:
    s = w.settings
    port = by(*PORT_LABELS, "uplink")
    return [
        alert(
            "EdunetInterfaceErrors",
            fold(f"""
            max by ({port}) ({series}{{site!=""}} > {limit:g})
            {SITE_JOIN}
            """),
            hold=w.hold(900),
            severity="warning",
            team="network",
            dashboard="edunet-hardware",
            settings=s,
            labels={"counter": what},
            text=Text(
                f"Cổng {{{{ $labels.interface }}}} của {{{{ $labels.device }}}} "
                f"({{{{ $labels.site_name }}}}) tăng {vi} liên tục",
                f"Interface {{{{ $labels.interface }}}} of {{{{ $labels.device }}}} "
                f"({{{{ $labels.site_name }}}}) keeps counting {what}",
                f"{{{{ $value | humanize }}}} {what}/s (in + out) for 15 minutes, above "
                f"{limit:g}/s: check the cable, optics, duplex and the far end.",
            ),
        )
        for series, what, limit, vi in (
            (c.INTERFACE_ERRORS, "errors", ERRORS_PER_S, "lỗi"),
            (c.INTERFACE_DISCARDS, "discards", DISCARDS_PER_S, "gói bị hủy"),
        )
    ]


def network_alerts(w: Windows) -> list[Rule]:
    return _sites(w) + _devices(w) + _uplinks(w) + _quality(w) + _interfaces(w)
