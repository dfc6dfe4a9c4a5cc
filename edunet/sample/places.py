"""Where the sample's sites are: a plausible point inside each district, drawn around the
district's centre from the site's own code (so adding a site moves no other)."""

from __future__ import annotations

import random

__all__ = ["CENTRES", "location"]

# district code -> (lat, lon of its centre, spread in degrees): the urban districts are small,
# the outer ones wide (Cần Giờ's schools lie along its roads, south-east of the city)
CENTRES: dict[str, tuple[float, float, float]] = {
    "760": (10.7769, 106.7009, 0.008),
    "761": (10.8672, 106.6413, 0.02),
    "762": (10.8494, 106.7537, 0.02),
    "763": (10.8428, 106.8287, 0.025),
    "764": (10.8387, 106.6653, 0.012),
    "765": (10.8106, 106.7091, 0.012),
    "766": (10.8015, 106.6526, 0.01),
    "767": (10.7900, 106.6281, 0.008),
    "768": (10.7992, 106.6803, 0.005),
    "769": (10.7872, 106.7498, 0.015),
    "770": (10.7843, 106.6844, 0.006),
    "771": (10.7746, 106.6679, 0.006),
    "772": (10.7629, 106.6505, 0.006),
    "773": (10.7579, 106.7013, 0.005),
    "774": (10.7540, 106.6634, 0.006),
    "775": (10.7480, 106.6352, 0.007),
    "776": (10.7240, 106.6286, 0.012),
    "777": (10.7654, 106.6039, 0.015),
    "778": (10.7340, 106.7219, 0.012),
    "783": (11.0067, 106.5132, 0.06),
    "784": (10.8863, 106.5923, 0.03),
    "785": (10.6880, 106.5938, 0.04),
    "786": (10.6950, 106.7047, 0.02),
    "787": (10.4114, 106.9547, 0.04),
}


def location(code: str, district: str) -> dict[str, float]:
    lat, lon, spread = CENTRES[district]
    rng = random.Random(f"location:{code}")
    return {
        "lat": round(lat + rng.uniform(-spread, spread), 5),
        "lon": round(lon + rng.uniform(-spread, spread), 5),
    }
