"""The proposal: what the walk found that the inventory lacks (devices, links), and where
the two disagree (model, serial, a neighbour on another port)."""

from __future__ import annotations

from dataclasses import dataclass, field

from edunet.model import Inventory, Link
from exporters.discover.match import Catalogue, Matcher, SiteGuess
from exporters.discover.tell import Told
from exporters.discover.walk import Walk
from exporters.snmp.reconcile import same_port

__all__ = ["End", "Mismatch", "NewDevice", "NewLink", "Proposal", "propose"]


@dataclass(frozen=True, slots=True)
class NewDevice:
    name: str
    address: str
    model: str  # the catalogue's name; "" when neither ENTITY-MIB nor sysObjectID tells
    model_from: str  # "entity", "sysObjectID" or ""
    reported_model: str  # entPhysicalModelName as the device says it
    object_id: str
    serial: str
    role: str
    site: SiteGuess
    location: str


@dataclass(frozen=True, slots=True, order=True)
class End:
    device: str
    port: str


@dataclass(frozen=True, slots=True)
class NewLink:
    a: End
    b: End
    speed_mbps: int | None  # the port speed, as the first end reports it


@dataclass(frozen=True, slots=True)
class Mismatch:
    device: str
    kind: str  # "model", "serial", "neighbour_port", "name"
    port: str
    expected: str
    found: str


@dataclass(slots=True)
class Proposal:
    matched: list[str] = field(default_factory=list)  # inventory devices found as declared
    devices: list[NewDevice] = field(default_factory=list)
    links: list[NewLink] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    unreachable: list[tuple[str, str, str]] = field(default_factory=list)  # address, device, why
    # inventory devices no answer came from, at their address or elsewhere: device, address, why
    not_answering: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0


def propose(inv: Inventory, walk: Walk) -> Proposal:
    matcher, catalogue = Matcher(inv), Catalogue(inv)
    out = Proposal(seconds=walk.seconds)
    names: dict[str, str] = {}  # address -> the device's name (the inventory's when known)
    reached: set[str] = set()
    for address, told in sorted(walk.told.items(), key=lambda kv: kv[1].name):
        device = matcher.device(told)
        if device is None:
            out.devices.append(_new_device(told, matcher, catalogue))
            names[address] = told.name
            continue
        names[address] = device.name
        reached.add(device.name)
        before = len(out.mismatches)
        out.mismatches.extend(_chassis(inv, device.name, told))
        if len(out.mismatches) == before:
            out.matched.append(device.name)
    for address, why in sorted(walk.failed.items()):
        known = matcher.by_address.get(address)
        out.unreachable.append((address, known.name if known else "", why))
    out.not_answering = _not_answering(inv, walk, reached)
    _links(inv, walk, matcher, names, out)
    return out


NOT_REACHED = "not reached: no LLDP neighbour advertises it and no sweep covers its address"


def _not_answering(inv: Inventory, walk: Walk, reached: set[str]) -> list[tuple[str, str, str]]:
    """Declared devices that answer SNMP and said nothing (those polled and failed are
    reported as unreachable already): where the sweep probed them, its reason."""
    out = []
    for d in inv.devices.values():
        if d.snmp is None or not d.platform.snmp or d.name in reached:
            continue
        address = str(d.mgmt_ip)
        if address not in walk.failed:
            out.append((d.name, address, walk.silent.get(address, NOT_REACHED)))
    return out


def _new_device(told: Told, matcher: Matcher, catalogue: Catalogue) -> NewDevice:
    model, how = catalogue.model(told)
    return NewDevice(
        name=told.name,
        address=told.address,
        model=model.model if model is not None else "",
        model_from=how,
        reported_model=told.model,
        object_id=told.object_id,
        serial=told.serial,
        role=model.role.value if model is not None else "",
        site=matcher.site(told.address, told.name),
        location=told.location,
    )


def _chassis(inv: Inventory, name: str, told: Told) -> list[Mismatch]:
    device = inv.devices[name]
    out = []
    if told.model and told.model.lower() != device.model.model.lower():
        out.append(Mismatch(name, "model", "", device.model.model, told.model))
    record = device.hardware
    if told.serial and record is not None and told.serial != record.serial:
        out.append(Mismatch(name, "serial", "", record.serial, told.serial))
    if told.name and told.name.lower() != name.lower():
        out.append(Mismatch(name, "name", "", name, told.name))
    return out


def _links(
    inv: Inventory, walk: Walk, matcher: Matcher, names: dict[str, str], out: Proposal
) -> None:
    between: dict[frozenset[str], list[Link]] = {}
    for link in inv.links.values():
        if link.a.device and link.b.device:
            between.setdefault(frozenset((link.a.device, link.b.device)), []).append(link)
    seen: set[tuple[End, End]] = set()
    for address, told in sorted(walk.told.items()):
        here = names[address]
        for heard in told.neighbours:
            far_device = matcher.named(heard.name, heard.address)
            far = far_device.name if far_device is not None else heard.name
            if heard.address in names:
                far = names[heard.address]
            a, b = sorted((End(here, heard.port), End(far, heard.remote_port)))
            if (a, b) in seen:
                continue
            seen.add((a, b))
            declared = between.get(frozenset((here, far)), [])
            if not declared:
                out.links.append(NewLink(a, b, told.speeds.get(heard.port)))
                continue
            wrong = _wrong_ports(declared, here, heard.port, far, heard.remote_port)
            if wrong is not None:
                out.mismatches.append(wrong)


def _wrong_ports(
    declared: list[Link], here: str, port: str, far: str, far_port: str
) -> Mismatch | None:
    """None when one of the declared links between the two devices has these ports (where the
    inventory records a port); else the mismatch against the first of them."""

    def ends(link: Link) -> tuple[str | None, str | None]:
        if link.a.device == here:
            return link.a.port, link.b.port
        return link.b.port, link.a.port

    for link in declared:
        mine, theirs = ends(link)
        if (mine is None or same_port(mine, port)) and (
            theirs is None or same_port(theirs, far_port)
        ):
            return None
    mine, theirs = ends(declared[0])
    expected = f"{mine or '?'} -> {far}:{theirs or '?'}"
    return Mismatch(here, "neighbour_port", port, expected, f"{port} -> {far}:{far_port}")
