"""What a stack decides that the inventory does not: keys, storage, images, bridge, and the
cluster the provider talks to.

The Proxmox endpoint is stack config (``proxmoxve:endpoint``); the API token is either secret
stack config (``pulumi config set --secret proxmoxve:apiToken``: only its ciphertext is in
the stack file) or ``PROXMOX_VE_API_TOKEN`` in the environment, which keeps even that out of
the repository. It stays a Pulumi secret throughout: never printed, never in plain state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pulumi_proxmoxve

PROJECT = "edunet-dc"


@dataclass(frozen=True, slots=True)
class StackSettings:
    inventory: str = "../inventory.yaml"  # relative to infra/, where Pulumi runs
    ssh_public_keys: tuple[str, ...] = ()  # the operators' keys, put on every VM by cloud-init
    admin_user: str = "edunet"  # the cloud-init account that carries the keys
    sdn_bridge: str = "vmbr1"  # the nodes' trunk bridge the VLAN zone tags onto
    datastore: str = "local-lvm"  # VM disks and cloud-init drives
    cloud_image: str = "local:import/debian-12-genericcloud-amd64.qcow2"  # first disk's image
    backup_storage: str = "pbs-ttdl"  # a Proxmox Backup Server storage
    tags: tuple[str, ...] = field(default=("edunet",))


# The offline plan and the tests: a placeholder key, never a real operator's
OFFLINE = StackSettings(
    inventory="inventory.yaml",
    ssh_public_keys=("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfflinePlanPlaceholderKey operators",),
)


def from_config() -> StackSettings:
    """Read the stack's config (``pulumi config set edunet-dc:<key> …``)."""
    import pulumi

    cfg = pulumi.Config(PROJECT)
    default = StackSettings()
    keys = cfg.get_object("sshPublicKeys") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys) or not keys:
        raise ValueError("edunet-dc:sshPublicKeys must be a non-empty list of public keys")
    return StackSettings(
        inventory=cfg.get("inventory") or default.inventory,
        ssh_public_keys=tuple(keys),
        admin_user=cfg.get("adminUser") or default.admin_user,
        sdn_bridge=cfg.get("sdnBridge") or default.sdn_bridge,
        datastore=cfg.get("datastore") or default.datastore,
        cloud_image=cfg.get("cloudImage") or default.cloud_image,
        backup_storage=cfg.get("backupStorage") or default.backup_storage,
    )


TOKEN_ENV = "PROXMOX_VE_API_TOKEN"


def cluster_provider() -> pulumi_proxmoxve.Provider:
    """The provider for the stack's cluster, configured explicitly (the provider package
    asks for that), its token a secret from config or the environment."""
    import pulumi
    import pulumi_proxmoxve as proxmox

    cfg = pulumi.Config("proxmoxve")
    token: pulumi.Input[str] | None = cfg.get_secret("apiToken")
    if token is None and os.environ.get(TOKEN_ENV):
        token = pulumi.Output.secret(os.environ[TOKEN_ENV])
    if token is None:
        raise ValueError(
            "no Proxmox API token: pulumi config set --secret proxmoxve:apiToken, "
            f"or export {TOKEN_ENV}"
        )
    return proxmox.Provider(
        "proxmoxve",
        endpoint=cfg.require("endpoint"),
        api_token=token,
        insecure=cfg.get_bool("insecure") or False,
    )
