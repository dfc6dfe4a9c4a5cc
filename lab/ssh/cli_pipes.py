"""Output pipes as on IOS: `| include` and `| exclude` take a regex, `| section` keeps blocks.

Upstream matched `include` as a substring, had no `exclude` or `section` (cisco.ios facts
use `| section ^vlan configuration .+`), and answered an unknown pipe with nothing. Blocks
are read as edunet reads every configuration, through :mod:`playbooks.configs.text`.
"""

from __future__ import annotations

import re
from typing import Any

from fake_switches.cisco.command_processor.piping import PipingProcessor
from fake_switches.command_processing.base_command_processor import BaseCommandProcessor

from lab.ssh.cli_base import write_invalid
from playbooks.configs.text import block_list


class Section:
    """`| section REGEX`: whole top-level blocks in which any line matches (buffered)."""

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern)
        self.buffer = ""

    def pipe(self, data: str) -> bool:
        self.buffer += data
        return False

    def flush(self) -> str:
        shown = [ln for ln in self.buffer.split("\n") if ln.strip()]
        blocks = [[top, *subs] for top, subs in block_list(shown)]
        out = [ln for b in blocks if any(self.regex.search(x) for x in b) for ln in b]
        return "".join(ln + "\n" for ln in out)


class LineFilter:
    """`| include REGEX` (keep=True) or `| exclude REGEX` (keep=False), line by line."""

    def __init__(self, pattern: str, keep: bool) -> None:
        self.regex = re.compile(pattern)
        self.keep = keep

    def pipe(self, data: str) -> str | bool:
        kept = [
            ln for ln in data.splitlines(keepends=True) if bool(self.regex.search(ln)) == self.keep
        ]
        return "".join(kept) if kept else False


def _pipe_include(self: Any, *args: str) -> LineFilter:
    return LineFilter(" ".join(args), keep=True)


def _pipe_exclude(self: Any, *args: str) -> LineFilter:
    return LineFilter(" ".join(args), keep=False)


def _pipe_section(self: Any, *args: str) -> Section:
    return Section(" ".join(args))


def _finish_piping(self: Any) -> None:
    pp = self.piping_processor
    if pp.is_listening():
        active = pp.active_command
        pp.stop_listening()
        if hasattr(active, "flush"):
            text = active.flush()
            if text:
                self.terminal_controller.write(text)


def _activate_piping(self: Any, piping_command: str) -> bool:
    try:
        started = bool(self.piping_processor.start_listening(piping_command))
    except (re.error, TypeError, IndexError):  # a bad regex or a missing argument
        started = False
    if not started:
        write_invalid(self, piping_command)
        self.show_prompt()
        # the command is swallowed: its error is already on screen (see cli_session)
        self._pipe_error = True
    return started


def install() -> None:
    PipingProcessor.do_include = _pipe_include
    PipingProcessor.do_exclude = _pipe_exclude
    PipingProcessor.do_section = _pipe_section
    BaseCommandProcessor.finish_piping = _finish_piping
    BaseCommandProcessor.activate_piping = _activate_piping
