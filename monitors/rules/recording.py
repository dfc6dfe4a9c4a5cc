"""Recording rules: per-site reachability and link quality from the prober, LAN health from
the SNMP exporter, the city's KPIs, uplink utilisation, interface errors and applications.

Missing data is never "up": a site the prober has no samples for has no ``edunet:site_up``,
and every KPI divides by the sites of ``edunet:site_info``, so it counts as not connected.
"""

from __future__ import annotations

from monitors.rules.common import (
    APP_LABELS,
    SITE_LABELS,
    SITE_UP_WINDOW_S,
    Rule,
    Windows,
    by,
    fold,
    record,
)

__all__ = ["recording_groups"]

PROBE = 'job="probe",kind="site"'
SNMP = 'job="snmp",site!=""'
# the probe series' own site labels (district is the name; no district_code, no site_kind)
PROBE_SITE = ("site", "site_name", "district", "level")
LINK_LABELS = (*PROBE_SITE, "isp", "medium")
UNITS = 'site_kind!="datacenter"'  # the units the KPIs count: everything but the data center


def _probe(w: Windows) -> list[Rule]:
    r5 = w.rate(300)
    up_window = w.rate(SITE_UP_WINDOW_S)
    with_code = "* on(site) group_left(district_code) edunet:site_info"
    links = by(*LINK_LABELS)
    return [
        record(
            "edunet:site_up",
            fold(f"""
            (
              (sum by (site) (increase(edunet_probe_received_total{{{PROBE}}}[{up_window}]))
                > bool 0)
              and on(site)
              (sum by (site) (increase(edunet_probe_sent_total{{{PROBE}}}[{up_window}])) > 0)
            )
            * on(site) group_left({by(*SITE_LABELS[1:])}) edunet:site_info
            """),
        ),
        record(
            "edunet:site_probe_loss:ratio",
            fold(f"""
            (
              1 - sum by ({links}) (increase(edunet_probe_received_total{{{PROBE}}}[{r5}]))
              / (sum by ({links}) (increase(edunet_probe_sent_total{{{PROBE}}}[{r5}])) > 0)
            )
            {with_code}
            """),
        ),
        record(
            "edunet:site_probe_rtt:seconds",
            fold(f"""
            (
              sum by ({links}) (increase(edunet_probe_rtt_seconds_sum{{{PROBE}}}[{r5}]))
              / (sum by ({links}) (increase(edunet_probe_rtt_seconds_count{{{PROBE}}}[{r5}]))
                 > 0)
            )
            {with_code}
            """),
        ),
        record(
            "edunet:site_probe_jitter:seconds",
            fold(f"""
            avg by ({links}) (avg_over_time(edunet_probe_jitter_seconds{{{PROBE}}}[{r5}]) >= 0)
            {with_code}
            """),
        ),
    ]


def _lan() -> list[Rule]:
    site = by(*SITE_LABELS)
    kind = "* on(site) group_left(site_kind) edunet:site_info"
    return [
        record(
            "edunet:site_lan_up:ratio",
            fold(f"""
            avg by ({by(*PROBE_SITE, "district_code")}) (edunet_snmp_up{{{SNMP}}})
            {kind}
            """),
        ),
        record(
            "edunet:site_devices_down:count",
            fold(f"""
            sum by ({by(*PROBE_SITE, "district_code")}) (1 - edunet_snmp_up{{{SNMP}}})
            {kind}
            """),
        ),
        # LAN answers (at least half the site's devices) and an uplink port is up; absent
        # when the gateway does not answer, which counts as not OK in the KPI
        record(
            "edunet:site_lan_uplink_ok",
            fold(f"""
            max by ({site}) (
              (edunet:site_lan_up:ratio >= bool 0.5)
              * on(site) group_left()
                max by (site) (edunet_interface_oper_up{{{SNMP},uplink="true"}})
            )
            """),
        ),
    ]


def _share(name: str, ok: str, keys: tuple[str, ...], units: str) -> Rule:
    """Share of ``units`` for which ``ok`` is 1, grouped by ``keys``; a unit without data
    counts as not OK (the denominator is the inventory)."""
    grp = f"by ({by(*keys)}) " if keys else ""
    ok_count = f"sum {grp}({ok} == bool 1)"
    total = f"count {grp}(edunet:site_info{{{units}}})"
    return record(name, fold(f"({ok_count} or 0 * {total}) / {total}"))


def _kpis() -> list[Rule]:
    rules: list[Rule] = []
    schools = 'site_kind="school"'
    for name, ok in (
        ("edunet:kpi_lan_uplink_ok", "edunet:site_lan_uplink_ok"),
        ("edunet:kpi_connected", "edunet:site_up"),
    ):
        rules.append(_share(f"{name}:ratio", f"{ok}{{{UNITS}}}", (), UNITS))
        rules.append(
            _share(
                f"{name}:ratio_by_district",
                f"{ok}{{{UNITS}}}",
                ("district", "district_code"),
                UNITS,
            )
        )
        rules.append(_share(f"{name}:ratio_by_level", f"{ok}{{{schools}}}", ("level",), schools))
    return rules


def _links(w: Windows) -> list[Rule]:
    r5 = w.rate(300)
    uplink = f'{SNMP},uplink="true"'
    rin = f"rate(edunet_interface_in_octets_total{{{uplink}}}[{r5}])"
    rout = f"rate(edunet_interface_out_octets_total{{{uplink}}}[{r5}])"
    rules = [
        # the busier direction over the port's speed (the greater of in and out, per port)
        record(
            "edunet:uplink_utilisation:ratio",
            fold(f"""
            (({rin} >= {rout}) or {rout}) * 8
            / (edunet_interface_speed_bps{{{uplink}}} > 0)
            """),
        )
    ]
    # only interfaces that do count errors: a clean port (most of the city's) costs no series
    for what in ("errors", "discards"):
        rules.append(
            record(
                f"edunet:interface_{what}:rate5m",
                fold(f"""
                (
                  rate(edunet_interface_in_{what}_total{{{SNMP}}}[{r5}])
                  + rate(edunet_interface_out_{what}_total{{{SNMP}}}[{r5}])
                ) > 0
                """),
            )
        )
    return rules


def _apps(w: Windows) -> list[Rule]:
    app = by(*APP_LABELS)
    r5 = w.rate(300)
    return [
        record("edunet:app_up", f'max by ({app}) (edunet_app_up{{job="probe"}})'),
        # mean latency over the VMs that answer: a failed check's time says nothing of speed
        record(
            "edunet:app_latency:seconds",
            fold(f"""
            avg by ({app}) (
              avg_over_time(edunet_app_latency_seconds{{job="probe"}}[{r5}])
              and on(application, vm) (edunet_app_up{{job="probe"}} == 1)
            )
            """),
        ),
    ]


def recording_groups(w: Windows) -> list[Rule]:
    """The groups of edunet-recording.rules.yml, in dependency order."""
    return [
        {"name": "edunet-sites", "rules": _probe(w) + _lan()},
        {"name": "edunet-kpis", "rules": _kpis()},
        {"name": "edunet-links", "rules": _links(w)},
        {"name": "edunet-applications", "rules": _apps(w)},
    ]
