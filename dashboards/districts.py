"""One Grafana folder per district: the dashboards a district's NOC needs, its district fixed.

Each district-scoped dashboard (district, school, links, hardware) is copied once per district
with its ``district`` variable turned into a hidden constant, its uid and title suffixed, and
its links kept inside the folder. The files live in one directory per district (the district's
slug), which Grafana's file provider turns into a folder (``foldersFromFilesStructure``), so a
district team is given its folder and sees no other district's dashboards.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.cog.encoder import JSONEncoder

from dashboards.base import UIDS
from edunet.model import Inventory

__all__ = ["DISTRICTS_DIR", "DISTRICT_SCOPED", "district_files", "district_uid"]

DISTRICTS_DIR = "dashboards/grafana/districts"

# the dashboards that show one district's sites (the city and data-center views do not)
DISTRICT_SCOPED = ("edunet-district", "edunet-school", "edunet-links", "edunet-hardware")


def district_uid(uid: str, code: str) -> str:
    """The uid of a dashboard's copy for a district (by code: codes never change)."""
    return f"{uid}-{code}"


# stand-ins for a district's code, name and slug: each dashboard is serialised once with
# them and copied per district by replacing them (serialising 100 dashboards is what is slow)
_CODE, _NAME, _SLUG = "@@district-code@@", "@@district-name@@", "@@district-slug@@"


def _constant() -> dict[str, Any]:
    built = (
        dash.ConstantVariable("district")
        .label("Quận/huyện")
        .description(f"Fixed to {_NAME} ({_CODE}): the folder's district")
        .value(_NAME)
        .build()
    )
    data: dict[str, Any] = json.loads(json.dumps(built, cls=JSONEncoder))
    for key in ("auto", "auto_count", "auto_min"):  # as base.to_json: interval-only fields
        data.pop(key, None)
    return data


def _template(board: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(board)
    uid = out["uid"]
    out["uid"] = district_uid(uid, _CODE)
    out["title"] = f"{UIDS[uid]} — {_NAME}"
    out["tags"] = [*out["tags"], _SLUG]
    variables = out["templating"]["list"]
    out["templating"]["list"] = [_constant() if v["name"] == "district" else v for v in variables]
    # links stay in the folder: a district team cannot open the city-wide dashboards
    out["links"] = [link for link in out["links"] if link["url"].split("/")[2] in DISTRICT_SCOPED]
    text = json.dumps(out, ensure_ascii=False)
    for other in DISTRICT_SCOPED:
        mine = district_uid(other, _CODE)
        text = text.replace(f"/d/{other}/{other}", f"/d/{mine}/{mine}")
    fixed: dict[str, Any] = json.loads(text)
    return fixed


def district_files(
    inv: Inventory, boards: dict[str, dict[str, Any]], dump: Callable[[dict[str, Any]], str]
) -> dict[str, str]:
    """Repo-relative path → file text of every district's folder, from the city-wide
    ``boards`` (uid → data) and the way a dashboard is written (``dump``)."""
    templates = {uid: dump(_template(boards[uid])) for uid in DISTRICT_SCOPED}
    out: dict[str, str] = {}
    for district in sorted(inv.districts.values(), key=lambda d: d.code):
        name = json.dumps(district.name, ensure_ascii=False)[1:-1]  # as it sits in a string
        for uid, text in templates.items():
            path = f"{DISTRICTS_DIR}/{district.slug}/{district_uid(uid, district.code)}.json"
            out[path] = (
                text.replace(_CODE, district.code)
                .replace(_NAME, name)
                .replace(_SLUG, district.slug)
            )
    return out
