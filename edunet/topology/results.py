"""What topology queries return: small frozen records, ready for JSON or a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# an "isp" is a whole ISP: its Internet cloud and every link that rides it
ElementKind = Literal["link", "device", "site", "isp"]


class TopologyError(KeyError):
    """An unknown device, site, ISP cloud or link name, with the closest known names."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


@dataclass(frozen=True, slots=True)
class Path:
    """One shortest path: ``nodes`` are device names (or ``isp:<name>`` clouds), and
    ``links[i]`` is the link id between ``nodes[i]`` and ``nodes[i + 1]``."""

    nodes: tuple[str, ...]
    links: tuple[str, ...]
    hops: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hops", len(self.links))

    def __str__(self) -> str:
        parts = [self.nodes[0]] if self.nodes else []
        for link, node in zip(self.links, self.nodes[1:], strict=True):
            parts.append(f"-({link})-")
            parts.append(node)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Impact:
    """What one failure cuts off from the data center.

    A site is cut when it reached the data center before the failure and none of its
    devices does after it; a failed site counts itself, a failed device counts itself
    in ``devices_cut``. ``kind`` is "isp" for an ISP (``isp:<name>``): its Internet cloud
    and every link with that ``isp`` fail together.
    """

    element: str
    kind: ElementKind
    sites_cut: tuple[str, ...]  # site codes, sorted
    schools_cut: int
    pupils_cut: int
    devices_cut: int
    by_district: dict[str, int]  # district code -> sites cut, sorted by code


@dataclass(frozen=True, slots=True)
class Spof:
    """A single point of failure: a device, an ISP or a link whose loss cuts sites."""

    element: str
    kind: ElementKind
    sites_cut: int  # includes the element's own site (a school's only router cuts it)
    schools_cut: int
    pupils_cut: int
    devices_cut: int
    district: str | None  # where the element is; None for ISPs


@dataclass(frozen=True, slots=True)
class TopologyStats:
    nodes: int  # devices and ISP clouds
    devices: int
    isp_clouds: int
    links: int
    parallel_links: int  # links that share both ends with another link
    sites: int
    bridges: int  # links whose loss disconnects something from the data center
    articulation_points: int  # devices and ISP clouds whose loss disconnects something else
    unreachable_sites: int  # no path to the data center even with everything up
    # cut by one link, or one device or ISP cloud outside the site (bar the data center's own)
    unprotected_sites: int
    single_upstream_sites: int  # cut by the loss of one other site or ISP cloud
