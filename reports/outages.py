"""Outages with their root cause, and availability, from the steps each site was down.

Every down step of a site is laid at the door of the largest failed thing upstream that
cuts it off (the data center, an ISP, its district office, by the topology's impact), and
only then of the site itself (its own router or uplink). So a district office down for two
hours is one outage with its schools listed, not one per school. A step is planned when a
maintenance window covers the site, or covers the element it is laid to; planned steps
are listed apart and leave the availability's denominator.

``edunet:site_up`` goes to 0 once its window passed without a reply and back to 1 with the
first reply: an outage shows late by up to that window, its duration within a step or two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from edunet.model import Inventory, SiteKind
from edunet.topology import ISP_PREFIX, topology_of
from reports.planned import Planned

__all__ = ["Element", "Grid", "Outage", "Outcome", "SiteAvailability", "attribute"]

# an ISP counts as failed while this share of the sites it alone carries are down together
ISP_QUORUM = 0.8

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Grid:
    """The evaluation steps of a month: ``n`` steps of ``step`` seconds from ``start``."""

    start: float  # unix seconds
    step: float
    n: int

    def index(self, t: float) -> int:
        return round((t - self.start) / self.step)

    def at(self, i: int) -> datetime:
        return datetime.fromtimestamp(self.start + i * self.step, UTC)

    def mask(self, start: datetime, end: datetime) -> slice:
        lo = max(0, int(np.ceil((start.timestamp() - self.start) / self.step)))
        hi = min(self.n, int(np.ceil((end.timestamp() - self.start) / self.step)))
        return slice(lo, max(lo, hi))


@dataclass(frozen=True, slots=True)
class Element:
    """What can fail and cut sites off: a site (a data center, a district office …) or an
    ISP (``isp:<name>``), with the sites its loss cuts."""

    id: str
    kind: str  # datacenter, department, district_office, isp, school …
    cut: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outage:
    cause: str  # the element's id: a site code or isp:<name>
    cause_kind: str  # the element's kind; "site" for a site's own router or uplink
    start: datetime
    end: datetime
    sites: tuple[str, ...]
    schools: int
    pupils: int
    planned: bool
    reason: str  # the maintenance window's, for planned outages

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class SiteAvailability:
    site: str
    down_s: float  # unplanned
    planned_s: float  # time inside maintenance windows, left out
    availability: float  # 0 to 1, of the time outside maintenance


@dataclass(frozen=True, slots=True)
class Outcome:
    outages: tuple[Outage, ...]  # unplanned, by start
    planned: tuple[Outage, ...]
    sites: dict[str, SiteAvailability]


def elements(inv: Inventory) -> list[Element]:
    """Everything upstream that cuts more than itself, largest first: the order the steps
    are laid in."""
    topo = topology_of(inv)
    found: list[Element] = []
    for site in inv.sites.values():
        if site.kind is SiteKind.school:
            continue
        cut = topo.impact(site.code).sites_cut
        if len(cut) > 1:
            found.append(Element(site.code, site.kind.value, cut))
    isps = sorted({link.isp for link in inv.links.values() if link.isp})
    for isp in isps:
        cut = topo.impact(ISP_PREFIX + isp).sites_cut
        if len(cut) > 1:
            found.append(Element(ISP_PREFIX + isp, "isp", cut))
    return sorted(found, key=lambda e: (-len(e.cut), e.id))


def _runs(mask: Mask) -> list[tuple[int, int]]:
    """(first, past-the-last) index of each run of True."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _lead(mask: Mask, steps: int) -> Mask:
    """Each run of ``mask`` started ``steps`` earlier than it shows."""
    if steps <= 0:
        return mask
    out = mask.copy()
    for lo, _ in _runs(mask):
        out[max(0, lo - steps) : lo] = True
    return out


def attribute(
    inv: Inventory,
    grid: Grid,
    down_steps: Mapping[str, Iterable[int]],
    planned: Iterable[Planned],
    lead_s: float = 0.0,
    sites: Iterable[str] | None = None,
) -> Outcome:
    """Outages and availability of ``sites`` (default: all) from each site's down steps."""
    codes = list(inv.sites)
    row = {code: i for i, code in enumerate(codes)}
    down = np.zeros((len(codes), grid.n), dtype=np.bool_)
    lead = round(lead_s / grid.step)
    for code, steps in down_steps.items():
        if code in row:
            idx = np.fromiter((i for i in steps if 0 <= i < grid.n), dtype=np.int64)
            down[row[code], idx] = True
            down[row[code]] = _lead(down[row[code]], lead)
    windows = list(planned)
    in_window = np.zeros_like(down)
    for w in windows:
        span = grid.mask(w.start, w.end)
        for code in w.sites:
            if code in row:
                in_window[row[code], span] = True

    def element_window(element: str) -> tuple[Mask, list[tuple[slice, str]]]:
        m = np.zeros(grid.n, dtype=np.bool_)
        spans = [(grid.mask(w.start, w.end), w.reason) for w in windows if element in w.sites]
        for span, _ in spans:
            m[span] = True
        return m, spans

    assigned = np.zeros_like(down)
    planned_down = np.zeros_like(down)
    outages: list[Outage] = []
    planned_out: list[Outage] = []

    def lay(element: str, kind: str, rows: list[int], failed: Mask | None) -> None:
        block = down[rows] & ~assigned[rows]
        if failed is not None:
            block &= failed
        if not block.any():
            return
        own, spans = element_window(element)
        plan = block & (in_window[rows] | own)
        assigned[rows] |= block
        planned_down[rows] |= plan
        for part, is_planned in ((block & ~plan, False), (plan, True)):
            union: Mask = np.asarray(part.any(axis=0))
            for lo, hi in _runs(union):
                hits: Mask = np.asarray(part[:, lo:hi].any(axis=1))
                hit = [codes[r] for r, any_ in zip(rows, hits.tolist(), strict=True) if any_]
                reason = ""
                if is_planned:
                    reason = next((why for s, why in spans if s.start < hi and lo < s.stop), "")
                    if not reason:
                        reason = _reason_of(windows, grid, hit, lo, hi)
                schools = [inv.sites[c] for c in hit if inv.sites[c].kind is SiteKind.school]
                record = Outage(
                    cause=element,
                    cause_kind=kind,
                    start=grid.at(lo),
                    end=grid.at(hi),
                    sites=tuple(hit),
                    schools=len(schools),
                    pupils=sum(s.pupils or 0 for s in schools),
                    planned=is_planned,
                    reason=reason,
                )
                (planned_out if is_planned else outages).append(record)

    for e in elements(inv):
        rows = [row[c] for c in e.cut if c in row]
        if e.kind == "isp":
            share = down[rows].mean(axis=0) if rows else np.zeros(grid.n)
            failed = share >= ISP_QUORUM
        else:
            failed = down[row[e.id]]
        lay(e.id, e.kind, rows, failed)
    for code in codes:
        lay(code, "site", [row[code]], None)

    wanted = list(sites) if sites is not None else codes
    availability: dict[str, SiteAvailability] = {}
    for code in wanted:
        r = row[code]
        excluded = in_window[r] | planned_down[r]
        counted = grid.n - int(excluded.sum())
        lost = int((down[r] & ~excluded).sum())
        availability[code] = SiteAvailability(
            site=code,
            down_s=lost * grid.step,
            planned_s=int(excluded.sum()) * grid.step,
            availability=1.0 - lost / counted if counted else 1.0,
        )
    by_start = sorted(outages, key=lambda o: (o.start, o.cause))
    return Outcome(tuple(by_start), tuple(sorted(planned_out, key=lambda o: o.start)), availability)


def _reason_of(windows: list[Planned], grid: Grid, hit: list[str], lo: int, hi: int) -> str:
    for w in windows:
        span = grid.mask(w.start, w.end)
        if span.start < hi and lo < span.stop and any(c in w.sites for c in hit):
            return w.reason
    return ""
