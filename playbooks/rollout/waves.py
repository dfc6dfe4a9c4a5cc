"""Staged rollout planning: a canary school, then waves of growing size, whole sites per wave,
and the rule that stops the rollout when too many devices fail. Pure: no Ansible here.

A wave spec reads like Ansible's ``serial`` list, counted in sites instead of hosts:
``1,5%,25%,100%`` is one site, then 5 % of the selected sites, then 25 %, then the rest in
batches of 100 %; the last size repeats until every site is planned. ``double`` (the default
for a real change) is 1, 2, 4, 8 … sites; ``all`` is one wave. Percentages are of the sites
selected, rounded down, at least one site, as Ansible rounds ``serial``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "SiteHosts",
    "StopRule",
    "Wave",
    "WaveSpec",
    "WaveTally",
    "plan_waves",
]


@dataclass(frozen=True, slots=True)
class SiteHosts:
    """One site and the hosts selected in it, in inventory order. Sites of different tiers
    (schools, district offices, the core) never share a wave: a playbook may treat the core
    with its own play settings, and a school's failure must not be tied to the core's."""

    site: str
    hosts: tuple[str, ...]
    tier: int = 0


@dataclass(frozen=True, slots=True)
class Wave:
    number: int  # from 1; wave 1 of a staged rollout is the canary
    sites: tuple[SiteHosts, ...]

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(h for s in self.sites for h in s.hosts)


@dataclass(frozen=True, slots=True)
class WaveSize:
    value: float
    percent: bool

    def sites(self, total: int) -> int:
        if not self.percent:
            return int(self.value)
        return max(1, math.floor(total * self.value / 100))

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else str(int(self.value))


@dataclass(frozen=True, slots=True)
class WaveSpec:
    sizes: tuple[WaveSize, ...]  # empty: doubling
    text: str

    @classmethod
    def parse(cls, text: str) -> WaveSpec:
        """``double``, ``all``, or sizes such as ``1,5%,25%,100%``."""
        spec = text.strip().lower()
        if spec == "double":
            return cls((), "double")
        if spec == "all":
            return cls((WaveSize(100, True),), "all")
        sizes: list[WaveSize] = []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                raise ValueError(f"wave spec {text!r}: empty size between commas")
            percent = part.endswith("%")
            number = part[:-1] if percent else part
            try:
                value = float(number) if percent else int(number)
            except ValueError:
                raise ValueError(
                    f"wave spec {text!r}: {part!r} is neither a site count nor a percentage"
                ) from None
            if value <= 0 or (percent and value > 100):
                raise ValueError(f"wave spec {text!r}: {part!r} must be > 0 (and ≤ 100%)")
            sizes.append(WaveSize(value, percent))
        return cls(tuple(sizes), ",".join(str(s) for s in sizes))

    def size(self, index: int, total: int) -> int:
        """Sites in wave ``index`` (from 0) out of ``total`` selected."""
        if not self.sizes:
            return int(2**index)
        return self.sizes[min(index, len(self.sizes) - 1)].sites(total)

    def __str__(self) -> str:
        return self.text


def plan_waves(sites: Sequence[SiteHosts], spec: WaveSpec, canary: str | None = None) -> list[Wave]:
    """Cut the sites, in the order given, into waves. ``canary`` names the site that goes
    first (it must be among ``sites``); sites without hosts are left out."""
    order = [s for s in sites if s.hosts]
    # stable: the tiers in order, the given order inside a tier
    order.sort(key=lambda s: s.tier)
    if canary is not None:
        first = [s for s in order if s.site == canary]
        if not first:
            raise ValueError(f"canary site {canary} is not in the selection")
        order = first + [s for s in order if s.site != canary]
    waves: list[Wave] = []
    start = 0
    while start < len(order):
        size = max(1, spec.size(len(waves), len(order)))
        batch = order[start : start + size]
        cut = next((i for i, s in enumerate(batch) if s.tier != batch[0].tier), len(batch))
        batch = batch[:cut]  # a wave ends where the tier changes
        waves.append(Wave(len(waves) + 1, tuple(batch)))
        start += len(batch)
    return waves


@dataclass(frozen=True, slots=True)
class WaveTally:
    """Devices of one wave that ran, and how many of them failed (failed or unreachable)."""

    ran: int
    failed: int


@dataclass(frozen=True, slots=True)
class StopRule:
    """Stop when the failed share of the last wave is above ``max_fail_percent``, or the
    failed share of every wave so far is above ``max_total_fail_percent`` (when given).
    "Above" is strict, as Ansible's ``max_fail_percentage``: 0 stops on the first failure,
    100 never stops. The total limit matters when it is lower than the wave limit: small
    early waves may then fail more than the rollout as a whole may."""

    max_fail_percent: float
    max_total_fail_percent: float | None = None

    def __post_init__(self) -> None:
        for value in (self.max_fail_percent, self.max_total_fail_percent):
            if value is not None and not 0 <= value <= 100:
                raise ValueError("a failure threshold is a percentage, 0 to 100")

    def reason(self, tallies: Sequence[WaveTally]) -> str | None:
        """Why the rollout stops after the last of ``tallies``; None to go on."""
        if not tallies:
            return None
        last = tallies[-1]
        if last.ran and 100 * last.failed / last.ran > self.max_fail_percent:
            return (
                f"{last.failed} of {last.ran} devices failed in wave {len(tallies)} "
                f"({100 * last.failed / last.ran:.0f}% > {self.max_fail_percent:g}%)"
            )
        ran = sum(t.ran for t in tallies)
        failed = sum(t.failed for t in tallies)
        limit = self.max_total_fail_percent
        if limit is not None and ran and 100 * failed / ran > limit:
            return (
                f"{failed} of {ran} devices failed so far "
                f"({100 * failed / ran:.0f}% > {limit:g}% in total)"
            )
        return None
