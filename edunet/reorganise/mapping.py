"""What a reorganisation file says: units declared or changed, units merged into one, sites
moved to another unit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field, ValidationError

from edunet.schema import DistrictCode, DistrictKind, Name, SiteCode, Slug, Strict, Whole

__all__ = ["Mapping", "MappingError", "Merge", "Move", "UnitSpec", "read_mapping"]


class MappingError(ValueError):
    """The mapping file is unreadable or names what the inventory does not hold."""


class UnitSpec(Strict):
    """A unit as it is after the reorganisation; fields left out stay as they are."""

    code: DistrictCode
    name: Name | None = None
    kind: DistrictKind | None = None
    slug: Slug | None = None
    parent: DistrictCode | None = None
    number: Annotated[Whole, Field(ge=1, le=63)] | None = None  # a new unit's IP-plan area


class Merge(Strict):
    """Every site of ``units`` goes to ``into``; the units other than ``into`` are removed."""

    into: UnitSpec
    units: Annotated[list[str], Field(min_length=1)]  # codes, slugs or names


class Move(Strict):
    sites: Annotated[list[SiteCode], Field(min_length=1)]
    to: str  # a unit: code, slug or name


class Mapping(Strict):
    units: list[UnitSpec] = Field(default_factory=list)  # declared (new) or changed
    merge: list[Merge] = Field(default_factory=list)
    move: list[Move] = Field(default_factory=list)


def read_mapping(path: Path) -> Mapping:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Mapping.model_validate(data)
    except OSError as e:
        raise MappingError(f"{path}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise MappingError(f"{path}: not YAML: {e}") from None
    except ValidationError as e:
        lines = [
            f"{path}: {'.'.join(str(p) for p in err['loc']) or 'top'}: {err['msg']}"
            for err in e.errors()
        ]
        raise MappingError("\n".join(lines)) from None
