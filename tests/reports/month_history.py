"""A month of raw series for a city with a known truth planted in it, as VictoriaMetrics'
JSON-lines import: the prober's echo counters every minute, its round trips and jitter and
one school's uplink counters every five minutes, the applications' checks every minute.

The truth: a school down 10 hours, a district office down 2 hours with the schools it cuts
off, an ISP losing 3 % of echoes for a week, a school down an hour inside a maintenance
window, and a school whose traffic grows 5 % a month.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from edunet.model import Inventory, SiteKind
from edunet.topology import topology_of
from reports.capacity import DAYS_PER_MONTH
from reports.period import CITY_TZ, Month
from reports.planned import Planned
from reports.sla import provider_of

MINUTE = 60
ECHOES = 100  # echo requests a minute per site
RTT_S = 0.012
JITTER_S = 0.002
LOSS = 0.03
GROWTH = 0.05
BUSY, QUIET = 0.40, 0.05  # share of the uplink's speed used in and out of school hours

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Truth:
    month: Month
    school_down: str  # down 10 h: its own router or uplink
    school_window: tuple[datetime, datetime]
    office: str  # down 2 h with what it cuts
    office_window: tuple[datetime, datetime]
    office_cut: tuple[str, ...]
    isp: tuple[str, str]  # (ISP, medium) losing 3 % for a week
    isp_window: tuple[datetime, datetime]
    isp_sites: tuple[str, ...]
    maintenance: Planned
    maintained: str  # the school down an hour inside the window
    maintained_window: tuple[datetime, datetime]
    growing: str  # the school whose traffic grows 5 % a month
    growing_speed_bps: float

    def down_windows(self, code: str) -> list[tuple[datetime, datetime]]:
        """When the site was down, planned or not."""
        found = []
        if code == self.school_down:
            found.append(self.school_window)
        if code in self.office_cut:
            found.append(self.office_window)
        if code == self.maintained:
            found.append(self.maintained_window)
        return found


def _day(month: Month, day: int, hour: int) -> datetime:
    return datetime(month.year, month.month, day, hour, tzinfo=CITY_TZ)


def plant(inv: Inventory, month: Month) -> Truth:
    topo = topology_of(inv)
    offices = {s.district: s.code for s in inv.sites.values() if s.kind is SiteKind.district_office}
    office = offices["765"]  # Quận Bình Thạnh's
    cut = topo.impact(office).sites_cut
    schools = [s for s in inv.schools() if s.uplinks and s.code not in cut]
    single = [s for s in schools if len(s.uplinks) == 1 and s.district != "765"]
    school = single[0]
    can_gio = next(s for s in schools if s.district == "787")
    growing = next(s for s in schools if s.district == "760" and s.gateway and s.uplinks)
    providers = [provider_of(inv, s) for s in inv.sites.values()]
    counts: dict[tuple[str, str], int] = {}
    for p in providers:
        if p is not None:
            counts[p] = counts.get(p, 0) + 1
    isp = max(counts, key=lambda k: (counts[k], k))
    isp_sites = tuple(s.code for s in inv.sites.values() if provider_of(inv, s) == isp)
    window = Planned(
        frozenset({can_gio.code}), _day(month, 20, 21), _day(month, 21, 0), "thay bộ định tuyến"
    )
    link = inv.links[growing.uplinks[0]]
    return Truth(
        month=month,
        school_down=school.code,
        school_window=(_day(month, 5, 8), _day(month, 5, 18)),
        office=office,
        office_window=(_day(month, 12, 9), _day(month, 12, 11)),
        office_cut=cut,
        isp=isp,
        isp_window=(_day(month, 15, 0), _day(month, 22, 0)),
        isp_sites=isp_sites,
        maintenance=window,
        maintained=can_gio.code,
        maintained_window=(_day(month, 20, 22), _day(month, 20, 23)),
        growing=growing.code,
        growing_speed_bps=link.bandwidth_mbps * 1e6,
    )


def _times(month: Month, every: int) -> Ints:
    # from one step before the month, so the first step's windows are full
    start = int(month.start.timestamp()) - 10 * every
    return np.arange(start, int(month.end.timestamp()) + every, every, dtype=np.int64)


def _inside(t: Ints, window: tuple[datetime, datetime]) -> npt.NDArray[np.bool_]:
    # an increment at t counts what happened in the step before it
    return (t > window[0].timestamp()) & (t <= window[1].timestamp())


def _line(name: str, labels: dict[str, str], t: Ints, values: npt.NDArray[np.generic]) -> str:
    metric = {"__name__": name, **labels}
    ts = ",".join(map(str, (t * 1000).tolist()))
    vs = ",".join(map(repr, values.tolist()))
    head = json.dumps(metric, ensure_ascii=False)
    return f'{{"metric":{head},"values":[{vs}],"timestamps":[{ts}]}}\n'


def series(inv: Inventory, truth: Truth) -> Iterator[str]:
    """The month's raw series, one JSON line each."""
    month = truth.month
    t1 = _times(month, MINUTE)
    t5 = _times(month, 5 * MINUTE)
    for site in inv.sites.values():
        isp, medium = provider_of(inv, site) or ("", "")
        labels = {
            "job": "probe",
            "instance": "prober",
            "target": f"site:{site.code}",
            "kind": "site",
            "host": site.code.lower(),
            "site": site.code,
            "site_name": site.name,
            "district": inv.districts[site.district].name,
            "level": site.level.value if site.level is not None else "",
            "role": "router",
            "isp": isp,
            "medium": medium,
        }
        down = np.zeros(t1.shape, dtype=np.bool_)
        for window in truth.down_windows(site.code):
            down |= _inside(t1, window)
        lossy = (
            _inside(t1, truth.isp_window)
            if site.code in truth.isp_sites
            else np.zeros(t1.shape, dtype=np.bool_)
        )
        got = np.where(down, 0, np.where(lossy, round(ECHOES * (1 - LOSS)), ECHOES))
        sent = np.cumsum(np.full(t1.shape, ECHOES, dtype=np.int64))
        received = np.cumsum(got.astype(np.int64))
        yield _line("edunet_probe_sent_total", labels, t1, sent)
        yield _line("edunet_probe_received_total", labels, t1, received)
        every5 = received[::5]
        count5 = every5 - every5[0]
        yield _line("edunet_probe_rtt_seconds_count", labels, t1[::5], count5)
        yield _line("edunet_probe_rtt_seconds_sum", labels, t1[::5], count5 * RTT_S)
        yield _line("edunet_probe_jitter_seconds", labels, t1[::5], np.full(count5.shape, JITTER_S))
    yield from _growing(inv, truth, t5)
    for app in inv.applications.values():
        labels = {
            "job": "probe",
            "instance": "prober",
            "application": app.code,
            "name": app.name,
            "criticality": app.criticality.value,
            "vm": app.vms[0] if app.vms else app.code,
            "check": app.check.value,
        }
        yield _line("edunet_app_up", labels, t1, np.ones(t1.shape, dtype=np.int64))


def school_hours(t: Ints) -> npt.NDArray[np.bool_]:
    local = t + 7 * 3600
    hour = (local // 3600) % 24
    weekday = (local // 86400 + 3) % 7  # 1970-01-01 was a Thursday: Monday is 0
    return (hour >= 7) & (hour < 17) & (weekday < 5)


def _growing(inv: Inventory, truth: Truth, t5: Ints) -> Iterator[str]:
    site = inv.sites[truth.growing]
    link = inv.links[site.uplinks[0]]
    assert site.gateway is not None and link.a.port is not None
    start = truth.month.start.timestamp()
    days = (t5 - start) / 86400
    share = np.where(school_hours(t5 - 1), BUSY, QUIET) * np.exp(
        math.log(1 + GROWTH) * days / DAYS_PER_MONTH
    )
    octets_in = np.cumsum(share * truth.growing_speed_bps / 8 * 300).astype(np.int64)
    labels = {
        "job": "snmp",
        "instance": site.gateway,
        "device": site.gateway,
        "role": "router",
        "site": site.code,
        "site_name": site.name,
        "district": inv.districts[site.district].name,
        "district_code": site.district,
        "level": site.level.value if site.level is not None else "",
        "interface": link.a.port,
        "uplink": "true",
        "isp": link.isp or "",
        "medium": link.medium.value,
        "ifIndex": "1",
        "ifName": link.a.port,
        "ifDescr": link.a.port,
        "ifAlias": "uplink",
    }
    yield _line("edunet_interface_in_octets_total", labels, t5, octets_in)
    yield _line("edunet_interface_out_octets_total", labels, t5, octets_in // 4)
    yield _line(
        "edunet_interface_speed_bps", labels, t5, np.full(t5.shape, int(truth.growing_speed_bps))
    )


def hours(window: tuple[datetime, datetime]) -> float:
    return (window[1] - window[0]) / timedelta(hours=1)
