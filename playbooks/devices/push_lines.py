"""What ``config push`` sends to each device: a fixed list of lines, or what the intended
configuration has that the running one lacks (see :mod:`playbooks.configs.commands`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from edunet.model import Inventory
from edunet.secrets import SecretStore
from playbooks.configs import render_device
from playbooks.configs.commands import command_lines, lines_to_send
from playbooks.configs.secrets import secret_values
from playbooks.devices.push import LinesFor
from playbooks.devices.session import Target


def from_file(path: Path) -> LinesFor:
    lines = command_lines(path.read_text(encoding="utf-8"))

    def same_for_all(target: Target, running: str) -> Sequence[str]:
        return lines

    return same_for_all


def to_intended_lines(inv: Inventory, store: SecretStore | None = None) -> LinesFor:
    """What the intended configuration adds, secrets the store holds filled in; credential
    lines are never sent: that is Ansible's ``--tags credentials``."""
    secrets = store or SecretStore()

    def missing(target: Target, running: str) -> Sequence[str]:
        device = inv.devices[target.device]
        want = render_device(inv, device, secret_values(secrets, device))
        return lines_to_send(device.model.platform.name, want, running)

    return missing
