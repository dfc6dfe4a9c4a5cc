"""``device_config`` for the hosts a play touches, built on first use.

The inventory plugin (``plugins/inventory/edunet.py``) registers one :class:`DeviceConfigs`
per inventory source; the vars plugin (``plugins/vars/edunet_config.py``) asks it for a host
when a task needs that host's variables. Both run in the controller's main process, so this
module's registry is what they share. Building every device's configuration up front and
serialising it with the inventory cost the whole city a minute and gigabytes; a rollout
touches a few hundred devices a wave.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from edunet.model import Inventory
from playbooks.inventory_cache import InventoryCache

__all__ = ["DeviceConfigs", "for_source", "register"]


class DeviceConfigs:
    """The configurable devices of one inventory source and their ``device_config``, each
    built once: from the cache when it has it, else from the model (loaded on first need
    when the inventory itself came from the cache)."""

    def __init__(
        self,
        hosts: Iterable[str],
        model: Callable[[], Inventory],
        cache: InventoryCache | None = None,
    ) -> None:
        self.hosts = frozenset(hosts)
        self.model = model
        self.cache = cache
        self._inv: Inventory | None = None
        self._built: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, host: str) -> dict[str, Any] | None:
        """The host's ``device_config``; None for a host without a configuration template."""
        if host not in self.hosts:
            return None
        found = self._built.get(host)
        if found is not None:
            return found
        with self._lock:
            found = self._built.get(host)
            if found is None:
                found = self._build(host)
                self._built[host] = found
        return found

    def _build(self, host: str) -> dict[str, Any]:
        from playbooks.configs.context import device_context

        if self.cache is not None:
            cached = self.cache.device_config(host)
            if cached is not None:
                return cached
        if self._inv is None:
            self._inv = self.model()
        config = device_context(self._inv, self._inv.devices[host])
        if self.cache is not None:
            self.cache.save_device_config(host, config)
        return config


_sources: dict[str, DeviceConfigs] = {}
_resolved: dict[str, str] = {}  # Ansible asks with the same folder for every task and host


def _key(folder: str | Path) -> str:
    text = str(folder)
    if text not in _resolved:
        _resolved[text] = str(Path(folder).resolve())
    return _resolved[text]


def register(source_folder: str | Path, configs: DeviceConfigs) -> None:
    """What the inventory source in ``source_folder`` serves (Ansible hands vars plugins the
    folder of each inventory source, not the file)."""
    _sources[_key(source_folder)] = configs


def for_source(folder: str | Path) -> DeviceConfigs | None:
    return _sources.get(_key(folder))
