"""Ansible vars plugin: ``device_config`` of an edunet host, built when a task needs it
(a thin adapter over ``playbooks.device_configs``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ansible.inventory.host import Host  # type: ignore[import-untyped]
from ansible.plugins.vars import BaseVarsPlugin  # type: ignore[import-untyped]

DOCUMENTATION = r"""
name: edunet_config
short_description: The intended configuration (device_config) of the edunet hosts a play touches
description:
  - Gives each configurable device of an C(edunet) inventory source its C(device_config)
    host variable, built on first use and kept for the run (and in the source's cache folder
    when it has one), instead of building it for the whole city with the inventory.
  - Runs when a task needs the host's variables (stage C(task)), so C(ansible-inventory
    --list) prints the connection settings and facts only. With stage C(all),
    C(ansible-inventory --host NAME) prints C(device_config) too.
options:
  stage:
    description: When the plugin runs; C(task) keeps it out of C(ansible-inventory).
    type: str
    default: task
    choices: [all, task, inventory]
    ini:
      - key: stage
        section: vars_edunet_config
    env:
      - name: EDUNET_DEVICE_CONFIG_STAGE
"""

# The repository (edunet and the playbooks package) sits two floors above plugins/vars/
_REPO = Path(__file__).resolve().parents[3]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))


class VarsModule(BaseVarsPlugin):  # type: ignore[misc]
    REQUIRES_ENABLED = True  # named in ansible.cfg's vars_plugins_enabled
    is_stateless = True  # the built configurations live in playbooks.device_configs

    def get_vars(self, loader: Any, path: str, entities: Any, cache: bool = True) -> dict[str, Any]:
        from playbooks.device_configs import for_source

        configs = for_source(path)
        if configs is None:  # not an edunet source's folder
            return {}
        for entity in entities if isinstance(entities, list) else [entities]:
            if not isinstance(entity, Host):  # groups: nothing here
                continue
            config = configs.get(entity.name)
            if config is not None:
                return {"device_config": config}
        return {}
