"""Link-quality thresholds per uplink medium, end to end from the data center to the site's
gateway (the prober sits in the data center, so RTT is the whole round trip through the
Department and the district office).

One static series per medium and aspect (``edunet:link_threshold_*``) lets one alert rule per
aspect serve every medium. The figures are what a healthy path of that kind stays well below
in this city; see docs/runbooks/README.md for the reasoning.
"""

from __future__ import annotations

from dataclasses import dataclass

from edunet.model import Medium

__all__ = ["THRESHOLDS", "LinkThreshold"]


@dataclass(frozen=True, slots=True)
class LinkThreshold:
    loss_ratio: float  # share of echo requests without a reply, over 5 min
    latency_s: float  # mean RTT over 5 min
    jitter_s: float  # mean absolute difference of consecutive RTTs


THRESHOLDS: dict[Medium, LinkThreshold] = {
    # own fibre inside the city core: loss is a fault, not congestion
    Medium.fiber: LinkThreshold(0.005, 0.015, 0.005),
    # carrier point-to-point circuits with an SLA
    Medium.leased_line: LinkThreshold(0.005, 0.020, 0.005),
    # the carriers' metro Ethernet, the district offices' and most schools' uplink
    Medium.metronet: LinkThreshold(0.01, 0.030, 0.010),
    # short in-building patch; a site reached only over copper is a lab or a test bench
    Medium.copper: LinkThreshold(0.01, 0.030, 0.010),
    # shared consumer fibre through the Internet and the data center's firewalls
    Medium.ftth: LinkThreshold(0.02, 0.060, 0.020),
    # mobile backup: radio loss and scheduling delay are normal up to a point
    Medium.lte: LinkThreshold(0.03, 0.120, 0.040),
}
