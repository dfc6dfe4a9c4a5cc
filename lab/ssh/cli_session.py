"""Command dispatch: mode nesting, unknown commands and crashes answer with IOS's marker.

Upstream printed "No such command" only at top level, silently ran EXEC commands typed in
config mode, let handler exceptions escape into Twisted (closing the session), and picked
the alphabetically first command sharing a prefix (`do` ran `default`). The lab's
config-reject fault is applied here too: while it is on, every line in a configuration
mode answers the marker (`end`, `exit` and `do` still work, so a client can leave).
"""

from __future__ import annotations

import logging
from typing import Any

from fake_switches.cisco import cisco_core
from fake_switches.cisco.command_processor.config import ConfigCommandProcessor
from fake_switches.cisco.command_processor.config_interface import (
    ConfigInterfaceCommandProcessor,
)
from fake_switches.cisco.command_processor.config_vlan import ConfigVlanCommandProcessor
from fake_switches.cisco.command_processor.config_vrf import ConfigVRFCommandProcessor
from fake_switches.cisco.command_processor.default import DefaultCommandProcessor
from fake_switches.cisco.command_processor.enabled import EnabledCommandProcessor
from fake_switches.command_processing.base_command_processor import BaseCommandProcessor
from fake_switches.command_processing.command_processor import CommandProcessor
from fake_switches.command_processing.shell_session import TerminalExitSignal

from lab.ssh.cli_base import config_rejected, write_invalid
from lab.ssh.cli_lines import ConfigLineCommandProcessor

log = logging.getLogger(__name__)

CONFIG_MODES = (
    ConfigCommandProcessor,
    ConfigVlanCommandProcessor,
    ConfigInterfaceCommandProcessor,
    ConfigVRFCommandProcessor,
    ConfigLineCommandProcessor,
)
# what a client may still type in config mode under the config-reject fault
LEAVING_WORDS = ("end", "exit", "do")

_orig_process_command = BaseCommandProcessor.process_command
_orig_receive = cisco_core.CiscoShellSession.receive


def _rejects(proc: Any, line: str) -> bool:
    """True when the config-reject fault refuses this line in this processor."""
    if proc.sub_processor is not None or proc.continuing_to is not None:
        return False
    if not isinstance(proc, CONFIG_MODES) or not config_rejected(proc.switch_configuration):
        return False
    words = line.split()
    return bool(words) and not words[0].startswith("!") and words[0].lower() not in LEAVING_WORDS


def _process_command(self: Any, line: str) -> bool:
    if _rejects(self, line):
        write_invalid(self, line)
        self.show_prompt()
        return True
    self._pipe_error = False
    result: bool = _orig_process_command(self, line)
    if self._pipe_error:  # a bad pipe: the marker is on screen already
        self._pipe_error = False
        return True
    return result


def _delegate(self: Any, line: str) -> bool:
    """IOS semantics: `end` unwinds to privileged EXEC, and an unknown command in global
    config is an error instead of silently running as an EXEC command."""
    sub = self.sub_processor
    processed = sub.process_command(line)
    if not processed and isinstance(self, EnabledCommandProcessor):
        write_invalid(self, line)
        self.show_prompt()
        return True
    if not processed:
        # a command of this mode typed in a sub-mode: IOS leaves the sub-mode and runs it
        # here (the caller does, and then shows this mode's prompt)
        if self.get_command_func(line)[0] is not None:
            self.sub_processor = None
        return False
    if sub.is_done:
        ending = getattr(sub, "_end", False)
        sub._end = False
        self.sub_processor = None
        if ending and not isinstance(self, EnabledCommandProcessor):
            self.is_done = True
            self._end = True
        else:
            self.finish_piping()
            self.show_prompt()
    return bool(processed)


def _default_delegate(self: Any, line: str) -> bool:
    """User EXEC above privileged EXEC: `disable` comes back to `>`, `exit` ends the session."""
    sub = self.sub_processor
    processed = sub.process_command(line)
    if not processed:
        write_invalid(self, line)
        self.show_prompt()
        return True
    if sub.is_done:
        if getattr(sub, "_disabled", False):
            sub._disabled = False
            self.sub_processor = None
            self.show_prompt()
        else:
            self.is_done = True
    return True


def _handle_unknown(self: Any, line: str) -> None:
    write_invalid(self.command_processor, line)


def _receive(self: Any, line: str) -> bool:
    try:
        result: bool = _orig_receive(self, line)
        return result
    except TerminalExitSignal:
        return False
    except Exception:  # an upstream handler crashed on odd arguments: answer like IOS
        log.debug("handler crashed on a command", exc_info=True)
        proc = self.command_processor
        deepest = proc
        while deepest.sub_processor is not None:
            deepest = deepest.sub_processor
        deepest.continue_to(None)
        deepest.replace_input = False
        write_invalid(deepest, line)
        proc.show_prompt()
        return not proc.is_done


def _get_command_func(self: Any, line: str) -> tuple[Any, list[str]]:
    """As upstream, but an exact command name wins over a longer one sharing its prefix."""
    if line.startswith("!"):
        return (lambda: None), []
    words = line.strip().split()
    command, args = words[0], words[1:]
    if command == "no":
        if not args:
            return None, []
        command += "_" + args.pop(0)
    command = command.replace("-", "_")
    exact = getattr(self, "do_" + command, None)
    if exact is not None:
        return exact, args
    matching = sorted(c for c in dir(self) if c.startswith("do_" + command))
    if matching:
        return getattr(self, matching[0]), args
    return None, []


def install() -> None:
    CommandProcessor.get_command_func = _get_command_func
    BaseCommandProcessor.process_command = _process_command
    BaseCommandProcessor.delegate_to_sub_processor = _delegate
    DefaultCommandProcessor.delegate_to_sub_processor = _default_delegate
    cisco_core.CiscoShellSession.handle_unknown_command = _handle_unknown
    cisco_core.CiscoShellSession.receive = _receive
