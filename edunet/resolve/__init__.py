"""From the raw document to one immutable :class:`~edunet.model.Inventory`.

Steps run in dependency order; each records problems and carries on with what is
valid, so one run reports every mistake. References to items that already failed
their own validation are not reported a second time.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from edunet import model, schema
from edunet.errors import Problems
from edunet.load import Source
from edunet.resolve.applications import build_applications
from edunet.resolve.catalogue import (
    build_credentials,
    build_districts,
    build_models,
    build_plan,
    build_profiles,
)
from edunet.resolve.context import Ctx
from edunet.resolve.links import (
    build_explicit_links,
    build_lan_links,
    build_uplinks,
    check_connected,
    note_unknown_uplink_sites,
)
from edunet.resolve.messages import report_validation
from edunet.resolve.services import build_services
from edunet.resolve.sites import build_sites, finish_sites, overlapping_prefixes

__all__ = ["resolve"]

M = TypeVar("M", bound=schema.Strict)


def resolve(source: Source, problems: Problems) -> model.Inventory | None:
    ctx = Ctx(source, problems)
    data = source.data
    try:  # the top level; list sections are checked item by item below
        schema.Document.model_validate(data)
    except ValidationError as e:
        report_validation(e, (), source, problems, "inventory", schema.Document)
    # carry on with whatever parts are valid on their own, to find every mistake in one run
    ctx.plan_input = _part(schema.IpPlan, data.get("ip_plan"))
    city = _part(schema.City, data.get("city"))
    ctx.city = model.City(city.code, city.name, city.domain) if city else None
    ctx.defaults = _part(schema.DefaultCredentials, data.get("defaults")) or ctx.defaults
    sample = data.get("sample") is True
    build_plan(ctx)
    build_districts(ctx)
    build_credentials(ctx, data.get("credentials"))
    build_models(ctx)
    build_profiles(ctx)
    drafts = build_sites(ctx)
    note_unknown_uplink_sites(ctx, drafts)
    build_explicit_links(ctx)  # before uplinks: explicit ports win over defaults
    build_uplinks(ctx, drafts)
    check_connected(ctx, drafts)
    build_lan_links(ctx, drafts)
    finish_sites(ctx, drafts)
    build_applications(ctx)
    services = build_services(ctx, data.get("services"))
    _check_city(ctx)
    overlapping_prefixes(ctx)
    if problems or ctx.city is None:
        return None
    by_site: dict[str, list[str]] = {}
    for link in ctx.links.values():
        for end in (link.a, link.b):
            if end.site is not None:
                ids = by_site.setdefault(end.site, [])
                if not ids or ids[-1] != link.id:
                    ids.append(link.id)
    return model.Inventory(
        city=ctx.city,
        sample=sample,
        districts=ctx.districts,
        models=ctx.models,
        snmp_profiles=ctx.snmp,
        ssh_profiles=ctx.ssh,
        sites=ctx.sites,
        devices=ctx.devices,
        links=ctx.links,
        applications=ctx.applications,
        vms=ctx.vms,
        sources=tuple(source.files),
        services=services,
        plan=ctx.plan,
        _by_site_links={k: tuple(v) for k, v in by_site.items()},
    )


def _part(cls: type[M], value: object) -> M | None:
    """A single section, or None when it is absent or broken (already reported)."""
    try:
        return cls.model_validate(value) if isinstance(value, dict) else None
    except ValidationError:
        return None


def _check_city(ctx: Ctx) -> None:
    """Whole-city rules: one Department, one data center, one office per district."""
    kinds: dict[schema.SiteKind, list[str]] = {}
    for code, site in ctx.sites.items():
        kinds.setdefault(site.kind, []).append(code)
    for kind in (schema.SiteKind.department, schema.SiteKind.datacenter):
        found = kinds.get(kind, [])
        if not found and not ctx.is_broken("site_kinds", kind.value) and ctx.sites:
            named = ""
            if kind is schema.SiteKind.datacenter and ctx.unknown_uplink_sites:
                named = " (uplinks go to " + ", ".join(map(repr, ctx.unknown_uplink_sites))
                named += ", which is not declared)"
            ctx.error(
                ("sites",),
                f"the inventory has no {kind.value} site{named}",
                f"add the {kind.value} (kind: {kind.value}) to the sites",
                key=True,
            )
        if len(found) > 1:
            ctx.error(
                ctx.site_paths[found[1]],
                f"site {found[1]}: a second {kind.value} (the first is {found[0]})",
                f"the city has one {kind.value}; make this another kind of site",
            )
    # one office per district and IP-plan area: a merged unit keeps each former office
    offices: dict[tuple[str, int], str] = {}
    for code in kinds.get(schema.SiteKind.district_office, []):
        district, area = ctx.sites[code].district, ctx.sites[code].area
        if (district, area) in offices:
            ctx.error(
                ctx.site_paths[code],
                f"site {code}: district {district} already has its office "
                f"{offices[(district, area)]}",
                "one district office per district",
            )
        offices[(district, area)] = code
