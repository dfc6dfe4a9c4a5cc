"""Which device a scrape means, where to send its packets, and with which credentials.

A Prometheus target is an inventory device name or a management address (the inventory's,
or the translated one the packets go to). Credentials come from the
:class:`~edunet.secrets.SecretStore` by the device's SNMP profile, at the moment of the
scrape, so a secret set after start-up is picked up without a restart. Every way a target
can be unusable is an answer (:class:`Resolved` with a :class:`PollError`), never an
exception: the scrape still reports ``edunet_snmp_up 0`` with the reason.

A target that names no device is anyone's text: it is shown (in the ``device`` label and the
log) only as :func:`shown`, bounded and without control characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Protocol

import yaml

from edunet.model import Device, Inventory
from edunet.reach import AddressMap
from edunet.secrets import MissingSecret, SecretStore
from exporters.exposition import clean_label
from exporters.snmp.oids import Module
from exporters.snmp.result import PollError, PollResult
from exporters.snmp.session import SnmpTarget

__all__ = ["SHOWN_TARGET_CHARS", "PollFn", "Resolved", "Targets", "shown"]

# the longest device name: a 32-character site code, "-" and a 63-character hostname
SHOWN_TARGET_CHARS = 96


def shown(key: str) -> str:
    """A scrape's target as labels and logs may carry it: control characters replaced, and
    cut to :data:`SHOWN_TARGET_CHARS` with an ellipsis."""
    if len(key) > SHOWN_TARGET_CHARS:
        key = key[:SHOWN_TARGET_CHARS] + "…"
    return clean_label(key).replace("\n", "\ufffd")  # a newline too: one line in the log


class PollFn(Protocol):
    """The polling core's ``poll``; injected, so tests hand in recorded results."""

    async def __call__(
        self,
        target: SnmpTarget,
        module: Module,
        *,
        timeout_s: float = ...,
        retries: int = ...,
        budget_s: float | None = ...,
    ) -> PollResult: ...


@dataclass(frozen=True, slots=True)
class Resolved:
    key: str  # what the scrape asked for
    device: Device | None
    target: SnmpTarget | None  # None: not pollable, see error and detail
    error: PollError | None = None
    detail: str = ""

    def failed(self, module: str) -> PollResult:
        """The poll result of a target that could not be polled at all."""
        name = self.device.name if self.device is not None else shown(self.key)
        address = self.target.address if self.target is not None else ""
        return PollResult(name, address, module, ok=False, error=self.error, detail=self.detail)


class Targets:
    """Inventory device (by name or address) -> :class:`SnmpTarget`."""

    def __init__(
        self,
        inv: Inventory,
        secrets: SecretStore,
        address_map: AddressMap | None = None,
        *,
        port: int = 161,
    ):
        self.inv = inv
        self.secrets = secrets
        self.address_map = address_map or AddressMap()
        self.port = port
        # both the inventory's address and the one packets go to name the device
        self._by_address: dict[str, Device] = {}
        for d in inv.devices.values():
            self._by_address.setdefault(str(self.address_map(d.mgmt_ip)), d)
        for d in inv.devices.values():
            self._by_address[str(d.mgmt_ip)] = d

    def device(self, key: str) -> Device | None:
        return self.inv.devices.get(key) or self._by_address.get(key)

    def address(self, device: Device) -> IPv4Address:
        return self.address_map(device.mgmt_ip)

    def resolve(self, key: str) -> Resolved:
        device = self.device(key.strip())
        if device is None:
            why = f"{shown(key)!r} is not a device of the inventory"
            return Resolved(key, None, None, PollError.unknown_target, why)
        if device.snmp is None or not device.platform.snmp:
            why = "has no SNMP profile" if device.snmp is None else "runs a platform without SNMP"
            return Resolved(key, device, None, PollError.unknown_target, f"{device.name} {why}")
        try:
            credentials = self.secrets.snmp(device.snmp)
        except MissingSecret as e:  # names the variable to set, never a value
            return Resolved(key, device, None, PollError.credentials, str(e))
        except (OSError, ValueError) as e:  # the secrets file: unreadable, too open
            return Resolved(key, device, None, PollError.credentials, f"secrets file: {e}")
        except yaml.YAMLError:  # its message quotes the file's text: say only where
            why = f"secrets file {self.secrets.file}: not valid YAML"
            return Resolved(key, device, None, PollError.credentials, why)
        address = str(self.address(device))
        return Resolved(key, device, SnmpTarget(device.name, address, credentials, self.port))
