"""The city as an Ansible inventory: groups and host variables in ``ansible-inventory --list``
shape, built from the resolved model. Pure: no Ansible import, so it is tested on its own; the
inventory plugin (``plugins/inventory/edunet.py``) only hands its result to Ansible.

Groups (every name a valid Ansible identifier, lower case):
``district_<slug>``, ``site_<code>``, ``level_<level>``, ``role_<role>``, ``platform_<platform>``,
``kind_<site kind>``, plus ``network`` (devices with a configuration template), ``servers`` (Linux
servers), ``monitoring`` (the monitoring server), ``school_endpoints`` (one child group
``lab_<code>`` per school with workstations; see :func:`build`) and ``vms`` (the data center's
application VMs, one child group ``app_<code>`` per application).

Credentials are never values here: host variables name the environment variables through
``lookup('ansible.builtin.env', ...)`` templates that Ansible resolves at connection time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from edunet.model import Device, Inventory, Site
from playbooks.configs.context import CONFIGURABLE_PLATFORMS, device_context

__all__ = [
    "CONFIGURABLE",
    "SECRET_VARS",
    "VM_USER_ENV",
    "ContextFn",
    "EndpointHosts",
    "build",
    "group_hosts",
    "group_name",
    "load_device_context",
    "monitoring_server",
]

# Platforms with a configuration template (playbooks/templates/<platform>/)
CONFIGURABLE = tuple(CONFIGURABLE_PLATFORMS)  # the platforms with a configuration template

# Host variables that hold lookup templates, not values: the plugin marks them trusted
SECRET_VARS = (
    "ansible_user",
    "ansible_password",
    "ansible_become_password",
    "ansible_private_key_file",
)

# The account cloud-init gives every VM (the Pulumi stack's adminUser) and its key file
VM_USER_ENV = "EDUNET_VM_SSH"

ContextFn = Callable[[Inventory, Device], Mapping[str, Any]]
AddressFn = Callable[[IPv4Address], IPv4Address]


@dataclass(frozen=True, slots=True)
class EndpointHosts:
    """How school workstations become hosts. The model only counts them, so by default each
    school's ``lab_<code>`` group is empty and carries the counts; with ``enabled`` the builder
    names them by convention (``<code>-ws01`` …) and reaches them by DNS name in ``domain``
    (the school's DHCP registers them), never by a guessed address."""

    enabled: bool = False
    domain: str | None = None  # None: the city's domain


def group_name(prefix: str, value: str) -> str:
    """``district_thu_duc``, ``site_79760002``, ``role_access_switch``."""
    slug = re.sub(r"[^0-9a-z]+", "_", value.lower()).strip("_")
    return f"{prefix}_{slug}"


def group_hosts(data: Mapping[str, Any]) -> dict[str, set[str]]:
    """Every group of an inventory in ``ansible-inventory --list`` shape (as :func:`build`
    returns it) with its hosts, child groups expanded."""
    direct: dict[str, Mapping[str, Any]] = {k: v for k, v in data.items() if k != "_meta"}
    out: dict[str, set[str]] = {}

    def hosts_of(name: str, seen: frozenset[str]) -> set[str]:
        if name in out:
            return out[name]
        group = direct.get(name, {})
        hosts = set(group.get("hosts", ()))
        for child in group.get("children", ()):
            if child not in seen:  # a cycle would be a plugin bug; never loop on it
                hosts |= hosts_of(child, seen | {child})
        out[name] = hosts
        return hosts

    for name in direct:
        hosts_of(name, frozenset({name}))
    return out


def _env(name: str) -> str:
    return "{{ lookup('ansible.builtin.env', '" + name + "') }}"


def load_device_context() -> ContextFn:
    """``playbooks.configs.device_context``: what fills ``device_config`` (the plugin and the
    tests pass it to :func:`build`; the rollout's selection builds without it)."""
    return device_context


def monitoring_server(inv: Inventory) -> str | None:
    """The device that runs Prometheus: ``services.monitoring``, else the data center's
    first Linux server."""
    if inv.services.monitoring is not None:
        return inv.services.monitoring
    try:
        dc = inv.datacenter
    except LookupError:
        return None
    return next((n for n in dc.devices if inv.devices[n].platform.name == "linux"), None)


def _connection_vars(device: Device, address: AddressFn, ssh_port: int | None) -> dict[str, Any]:
    platform = device.platform
    out: dict[str, Any] = {"ansible_host": str(address(device.mgmt_ip))}
    if device.ssh is not None:
        out["ansible_port"] = ssh_port if ssh_port is not None else device.ssh.port
        prefix = device.ssh.env_prefix
        out["ansible_user"] = _env(f"{prefix}_USER")
        out["ansible_password"] = _env(f"{prefix}_PASSWORD")
    out["ansible_connection"] = platform.ansible_connection
    if platform.ansible_network_os is not None:
        out["ansible_network_os"] = platform.ansible_network_os
        if platform.ansible_connection.endswith("network_cli"):
            # libssh (ansible-pylibssh) is faster than paramiko and the one measured
            out["ansible_network_cli_ssh_type"] = "libssh"
        if platform.name in ("cisco_ios", "cisco_xe") and device.ssh is not None:
            out["ansible_become"] = True
            out["ansible_become_method"] = "ansible.netcommon.enable"
            out["ansible_become_password"] = _env(f"{device.ssh.env_prefix}_ENABLE")
    elif device.ssh is not None and platform.name == "linux":
        out["ansible_private_key_file"] = _env(f"{device.ssh.env_prefix}_KEY_FILE")
    return out


def _facts(inv: Inventory, device: Device, site: Site) -> dict[str, Any]:
    district = inv.districts[device.district]
    return {
        "name": device.name,
        "site": site.code,
        "site_name": site.name,
        "site_kind": site.kind.value,
        "level": site.level.value if site.level is not None else None,
        "district": district.slug,
        "district_name": district.name,
        "role": device.role.value,
        "model": device.model.model,
        "vendor": device.model.vendor,
        "platform": device.platform.name,
        "mgmt_ip": str(device.mgmt_ip),
        # where the roles look credentials up (PREFIX_USER, ...): names, never values
        "ssh_env": device.ssh.env_prefix if device.ssh is not None else None,
        "snmp_env": device.snmp.env_prefix if device.snmp is not None else None,
    }


class _Builder:
    def __init__(self) -> None:
        self.groups: dict[str, dict[str, Any]] = {
            "all": {"children": ["ungrouped"]},
            "ungrouped": {},
        }
        self.hostvars: dict[str, dict[str, Any]] = {}

    def group(self, name: str) -> dict[str, Any]:
        if name not in self.groups:
            self.groups[name] = {}
            self.groups["all"]["children"].append(name)
        return self.groups[name]

    def add(self, group: str, host: str) -> None:
        self.group(group).setdefault("hosts", []).append(host)

    def child(self, parent: str, child: str) -> None:
        self.group(child)
        children = self.group(parent).setdefault("children", [])
        if child not in children:
            children.append(child)
        # a child group hangs under its parent, not directly under all
        if child in self.groups["all"]["children"]:
            self.groups["all"]["children"].remove(child)

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {"_meta": {"hostvars": self.hostvars}}
        out.update(self.groups)
        return out


def build(
    inv: Inventory,
    address_map: AddressFn,
    *,
    ssh_port: int | None = None,
    device_context: ContextFn | None = None,
    endpoints: EndpointHosts | None = None,
    lab: bool = False,
    vm_addresses: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The inventory as ``ansible-inventory --list`` prints it. ``address_map`` turns a
    management address into the one to connect to; ``ssh_port`` overrides every profile's
    port (the lab's ``EDUNET_SSH_PORT``); ``device_context`` fills ``device_config`` for
    configurable devices. ``lab`` turns host key checking off for every device: the simulated
    switches all share one built-in host key on changing loopback addresses, so a known_hosts
    entry would be wrong the next time; real devices keep it on. ``vm_addresses`` is the
    data-center program's output (``pulumi stack output vm_addresses``): a VM it names is
    reached there, the others at their IP-plan address."""
    b = _Builder()
    monitoring = monitoring_server(inv)
    for device in inv.devices.values():
        site = inv.sites[device.site]
        district = inv.districts[device.district]
        hostvars = _connection_vars(device, address_map, ssh_port)
        if lab:
            hostvars["ansible_host_key_checking"] = False
        hostvars["edunet"] = _facts(inv, device, site)
        platform = device.platform.name
        if platform in CONFIGURABLE:
            b.add("network", device.name)
            if device_context is not None:
                hostvars["device_config"] = dict(device_context(inv, device))
        elif platform == "linux":
            b.add("servers", device.name)
            hostvars["edunet_site"] = f"{site.name}, {site.address}"
        if device.name == monitoring:
            b.add("monitoring", device.name)
        b.hostvars[device.name] = hostvars
        b.add(group_name("site", site.code), device.name)
        b.add(group_name("role", device.role.value), device.name)
        b.add(group_name("platform", platform), device.name)
        b.child(group_name("district", district.slug), group_name("site", site.code))
        b.child(group_name("kind", site.kind.value), group_name("site", site.code))
        if site.level is not None:
            b.child(group_name("level", site.level.value), group_name("site", site.code))
    for name in ("network", "servers", "monitoring"):
        b.group(name)
    _endpoint_groups(b, inv, endpoints or EndpointHosts())
    _vm_groups(b, inv, address_map, vm_addresses or {}, lab)
    # the city's services, for the roles that configure hosts (linux_base: NTP, banner, SNMP)
    services = inv.services
    b.group("all")["vars"] = {
        "edunet_ntp_servers": [str(a) for a in services.ntp],
        "edunet_syslog_servers": [str(a) for a in services.syslog],
        "edunet_dns_servers": [str(a) for a in services.dns],
        "edunet_banner": services.banner,
        "edunet_contact": f"noc@{inv.city.domain}",
    }
    return b.result()


def _endpoint_groups(b: _Builder, inv: Inventory, how: EndpointHosts) -> None:
    b.group("school_endpoints")
    domain = how.domain or inv.city.domain
    for site in inv.schools():
        count = site.endpoints.workstations
        if count <= 0:
            continue
        lab = group_name("lab", site.code)
        b.child("school_endpoints", lab)
        b.group(lab)["vars"] = {
            "edunet_lab": {
                "site": site.code,
                "site_name": site.name,
                "district": inv.districts[site.district].slug,
                "workstations": count,
                "workstation_model": site.endpoints.workstation_model,
            }
        }
        if not how.enabled:
            continue
        width = max(2, len(str(count)))
        for i in range(1, count + 1):
            host = f"{site.code}-ws{i:0{width}d}".lower()
            b.add(lab, host)
            b.hostvars[host] = {"ansible_host": f"{host}.{domain}", "ansible_connection": "ssh"}


def _vm_groups(
    b: _Builder, inv: Inventory, address: AddressFn, deployed: Mapping[str, str], lab: bool
) -> None:
    b.group("vms")
    for app in inv.applications.values():
        if not app.vms:
            continue
        group = group_name("app", app.code)
        b.child("vms", group)
        for name in app.vms:
            vm = inv.vms[name]
            where = IPv4Address(deployed.get(name, str(vm.ip.ip)))
            hostvars: dict[str, Any] = {
                "ansible_host": str(address(where)),
                "ansible_connection": "ssh",
                "ansible_user": _env(f"{VM_USER_ENV}_USER"),
                "ansible_private_key_file": _env(f"{VM_USER_ENV}_KEY_FILE"),
                "edunet": {
                    "name": name,
                    "application": app.code,
                    "application_name": app.name,
                    "criticality": app.criticality.value,
                    "segment": vm.segment,
                    "vlan": vm.vlan_id,
                    "node": vm.node,
                    "address": str(vm.ip),
                },
            }
            if lab:
                hostvars["ansible_host_key_checking"] = False
            b.hostvars[name] = hostvars
            b.add(group, name)
