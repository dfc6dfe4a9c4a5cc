"""The Ansible inventory builder, without Ansible: groups, host variables, no secret values."""

from __future__ import annotations

import json
from ipaddress import IPv4Address

import pytest

from edunet.model import Inventory
from edunet.reach import LAB_MAP, AddressMap
from playbooks.ansible_inventory import (
    EndpointHosts,
    build,
    group_name,
    load_device_context,
    monitoring_server,
)


def _hosts(data: dict[str, object], group: str) -> set[str]:
    body = data.get(group, {})
    assert isinstance(body, dict)
    return set(body.get("hosts", []))


def test_group_names_are_identifiers() -> None:
    assert group_name("district", "thu-duc") == "district_thu_duc"
    assert group_name("site", "TTDL") == "site_ttdl"
    assert group_name("role", "access_switch") == "role_access_switch"


def test_groups_cover_every_device(small: Inventory) -> None:
    data = build(small, AddressMap())
    hostvars = data["_meta"]["hostvars"]
    assert set(hostvars) == set(small.devices) | set(small.vms)  # the VMs: tests/infra
    for d in small.devices.values():
        site = small.sites[d.site]
        assert d.name in _hosts(data, group_name("site", site.code))
        assert d.name in _hosts(data, group_name("role", d.role.value))
        assert d.name in _hosts(data, group_name("platform", d.platform.name))
        district = group_name("district", small.districts[d.district].slug)
        assert group_name("site", site.code) in data[district]["children"]
        assert (
            group_name("site", site.code) in data[group_name("kind", site.kind.value)]["children"]
        )
    network = {
        d.name
        for d in small.devices.values()
        if d.platform.name in ("cisco_ios", "cisco_xe", "mikrotik_routeros")
    }
    assert _hosts(data, "network") == network
    assert _hosts(data, "servers") == {
        d.name for d in small.devices.values() if d.platform.name == "linux"
    }
    assert _hosts(data, "monitoring") == {monitoring_server(small)} - {None}
    # every group hangs under all, directly or through a parent
    reachable = set()
    todo = ["all"]
    while todo:
        g = todo.pop()
        reachable.add(g)
        todo += data[g].get("children", [])
    assert reachable == set(data) - {"_meta"}


def test_host_variables(small: Inventory) -> None:
    data = build(small, LAB_MAP, ssh_port=10022, lab=True)
    switch = next(d for d in small.devices.values() if d.platform.name == "cisco_ios")
    hv = data["_meta"]["hostvars"][switch.name]
    assert hv["ansible_host"] == str(LAB_MAP(switch.mgmt_ip))
    assert IPv4Address(hv["ansible_host"]).is_loopback
    assert hv["ansible_port"] == 10022
    assert hv["ansible_network_os"] == "cisco.ios.ios"
    assert hv["ansible_connection"] == "ansible.netcommon.network_cli"
    assert hv["ansible_become_method"] == "ansible.netcommon.enable"
    assert hv["ansible_host_key_checking"] is False
    assert "EDUNET_SSH_NETOPS_PASSWORD" in hv["ansible_password"]
    assert "EDUNET_SSH_NETOPS_ENABLE" in hv["ansible_become_password"]
    assert hv["edunet"]["site"] == switch.site
    assert hv["edunet"]["mgmt_ip"] == str(switch.mgmt_ip)
    real = build(small, AddressMap())["_meta"]["hostvars"][switch.name]
    assert real["ansible_host"] == str(switch.mgmt_ip)
    assert switch.ssh is not None and real["ansible_port"] == switch.ssh.port
    assert "ansible_host_key_checking" not in real


def test_no_secret_values(small: Inventory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUNET_SSH_NETOPS_PASSWORD", "sentinel-not-in-output")
    text = json.dumps(build(small, AddressMap(), device_context=load_device_context()))
    assert "sentinel-not-in-output" not in text


def test_device_config_for_configurable_devices(small: Inventory) -> None:
    context = load_device_context()
    assert context is not None, "playbooks.configs.device_context is missing"
    hostvars = build(small, AddressMap(), device_context=context)["_meta"]["hostvars"]
    for d in small.devices.values():
        configurable = d.platform.name in ("cisco_ios", "cisco_xe", "mikrotik_routeros")
        assert ("device_config" in hostvars[d.name]) == configurable, d.name
        if configurable:
            assert hostvars[d.name]["device_config"]["hostname"] == d.name


def test_school_endpoint_groups(small: Inventory) -> None:
    schools = [s for s in small.schools() if s.endpoints.workstations > 0]
    data = build(small, AddressMap())
    labs = data["school_endpoints"].get("children", [])
    assert labs == [group_name("lab", s.code) for s in schools]
    assert all("hosts" not in data[g] for g in labs)
    named = build(small, AddressMap(), endpoints=EndpointHosts(enabled=True, domain="lab.test"))
    if schools:
        s = schools[0]
        hosts = _hosts(named, group_name("lab", s.code))
        assert len(hosts) == s.endpoints.workstations
        first = sorted(hosts)[0]
        assert named["_meta"]["hostvars"][first]["ansible_host"] == f"{first}.lab.test"
