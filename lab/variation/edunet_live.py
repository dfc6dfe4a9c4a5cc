"""snmpsim variation module: the lab's live values (uptime, counters, port status, serial).

snmpsim loads every ``*.py`` of ``--variation-modules-dir`` as a module and calls
``init``/``variate``/``shutdown``; records name it as ``TAG:edunet_live|k=v,...``. The
options (``--variation-module-options=edunet_live:<faults.json>``) name the faults file,
re-read when its mtime changes (looked at most every 0.5 s). Each record's parameters are
parsed once and kept in its record context, so a walk costs a dict lookup per OID.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from lab.traffic import default_boot, error_count, octets

FAULTS_POLL_S = 0.5
FLAP_HALF_PERIOD_S = 10  # a flapping port is up 10 s, down 10 s
TICKS_WRAP = 1 << 32

_faults: dict[str, Any] = {"path": "", "checked": 0.0, "mtime": None, "devices": {}}


def init(**context: Any) -> None:
    _faults["path"] = str(context.get("options") or "")
    _faults["checked"] = 0.0
    _faults["mtime"] = None
    _faults["devices"] = {}


def shutdown(**context: Any) -> None:
    return None


def device_faults(now: float) -> dict[str, Any]:
    """The ``devices`` section of faults.json, re-read only when the file changed."""
    if now - _faults["checked"] < FAULTS_POLL_S:
        return _faults["devices"]  # type: ignore[no-any-return]
    _faults["checked"] = now
    path = _faults["path"]
    try:
        mtime = os.stat(path).st_mtime_ns if path else None
    except OSError:
        mtime = None
    if mtime != _faults["mtime"]:
        _faults["mtime"] = mtime
        devices: dict[str, Any] = {}
        if mtime is not None:
            try:
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
                devices = data.get("devices") or {}
            except (OSError, ValueError, AttributeError):
                devices = _faults["devices"]  # half-written or broken: keep what we had
        _faults["devices"] = devices
    return _faults["devices"]  # type: ignore[no-any-return]


def parse(value: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(item.split("=", 1) for item in value.split(",") if item)
    for key in ("ph", "v", "k", "s"):
        if key in params and params["f"] != "ser" and params[key].lstrip("-").isdigit():
            params[key] = int(params[key])
    if "r" in params:
        params["r"] = float(params["r"])
    return params


def boot_time(p: dict[str, Any], now: float, faults: dict[str, Any]) -> float:
    boot = default_boot(p["ph"], now)
    fault = faults.get(p["d"]) or {}
    rebooted = fault.get("boot")
    if isinstance(rebooted, int | float) and boot < rebooted <= now:
        boot = float(rebooted)
    return boot


def flapping(p: dict[str, Any], faults: dict[str, Any]) -> bool:
    return p["p"] in ((faults.get(p["d"]) or {}).get("flapping") or ())


def down_since(p: dict[str, Any], faults: dict[str, Any]) -> float | None:
    """When the record's port was taken down (a ``port-down`` fault), else None."""
    since = ((faults.get(p["d"]) or {}).get("ports_down") or {}).get(p["p"])
    return float(since) if isinstance(since, int | float) else None


def burst(p: dict[str, Any], now: float, faults: dict[str, Any]) -> int:
    """Errors an ``errors`` fault adds to the record's port: ``per_s`` a second since it began."""
    fault = ((faults.get(p.get("d", "")) or {}).get("errors") or {}).get(p.get("p"))
    if not isinstance(fault, dict):
        return 0
    return int(max(0.0, now - float(fault["since"])) * float(fault["per_s"]))


def live_value(p: dict[str, Any], now: float, faults: dict[str, Any]) -> Any:
    """The value of one live record at ``now``: the whole of the lab's moving parts."""
    kind = p["f"]
    if kind == "oct":
        return octets(now, p["k"], p["s"])
    if kind == "err":
        return (error_count(now, p["r"], p["s"]) + burst(p, now, faults)) % TICKS_WRAP
    if kind == "up":
        return int((now - boot_time(p, now, faults)) * 100) % TICKS_WRAP
    if kind == "oper":
        if down_since(p, faults) is not None:
            return 2
        if flapping(p, faults):
            return 1 if int(now // FLAP_HALF_PERIOD_S) % 2 == 0 else 2
        return p["v"]
    if kind == "chg":
        boot = boot_time(p, now, faults)
        uptime = int((now - boot) * 100)
        since = down_since(p, faults)
        if since is not None:
            return max(0, int((since - boot) * 100)) % TICKS_WRAP
        if flapping(p, faults):
            changed = (now // FLAP_HALF_PERIOD_S) * FLAP_HALF_PERIOD_S
            return max(0, int((changed - boot) * 100)) % TICKS_WRAP
        return min(p["v"], uptime) % TICKS_WRAP
    if kind == "ser":
        swapped = (faults.get(p["d"]) or {}).get("serial")
        return str(swapped) if swapped else p["v"]
    raise ValueError(f"unknown live record kind {kind!r}")


def variate(oid: Any, tag: str, value: str, **context: Any) -> tuple[Any, str, Any]:
    if not context["nextFlag"] and not context["exactMatch"]:
        return context["origOid"], tag, context["errorStatus"]
    if context["setFlag"]:
        return context["origOid"], tag, context["errorStatus"]
    record = context.get("recordContext")
    if record is None:  # snmpsim hands it over through the module's globals
        record = globals().get("recordContext", {})
    params = record.get("p")
    if params is None:
        params = record["p"] = parse(value)
    now = time.time()
    return oid, tag, live_value(params, now, device_faults(now))
