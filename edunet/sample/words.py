"""The word lists names and addresses are drawn from (``edunet/data/sample_names.yaml``).

The file is read on first use, not at import, so commands that never generate a city
never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Words:
    wards: dict[str, tuple[str, ...]]  # by district code
    named_wards: dict[str, tuple[str, ...]]  # the wards that can name a school
    streets: dict[str, tuple[str, ...]]
    people: tuple[str, ...]
    mam_non: tuple[str, ...]
    chuyen_biet: tuple[str, ...]
    suppliers: tuple[str, ...]


def _strings(value: object, wards: bool = False) -> tuple[str, ...]:
    """A word list; in a ward list a bare number N stands for "Phường N"."""
    if not isinstance(value, list):
        raise ValueError("sample word list: expected a list")
    return tuple(f"Phường {v}" if wards and isinstance(v, int) else str(v) for v in value)


def _named(wards: tuple[str, ...]) -> tuple[str, ...]:
    """Ward and commune names that can name a school ("Bến Nghé", not "Phường 7")."""
    out = []
    for ward in wards:
        if ward[-1].isdigit():
            continue
        for prefix in ("Phường ", "Xã ", "Thị trấn "):
            ward = ward.removeprefix(prefix)
        out.append(ward)
    return tuple(out)


@cache
def words() -> Words:
    """The word lists, read once."""
    text = resources.files("edunet").joinpath("data/sample_names.yaml").read_text("utf-8")
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader)
    wards = {k: _strings(v, wards=True) for k, v in raw["wards"].items()}
    return Words(
        wards=wards,
        named_wards={k: _named(v) for k, v in wards.items()},
        streets={k: _strings(v) for k, v in raw["streets"].items()},
        people=_strings(raw["people"]),
        mam_non=_strings(raw["mam_non"]),
        chuyen_biet=_strings(raw["chuyen_biet"]),
        suppliers=_strings(raw["suppliers"]),
    )
