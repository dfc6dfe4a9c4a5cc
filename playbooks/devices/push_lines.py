"""What ``config push`` sends to each device: a fixed list of lines, or what the intended
configuration has that the running one lacks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from edunet.model import Inventory
from edunet.secrets import SecretStore
from playbooks.configs import MASK, ConfigDiff, config_diff, render_device
from playbooks.configs.secrets import secret_values
from playbooks.devices.push import LinesFor
from playbooks.devices.session import Target


def parse_lines(text: str) -> list[str]:
    """Lines as a device takes them: blanks, ``!`` and ``#`` comments out, indentation dropped
    (IOS leaves a sub-mode by itself when a top-level line follows)."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")):
            out.append(line)
    return out


def from_file(path: Path) -> LinesFor:
    lines = parse_lines(path.read_text(encoding="utf-8"))

    def same_for_all(target: Target, running: str) -> Sequence[str]:
        return lines

    return same_for_all


def additions(diff: ConfigDiff) -> list[str]:
    """The commands that add what the diff lists as missing, each sub-line after its
    parent; lines only on the device (``+``) are left alone."""
    cmds: list[str] = []
    parent: str | None = None  # a header not yet sent: sent only if a sub-line follows
    for line in diff.lines:
        sign, body = line[0], line[1:]
        if sign == " ":
            parent = body.strip()
        elif sign == "-":
            if body[:1].isspace():
                if parent is not None:
                    cmds.append(parent)
                    parent = None
            else:
                parent = None
            cmds.append(body.strip())
        elif not body[:1].isspace():
            parent = None
    return cmds


def to_intended_lines(inv: Inventory, store: SecretStore | None = None) -> LinesFor:
    """Additive only: what the intended configuration has and the device lacks is sent;
    extra lines on the device stay (drift reports them). Secrets the store holds are filled
    in; credential lines (users, enable, SNMP users), which a device hides or hashes, are
    never compared and so never sent: that is Ansible's ``--tags credentials``."""
    secrets = store or SecretStore()

    def missing(target: Target, running: str) -> Sequence[str]:
        device = inv.devices[target.device]
        want = render_device(inv, device, secret_values(secrets, device))
        diff = config_diff(device.model.platform.name, want, running)
        return [c for c in additions(diff) if MASK not in c]

    return missing
