"""Push configuration lines to devices: backup before, save after, roll back on error.

Per device, in one session: read the running configuration (stored as the backup
before the change), send the lines, read it again; a rejected line triggers a rollback
computed from the two readings (what the push added is negated, what it removed is sent
again), verified by a third reading. A push that changed something is saved
(``write memory``). Both states go into the backup store as two commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from playbooks.configs.commands import revert_commands
from playbooks.configs.text import changes
from playbooks.devices.backup import commit_message
from playbooks.devices.pool import Outcome, Row, Status, run_pool
from playbooks.devices.session import ConfigRejected, Connector, Session, Target
from playbooks.devices.store import GitStore


@dataclass(frozen=True, slots=True)
class Pushed:
    before: str
    after: str
    diff: list[str] = field(default_factory=list)  # what the push changed, secrets hidden
    rollback: list[str] = field(default_factory=list)  # commands sent to roll back
    left_over: list[str] = field(default_factory=list)  # what still differs after rollback


LinesFor = Callable[[Target, str], Sequence[str]]  # (target, running config) -> lines


def push_one(
    target: Target, connector: Connector, lines_for: LinesFor, store: GitStore | None = None
) -> Outcome[Pushed]:
    session = connector(target)
    try:
        before = session.running_config()
        if store is not None:  # on disk before the first line goes out
            store.write(target.district, target.device, before)
        lines = list(lines_for(target, before))
        if not lines:
            return Outcome(Status.ok, Pushed(before, before), "nothing to push")
        try:
            session.send_config(lines)
        except ConfigRejected as e:
            return _roll_back(session, target.platform, before, str(e))
        after = session.running_config()
        diff = changes(target.platform, before, after)
        if not diff.count:
            return Outcome(Status.ok, Pushed(before, after), "no change")
        session.save()
        done = Pushed(before, after, diff.hidden())
        return Outcome(Status.changed, done, f"{diff.count} lines changed")
    finally:
        session.close()


def _roll_back(s: Session, platform: str, before: str, why: str) -> Outcome[Pushed]:
    failed = s.running_config()
    cmds = revert_commands(platform, before, failed)
    note = ""
    if cmds:
        try:
            s.send_config(cmds)
        except ConfigRejected as e:
            note = f"; rollback line {e}"
    now = s.running_config()
    left = changes(platform, before, now)
    state = "rolled back" if not left.count else f"rollback incomplete, {left.count} lines differ"
    detail = f"{why}; {state} ({len(cmds)} commands){note}"
    pushed = Pushed(before, now, changes(platform, before, failed).hidden(), cmds, left.hidden())
    return Outcome(Status.failed, pushed, detail)


@dataclass(frozen=True, slots=True)
class PushRun:
    rows: list[Row[Pushed]]
    before_commit: str | None
    after_commit: str | None


def push(
    targets: Sequence[Target],
    connector: Connector,
    lines_for: LinesFor,
    store: GitStore | None,
    *,
    workers: int = 10,
    deadline: float = 120.0,
    who: str = "",
    on_row: Callable[[Row[Pushed]], None] | None = None,
) -> PushRun:
    if store is not None:
        store.init()
    rows = run_pool(
        targets,
        lambda t: push_one(t, connector, lines_for, store),
        name=lambda t: t.device,
        workers=workers,
        deadline=deadline,
        on_row=on_row,
    )
    before_sha = after_sha = None
    if store is not None:
        title = "backup before push"
        before_sha = store.commit(commit_message(title, rows, store.changed_devices(), who))
        by_name = {t.device: t for t in targets}
        stored = []
        for r in rows:
            if r.value is not None:
                t = by_name[r.device]
                if store.write(t.district, t.device, r.value.after):
                    stored.append(r.device)
        after_sha = store.commit(commit_message("push", rows, stored, who))
    return PushRun(rows, before_sha, after_sha)
