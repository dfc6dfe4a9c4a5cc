"""Which devices a config command works on: the ones edunet reaches over SSH with a CLI,
narrowed by ``--limit`` in the same terms as ``edunet apply`` (``district=q1``,
``site=79760012``, ``role=access_switch``, a group, a device name or glob; ``,`` joins,
``&`` intersects, ``!`` excludes), so one selection means the same devices everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from edunet.model import Device, Inventory
from playbooks.configs.context import CONFIGURABLE_PLATFORMS
from playbooks.rollout import selection

# The platforms whose running configuration is read and written over a network CLI: those
# with a configuration template.
CLI_PLATFORMS = frozenset(CONFIGURABLE_PLATFORMS)


class SelectionError(ValueError):
    pass


def select(
    inv: Inventory, limit: str | None = None, platforms: Iterable[str] = CLI_PLATFORMS
) -> list[Device]:
    """Devices with a CLI platform and an SSH profile, sorted by name."""
    wanted = set(platforms)
    try:
        names = selection.select(inv, [limit] if limit else []).hosts
    except selection.SelectionError as e:
        raise SelectionError(str(e)) from None
    devices = [inv.devices[n] for n in names]
    devices = [d for d in devices if d.platform.name in wanted and d.ssh is not None]
    if limit and not devices:
        raise SelectionError(f"--limit {limit!r} matches no configurable device")
    return sorted(devices, key=lambda d: d.name)
