"""``config backup`` and ``config diff``: read every device's running configuration into the
git store, one commit per run, and compare stored (or live) configurations."""

from __future__ import annotations

import datetime as dt
import getpass
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from playbooks.configs.text import unified
from playbooks.devices.pool import Outcome, Row, Status, run_pool
from playbooks.devices.session import Connector, Target
from playbooks.devices.store import GitStore


def whoami() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _names(devices: Sequence[str], most: int = 20) -> str:
    shown = ", ".join(devices[:most])
    return shown + (f" and {len(devices) - most} more" if len(devices) > most else "")


def commit_message(
    title: str, rows: Sequence[Row[Any]], changed: Sequence[str], who: str = "", when: str = ""
) -> str:
    """Oxidized-style: a subject that counts, then who changed, who failed, who ran it."""
    failed = [r for r in rows if not r.succeeded]
    subject = f"{title}: {len(changed)} of {len(rows)} devices changed"
    if failed:
        subject += f", {len(failed)} failed"
    body = []
    if changed:
        body.append("changed: " + _names(sorted(changed)))
    if failed:
        body.append("failed:")
        body += [f"  {r.device}: {r.status.value}: {r.error}" for r in failed[:50]]
        if len(failed) > 50:
            body.append(f"  … and {len(failed) - 50} more")
    stamp = when or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    body.append(f"run by {who or whoami()} at {stamp}")
    return subject + "\n\n" + "\n".join(body) + "\n"


@dataclass(frozen=True, slots=True)
class BackupRun:
    rows: list[Row[str]]  # value: the configuration as read
    changed: list[str]
    commit: str | None
    message: str


def read_config(target: Target, connector: Connector) -> Outcome[str]:
    session = connector(target)
    try:
        return Outcome(Status.ok, session.running_config())
    finally:
        session.close()


def backup(
    targets: Sequence[Target],
    connector: Connector,
    store: GitStore,
    *,
    workers: int = 10,
    deadline: float = 60.0,
    who: str = "",
    on_row: Callable[[Row[str]], None] | None = None,
) -> BackupRun:
    """Read, store and commit; a device that fails keeps its last stored configuration."""
    store.init()
    rows = run_pool(
        targets,
        lambda t: read_config(t, connector),
        name=lambda t: t.device,
        workers=workers,
        deadline=deadline,
        on_row=on_row,
    )
    by_name = {t.device: t for t in targets}
    changed = []
    out: list[Row[str]] = []
    for r in rows:
        if r.value is not None and r.succeeded:
            t = by_name[r.device]
            if store.write(t.district, t.device, r.value):
                changed.append(r.device)
                r = Row(r.device, Status.changed, r.error, r.seconds, r.value)
        out.append(r)
    message = commit_message("backup", out, changed, who)
    sha = store.commit(message) if changed else None
    return BackupRun(out, changed, sha, message)


class NoBackup(LookupError):
    pass


def stored_diff(store: GitStore, target: Target, rev: str | None, live: str | None) -> list[str]:
    """The diff from a stored revision to the latest backup (or to ``live``).

    ``rev`` defaults to the backup before the latest one that changed this device (with
    ``live``: the latest backup).
    """
    history = store.history(target.district, target.device)
    if not history:
        raise NoBackup(f"{target.device}: no backup stored yet; run 'edunet config backup'")
    if rev is None:
        if live is not None:
            rev = history[0].sha
        elif len(history) > 1:
            rev = history[1].sha
        else:
            raise NoBackup(f"{target.device}: only one backup stored; nothing to compare with")
    old = store.show(target.district, target.device, rev)
    if old is None:
        raise NoBackup(f"{target.device}: not in the backup at {rev}")
    if live is not None:
        return unified(old, live, f"{target.device}@{rev[:12]}", f"{target.device} (running)")
    new = store.show(target.district, target.device, "HEAD") or ""
    head = history[0].sha
    return unified(old, new, f"{target.device}@{rev[:12]}", f"{target.device}@{head[:12]}")
