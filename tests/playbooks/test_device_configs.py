"""device_config built for the hosts a play touches, and the inventory kept between the runs
of one rollout (keyed by the city's content), without Ansible."""

from __future__ import annotations

import shutil
from ipaddress import IPv4Address, IPv4Network, collapse_addresses
from pathlib import Path

import pytest

import playbooks.inventory_source as inventory_source
from edunet.model import Device, Inventory
from playbooks.configs.context import _downstream, _site_prefixes, configurable, device_context
from playbooks.device_configs import DeviceConfigs, for_source, register
from playbooks.inventory_source import SourceSettings, read_source

SMALL = Path(__file__).resolve().parents[1] / "core" / "data" / "small.yaml"


def _configurable(inv: Inventory) -> set[str]:
    return {d.name for d in inv.devices.values() if configurable(d)}


def test_the_inventory_carries_no_device_config(small: Inventory) -> None:
    data, configs = read_source(SMALL, SourceSettings(lab=True))
    hostvars = data["_meta"]["hostvars"]
    assert not [h for h, v in hostvars.items() if "device_config" in v]
    assert set(data["network"]["hosts"]) == _configurable(small) == configs.hosts


def test_device_config_is_built_once_and_only_when_asked(small: Inventory) -> None:
    loads: list[int] = []

    def model() -> Inventory:
        loads.append(1)
        return small

    configs = DeviceConfigs(_configurable(small), model)
    assert loads == []  # nothing built before a play asks
    switch = next(d for d in small.devices.values() if configurable(d))
    first = configs.get(switch.name)
    assert first == device_context(small, switch)
    assert configs.get(switch.name) is first
    assert loads == [1]
    server = next(d for d in small.devices.values() if d.platform.name == "linux")
    assert configs.get(server.name) is None


def test_the_vars_plugin_finds_its_source_by_folder(small: Inventory, tmp_path: Path) -> None:
    configs = DeviceConfigs(_configurable(small), lambda: small)
    register(tmp_path / "inventory", configs)
    assert for_source(str(tmp_path / "inventory")) is configs
    assert for_source(tmp_path / "inventory" / ".." / "inventory") is configs
    assert for_source(tmp_path) is None


def _no_load(*_args: object) -> Inventory:
    raise AssertionError("the model was loaded")


def test_an_unchanged_city_comes_from_the_cache(
    small: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, cache = tmp_path / "city.yaml", tmp_path / "cache"
    shutil.copy(SMALL, city)
    settings = SourceSettings(lab=True, ssh_port=10022)
    built, configs = read_source(city, settings, cache)
    names = sorted(configs.hosts)
    kept = configs.get(names[0])

    monkeypatch.setattr(inventory_source, "load", _no_load)
    again, cached = read_source(city, settings, cache)
    assert again == built and cached.hosts == configs.hosts
    assert cached.get(names[0]) == kept  # from its file: still no model
    with pytest.raises(AssertionError, match="loaded"):
        cached.get(names[1])  # never built: the model is loaded now, and only now

    # other options, or one byte more in the city: built again, never the old copy
    with pytest.raises(AssertionError, match="loaded"):
        read_source(city, SourceSettings(lab=True, ssh_port=2222), cache)
    city.write_text(city.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="loaded"):
        read_source(city, settings, cache)


def test_a_bad_address_map_fails_cached_or_not(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        read_source(SMALL, SourceSettings(address_map="nonsense"), tmp_path)


def _full_scan(inv: Inventory, device: Device) -> list[tuple[IPv4Address, list[IPv4Network]]]:
    """The routes as they were computed before the uplinks were indexed: every link of the
    city scanned for every device."""
    feeding: dict[str, list[object]] = {}
    for link in inv.links.values():
        if link.kind == "uplink" and link.b.site is not None:
            feeding.setdefault(link.b.site, []).append(link)

    def behind(site: str, seen: set[str]) -> list[IPv4Network]:
        if site in seen:
            return []
        seen.add(site)
        nets = _site_prefixes(inv, inv.sites[site])
        for link in feeding.get(site, ()):
            a = link.a  # type: ignore[attr-defined]
            if a.site is not None and a.site not in seen:
                nets += behind(a.site, seen)
        return nets

    routes = []
    for link in inv.links.values():
        if link.kind != "uplink" or link.b.device != device.name or link.a.ip is None:
            continue
        assert link.a.site is not None
        routes.append((link.a.ip.ip, list(collapse_addresses(behind(link.a.site, {device.site})))))
    return routes


@pytest.mark.parametrize("city", ["small", "sample_city"])
def test_indexed_routes_are_the_full_scan(city: str, request: pytest.FixtureRequest) -> None:
    inv: Inventory = request.getfixturevalue(city)
    routed = [d for d in inv.devices.values() if configurable(d)]
    assert any(_full_scan(inv, d) for d in routed)  # the city has downstream routes at all
    assert [d.name for d in routed if _downstream(inv, d) != _full_scan(inv, d)] == []


def test_a_rollout_publishes_only_its_hosts(small: Inventory) -> None:
    everything, _ = read_source(SMALL, SourceSettings())
    switches = frozenset(sorted(_configurable(small))[:2])
    data, configs = read_source(SMALL, SourceSettings(), hosts=switches)
    assert set(data["_meta"]["hostvars"]) == switches
    assert set(data) == set(everything)  # every group still resolves in a play's pattern
    assert set(data["network"]["hosts"]) == switches == configs.hosts
    assert all(set(body.get("hosts", ())) <= switches for g, body in data.items() if g != "_meta")
