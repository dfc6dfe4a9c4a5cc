"""The template's ``secrets`` mapping for one device, from the secret store.

Only what the store has is filled in; anything missing stays ``********`` in the render, so
a push can tell a line it must not send from one it can."""

from __future__ import annotations

from edunet.model import Device
from edunet.secrets import MissingSecret, SecretStore

__all__ = ["secret_values"]


def secret_values(store: SecretStore, device: Device) -> dict[str, str]:
    values: dict[str, str] = {}
    if device.ssh is not None:
        try:
            ssh = store.ssh(device.ssh)
        except MissingSecret:
            pass
        else:
            values["ssh_user"] = ssh.user
            if ssh.password is not None:
                values["ssh_password"] = ssh.password.reveal()
            if ssh.enable is not None:
                values["enable"] = ssh.enable.reveal()
    if device.snmp is not None:
        try:
            snmp = store.snmp(device.snmp)
        except MissingSecret:
            return values
        if snmp.community is not None:
            values["snmp_community"] = snmp.community.reveal()
        if snmp.user is not None:
            values["snmp_user"] = snmp.user
        if snmp.auth_key is not None:
            values["snmp_auth"] = snmp.auth_key.reveal()
        if snmp.priv_key is not None:
            values["snmp_priv"] = snmp.priv_key.reveal()
    return values
