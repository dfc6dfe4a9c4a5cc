"""A change window's silences in Alertmanager, through its v2 API.

The alert rules label every alert about a site with ``site`` (its code) and every alert about a
device with ``device`` as well (see ``monitors/contract.py``). A window's whole sites are
silenced by ``site``, the devices of sites it holds only in part by ``device``: one silence for
each, with a regular expression matcher (anchored by Alertmanager), split when very long.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from edunet.maintenance import Window
    from edunet.model import Inventory

__all__ = ["DEFAULT_URL", "AlertmanagerError", "Matcher", "create", "expire", "matchers_for"]

DEFAULT_URL = "http://127.0.0.1:9093"  # where `edunet monitors run` starts it
PER_SILENCE = 200  # values in one regular expression: a district's schools fit in one
TIMEOUT_S = 10.0


class AlertmanagerError(RuntimeError):
    """Alertmanager could not be reached, or refused what was asked (``status``: its answer)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Matcher:
    label: str  # site or device
    values: tuple[str, ...]

    def api(self) -> dict[str, Any]:
        if len(self.values) == 1:
            return {"name": self.label, "value": self.values[0], "isRegex": False, "isEqual": True}
        value = "|".join(re.escape(v) for v in self.values)
        return {"name": self.label, "value": value, "isRegex": True, "isEqual": True}


def matchers_for(inv: Inventory, window: Window) -> list[Matcher]:
    """What silences the window's alerts: its whole sites by ``site``, the rest by ``device``."""
    held = set(window.devices)
    whole = [c for c in window.sites if c in inv.sites and held.issuperset(inv.sites[c].devices)]
    whole_set = set(whole)
    rest = [d for d in window.devices if inv.devices[d].site not in whole_set]
    out = []
    for label, values in (("site", whole), ("device", rest)):
        for i in range(0, len(values), PER_SILENCE):
            out.append(Matcher(label, tuple(values[i : i + PER_SILENCE])))
    return out


def _call(url: str, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url.rstrip("/") + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            text = resp.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as e:
        why = e.read().decode("utf-8", errors="replace").strip()[:300]
        raise AlertmanagerError(f"Alertmanager at {url} answered {e.code}: {why}", e.code) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise AlertmanagerError(f"Alertmanager at {url} cannot be reached: {reason}") from None
    return json.loads(text) if text.strip() else None


def create(url: str, inv: Inventory, window: Window) -> list[str]:
    """Create the window's silences, from its start to its end; their ids. On an error the
    ones made so far are expired again, so a window is silenced whole or not at all."""
    made: list[str] = []
    comment = f"edunet maintenance window {window.id} ({window.selection}): {window.reason}"
    try:
        for m in matchers_for(inv, window):
            body = {
                "matchers": [m.api()],
                "startsAt": window.start.isoformat(),
                "endsAt": window.until.isoformat(),
                "createdBy": window.who,
                "comment": comment,
            }
            answer = _call(url, "POST", "/api/v2/silences", body)
            made.append(str(answer["silenceID"]))
    except (AlertmanagerError, KeyError, TypeError) as e:
        with contextlib.suppress(AlertmanagerError):
            expire(url, made)
        if isinstance(e, AlertmanagerError):
            raise
        raise AlertmanagerError(f"Alertmanager at {url} answered without a silence id") from None
    return made


def expire(url: str, silence_ids: Sequence[str]) -> list[str]:
    """Expire the silences (one already expired or gone is left alone); the ids expired."""
    done = []
    for sid in silence_ids:
        quoted = urllib.parse.quote(sid, safe="")
        try:
            current = _call(url, "GET", f"/api/v2/silence/{quoted}")
        except AlertmanagerError as e:
            if e.status == 404:
                continue
            raise
        if isinstance(current, dict) and current.get("status", {}).get("state") == "expired":
            continue
        _call(url, "DELETE", f"/api/v2/silence/{quoted}")
        done.append(sid)
    return done
