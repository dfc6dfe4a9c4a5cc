"""``config drift``: running configuration against the reference (the intended one, rendered
from the model, or the last backup), the exact lines, and a metric file for Prometheus.

Line sign: ``-`` the reference has it and the device does not, ``+`` the device has a
line the reference does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playbooks.configs.text import config_diff
from playbooks.devices.pool import Outcome, Row, Status, run_pool
from playbooks.devices.session import Target

# Reference and running configuration for one device; either may raise (a failed check).
Reader = Callable[[Target], str]


@dataclass(frozen=True, slots=True)
class Drift:
    device: str
    site: str
    district: str
    checked: bool
    lines: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def count(self) -> int:
        """Lines that differ (the parent lines shown for context not counted)."""
        return sum(1 for ln in self.lines if ln[:1] in "+-")

    @property
    def drifted(self) -> bool:
        return self.checked and self.count > 0


def drift_lines(platform: str, reference: str, running: str) -> list[str]:
    """The exact lines: ``-`` missing on the device, ``+`` unexpected on it; a sub-line is
    preceded by its parent line (`` interface …``, unsigned) so it says where it belongs."""
    return list(config_diff(platform, reference, running).lines)


def check_one(target: Target, reference: Reader, running: Reader) -> Outcome[list[str]]:
    lines = drift_lines(target.platform, reference(target), running(target))
    return Outcome(Status.changed if lines else Status.ok, lines)


def check(
    targets: Sequence[Target],
    reference: Reader,
    running: Reader,
    *,
    workers: int = 10,
    deadline: float = 60.0,
    on_row: Callable[[Row[list[str]]], None] | None = None,
) -> list[Drift]:
    rows = run_pool(
        targets,
        lambda t: check_one(t, reference, running),
        name=lambda t: t.device,
        workers=workers,
        deadline=deadline,
        on_row=on_row,
    )
    out = []
    for t, r in zip(targets, rows, strict=True):
        if r.succeeded:
            out.append(Drift(t.device, t.site, t.district, True, list(r.value or [])))
        else:
            error = f"{r.status.value}: {r.error}"
            out.append(Drift(t.device, t.site, t.district, False, error=error))
    return out


def report(drifts: Sequence[Drift], max_lines: int = 200) -> str:
    """Plain text: one heading per drifted or unchecked device, then its exact lines."""
    out = []
    for d in drifts:
        if not d.checked:
            out.append(f"{d.device} ({d.site}): not checked: {d.error}")
        elif d.drifted:
            out.append(f"{d.device} ({d.site}): {d.count} lines drifted")
            out += [f"  {ln}" for ln in d.lines[:max_lines]]
            if len(d.lines) > max_lines:
                out.append(f"  … {len(d.lines) - max_lines} more")
    drifted = sum(d.drifted for d in drifts)
    failed = sum(not d.checked for d in drifts)
    out.append(
        f"{len(drifts)} devices checked: {drifted} drifted, "
        f"{len(drifts) - drifted - failed} in line, {failed} not checked"
    )
    return "\n".join(out) + "\n"


def write_metrics(path: Path, drifts: Sequence[Drift], now: float | None = None) -> None:
    """Node exporter textfile-collector format, written atomically (temp file + rename)."""
    from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

    reg = CollectorRegistry()
    labels = ["device", "site", "district"]
    drift = Gauge(
        "edunet_config_drift",
        "1 when the running configuration differs from the reference configuration",
        labels,
        registry=reg,
    )
    count = Gauge(
        "edunet_config_drift_lines", "Lines that differ from the reference", labels, registry=reg
    )
    ok = Gauge(
        "edunet_config_check_success",
        "1 when the device's configuration could be read and compared",
        labels,
        registry=reg,
    )
    stamp = Gauge(
        "edunet_config_check_timestamp_seconds",
        "When the configuration check ran (Unix time)",
        registry=reg,
    )
    for d in drifts:
        key = (d.device, d.site, d.district)
        ok.labels(*key).set(1 if d.checked else 0)
        if d.checked:
            drift.labels(*key).set(1 if d.drifted else 0)
            count.labels(*key).set(d.count)
    stamp.set(time.time() if now is None else now)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(path), reg)
