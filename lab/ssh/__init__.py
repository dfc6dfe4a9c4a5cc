"""Simulated Cisco IOS switches over SSH (fake-switches, patched), many in one process.

``start(...)`` runs them in a child process for tests and benchmarks; ``edunet lab up``
starts one for every Cisco IOS / IOS XE device of the inventory (see :mod:`.lab_side`).
Importing this package does not import Twisted or fake-switches.
"""

from __future__ import annotations

from lab.ssh.launcher import RunningSwitches, SwitchAddress, SwitchesError, start

__all__ = ["RunningSwitches", "SwitchAddress", "SwitchesError", "start"]
