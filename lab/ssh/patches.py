"""Make fake-switches 1.5.0's Cisco IOS switches drivable by netmiko and Ansible `cisco.ios`.

Call :func:`apply` once before any switch core is created; it is idempotent. The patches
reach into fake-switches internals (command processors, the shell session, port lookup),
so the package is pinned to 1.5.0. What each one changes, and why, is in its module.
"""

from __future__ import annotations

from lab.ssh import cli_config, cli_exec, cli_interface, cli_lines, cli_pipes, cli_session

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    cli_session.install()
    cli_pipes.install()
    cli_exec.install()
    cli_config.install()
    cli_interface.install()
    cli_lines.install()
