"""What the edunet inventory source publishes, and how it gets it: from the cache when the city
is unchanged (same files, options and code), else loaded and built. Pure: no Ansible import;
the plugin (``plugins/inventory/edunet.py``) reads its options and hands the result to Ansible.

``device_config`` is not part of it: :class:`~playbooks.device_configs.DeviceConfigs` builds
it for the hosts a play touches (the vars plugin asks), from the model, which a cached
inventory loads only on that first need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from edunet.load import Files, load, read_files
from edunet.model import Inventory
from edunet.reach import LAB_MAP, AddressMap
from playbooks.ansible_inventory import EndpointHosts, build
from playbooks.device_configs import DeviceConfigs
from playbooks.inventory_cache import InventoryCache, content_key, options_key

__all__ = ["SourceSettings", "only", "read_source"]


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """The plugin's options that shape what it publishes."""

    address_map: str = ""  # FROM=TO,...; empty: the lab map with ``lab``, else none
    lab: bool = False
    ssh_port: int | None = None
    workstations: bool = False
    workstation_domain: str | None = None
    vm_addresses: Mapping[str, str] = field(default_factory=dict)


def _build(inv: Inventory, settings: SourceSettings) -> dict[str, Any]:
    text = settings.address_map
    address_map = AddressMap.parse(text) if text else (LAB_MAP if settings.lab else AddressMap())
    return build(
        inv,
        address_map,
        ssh_port=settings.ssh_port,
        endpoints=EndpointHosts(enabled=settings.workstations, domain=settings.workstation_domain),
        lab=settings.lab,
        vm_addresses=settings.vm_addresses,
    )


def only(data: Mapping[str, Any], hosts: frozenset[str]) -> dict[str, Any]:
    """``data`` cut down to ``hosts``: every group kept (a play's pattern still resolves),
    with only those hosts in it."""
    out: dict[str, Any] = {}
    for name, body in data.items():
        if name == "_meta":
            hostvars = body["hostvars"]
            out[name] = {"hostvars": {h: v for h, v in hostvars.items() if h in hosts}}
        elif "hosts" in body:
            out[name] = {**body, "hosts": [h for h in body["hosts"] if h in hosts]}
        else:
            out[name] = body
    return out


def read_source(
    source: Path,
    settings: SourceSettings,
    cache_dir: Path | None = None,
    hosts: frozenset[str] | None = None,
) -> tuple[dict[str, Any], DeviceConfigs]:
    """The inventory in ``ansible-inventory --list`` shape (without ``device_config``) and
    what builds ``device_config`` on demand; with ``hosts``, only those hosts (a rollout's:
    Ansible then carries hundreds of hosts, not the city's thousands, into every task).
    Raises the model's own errors (file, line, column) and :class:`ValueError` for a bad
    address map."""
    data, configs = _read(source, settings, cache_dir)
    if hosts is None:
        return data, configs
    kept = only(data, hosts)
    return kept, DeviceConfigs(configs.hosts & hosts, configs.model, configs.cache)


def _read(
    source: Path, settings: SourceSettings, cache_dir: Path | None
) -> tuple[dict[str, Any], DeviceConfigs]:
    if settings.address_map:
        AddressMap.parse(settings.address_map)  # a bad map fails here, cached or not
    files: Files | None = read_files(source) if source.exists() else None
    cache = None
    if cache_dir is not None and files:
        cache = InventoryCache(cache_dir, content_key(files))
    options = options_key({**asdict(settings), "vm_addresses": dict(settings.vm_addresses)})
    data = cache.inventory(options) if cache is not None else None
    if data is not None:
        held: list[Inventory] = []

        def model() -> Inventory:  # loaded from the very bytes the key was made of
            if not held:
                held.append(load(source, files))
            return held[0]

        return data, DeviceConfigs(data.get("network", {}).get("hosts", ()), model, cache)
    inv = load(source, files)
    data = _build(inv, settings)
    if cache is not None:
        cache.save_inventory(options, data)
    return data, DeviceConfigs(data["network"].get("hosts", ()), lambda: inv, cache)
