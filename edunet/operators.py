"""Who is changing the network through the tools, and what part of the city they may change.

An operator is named by ``EDUNET_OPERATOR`` (default: the login name) and looked up in the
roles file (``EDUNET_ROLES``, default ``edunet-roles.yaml`` in the working folder, beside
``api-tokens.yaml``), which gives each operator a reach::

    operators:
      noc:
        reach: city
      lan.nguyen:
        name: Nguyễn Thị Lan
        reach: {districts: [q12]}
      thay.minh:
        reach: {sites: ["79761001"]}

Without a roles file every operator may change the whole city, as before the file existed
(the demo and a single engineer's checkout need none). With one, an operator it does not
list may change nothing. Read-only commands never ask.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from edunet.access import CITY, OutOfReach, Reach
from edunet.errors import Problem, Problems
from edunet.load import Source, read_source  # the inventory's reader: every value placed
from edunet.model import Inventory

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

__all__ = [
    "DEFAULT_ROLES_FILE",
    "OPERATOR_ENV",
    "ROLES_ENV",
    "NotAnOperator",
    "Operator",
    "RolesError",
    "check_reach",
    "current",
    "operator_name",
    "roles_path",
]

ROLES_ENV = "EDUNET_ROLES"
OPERATOR_ENV = "EDUNET_OPERATOR"
DEFAULT_ROLES_FILE = Path("edunet-roles.yaml")


class _ReachEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    city: bool = False  # what ``reach: city`` reads as
    districts: list[str] = []
    sites: list[str] = []

    @model_validator(mode="after")
    def _one_kind(self) -> _ReachEntry:
        if self.city == bool(self.districts or self.sites):
            raise ValueError("write 'reach: city', or name districts and/or sites")
        return self


class _OperatorEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None  # the person's full name, for people reading the file
    # required: an entry never reaches the whole city by leaving the reach out
    reach: _ReachEntry

    @field_validator("reach", mode="before")
    @classmethod
    def _city(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().lower() != "city":
                raise ValueError(f"reach {value!r}: write 'city', or districts and/or sites")
            return {"city": True}
        return value


class _RolesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operators: dict[str, _OperatorEntry]


class RolesError(ValueError):
    """The roles file cannot be used; every problem with its file, line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class NotAnOperator(PermissionError):
    """A roles file exists and does not list this operator: no change is allowed."""


@dataclass(frozen=True, slots=True)
class Operator:
    """The operator at the keyboard; ``roles_file`` None when there is none (open to all)."""

    name: str
    reach: Reach
    roles_file: Path | None = None


def roles_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get(ROLES_ENV) or DEFAULT_ROLES_FILE)


def operator_name(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    given = env.get(OPERATOR_ENV, "").strip()
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's numeric user)
        return f"uid-{os.getuid()}"


def current(inv: Inventory | None, env: Mapping[str, str] | None = None) -> Operator:
    """The operator and their reach, resolved against ``inv`` (None: identity only, the reach
    left as written, for changes that touch no device).

    :class:`RolesError` for a file that cannot be used (a file ``EDUNET_ROLES`` names must
    exist); :class:`NotAnOperator` when the file does not list the operator.
    """
    env = os.environ if env is None else env
    name = operator_name(env)
    path = roles_path(env)
    if not path.exists() and not env.get(ROLES_ENV):
        return Operator(name, CITY)
    problems = Problems()
    source = read_source(path, problems)
    if problems:
        raise RolesError(problems.sorted())
    try:
        doc = _RolesFile.model_validate(source.data)
    except ValidationError as e:
        raise RolesError([_problem(source, err) for err in e.errors(include_url=False)]) from None
    entry = doc.operators.get(name)
    if entry is None:
        known = ", ".join(sorted(doc.operators)[:8]) or "none"
        raise NotAnOperator(
            f"operator {name!r} is not in {path} (operators: {known}); set {OPERATOR_ENV} "
            "to your entry, or ask for one"
        )
    if entry.reach.city:
        return Operator(name, CITY, path)
    if inv is None:
        written = {"districts": entry.reach.districts, "sites": entry.reach.sites}
        return Operator(name, Reach.from_data(written), path)
    return Operator(name, _resolve(inv, name, entry.reach, source), path)


def _resolve(inv: Inventory, name: str, reach: _ReachEntry, source: Source) -> Reach:
    """Codes from what the file says (``q12``, ``Quận 12``, ``761``, a school's code or
    name); a name the inventory does not know is a problem at its place in the file."""
    from edunet.select import NotFound, lookup

    problems: list[Problem] = []
    found: dict[str, set[str]] = {"districts": set(), "sites": set()}
    for key, kind in (("districts", "district"), ("sites", "site")):
        for i, given in enumerate(getattr(reach, key)):
            try:
                found[key].add(lookup(inv, kind, given))
            except NotFound as e:
                problems.append(source.problem(("operators", name, "reach", key, i), str(e)))
    if problems:
        raise RolesError(problems)
    return Reach(frozenset(found["districts"]), frozenset(found["sites"]))


def _problem(source: Source, err: ErrorDetails) -> Problem:
    """One pydantic error at its place in the file, in the file's words."""
    loc = tuple(err["loc"])
    name = str(loc[-1]) if loc else ""
    if err["type"] == "extra_forbidden":
        return source.problem(
            loc,
            f"unknown field {name!r}",
            "an operator has name and reach; a reach has districts and sites",
            key=True,
        )
    if err["type"] == "missing":
        return source.problem(
            loc[:-1],
            f"required field {name!r} is missing",
            "give each operator a reach: city, {districts: [...]} or {sites: [...]}",
            key=True,
        )
    msg = err["msg"].removeprefix("Value error, ")
    return source.problem(loc, msg, "see docs/operators.md")


def check_reach(inv: Inventory, operator: Operator, devices: Iterable[str]) -> None:
    """:class:`OutOfReach` naming every device the operator may not change."""
    outside = operator.reach.out_of_reach(inv, devices)
    if outside:
        raise OutOfReach(operator.name, operator.reach, outside)
