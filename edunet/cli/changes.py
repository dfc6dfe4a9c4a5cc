"""What every command that changes something does first and last: who the operator is,
whether the change lies within their reach, and the audit trail's two lines.

Every unit's changing command calls :func:`begin` once it knows the devices it would touch
and before it touches any, and :meth:`Change.end` when it is done::

    with begin(inv, "config push", [t.device for t in targets], limit=limit) as change:
        ... the work ...
        change.end("ok" if all_ok else "failed", detail)

A change outside the operator's reach is refused here (exit 2, naming what was out of
reach, a ``refused`` line in the log), before anything runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import typer

from edunet import audit
from edunet.access import OutOfReach
from edunet.cli.common import EXIT_INVALID, cannot_write
from edunet.cli.output import err_console
from edunet.model import Inventory
from edunet.operators import (
    NotAnOperator,
    Operator,
    RolesError,
    check_reach,
    current,
    operator_name,
)

__all__ = ["Change", "authorise", "begin"]


@dataclass
class Change:
    """A started change; :meth:`end` writes its outcome once."""

    operator: Operator
    entry: audit.Entry
    log: Path
    ended: bool = field(default=False)

    def __enter__(self) -> Change:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """A change left without an outcome ends by how it left: an exit status, or failed
        naming the exception's kind (never its text, which may quote a device's answer)."""
        if self.ended:
            return
        if kind is None:
            self.end("ok")
        elif isinstance(error, typer.Exit):
            self.end("ok" if error.exit_code == 0 else "failed", f"exit {error.exit_code}")
        elif kind is KeyboardInterrupt:
            self.end("failed", "interrupted")
        else:
            self.end("failed", f"stopped by {kind.__name__}")

    def end(
        self,
        outcome: str,
        detail: str = "",
        artifacts: str | Path | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        if self.ended:
            return
        self.ended = True
        e = self.entry
        line = audit.Entry(
            when=audit.now(),
            who=e.who,
            what=e.what,
            outcome=outcome,
            change=e.change,
            devices=e.devices,
            limit=e.limit,
            artifacts=str(artifacts) if artifacts is not None else e.artifacts,
            detail=detail,
            extra={**e.extra, **(extra or {})},
        )
        try:
            audit.append(self.log, line)
        except OSError as err:  # the change is done; say the trail missed its end
            err_console.print(
                f"warning: cannot write the audit log {self.log}: {err}",
                markup=False,
                highlight=False,
            )


def _refuse(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", markup=False, highlight=False)
    return typer.Exit(EXIT_INVALID)


def authorise(
    inv: Inventory | None, what: str, devices: Iterable[str] = (), limit: str | Iterable[str] = ""
) -> Operator:
    """The operator, if they may make this change to ``devices`` (``inv`` None: a change that
    touches no device, identity only); else a ``refused`` line in the log and exit 2, naming
    what was out of reach. Call it once the selection is resolved, before anything runs."""
    names = tuple(devices)
    log = audit.log_path()
    try:
        operator = current(inv)
    except RolesError as e:
        for p in e.problems:
            err_console.print(p.format(), markup=False, highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    except NotAnOperator as e:
        _log_refused(log, operator_name(), what, names, _written(limit), str(e))
        raise _refuse(str(e)) from None
    if inv is not None:
        try:
            check_reach(inv, operator, names)
        except OutOfReach as e:
            _log_refused(log, operator.name, what, names, _written(limit), str(e))
            raise _refuse(str(e)) from None
    return operator


def begin(
    inv: Inventory | None,
    what: str,
    devices: Iterable[str] = (),
    *,
    limit: str | Iterable[str] = "",
    artifacts: str | Path | None = None,
    extra: Mapping[str, str] | None = None,
    operator: Operator | None = None,
) -> Change:
    """:func:`authorise`, then the ``started`` line (no trail, no change: exit 2 when it
    cannot be written). Use it as a context manager: a change left without
    :meth:`Change.end` (an exception, Ctrl-C) ends as ``failed``. ``operator``: the one
    :func:`authorise` gave already, for a command that checks before its own preparations."""
    names = tuple(devices)
    if operator is None:
        operator = authorise(inv, what, names, limit)
    log = audit.log_path()
    entry = audit.Entry(
        when=audit.now(),
        who=operator.name,
        what=what,
        outcome="started",
        change=audit.new_change_id(),
        devices=names,
        limit=_written(limit),
        artifacts=str(artifacts) if artifacts is not None else None,
        extra=dict(extra or {}),
    )
    try:
        audit.append(log, entry)
    except OSError as e:
        raise cannot_write(log, e) from None
    return Change(operator, entry, log)


def _written(limit: str | Iterable[str]) -> str:
    return limit if isinstance(limit, str) else ",".join(limit)


def _log_refused(
    log: Path, who: str, what: str, devices: tuple[str, ...], limit: str, why: str
) -> None:
    entry = audit.Entry(
        when=audit.now(),
        who=who,
        what=what,
        outcome="refused",
        change=audit.new_change_id(),
        devices=devices,
        limit=limit,
        detail=why,
    )
    try:
        audit.append(log, entry)
    except OSError as e:  # the refusal stands either way
        err_console.print(
            f"warning: cannot write the audit log {log}: {e}", markup=False, highlight=False
        )
