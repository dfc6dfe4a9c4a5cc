"""`line con 0`, `line aux 0`, `line vty A B`: the line sub-mode and its settings.

Each block keeps its settings as typed (one per setting: typing `exec-timeout 5 0` again
replaces `exec-timeout 10 0`); `password` is accepted and never kept, since it holds a
secret. A word the line mode does not know leaves it for global configuration, as on IOS.
"""

from __future__ import annotations

from typing import Any

from fake_switches.cisco.command_processor.config import ConfigCommandProcessor
from fake_switches.command_processing.base_command_processor import BaseCommandProcessor

from lab.ssh.cli_base import line_blocks, write_invalid

KINDS = {"con": ("con", "console"), "aux": ("aux",), "vty": ("vty",)}
MAX_VTY = 98
# sub-commands of line mode; a key of two words when the second one names the setting
LINE_WORDS = (
    "exec-timeout",
    "logging",
    "transport",
    "login",
    "privilege",
    "length",
    "width",
    "stopbits",
    "access-class",
    "session-timeout",
    "history",
    "exec",
    "speed",
    "databits",
    "flowcontrol",
    "escape-character",
    "absolute-timeout",
    "ipv6",
)
TWO_WORD_KEYS = ("transport", "access-class", "logging", "ipv6", "privilege")
SECRET_WORDS = ("password",)


def _header(args: tuple[str, ...]) -> str | None:
    """`line vty 0 15` → "line vty 0 15"; None when the range is not a real one."""
    if not args:
        return None
    kind = next(
        (k for k, names in KINDS.items() if any(n.startswith(args[0]) for n in names)), None
    )
    numbers = args[1:]
    if kind is None or not numbers or len(numbers) > 2 or not all(n.isdigit() for n in numbers):
        return None
    first, last = int(numbers[0]), int(numbers[-1])
    if kind in ("con", "aux") and (first != 0 or last != 0):
        return None
    if kind == "vty" and not 0 <= first <= last <= MAX_VTY:
        return None
    return f"line {kind} {' '.join(numbers)}"


def _setting_key(words: list[str]) -> list[str]:
    return words[:2] if words[0] in TWO_WORD_KEYS else words[:1]


class ConfigLineCommandProcessor(BaseCommandProcessor):  # type: ignore[misc]
    """The `(config-line)#` mode of one block."""

    header: str

    def init(
        self,
        switch_configuration: Any,
        terminal_controller: Any,
        logger: Any,
        piping_processor: Any,
        *args: Any,
    ) -> None:
        super().init(switch_configuration, terminal_controller, logger, piping_processor)
        self.header = args[0]

    def get_prompt(self) -> str:
        return str(self.switch_configuration.name) + "(config-line)#"

    def get_command_func(self, line: str) -> tuple[Any, list[str]]:
        words = line.split()
        if not words or words[0].startswith("!"):
            return (lambda *_: None), []
        negated = words[0] == "no"
        setting = words[1:] if negated else words
        if words[0] in ("exit", "end", "do"):
            return getattr(self, "do_" + words[0]), words[1:]
        if not setting or not self._known(setting):
            return None, []  # not a line setting: global configuration takes it
        return (lambda *_: self._apply(setting, negated)), []

    @staticmethod
    def _known(words: list[str]) -> bool:
        if words[0] in SECRET_WORDS:
            return True
        if words[0] == "logging":  # `logging host …` is global
            return words[1:2] == ["synchronous"]
        return words[0] in LINE_WORDS

    def _apply(self, words: list[str], negated: bool) -> None:
        if words[0] in SECRET_WORDS:
            return
        block = line_blocks(self.switch_configuration).setdefault(self.header, [])
        key = " " + " ".join(_setting_key(words))
        block[:] = [ln for ln in block if ln != key and not ln.startswith(key + " ")]
        if not negated:
            block.append(" " + " ".join(words))

    def do_exit(self, *_: str) -> None:
        self.is_done = True


def _config_do_line(self: Any, *args: str) -> None:
    header = _header(args)
    if header is None:
        write_invalid(self, "line " + " ".join(args))
        return
    line_blocks(self.switch_configuration).setdefault(header, [])
    self.move_to(ConfigLineCommandProcessor(), header)


def _config_do_no_line(self: Any, *args: str) -> None:
    header = _header(args)
    if header is None:
        write_invalid(self, "no line " + " ".join(args))
        return
    line_blocks(self.switch_configuration).pop(header, None)


def install() -> None:
    ConfigCommandProcessor.do_line = _config_do_line
    ConfigCommandProcessor.do_no_line = _config_do_no_line
