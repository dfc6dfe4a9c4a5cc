"""Finding what a user named, for every command, the API, the lab and the rollout: one
lookup (``lookup(inv, "site", "le ngoc han")``), one selection language
(``select(inv, "district=q1&level=thcs")``), one search (``search(inv, "cu chi")``) and one
"did you mean"."""

from edunet.select.language import (
    KEYS,
    Query,
    Selected,
    SelectionError,
    Term,
    devices_of,
    parse,
    select,
    values_of,
)
from edunet.select.lookups import KINDS, Spellings, lookup, resolve, spellings
from edunet.select.names import (
    NotFound,
    close_matches,
    did_you_mean,
    find,
    fold,
    fold_glob,
    natural_key,
    naturally,
)
from edunet.select.search_text import SEARCH_KINDS, Match, Rank, search

__all__ = [
    "KEYS",
    "KINDS",
    "SEARCH_KINDS",
    "Match",
    "NotFound",
    "Query",
    "Rank",
    "Selected",
    "SelectionError",
    "Spellings",
    "Term",
    "close_matches",
    "devices_of",
    "did_you_mean",
    "find",
    "fold",
    "fold_glob",
    "lookup",
    "natural_key",
    "naturally",
    "parse",
    "resolve",
    "search",
    "select",
    "spellings",
    "values_of",
]
