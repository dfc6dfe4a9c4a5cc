"""The Pulumi program: read the stack's config, load the inventory, build, export."""

from __future__ import annotations

from pathlib import Path

import pulumi

import edunet
from infra.program import build
from infra.settings import cluster_provider, from_config

settings = from_config()
inventory = Path(settings.inventory)
if not inventory.is_absolute():  # relative to the project directory, where Pulumi runs
    inventory = Path(__file__).parent / inventory
datacenter = build(
    edunet.load(inventory), settings, pulumi.ResourceOptions(providers=[cluster_provider()])
)
pulumi.export("vm_addresses", datacenter.vm_addresses)
