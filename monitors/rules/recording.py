"""Recording rules: per-site reachability and link quality from the prober, LAN health from
the SNMP exporter, the city's KPIs, uplink utilisation, interface errors and applications.

Missing data is never "up": a site the prober has no samples for has no ``edunet:site_up``,
and every KPI divides by the sites of ``edunet:site_info``, so it counts as not connected.
"""

from __future__ import annotations

from monitors import contract as c
from monitors.contract import APP_LABELS, PROBE_SITE_LABELS, SITE_LABELS, Series
from monitors.rules.common import SITE_UP_WINDOW_S, Rule, Windows, by, fold, record

__all__ = ["recording_groups"]

PROBE = 'job="probe",kind="site"'
SNMP = 'job="snmp",site!=""'
LINK_LABELS = (*PROBE_SITE_LABELS, "isp", "medium")
UNITS = 'site_kind!="datacenter"'  # the units the KPIs count: everything but the data center


def _probe(w: Windows) -> list[Rule]:
    r5 = w.rate(300)
    up_window = w.rate(SITE_UP_WINDOW_S)
    with_code = f"* on(site) group_left(district_code) {c.SITE_INFO}"
    links = by(*LINK_LABELS)
    sent, received, rtt = c.PROBE_SENT, c.PROBE_RECEIVED, c.PROBE_RTT
    return [
        record(
            c.SITE_UP,
            fold(f"""
            (
              (sum by (site) (increase({received}{{{PROBE}}}[{up_window}]))
                > bool 0)
              and on(site)
              (sum by (site) (increase({sent}{{{PROBE}}}[{up_window}])) > 0)
            )
            * on(site) group_left({by(*SITE_LABELS[1:])}) {c.SITE_INFO}
            """),
        ),
        record(
            c.SITE_PROBE_LOSS,
            fold(f"""
            (
              1 - sum by ({links}) (increase({received}{{{PROBE}}}[{r5}]))
              / (sum by ({links}) (increase({sent}{{{PROBE}}}[{r5}])) > 0)
            )
            {with_code}
            """),
        ),
        record(
            c.SITE_PROBE_RTT,
            fold(f"""
            (
              sum by ({links}) (increase({rtt.part("sum")}{{{PROBE}}}[{r5}]))
              / (sum by ({links}) (increase({rtt.part("count")}{{{PROBE}}}[{r5}]))
                 > 0)
            )
            {with_code}
            """),
        ),
        record(
            c.SITE_PROBE_JITTER,
            fold(f"""
            avg by ({links}) (avg_over_time({c.PROBE_JITTER}{{{PROBE}}}[{r5}]) >= 0)
            {with_code}
            """),
        ),
    ]


def _lan() -> list[Rule]:
    site = by(*SITE_LABELS)
    kind = f"* on(site) group_left(site_kind) {c.SITE_INFO}"
    return [
        record(
            c.SITE_LAN_UP,
            fold(f"""
            avg by ({by(*PROBE_SITE_LABELS, "district_code")}) ({c.SNMP_UP}{{{SNMP}}})
            {kind}
            """),
        ),
        record(
            c.SITE_DEVICES_DOWN,
            fold(f"""
            sum by ({by(*PROBE_SITE_LABELS, "district_code")}) (1 - {c.SNMP_UP}{{{SNMP}}})
            {kind}
            """),
        ),
        # LAN answers (at least half the site's devices) and an uplink port is up; absent
        # when the gateway does not answer, which counts as not OK in the KPI
        record(
            c.SITE_LAN_UPLINK_OK,
            fold(f"""
            max by ({site}) (
              ({c.SITE_LAN_UP} >= bool 0.5)
              * on(site) group_left()
                max by (site) ({c.INTERFACE_OPER_UP}{{{SNMP},uplink="true"}})
            )
            """),
        ),
    ]


def _share(series: Series, ok: str, keys: tuple[str, ...], units: str) -> Rule:
    """Share of ``units`` for which ``ok`` is 1, grouped by ``keys``; a unit without data
    counts as not OK (the denominator is the inventory)."""
    grp = f"by ({by(*keys)}) " if keys else ""
    ok_count = f"sum {grp}({ok} == bool 1)"
    total = f"count {grp}({c.SITE_INFO}{{{units}}})"
    return record(series, fold(f"({ok_count} or 0 * {total}) / {total}"))


def _kpis() -> list[Rule]:
    rules: list[Rule] = []
    schools = 'site_kind="school"'
    for city, district, level, ok in (
        (
            c.KPI_LAN_UPLINK_OK,
            c.KPI_LAN_UPLINK_OK_BY_DISTRICT,
            c.KPI_LAN_UPLINK_OK_BY_LEVEL,
            c.SITE_LAN_UPLINK_OK,
        ),
        (c.KPI_CONNECTED, c.KPI_CONNECTED_BY_DISTRICT, c.KPI_CONNECTED_BY_LEVEL, c.SITE_UP),
    ):
        rules.append(_share(city, f"{ok}{{{UNITS}}}", (), UNITS))
        rules.append(_share(district, f"{ok}{{{UNITS}}}", ("district", "district_code"), UNITS))
        rules.append(_share(level, f"{ok}{{{schools}}}", ("level",), schools))
    return rules


def _links(w: Windows) -> list[Rule]:
    r5 = w.rate(300)
    uplink = f'{SNMP},uplink="true"'
    rin = f"rate({c.INTERFACE_IN_OCTETS}{{{uplink}}}[{r5}])"
    rout = f"rate({c.INTERFACE_OUT_OCTETS}{{{uplink}}}[{r5}])"
    rules = [
        # the busier direction over the port's speed (the greater of in and out, per port)
        record(
            c.UPLINK_UTILISATION,
            fold(f"""
            (({rin} >= {rout}) or {rout}) * 8
            / ({c.INTERFACE_SPEED}{{{uplink}}} > 0)
            """),
        )
    ]
    # only interfaces that do count errors: a clean port (most of the city's) costs no series
    for series, inbound, outbound in (
        (c.INTERFACE_ERRORS, c.INTERFACE_IN_ERRORS, c.INTERFACE_OUT_ERRORS),
        (c.INTERFACE_DISCARDS, c.INTERFACE_IN_DISCARDS, c.INTERFACE_OUT_DISCARDS),
    ):
        rules.append(
            record(
                series,
                fold(f"""
                (
                  rate({inbound}{{{SNMP}}}[{r5}])
                  + rate({outbound}{{{SNMP}}}[{r5}])
                ) > 0
                """),
            )
        )
    return rules


def _apps(w: Windows) -> list[Rule]:
    app = by(*APP_LABELS)
    r5 = w.rate(300)
    return [
        record(c.APP_UP, f'max by ({app}) ({c.PROBE_APP_UP}{{job="probe"}})'),
        # mean latency over the VMs that answer: a failed check's time says nothing of speed
        record(
            c.APP_LATENCY,
            fold(f"""
            avg by ({app}) (
              avg_over_time({c.PROBE_APP_LATENCY}{{job="probe"}}[{r5}])
              and on(application, vm) ({c.PROBE_APP_UP}{{job="probe"}} == 1)
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
