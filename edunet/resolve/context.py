"""State shared by the resolve steps: the source, the problems, and what is built so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from edunet import model, schema
from edunet.errors import Problems
from edunet.ipam import IpPlan
from edunet.load import PathKey, Source
from edunet.resolve.messages import quote, report_validation

M = TypeVar("M", bound=BaseModel)


@dataclass
class Owner:
    """Who holds a unique value, and where it was declared (for 'already used by …')."""

    what: str
    path: PathKey
    pool: bool = False  # an IP-plan pool: the prefixes allocated from it lie inside it
    pinned: bool = False  # written in the inventory, not allocated: the one to change


@dataclass
class Ctx:
    source: Source
    problems: Problems
    city: model.City | None = None
    plan: IpPlan | None = None
    plan_input: schema.IpPlan | None = None
    sample: bool = False
    defaults: schema.DefaultCredentials = field(default_factory=schema.DefaultCredentials)
    vlan_types: dict[str, schema.VlanType] = field(default_factory=dict)
    districts: dict[str, model.District] = field(default_factory=dict)
    models: dict[str, model.HardwareModel] = field(default_factory=dict)
    profiles: dict[str, tuple[int, schema.Profile]] = field(default_factory=dict)
    snmp: dict[str, model.SnmpProfile] = field(default_factory=dict)
    ssh: dict[str, model.SshProfile] = field(default_factory=dict)
    # names of items that failed their schema: references to them are not reported again
    broken: dict[str, set[str]] = field(default_factory=dict)
    # built
    sites: dict[str, model.Site] = field(default_factory=dict)
    site_paths: dict[str, PathKey] = field(default_factory=dict)
    devices: dict[str, model.Device] = field(default_factory=dict)
    device_paths: dict[str, PathKey] = field(default_factory=dict)
    links: dict[str, model.Link] = field(default_factory=dict)
    applications: dict[str, model.Application] = field(default_factory=dict)
    vms: dict[str, model.Vm] = field(default_factory=dict)
    # uniqueness registers
    addresses: dict[IPv4Address, Owner] = field(default_factory=dict)
    prefixes: list[tuple[IPv4Network, Owner]] = field(default_factory=list)
    serials: dict[str, Owner] = field(default_factory=dict)
    asset_tags: dict[str, Owner] = field(default_factory=dict)
    used_ports: dict[tuple[str, str], str] = field(default_factory=dict)
    # uplink targets that are no site, with how many uplinks name each
    unknown_uplink_sites: dict[str, int] = field(default_factory=dict)

    # --- reporting -----------------------------------------------------------------------

    def error(self, path: PathKey, message: str, hint: str = "", key: bool = False) -> None:
        self.problems.add(self.source.problem(path, message, hint, key))

    def line_of(self, path: PathKey) -> str:
        file, line, _ = self.source.where(path)
        return f"{file}:{line}"

    def validate(self, cls: type[M], data: Any, path: PathKey, what: str) -> M | None:
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            report_validation(e, path, self.source, self.problems, what, cls)
            return None

    def is_broken(self, section: str, name: str) -> bool:
        return name in self.broken.get(section, set())

    def mark_broken(self, section: str, name: str) -> None:
        """Remember a rejected item so references to it are not reported again."""
        self.broken.setdefault(section, set()).add(name)

    def device_is_broken(self, name: str) -> bool:
        """A device of a rejected (or missing but referred to) site, or a VM never built.

        Generated device names start with their site's code, so a reference to
        ``ttdl-rt1`` is a knock-on of the rejected site TTDL, whatever its devices were.
        """
        if name in self.broken.get("devices", ()):
            return True
        return any(name.startswith(code.lower() + "-") for code in self.broken.get("sites", ()))

    # --- registers -----------------------------------------------------------------------

    def claim_address(
        self, ip: IPv4Address, what: str, path: PathKey, pinned: bool = False
    ) -> None:
        """Register an address; a clash is reported at the pin, whichever came first."""
        other = self.addresses.get(ip)
        if other is None:
            self.addresses[ip] = Owner(what, path, pinned=pinned)
            return
        if other.pinned and not pinned:  # the plan's address was taken by an earlier pin
            self.error(
                other.path,
                f"{other.what}: pinned address {ip} is the IP plan's address of {what} "
                f"({self.line_of(path)})",
                "pin another address, or remove the pin to take the IP plan's",
            )
            return
        self.error(
            path,
            f"{what}: address {ip} is already used by {other.what} ({self.line_of(other.path)})",
            "pin another address, or remove the pin to take the IP plan's"
            if pinned
            else "pin another address for one of the two",
        )

    def claim_unique(
        self, register: dict[str, Owner], value: str, kind: str, what: str, path: PathKey
    ) -> None:
        other = register.get(value)
        if other is not None:
            self.error(
                path,
                f"{what}: {kind} {quote(value)} is already used by {other.what} "
                f"({self.line_of(other.path)})",
                f"each {kind} must be unique across the city; correct one of them",
            )
            return
        register[value] = Owner(what, path)
