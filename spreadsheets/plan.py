"""Rows of a school list against the inventory: added, changed, unchanged or rejected.

A rejection names the row as the spreadsheet shows it (``Trường!7``), the column as written
in its header, the value and the fix. A row is all or nothing; the others go ahead."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from edunet import schema
from edunet.model import Inventory
from edunet.sample.sites import SITE_KEYS
from spreadsheets import values
from spreadsheets.read import Sheet

__all__ = ["SCHOOL_KEYS", "Change", "Plan", "Rejection", "plan_schools"]

# a new school's keys in the order the inventory writes every site's (the sample's order)
SCHOOL_KEYS = SITE_KEYS
SLOTS = 1024  # site slots of an area: a /16 of management /26s, a /14 of site /24s


@dataclass(frozen=True, slots=True)
class Rejection:
    where: str  # "Trường!7"
    column: str  # the header as written
    value: str
    message: str
    fix: str
    key: str = ""  # the row's code, when it has one


@dataclass(frozen=True, slots=True)
class Change:
    code: str
    where: str
    fields: Mapping[str, tuple[object, object]]  # field -> (old, new); old is None when added


@dataclass
class Plan:
    added: list[Change] = field(default_factory=list)  # fields: the whole new site
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


_READERS: dict[str, Callable[[object], object]] = {
    "code": values.code,
    "name": values.text,
    "address": values.text,
    "level": values.level,
    "pupils": values.whole,
    "isp": values.text,
    "bandwidth_mbps": values.whole,
}
UPLINK = ("isp", "bandwidth_mbps")  # fields of the school's first uplink


def plan_schools(
    inv: Inventory, sheet: Sheet, profiles: Mapping[str, list[dict[str, object]]]
) -> Plan:
    """``profiles``: each profile's uplinks as written, for a new school's first uplink."""
    plan = Plan()
    taken = {(s.area, s.slot) for s in inv.sites.values()}
    seen: dict[str, str] = {}
    for row in sheet.rows:
        bad: list[Rejection] = []
        key = values.code(row.cells.get("code"))

        def reject(
            f: str,
            raw: object,
            message: str,
            fix: str,
            where: str = row.where,
            key: str = key,
            bad: list[Rejection] = bad,
        ) -> None:
            column = sheet.headers.get(f, f)
            bad.append(Rejection(where, column, values.text(raw), message, fix, key))

        got: dict[str, object] = {}
        for f, raw in row.cells.items():
            if values.text(raw) == "":
                continue  # an empty cell leaves the inventory's value as it is
            try:
                if f == "district":
                    got[f] = values.district(raw, inv)
                elif f in _READERS:
                    got[f] = _READERS[f](raw)
            except values.Bad as e:
                reject(f, raw, str(e), e.fix)
        code = got.get("code")
        if not isinstance(code, str):
            if "code" not in row.cells:
                reject("code", "", "no code column", "add a column 'Mã trường'")
            elif not bad:
                reject("code", "", "the school's code is empty", "write the school's code")
            plan.rejected.extend(bad)
            continue
        if code in seen:
            reject("code", code, f"school {code} is also on row {seen[code]}", "keep one row")
        seen.setdefault(code, row.where)
        if bad:
            plan.rejected.extend(bad)
            continue
        site = inv.sites.get(code)
        if site is None:
            _add(inv, plan, row.where, code, got, profiles, taken, reject)
            plan.rejected.extend(bad)
            continue
        if site.kind is not schema.SiteKind.school:
            reject(
                "code", code, f"{code} is a {site.kind.value} site, not a school", "fix the code"
            )
            plan.rejected.extend(bad)
            continue
        now = {
            "name": site.name,
            "level": site.level.value if site.level else None,
            "district": site.district,
            "address": site.address,
            "pupils": site.pupils,
        }
        if site.uplinks:
            first = inv.links[site.uplinks[0]]
            now |= {"isp": first.isp, "bandwidth_mbps": first.bandwidth_mbps}
        elif any(f in got for f in UPLINK):
            f = next(f for f in UPLINK if f in got)
            reject(f, got[f], f"school {code} has no uplink", "give it one in the inventory")
            plan.rejected.extend(bad)
            continue
        diff = {f: (now[f], v) for f, v in got.items() if f in now and now[f] != v}
        if "district" in diff and not _code_fits(inv, code, str(diff["district"][1])):
            reject("district", row.cells["district"], *_code_rule(inv, str(diff["district"][1])))
            plan.rejected.extend(bad)
            continue
        if diff:
            plan.changed.append(Change(code, row.where, diff))
        else:
            plan.unchanged.append(code)
    return plan


def _code_fits(inv: Inventory, code: str, district: str) -> bool:
    return re.fullmatch(re.escape(inv.city.code + district) + "[0-9]{3}", code) is not None


def _code_rule(inv: Inventory, district: str) -> tuple[str, str]:
    prefix = inv.city.code + district
    return (
        f"a school code in district {district} is {prefix} and a 3-digit serial",
        f"write the code the Department issued (e.g. {prefix}012), or the right district",
    )


def _add(
    inv: Inventory,
    plan: Plan,
    where: str,
    code: str,
    got: dict[str, object],
    profiles: Mapping[str, list[dict[str, object]]],
    taken: set[tuple[int, int]],
    reject: Callable[..., None],
) -> None:
    missing = [f for f in ("name", "level", "district", "address") if f not in got]
    for f in missing:
        reject(f, "", f"a new school needs its {f}", f"write the {f} of school {code}")
    if missing:
        return
    district = inv.districts[str(got["district"])]
    if not _code_fits(inv, code, district.code):
        reject("code", code, *_code_rule(inv, district.code))
        return
    area = district.number
    if area is None:  # a ward or commune of 2025: its schools keep the areas they had
        reject(
            "district",
            district.name,
            f"{district.name} has no IP-plan area of its own",
            "add the school to the inventory by hand, with the 'area:' it is numbered in",
        )
        return
    new: dict[str, object] = {
        "code": code,
        "name": got["name"],
        "kind": "school",
        "level": got["level"],
        "district": district.code,
        "address": got["address"],
    }
    profile = str(got["level"]).replace("_", "-")
    if profile in profiles:
        new["profile"] = profile
    if "pupils" in got:
        new["pupils"] = got["pupils"]
    if any(f in got for f in UPLINK):
        uplinks = [dict(u) for u in profiles.get(profile, [])]
        if not uplinks:
            f = next(f for f in UPLINK if f in got)
            reject(f, got[f], f"profile {profile!r} has no uplink to change", "leave it empty")
            return
        if any(uplinks[0].get(f) != got[f] for f in UPLINK if f in got):
            uplinks[0] |= {f: got[f] for f in UPLINK if f in got}
            new["uplinks"] = uplinks
    # the slot comes from the code's last three digits (the inventory's rule); when that
    # slot is another site's, the lowest free one is pinned: no other site's addresses move
    slot = int(code[-3:])
    if slot == 0 or (area, slot) in taken:
        free = next((n for n in range(1, SLOTS) if (area, n) not in taken), None)
        if free is None:
            reject("district", district.name, f"district {district.name} has no free slot", "")
            return
        new["slot"] = slot = free
    try:
        schema.Site.model_validate(new)
    except ValidationError as e:
        err = e.errors()[0]
        f = str(err["loc"][0]) if err["loc"] else "code"
        reject(f, new.get(f, ""), err["msg"], f"write a valid {f}")
        return
    taken.add((area, slot))
    plan.added.append(Change(code, where, {k: (None, new[k]) for k in SCHOOL_KEYS if k in new}))
