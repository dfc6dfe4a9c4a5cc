"""Ansible inventory plugin: the edunet city, read through ``edunet`` (a thin adapter over
``playbooks.ansible_inventory.build``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ansible.errors import AnsibleParserError  # type: ignore[import-untyped]
from ansible.plugins.inventory import BaseInventoryPlugin  # type: ignore[import-untyped]
from ansible.template import trust_as_template  # type: ignore[import-untyped]

DOCUMENTATION = r"""
name: edunet
short_description: The edunet city inventory (inventory.yaml read through edunet)
description:
  - Loads the inventory with C(edunet.load) and yields groups by district, site, level, role,
    platform and site kind, plus C(network), C(servers), C(monitoring), C(school_endpoints) and
    C(vms) (the data center's application VMs, by application).
  - Host variables carry the address to connect to, the connection settings of the platform
    and the device facts (C(edunet)). A configurable device's C(device_config) comes from the
    vars plugin C(edunet_config) when a task needs it, not with the inventory.
  - Credentials are never read here; host variables look them up from the environment.
options:
  plugin:
    description: Marks this file as an edunet inventory source.
    required: true
    choices: [edunet]
  inventory:
    description:
      - The city inventory (file or directory), relative to the Ansible project directory
        (the parent of the folder that holds this source file).
    type: path
    default: ../inventory.yaml
    env:
      - name: EDUNET_INVENTORY
  address_map:
    description:
      - Address translation C(FROM_PREFIX=TO_PREFIX,...) applied to management addresses.
      - Empty means connect to the inventory address itself.
    type: str
    default: ""
    env:
      - name: EDUNET_ADDRESS_MAP
  lab:
    description:
      - Target the simulated city (C(edunet lab)) on loopback; implies the lab address map
        (10.0.0.0/8 on 127.0.0.0/8) unless I(address_map) is set.
      - Turns host key checking off for these hosts only, because every simulated switch
        presents the same built-in host key.
    type: bool
    default: false
    env:
      - name: EDUNET_LAB
  ssh_port:
    description:
      - SSH port for every device, overriding the profile's port (the lab exports it).
    type: int
    env:
      - name: EDUNET_SSH_PORT
  workstations:
    description:
      - Name each school's lab workstations as hosts (C(<site>-ws01) ...) reached by DNS name.
      - Off by default; the C(lab_<site>) groups then only carry the counts.
    type: bool
    default: false
  workstation_domain:
    description: DNS domain of the workstation names; default the city's domain.
    type: str
  vm_addresses:
    description:
      - The data-center program's output, C(pulumi stack output vm_addresses --json > FILE),
        relative to the Ansible project directory. A VM it names is reached at that address,
        the others at their IP-plan address (the one the program gives them).
    type: path
    env:
      - name: EDUNET_VM_ADDRESSES
  cache_dir:
    description:
      - A folder where the built inventory and the devices' C(device_config) are kept, keyed
        by the content of the inventory files, these options and the code, so the next run
        on an unchanged city reads them instead of building them. C(edunet apply) gives each
        run one in its own folder; empty means no cache.
    type: path
    env:
      - name: EDUNET_INVENTORY_CACHE
  hosts_file:
    description:
      - A file naming the hosts to publish, one a line; every group is kept, with only those
        hosts in it. C(edunet apply) names its run's selection, so Ansible carries the run's
        hosts into every task, not the whole city. Empty means every host.
    type: path
"""

EXAMPLES = r"""
# inventory/edunet.yml
plugin: edunet
inventory: ../inventory.yaml
lab: false
"""


# The repository (edunet and the playbooks package) sits two floors above plugins/inventory/
_REPO = Path(__file__).resolve().parents[3]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

_SOURCE_NAMES = ("edunet.yml", "edunet.yaml")


class InventoryModule(BaseInventoryPlugin):  # type: ignore[misc]
    NAME = "edunet"

    def verify_file(self, path: str) -> bool:
        return bool(super().verify_file(path)) and path.endswith(_SOURCE_NAMES)

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        from playbooks.ansible_inventory import SECRET_VARS
        from playbooks.device_configs import register
        from playbooks.inventory_source import SourceSettings, read_source

        project = Path(path).resolve().parent.parent
        source = Path(self.get_option("inventory"))
        source = source if source.is_absolute() else (project / source).resolve()
        settings = SourceSettings(
            address_map=self.get_option("address_map") or "",
            lab=bool(self.get_option("lab")),
            ssh_port=self.get_option("ssh_port"),
            workstations=bool(self.get_option("workstations")),
            workstation_domain=self.get_option("workstation_domain"),
            vm_addresses=self._vm_addresses(project),
        )
        cache_dir = self.get_option("cache_dir")
        try:
            data, configs = read_source(
                source, settings, Path(cache_dir) if cache_dir else None, self._hosts(project)
            )
        except Exception as exc:  # the model's own message names file, line and column
            raise AnsibleParserError(f"edunet inventory {source}: {exc}") from exc
        # the vars plugin (edunet_config) builds device_config for the hosts a play touches
        register(Path(path).parent, configs)
        self._publish(data, set(SECRET_VARS))

    def _hosts(self, project: Path) -> frozenset[str] | None:
        option = self.get_option("hosts_file")
        if not option:
            return None
        path = Path(option) if Path(option).is_absolute() else project / option
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AnsibleParserError(f"hosts_file {path}: {exc}") from exc
        return frozenset(line.strip() for line in text.splitlines() if line.strip())

    def _vm_addresses(self, project: Path) -> dict[str, str]:
        option = self.get_option("vm_addresses")
        if not option:
            return {}
        path = Path(option) if Path(option).is_absolute() else project / option
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AnsibleParserError(f"vm_addresses {path}: {exc}") from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise AnsibleParserError(
                f"vm_addresses {path}: expected {{VM name: address}}, as "
                "`pulumi stack output vm_addresses --json` prints it"
            )
        return data

    def _publish(self, data: dict[str, Any], templated: set[str]) -> None:
        inventory = self.inventory
        hostvars: dict[str, dict[str, Any]] = data["_meta"]["hostvars"]
        for group, body in data.items():
            if group in ("_meta", "all"):
                continue
            inventory.add_group(group)
            for host in body.get("hosts", ()):
                inventory.add_host(host, group=group)
            for name, value in body.get("vars", {}).items():
                inventory.set_variable(group, name, value)
        for group, body in data.items():
            if group in ("_meta", "all"):
                continue
            for child in body.get("children", ()):
                inventory.add_child(group, child)
        for host, variables in hostvars.items():
            inventory.add_host(host)
            for name, value in variables.items():
                # only our own lookup templates are trusted; names from inventory.yaml
                # (site names, descriptions) stay plain text even if they contain braces
                if name in templated and isinstance(value, str):
                    value = trust_as_template(value)
                inventory.set_variable(host, name, value)
