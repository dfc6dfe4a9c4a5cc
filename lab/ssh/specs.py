"""Which switches to run, where they listen, and how one logs in: plain data, no Twisted.

A switch serves an inventory device (its hostname, its model's real port names, at its
management address mapped into the lab) or, for benchmarks, an anonymous one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from edunet.model import Device, Inventory
from edunet.reach import LAB_MAP
from edunet.secrets import MissingSecret, Secret, SecretStore

IOS_PLATFORMS = ("cisco_ios", "cisco_xe")
DEFAULT_PROFILE = "netops"
# --count mode only: anonymous benchmark switches need no lab secrets
DEFAULT_LOGIN = ("admin", "admin", "cisco")
ANONYMOUS_MODEL = "cisco_2960_24TT_L"  # Fa0/1-24 and Gi0/1-2
MAX_SWITCHES = 5000


@dataclass(frozen=True, slots=True)
class SwitchSpec:
    device: str  # the inventory device (the fault key) or the anonymous name
    host: str  # listen address, in 127.0.0.0/8
    port: int
    profile: str  # SSH profile whose login this switch takes
    ports: tuple[str, ...] = ()  # port names; empty: the fake-switches model's own
    model: str = "cisco_generic"  # fake-switches core


@dataclass(frozen=True, slots=True)
class Login:
    user: str
    password: Secret
    enable: Secret


def lab_devices(inv: Inventory) -> list[Device]:
    """The devices the lab simulates over SSH: every Cisco IOS / IOS XE device with SSH."""
    return [
        d for d in inv.devices.values() if d.platform.name in IOS_PLATFORMS and d.ssh is not None
    ]


def loopback(host: str) -> str:
    if not ipaddress.IPv4Address(host).is_loopback:
        raise ValueError(f"listen address {host} is not in 127.0.0.0/8")
    return host


def inventory_specs(
    inv: Inventory, port: int, names: Iterable[str] | None = None
) -> list[SwitchSpec]:
    """One switch per lab device (or per named device), at LAB_MAP(mgmt_ip):port."""
    devices = lab_devices(inv)
    if names is not None:
        wanted = set(names)
        unknown = wanted - {d.name for d in devices}
        if unknown:
            raise ValueError(f"not Cisco IOS devices with SSH: {', '.join(sorted(unknown))}")
        devices = [d for d in devices if d.name in wanted]
    return [
        SwitchSpec(
            d.name,
            loopback(str(LAB_MAP(d.mgmt_ip))),
            port,
            d.ssh.name if d.ssh else DEFAULT_PROFILE,
            d.model.interfaces,
        )
        for d in sorted(devices, key=lambda d: d.name)
    ]


def count_specs(
    count: int, host: str, port: int, layout: str = "ports", prefix: str = "sw"
) -> list[SwitchSpec]:
    """``count`` anonymous switches: consecutive ports on one address (layout "ports") or
    one port on consecutive addresses from ``host`` (layout "addresses")."""
    if not 1 <= count <= MAX_SWITCHES:
        raise ValueError(f"count must be 1..{MAX_SWITCHES}")
    first = ipaddress.IPv4Address(loopback(host))
    loopback(str(first + count - 1))
    if layout == "ports" and port + count - 1 > 65535:
        raise ValueError("not enough ports above the base port")
    specs = []
    for i in range(count):
        h, p = (host, port + i) if layout == "ports" else (str(first + i), port)
        specs.append(SwitchSpec(f"{prefix}{i + 1:03d}", h, p, DEFAULT_PROFILE, (), ANONYMOUS_MODEL))
    return specs


def profile_prefix(profile: str) -> str:
    return "EDUNET_SSH_" + profile.upper().replace("-", "_")


def logins(
    profiles: Iterable[str], store: SecretStore | None = None, defaults: bool = False
) -> dict[str, Login]:
    """Each profile's user, password and enable secret from ``{prefix}_USER`` … (environment,
    then the secrets file). With ``defaults`` (anonymous switches), missing values fall back
    to the lab's well-known ones; without, a missing value is an error naming the variable."""
    store = store or SecretStore()
    out: dict[str, Login] = {}
    for profile in sorted(set(profiles)):
        p = profile_prefix(profile)
        values = []
        for suffix, fallback in zip(("USER", "PASSWORD", "ENABLE"), DEFAULT_LOGIN, strict=True):
            value = store.get(f"{p}_{suffix}")
            if value is None and not defaults:
                raise MissingSecret(f"SSH profile {profile}: set {p}_{suffix}")
            values.append(value if value is not None else fallback)
        out[profile] = Login(values[0], Secret(values[1]), Secret(values[2]))
    return out
