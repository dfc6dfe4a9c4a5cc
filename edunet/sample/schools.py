"""The schools: how many of each level, where, and what sets each one apart."""

from __future__ import annotations

import random
from dataclasses import dataclass

from edunet.sample.city import CITY, DISTRICTS, MAX_SERIAL, District
from edunet.sample.hardware_records import LAST_YEAR, AssetRegister
from edunet.sample.names import Names
from edunet.sample.places import location
from edunet.sample.profiles import PROFILE_BY_NAME, Profile, short_name
from edunet.sample.shares import capped_split, largest_remainder
from edunet.sample.sites import ordered, uplink

# Schools per level across the city (share of all schools), and what a school of each looks like.
LEVELS = ("mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx", "chuyen_biet")
MAIN_LEVELS = ("mam_non", "tieu_hoc", "thcs", "thpt")  # every district has each of these
LEVEL_SHARE = {
    "mam_non": 0.56,
    "tieu_hoc": 0.21,
    "thcs": 0.12,
    "thpt": 0.08,
    "lien_cap": 0.013,
    "gdtx": 0.0125,
    "chuyen_biet": 0.0045,
}
PROFILE_OF = {
    "mam_non": "mam-non",
    "tieu_hoc": "tieu-hoc",
    "thcs": "thcs",
    "thpt": "thpt",
    "lien_cap": "lien-cap",
    "gdtx": "gdtx",
    "chuyen_biet": "chuyen-biet",
}
PUPILS = {  # (low, high, most common)
    "mam_non": (150, 600, 320),
    "tieu_hoc": (600, 2500, 1300),
    "thcs": (600, 2000, 1150),
    "thpt": (900, 2200, 1500),
    "lien_cap": (500, 2000, 900),
    "gdtx": (200, 800, 420),
    "chuyen_biet": (50, 300, 120),
}
# Most endpoints a school lists of each kind; lab workstations and cameras stay inside
# their VLANs (a /26 and a /27) with room for the gateway and a few spare addresses.
_ENDPOINT_LIMITS = (("workstations", 58), ("laptops", 60), ("cameras", 28), ("printers", 12))


@dataclass(frozen=True, slots=True)
class _Extras:
    """What sets one school apart from its profile; decided for the whole city at once."""

    feature: str | None  # "ftth", "dual", "lte" (uplinks) or "legacy" (an old router)
    extra_device: bool
    own_endpoints: bool
    spares: bool


def level_counts(n: int) -> dict[str, int]:
    """Schools of each level among ``n``; with enough, every district has every main level."""
    counts = dict(zip(LEVELS, largest_remainder(n, [LEVEL_SHARE[x] for x in LEVELS]), strict=True))
    need = len(DISTRICTS)
    if n >= need * len(MAIN_LEVELS):
        floor = {x: need if x in MAIN_LEVELS else 0 for x in LEVELS}
        for level in MAIN_LEVELS[1:]:
            while counts[level] < need:
                donors = [x for x in LEVELS if x != level and counts[x] > floor[x]]
                donor = max(donors, key=lambda x: counts[x])
                counts[donor] -= 1
                counts[level] += 1
    return counts


def _extras(rng: random.Random, n: int) -> list[_Extras]:
    """Who gets the features only some schools have, by position in the city."""
    order = list(range(n))
    rng.shuffle(order)
    quota = [
        ("ftth", round(n * 0.15)),
        ("dual", round(n * 0.05)),
        ("lte", max(2, round(n * 0.012))),
        ("legacy", max(3, round(n * 0.008))),
    ]
    feature: dict[int, str] = {}
    at = 0
    for name, k in quota:
        for idx in order[at : at + k]:
            feature[idx] = name
        at += k
    extra_device = set(rng.sample(range(n), min(n, max(3, round(n * 0.04)))))
    own_endpoints = set(rng.sample(range(n), min(n, max(3, round(n * 0.04)))))
    with_spares = set(rng.sample(range(n), min(n, max(2, round(n * 0.05)))))
    return [
        _Extras(feature.get(i), i in extra_device, i in own_endpoints, i in with_spares)
        for i in range(n)
    ]


def schools(
    n: int, rng: random.Random, names: Names, assets: AssetRegister
) -> list[dict[str, object]]:
    """``n`` schools, district by district, sorted by code within each district."""
    if n <= 0:
        return []
    counts = level_counts(n)
    # levels every district gets one of first (when there are enough to go round)
    seeded = [lv for lv in (*MAIN_LEVELS, "gdtx") if counts[lv] >= len(DISTRICTS)]
    if n < len(DISTRICTS) * len(MAIN_LEVELS):
        seeded = []
    floor = len(seeded)
    weights = [d.population + 60 for d in DISTRICTS]
    extra = capped_split(n - floor * len(DISTRICTS), weights, [MAX_SERIAL - floor] * len(DISTRICTS))
    pool: list[str] = []
    for lv in LEVELS:
        pool.extend([lv] * (counts[lv] - (len(DISTRICTS) if lv in seeded else 0)))
    rng.shuffle(pool)
    extras = iter(_extras(rng, n))

    out: list[dict[str, object]] = []
    for d, more in zip(DISTRICTS, extra, strict=True):
        levels = list(seeded) + pool[:more]
        del pool[:more]
        total = len(levels)
        # serials are not contiguous: schools closed over the years
        space = min(MAX_SERIAL, max(total, round(total * 1.35) + 2))
        serials = rng.sample(range(1, space + 1), total)
        taken: set[str] = set()
        district_sites = [
            _school(rng, names, assets, d, level, serial, taken, next(extras))
            for level, serial in zip(levels, serials, strict=True)
        ]
        district_sites.sort(key=lambda s: str(s["code"]))
        out.extend(district_sites)
    return out


def _school(
    rng: random.Random,
    names: Names,
    assets: AssetRegister,
    d: District,
    level: str,
    serial: int,
    taken: set[str],
    extras: _Extras,
) -> dict[str, object]:
    profile = PROFILE_BY_NAME[PROFILE_OF[level]]
    code = f"{CITY['code']}{d.code}{serial:03d}"
    lo, hi, mode = PUPILS[level]
    site: dict[str, object] = {
        "code": code,
        "name": names.school(level, d.code, taken),
        "kind": "school",
        "level": level,
        "district": d.code,
        "profile": profile.name,
        "pupils": int(rng.triangular(lo, hi, mode)),
        "address": names.address(d.code),
        "location": location(code, d.code),
    }
    devices = profile.expand()
    gateway_role = devices[0][1]
    legacy = extras.feature == "legacy" and gateway_role == "router"
    if legacy:
        # an old router kept in service: SNMPv2c only, past its end of support
        site["snmp"] = "v2-legacy"
        site["devices"] = [
            {"name": f"{code}-rt1", "role": "router", "model": "CISCO1941"},
        ]
        devices[0] = ("rt1", "router", "CISCO1941")
    other = rng.choice(("Viettel", "FPT"))
    if extras.feature == "ftth":
        site["uplinks"] = [uplink("internet", other, "ftth", rng.choice((150, 150, 200, 300)))]
    elif extras.feature == "dual":
        site["uplinks"] = [dict(profile.uplink), uplink("internet", other, "ftth", 150)]
    elif extras.feature == "lte":
        carrier = rng.choice(("Viettel", "MobiFone", "VinaPhone"))
        site["uplinks"] = [dict(profile.uplink), uplink("internet", carrier, "4g", 50)]
    if extras.own_endpoints:
        site["endpoints"] = _scaled_endpoints(rng, profile)
    year = rng.randint(2016, 2021)
    if legacy:
        year = rng.randint(2012, 2014)
    if extras.extra_device:
        role, model = rng.choice(
            [(r, m) for _, r, m in devices if r in ("access_switch", "access_point")]
        )
        count = sum(1 for _, r, _m in devices if r == role)
        extra: dict[str, object] = {
            "name": f"{code}-{short_name(role, count + 1)}",
            "role": role,
            "model": model,
            "hardware": assets.record(model, rng.randint(year, LAST_YEAR)),
        }
        explicit = site.setdefault("devices", [])
        assert isinstance(explicit, list)
        explicit.append(extra)
    r = rng.random()
    if r < 0.06:
        pass  # no hardware records yet
    elif r < 0.12:
        site["hardware"] = assets.site_records(devices[:1], year)
    else:
        site["hardware"] = assets.site_records(devices, year)
    if extras.spares:
        model = rng.choice([m for _, r2, m in devices if r2 != "router"] or [devices[0][2]])
        site["spares"] = [assets.spare(model, rng.randint(year, LAST_YEAR))]
    return ordered(site)


def _scaled_endpoints(rng: random.Random, profile: Profile) -> dict[str, object]:
    base = profile.endpoints
    out: dict[str, object] = {}
    for key, limit in _ENDPOINT_LIMITS:
        value = base.get(key, 0)
        assert isinstance(value, int)
        if value:
            out[key] = max(1, min(limit, round(value * rng.uniform(0.6, 1.5))))
    if "workstation_model" in base:
        out["workstation_model"] = base["workstation_model"]
    return out
