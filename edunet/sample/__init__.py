"""A generated city: a whole, valid inventory for demos, tests and benchmarks.

The city is SAMPLE DATA. Its 24 districts, their codes and the shape of the network
follow the real city; the schools, names, addresses, serial numbers, asset tags and
contracts are invented, though plausible. :func:`generate` returns the document as plain
Python values, :func:`render` turns it into readable YAML, :func:`write` saves it.

Everything comes from one ``random.Random(seed)``: the same ``(schools, seed)`` gives a
byte-identical file on every machine and every run.

The parts: :mod:`~edunet.sample.city` (districts, IP plan, VLANs),
:mod:`~edunet.sample.hardware_models` and :mod:`~edunet.sample.profiles` (the catalogue),
:mod:`~edunet.sample.core_sites`, :mod:`~edunet.sample.schools` and
:mod:`~edunet.sample.applications` (the sections), drawing on
:mod:`~edunet.sample.names` and :mod:`~edunet.sample.hardware_records`;
:mod:`~edunet.sample.render` writes the YAML.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from edunet import atomic
from edunet.sample.applications import applications
from edunet.sample.city import CITY, DISTRICTS, IP_PLAN, MAX_SCHOOLS, MAX_SERIAL, VLANS
from edunet.sample.core_sites import core_links, core_sites, district_offices
from edunet.sample.hardware_models import MODELS
from edunet.sample.hardware_records import AssetRegister
from edunet.sample.names import Names
from edunet.sample.profiles import PROFILES
from edunet.sample.render import render
from edunet.sample.schools import schools as school_sites
from edunet.sample.words import words

__all__ = [
    "DEFAULT_SCHOOLS",
    "DEFAULT_SEED",
    "MAX_SCHOOLS",
    "SampleDocument",
    "generate",
    "render",
    "write",
]

DEFAULT_SCHOOLS = 160
DEFAULT_SEED = 2014


class SampleDocument(dict[str, object]):
    """The generated document: a plain dict that also remembers how it was generated."""

    __slots__ = ("schools", "seed")

    def __init__(self, data: dict[str, object], schools: int, seed: int):
        super().__init__(data)
        self.schools = schools
        self.seed = seed


def generate(schools: int = DEFAULT_SCHOOLS, seed: int = DEFAULT_SEED) -> SampleDocument:
    """The whole inventory document of a sample city with ``schools`` schools.

    Plain dicts, lists, strings, numbers and dates, in the order :func:`render` writes
    them; it validates against :class:`edunet.schema.Document` and, item by item, against
    ``SECTION_ITEMS``. The same arguments always give the same document.
    """
    if not 0 <= schools <= MAX_SCHOOLS:
        raise ValueError(
            f"a sample city has 0 to {MAX_SCHOOLS:,} schools ({MAX_SERIAL} per district: "
            f"a school's serial is its IP-plan slot), not {schools:,}"
        )
    rng = random.Random(seed)
    word_lists = words()
    assets = AssetRegister(rng, word_lists.suppliers)
    names = Names(rng, word_lists)
    sites = (
        core_sites(assets, names)
        + district_offices(rng, assets, names)
        + school_sites(schools, rng, names, assets)
    )
    doc: dict[str, object] = {
        "edunet": 1,
        "sample": True,
        "city": dict(CITY),
        "credentials": {
            "snmp": {
                "v3-default": {"version": "v3", "auth": "sha", "priv": "aes"},
                "v2-legacy": {"version": "v2c"},
            },
            "ssh": {"netops": {"port": 22}},
        },
        "defaults": {"snmp": "v3-default", "ssh": "netops"},
        "ip_plan": dict(IP_PLAN),
        "vlans": [dict(v) for v in VLANS],
        "districts": [
            {"code": d.code, "number": i, "name": d.name, "kind": d.kind, "slug": d.slug}
            for i, d in enumerate(DISTRICTS, start=1)
        ],
        "hardware_models": [m.item() for m in MODELS],
        "profiles": [p.item() for p in PROFILES],
        "sites": sites,
        "links": core_links(),
        "applications": applications(),
        # the core routers keep the city's time; one data-center node takes logs and watches
        "services": {
            "ntp": ["ttdl-rt1", "ttdl-rt2"],
            "syslog": ["ttdl-srv6"],
            "dns": ["ttdl-rt1", "ttdl-rt2"],
            "monitoring": "ttdl-srv6",
        },
    }
    return SampleDocument(doc, schools, seed)


def write(
    path: str | os.PathLike[str],
    schools: int = DEFAULT_SCHOOLS,
    seed: int = DEFAULT_SEED,
) -> None:
    """Generate and save a sample city; the file is replaced whole, never half-written."""
    target = Path(path)
    text = render(generate(schools, seed), seed=seed)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    atomic.write_text(directory / target.name, text, mode)
