"""Turn pydantic's validation errors into problems a network engineer can act on."""

from __future__ import annotations

import difflib
import ipaddress
import unicodedata
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from edunet import schema
from edunet.errors import Problems
from edunet.load import PathKey, Source
from edunet.resolve.written import KINDS as WRITTEN
from edunet.resolve.written import written_problem

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


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X | None``, ``list[X]``, ``dict[str, X]``, ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def fields_at(cls: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model that holds ``loc``'s last element."""
    current: type[BaseModel] | None = cls
    for part in loc[:-1]:
        if current is None:
            return sorted(FIELD_NAMES)
        if isinstance(part, str) and part in current.model_fields:
            current = _model_in(current.model_fields[part].annotation)
        # list indexes and dict keys keep the current model's element type
    return list(current.model_fields) if current is not None else sorted(FIELD_NAMES)


def quote(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


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
    error: ValidationError,
    base: PathKey,
    source: Source,
    problems: Problems,
    what: str,
    cls: type[BaseModel] | None = None,
) -> None:
    """One problem per mistake, placed at the offending key or value.

    A misspelt required field is one mistake, not two: the 'missing' error is folded
    into the 'unknown field' one when the unknown name is close to the missing one.
    """
    errors = error.errors(include_url=False)
    typos: dict[tuple[Any, ...], str] = {}  # parent loc + unknown name -> the missing field
    for err in errors:
        if err["type"] == "missing":
            parent = tuple(err["loc"][:-1])
            for other in errors:
                oloc = tuple(other["loc"])
                if other["type"] == "extra_forbidden" and oloc[:-1] == parent:
                    close = difflib.get_close_matches(str(oloc[-1]), [str(err["loc"][-1])], 1, 0.6)
                    if close:
                        typos[oloc] = close[0]
    for err in errors:
        loc: tuple[str | int, ...] = tuple(err["loc"])
        kind = err["type"]
        if kind == "missing" and any(
            t == str(loc[-1]) and k[:-1] == loc[:-1] for k, t in typos.items()
        ):
            continue  # reported with its misspelling
        label = what
        if not base and loc and what == "inventory":
            label = str(loc[0])  # a top-level section names itself
        path = (*base, *loc)
        field = ".".join(str(x) for x in (loc[1:] if label != what else loc)) or label
        given = err.get("input")
        if kind == "extra_forbidden":
            _unknown_field(loc, path, label, source, problems, cls, typos.get(loc))
        elif kind == "missing":
            problems.add(
                source.problem(
                    path[:-1],
                    f"{label}: required field {str(loc[-1])!r} is missing",
                    f"add '{loc[-1]}:' ({SECTION_DOCS} has an example)",
                    key=True,
                )
            )
        elif (
            kind == "string_pattern_mismatch"
            and isinstance(given, str)
            and (found := _pasted(given, str(loc[-1]) if loc else label))
        ):
            problems.add(
                source.problem(path, f"{label}: {field} {quote(given)} {found[0]}", found[1])
            )
        elif kind == "string_pattern_mismatch":
            pattern = (err.get("ctx") or {}).get("pattern", "")
            problems.add(
                source.problem(
                    path,
                    f"{label}: {field} {quote(given)} is not in the expected form",
                    _pattern_hint(str(loc[-1]) if loc else label, str(pattern)),
                )
            )
        elif kind in WRITTEN and (
            found := written_problem(
                kind, given, source.written(path), str(loc[-1]) if loc else label
            )
        ):
            problems.add(source.problem(path, f"{label}: {field}: {found[0]}", found[1]))
        else:
            msg = err["msg"]
            msg = msg[0].lower() + msg[1:]
            if kind.startswith("ip_v4_network") and isinstance(given, str):
                msg = _network_message(given, msg)
            problems.add(
                source.problem(
                    path,
                    f"{label}: {field}: {msg}, got {quote(given)}",
                    _type_hint(kind, str(loc[-1]) if loc else ""),
                )
            )


def _unknown_field(
    loc: tuple[str | int, ...],
    path: PathKey,
    label: str,
    source: Source,
    problems: Problems,
    cls: type[BaseModel] | None,
    typo_of: str | None,
) -> None:
    name = str(loc[-1])
    if any(w in name.lower() for w in SECRET_WORDS):
        problems.add(
            source.problem(
                path,
                f"{label}: {name!r} looks like a secret; secrets never live in the inventory",
                "remove it and set the value in the environment (EDUNET_SNMP_<PROFILE>_…, "
                "EDUNET_SSH_<PROFILE>_…) or in the Ansible Vault file",
                key=True,
            )
        )
        return
    if typo_of is not None:
        problems.add(
            source.problem(
                path,
                f"{label}: unknown field {name!r}, and required field {typo_of!r} is missing",
                f"did you mean {typo_of!r}?",
                key=True,
            )
        )
        return
    if len(loc) == 1 and label == name:  # a top-level key
        sections = list(schema.Document.model_fields)
        problems.add(
            source.problem(
                path,
                f"unknown section {name!r}",
                suggest(name, sections, "sections")
                if difflib.get_close_matches(name, sections, n=1, cutoff=0.6)
                else "remove it; the sections are " + ", ".join(sections),
                key=True,
            )
        )
        return
    allowed = fields_at(cls, loc) if cls is not None else sorted(FIELD_NAMES)
    close = difflib.get_close_matches(name, allowed, n=3, cutoff=0.6)
    problems.add(
        source.problem(
            path,
            f"{label}: unknown field {name!r}",
            suggest(name, allowed)
            if close
            else "remove it; the fields here are " + ", ".join(allowed),
            key=True,
        )
    )


_CURLY = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"


def _pasted(given: str, field: str) -> tuple[str, str] | None:
    """A code pasted from a word processor: curly quotes, or a character that looks like
    plain ASCII but is not (a no-break space, an en dash)."""
    if len(given) >= 2 and given[0] in _CURLY and given[-1] in _CURLY:
        return "is in curly quotes", f'write "{given[1:-1]}" with straight quotes'
    # Vietnamese letters are not pasted by mistake: the pattern hint says what a code is
    odd = next((c for c in given if not c.isascii() and not c.isalpha()), None)
    if odd is None:
        return None
    name = unicodedata.name(odd, "unnamed character").lower()
    hint = _PATTERN_HINTS.get(field)
    return (
        f"contains U+{ord(odd):04X} {name}",
        "retype it with plain ASCII" + (f"; {hint}" if hint else ""),
    )


def _network_message(given: str, msg: str) -> str:
    try:
        net = ipaddress.IPv4Network(given, strict=False)
    except ValueError:
        return msg
    return f"{given} has host bits set (the network is {net})"


_PATTERN_HINTS = {
    "code": "site codes are upper-case letters, digits and '-' (e.g. PGD-Q1); "
    "school codes are 79 + district code + serial (e.g. 79760012)",
    "district": 'a district is its 3-digit GSO code in quotes, e.g. "760" for Quận 1',
    "name": "host names are lower-case letters, digits and '-', at most 63 characters",
    "serial": "serial numbers are 4-40 letters, digits or '-'",
    "url": "write the full URL, e.g. https://portal.hcm.edu.vn/",
    "domain": "a DNS domain in lower case, e.g. hcm.edu.vn",
    "asset_tag": "3-40 characters, e.g. SGD-2017-004512",
    "slug": "lower-case letters, digits, '-' or '_'",
    "sys_object_id": "a numeric OID such as 1.3.6.1.4.1.9.1.1208",
}


def _pattern_hint(field: str, pattern: str) -> str:
    return _PATTERN_HINTS.get(field, f"it must match {pattern}")


def _type_hint(kind: str, field: str) -> str:
    if field in _PATTERN_HINTS and kind in ("string_type", "int_type"):
        return _PATTERN_HINTS[field]
    if kind.startswith("date"):
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
