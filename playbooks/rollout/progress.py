"""Live progress: one line per task start and per task result on a host; coloured with rich
on a terminal, plain text otherwise (a CI log, a pipe)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from playbooks.rollout.results import Progress

__all__ = ["ProgressPrinter"]

STYLE = {
    "start": "dim",
    "ok": "green",
    "changed": "yellow",
    "failed": "bold red",
    "unreachable": "bold magenta",
    "skipped": "cyan",
}


class ProgressPrinter:
    """Prints progress lines as they come. ``show_start`` adds a line when a task starts on a
    host; ``show_changes`` prints what a changed task did (the diff) under its line."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        rich: bool | None = None,
        show_start: bool = True,
        show_changes: bool = True,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        use_rich = self.stream.isatty() if rich is None else rich
        self.console = Console(file=self.stream, highlight=False) if use_rich else None
        self.show_start = show_start
        self.show_changes = show_changes
        self.started = time.monotonic()
        self.wave = 0
        self.width = 20

    def _emit(self, plain: str, markup: str | None = None) -> None:
        if self.console is not None:
            self.console.print(markup if markup is not None else escape(plain), soft_wrap=True)
        else:
            self.stream.write(plain + "\n")
            self.stream.flush()

    def note(self, text: str, style: str = "bold") -> None:
        self._emit(text, f"[{style}]{escape(text)}[/]")

    def wave_start(self, wave: int, total: int, sites: Sequence[str], hosts: Sequence[str]) -> None:
        self.wave = wave
        self.width = max([20, *(len(h) for h in hosts)])
        shown = ", ".join(sites[:6]) + (f" … (+{len(sites) - 6})" if len(sites) > 6 else "")
        label = "canary" if wave == 1 and total > 1 else f"wave {wave}/{total}"
        s = "s" if len(sites) != 1 else ""
        self.note(f"── {label}: {len(sites)} site{s}, {len(hosts)} devices: {shown}")

    def line(self, p: Progress) -> None:
        if p.state == "start" and not self.show_start:
            return
        stamp = f"{time.monotonic() - self.started:7.1f}s"
        head = f"{stamp} w{self.wave} {p.host:<{self.width}} {p.state:<11}"
        tail = f" {p.task}" + (f": {p.detail}" if p.detail else "")
        style = STYLE.get(p.state, "")
        self._emit(
            head + tail,
            f"[dim]{stamp} w{self.wave}[/] {escape(p.host):<{self.width}} "
            f"[{style}]{p.state:<11}[/]{escape(tail)}",
        )
        if self.show_changes and p.changes:
            for change in p.changes:
                colour = "green" if change.startswith("+") else "red" if change[:1] == "-" else ""
                text = f"{'':>{len(stamp) + 4}}{change}"
                self._emit(text, f"[{colour}]{escape(text)}[/]" if colour else escape(text))
