"""Turn pydantic's validation errors into problems a network engineer can act on."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from edunet import schema
from edunet.errors import Problems
from edunet.load import PathKey, Source

# words that mean someone tried to put a secret into the inventory
SECRET_WORDS = ("password", "passwd", "secret", "community", "key", "token", "passphrase")

SECTION_DOCS = "docs/inventory.md"


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


FIELD_NAMES = _all_field_names()


def quote(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def suggest(word: str, choices: Any, what: str = "") -> str:
    """'did you mean …?' with the closest choices, else a short list of what exists."""
    options = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), options, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not options:
        return f"declare the {what} first" if what else ""
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"known {what or 'values'}: {shown}"


def report_validation(
    error: ValidationError, base: PathKey, source: Source, problems: Problems, what: str
) -> None:
    """One problem per pydantic error, placed at the offending key or value."""
    for err in error.errors(include_url=False):
        loc: tuple[str | int, ...] = tuple(err["loc"])
        kind = err["type"]
        path = (*base, *loc)
        field = ".".join(str(x) for x in loc) or what
        given = err.get("input")
        if kind == "extra_forbidden":
            name = str(loc[-1])
            lowered = name.lower()
            if any(w in lowered for w in SECRET_WORDS):
                problems.add(
                    source.problem(
                        path,
                        f"{what}: {name!r} looks like a secret; "
                        "secrets never live in the inventory",
                        "remove it and set the value in the environment (EDUNET_SNMP_<PROFILE>_…, "
                        "EDUNET_SSH_<PROFILE>_…) or in the Ansible Vault file",
                        key=True,
                    )
                )
                continue
            problems.add(
                source.problem(
                    path,
                    f"{what}: unknown field {name!r}",
                    suggest(name, sorted(FIELD_NAMES), "fields")
                    if difflib.get_close_matches(name, FIELD_NAMES, n=1, cutoff=0.6)
                    else f"remove it; the fields of each section are listed in {SECTION_DOCS}",
                    key=True,
                )
            )
        elif kind == "missing":
            problems.add(
                source.problem(
                    path[:-1],
                    f"{what}: required field {str(loc[-1])!r} is missing",
                    f"add '{loc[-1]}:' ({SECTION_DOCS} has an example)",
                    key=True,
                )
            )
        elif kind == "string_pattern_mismatch":
            pattern = (err.get("ctx") or {}).get("pattern", "")
            problems.add(
                source.problem(
                    path,
                    f"{what}: {field} {quote(given)} is not in the expected form",
                    _pattern_hint(str(loc[-1]) if loc else what, str(pattern)),
                )
            )
        else:
            msg = err["msg"]
            problems.add(
                source.problem(
                    path,
                    f"{what}: {field}: {msg[0].lower() + msg[1:]}, got {quote(given)}",
                    _type_hint(kind, str(loc[-1]) if loc else ""),
                )
            )


_PATTERN_HINTS = {
    "code": "site codes are upper-case letters, digits and '-' (e.g. PGD-Q1); "
    "school codes are 79 + district code + serial (e.g. 79760012)",
    "district": 'a district is its 3-digit GSO code in quotes, e.g. "760" for Quận 1',
    "name": "host names are lower-case letters, digits and '-', at most 63 characters",
    "serial": "serial numbers are 4-40 letters, digits or '-'",
    "url": "write the full URL, e.g. https://portal.hcm.edu.vn/",
    "slug": "lower-case letters, digits, '-' or '_'",
    "sys_object_id": "a numeric OID such as 1.3.6.1.4.1.9.1.1208",
}


def _pattern_hint(field: str, pattern: str) -> str:
    return _PATTERN_HINTS.get(field, f"it must match {pattern}")


def _type_hint(kind: str, field: str) -> str:
    if kind in ("date_from_datetime_parse", "date_parsing", "date_type"):
        return "write dates as YYYY-MM-DD"
    if kind.startswith("ip_v4") or "network" in kind:
        return "write an IPv4 address (10.1.2.3) or prefix (10.1.2.0/24) with host bits zero"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field}' takes a whole number"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"bring '{field}' within its range"
    if kind == "enum" or kind == "literal_error":
        return "use one of the listed values (lower case, as written)"
    if kind in ("list_type", "dict_type", "model_type"):
        return f"check the indentation of '{field}': it has the wrong shape here"
    if kind in ("string_type",):
        return "quote the value"
    return f"see {SECTION_DOCS}"
