"""One discovery from start to finish: seeds and credentials from the inventory, the walk,
the proposal; and the proposal as rows and JSON."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from edunet.model import DeviceRole, Inventory, SnmpProfile
from edunet.secrets import MissingSecret, SecretStore, SnmpCredentials
from exporters.discover.propose import Proposal, propose
from exporters.discover.sweep import Sweep
from exporters.discover.walk import Progress, Walk, WalkOptions, walk

__all__ = ["as_json", "default_seeds", "discover", "rows"]

CORE_ROLES = (DeviceRole.router, DeviceRole.firewall, DeviceRole.core_switch)


def default_seeds(inv: Inventory) -> list[str]:
    """The data center's routers, firewalls and core switches that answer SNMP."""
    return [
        str(d.mgmt_ip)
        for d in inv.site_devices(inv.datacenter.code)
        if d.role in CORE_ROLES and d.snmp is not None and d.platform.snmp
    ]


class Credentials:
    """An address's credentials: the inventory device's profile there, else ``profile``."""

    def __init__(self, inv: Inventory, secrets: SecretStore, profile: SnmpProfile | None):
        self.profiles = {str(d.mgmt_ip): d.snmp for d in inv.devices.values() if d.snmp}
        self.secrets, self.profile = secrets, profile
        self.cache: dict[str, SnmpCredentials | str] = {}

    def __call__(self, address: str) -> SnmpCredentials | str:
        profile = self.profiles.get(address) or self.profile
        if profile is None:
            return "credentials: no SNMP profile to try (--snmp-profile)"
        found = self.cache.get(profile.name)
        if found is None:
            try:
                found = self.secrets.snmp(profile)
            except MissingSecret as e:  # names the variable to set, never a value
                found = f"credentials: {e}"
            except (OSError, ValueError) as e:
                found = f"credentials: secrets file: {e}"
            self.cache[profile.name] = found
        return found


def discover(
    inv: Inventory,
    seeds: Sequence[str],
    credentials: Credentials,
    options: WalkOptions,
    progress: Progress | None = None,
    sweep: Sweep | None = None,
) -> tuple[Walk, Proposal]:
    async def main() -> Walk:
        from exporters.snmp.poll import poll
        from exporters.snmp.session import close_session, session

        session(max(options.concurrency, 1))
        try:
            return await walk(seeds, credentials, poll, options, progress, sweep)
        finally:
            close_session()

    done = asyncio.run(main())
    return done, propose(inv, done)


def rows(p: Proposal) -> list[dict[str, Any]]:
    """One row per finding: a missing device or link, a mismatch, an unreachable address,
    a declared device that did not answer."""
    out: list[dict[str, Any]] = []
    for d in p.devices:
        model = f"{d.model} (by {d.model_from})" if d.model else f"? {d.reported_model}"
        out.append(
            {
                "finding": "device missing",
                "device": d.name,
                "where": d.site.code,
                "detail": f"{model}, serial {d.serial or '?'}, {d.address}",
            }
        )
    for link in p.links:
        out.append(
            {
                "finding": "link missing",
                "device": link.a.device,
                "where": link.a.port,
                "detail": f"{link.b.device}:{link.b.port}",
            }
        )
    for m in p.mismatches:
        out.append(
            {
                "finding": m.kind,
                "device": m.device,
                "where": m.port,
                "detail": f"inventory {m.expected}, network {m.found}",
            }
        )
    for address, device, why in p.unreachable:
        out.append({"finding": "unreachable", "device": device, "where": address, "detail": why})
    for device, address, why in p.not_answering:
        finding = "declared, not answering"
        out.append({"finding": finding, "device": device, "where": address, "detail": why})
    return out


def as_json(p: Proposal, w: Walk) -> dict[str, Any]:
    return {
        "reached": w.reached,
        "probes": w.probes,
        "seconds": round(w.seconds, 3),
        "matched": p.matched,
        "devices": [
            {
                "name": d.name,
                "address": d.address,
                "model": d.model or None,
                "model_from": d.model_from or None,
                "reported_model": d.reported_model,
                "sys_object_id": d.object_id,
                "serial": d.serial or None,
                "role": d.role or None,
                "site": d.site.site,
                "site_code": d.site.code,
                "district": d.site.district,
                "slot": d.site.slot,
                "location": d.location,
            }
            for d in p.devices
        ],
        "links": [
            {"a": f"{x.a.device}:{x.a.port}", "b": f"{x.b.device}:{x.b.port}"} for x in p.links
        ],
        "mismatches": [
            {
                "device": m.device,
                "kind": m.kind,
                "port": m.port,
                "expected": m.expected,
                "found": m.found,
            }
            for m in p.mismatches
        ],
        "unreachable": [
            {"address": a, "device": d or None, "why": why} for a, d, why in p.unreachable
        ],
        "not_answering": [{"device": d, "address": a, "why": why} for d, a, why in p.not_answering],
    }
