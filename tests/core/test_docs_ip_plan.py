"""docs/ip-plan.md against the example city: worked example, tables, quoted output."""

from __future__ import annotations

import re
import zlib
from ipaddress import IPv4Network
from pathlib import Path

from doc_blocks import (
    ALL_BLOCKS,
    SMALL,
    block_id,
    marked_table,
    text_of,
)

import edunet
from edunet.ipam import IpPlan
from edunet.ipam_report import check, pool_usage, site_plan
from edunet.model import Inventory

# --- 2. ip-plan.md against the example city ---------------------------------------------------


def worked_example() -> tuple[str, str]:
    text = text_of("ip-plan.md")
    found = re.search(r"<!-- worked-example: (\S+) -->\n(.*?)\n## ", text, re.S)
    assert found is not None
    prose = re.sub(r"```.*?```", "", found[2], flags=re.S)
    return found[1], prose


ADDRESS = re.compile(r"`(\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)`")


def site_values(inv: Inventory, plan: IpPlan, code: str) -> set[str]:
    """Every address and prefix the worked example may quote for one site."""
    site = inv.sites[code]
    p = plan.plan
    out = {str(n) for n in (p.management, p.sites, p.loopbacks, p.p2p)}
    out |= {
        str(plan.area_management(site.area)),
        str(plan.area_sites(site.area)),
        str(plan.area_loopbacks(site.area)),
        str(plan.area_p2p(site.area)),
        str(plan.site_block(site.area, site.slot)),
    }
    for v in site.vlans:
        out |= {str(v.prefix), str(v.gateway)}
    for d in inv.site_devices(code):
        out |= {str(d.mgmt_interface), str(d.mgmt_ip)}
        if d.loopback is not None:
            out.add(str(d.loopback))
    for link in inv.site_links(code):
        if link.p2p is not None:
            out.add(str(link.p2p))
            out |= {str(e.ip.ip) for e in (link.a, link.b) if e.ip is not None}
    return out


def test_worked_example_quotes_only_the_site_s_addresses(small: Inventory, plan: IpPlan) -> None:
    code, prose = worked_example()
    quoted = set(ADDRESS.findall(prose))
    assert quoted <= site_values(small, plan, code)
    for row in site_plan(small, code):  # and it derives every one of them
        address = row["address"]
        assert {address, address.split("/")[0]} & quoted, row
        assert not row["gateway"] or row["gateway"] in quoted, row


def test_worked_example_tables(small: Inventory) -> None:
    code, prose = worked_example()
    site = small.sites[code]
    vlans = {v.name: v for v in site.vlans}
    devices = vlan_rows = 0
    for line in prose.splitlines():
        device = re.match(r"^\| `([a-z0-9-]+)` \|.*\| `([0-9./]+)` \|$", line)
        if device:
            assert device[1] in site.devices, line
            assert str(small.devices[device[1]].mgmt_interface) == device[2], line
            devices += 1
        vlan = re.match(r"^\| ([a-z]+) \| (\d+) \| `([0-9./]+)` \| `([0-9.]+)` \|$", line)
        if vlan:
            v = vlans[vlan[1]]
            assert (str(v.id), str(v.prefix), str(v.gateway)) == vlan.group(2, 3, 4), line
            vlan_rows += 1
    assert devices == len(site.devices)
    assert vlan_rows == len(site.vlans) - 1  # the management VLAN is in the prose


def test_quoted_ipam_output(small: Inventory) -> None:
    seen = 0
    for b in ALL_BLOCKS:
        lines = b.body.splitlines()
        rows = [[c.strip() for c in ln.strip("│").split("│")] for ln in lines if ln[:1] == "│"]
        show = re.fullmatch(r"\$ edunet ipam show (\S+) -i tests/core/data/small\.yaml", lines[0])
        if show:
            site = small.sites[show[1]]
            assert lines[1] == f"{site.code} — {site.name} (area {site.area}, slot {site.slot})"
            columns = ("kind", "name", "vlan", "address", "gateway", "note")
            expected = [
                ["" if r[k] is None else str(r[k]) for k in columns]
                for r in site_plan(small, site.code)
            ]
            assert rows == expected, block_id(b)
            seen += 1
        if lines[0] == "$ edunet ipam check -i tests/core/data/small.yaml":
            columns = ("area", "name", "sites", "highest_slot")
            assert rows == [[str(r[k]) for k in columns] for r in pool_usage(small)]
            assert check(small) == []
            assert lines[-1] == "IP plan is sound: no duplicate address, no overlapping prefix"
            seen += 1
    assert seen == 2


def test_areas_table(plan: IpPlan) -> None:
    header, _, *rows = marked_table("ip-plan.md", "areas")
    areas = {j: int(m[1]) for j, h in enumerate(header) if (m := re.match(r"area (\d+)", h))}
    blocks = {
        "management": (
            plan.plan.management,
            plan.plan.area_management_prefix,
            plan.area_management,
        ),
        "sites": (plan.plan.sites, plan.plan.area_sites_prefix, plan.area_sites),
        "loopbacks": (plan.plan.loopbacks, plan.plan.area_loopbacks_prefix, plan.area_loopbacks),
        "p2p": (plan.plan.p2p, plan.plan.area_p2p_prefix, plan.area_p2p),
    }
    assert [r[0] for r in rows] == list(blocks)
    for row in rows:
        pool, prefix, area_block = blocks[row[0]]
        assert row[1].startswith(f"`{pool}` + n × /{prefix}"), row
        for j, area in areas.items():
            assert row[j] == f"`{area_block(area)}`", row


def test_sites_table(small: Inventory, plan: IpPlan) -> None:
    _, _, *rows = marked_table("ip-plan.md", "sites")
    assert [r[0] for r in rows] == list(small.sites)
    for code, area, slot, management, block, loopback in rows:
        site = small.sites[code]
        assert (int(area), int(slot)) == (site.area, site.slot), code
        mgmt = next(v for v in site.vlans if v.management)
        assert management == f"`{mgmt.prefix}`", code
        lans = [v.prefix for v in site.vlans if not v.management]
        if block == "pinned segments":
            assert lans and not any(n.subnet_of(plan.plan.sites) for n in lans), code
        else:
            site_block = plan.site_block(site.area, site.slot)
            assert block == f"`{site_block}`", code
            assert all(n.subnet_of(site_block) for n in lans), code
        assert site.gateway is not None
        assert loopback == f"`{small.devices[site.gateway].loopback}`", code


def test_core_link_example(doc_inventory: Inventory, plan: IpPlan) -> None:
    text = " ".join(text_of("ip-plan.md").split())  # sentences run over line ends
    link = doc_inventory.links["so-ttdl-dark-fibre"]
    assert link.p2p is not None and link.a.ip is not None and link.b.ip is not None
    area0 = plan.area_p2p(0)
    half = area0.num_addresses // 4  # /31s in the upper half
    upper = IPv4Network(
        (int(area0.network_address) + area0.num_addresses // 2, area0.prefixlen + 1)
    )
    crc = zlib.crc32(link.id.encode())
    number = 2 * half - 1 - crc % half
    assert f"`{upper}` in the example city: {half:,} /31s" in text
    assert f"/31 number {2 * half - 1} − (CRC-32 mod {half})" in text
    assert f"CRC-32 {crc}, which is {crc % half} mod {half}" in text
    assert f"/31 number {number}, offset {2 * number}: `{link.p2p}`" in text
    a, b = (str(e.ip.ip).rsplit(".", 1)[1] for e in (link.a, link.b))
    assert f"({link.a.device} `.{a}`, {link.b.device} `.{b}`)" in text


def test_vm_example(small: Inventory) -> None:
    text = " ".join(text_of("ip-plan.md").split())
    one, two = (small.vms[n].ip.ip for n in ("portal-01", "portal-02"))
    assert f"`portal-01` is `{one}` and `portal-02` `{two}`" in text


def test_adding_a_school_moves_nothing(small: Inventory, plan: IpPlan, tmp_path: Path) -> None:
    (tmp_path / "00-small.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "50-new.yaml").write_text(
        'sites:\n  - {code: "79760045", kind: school, name: Trường Tiểu học Mới, level: tieu_hoc,'
        ' district: "760", address: "1 Đường Mới", profile: tieu-hoc}\n',
        encoding="utf-8",
    )
    grown = edunet.load(tmp_path)
    for code in small.sites:  # every row stays; the office only gains the new school's /31
        rows = [r for r in site_plan(grown, code) if not r["name"].startswith("79760045-")]
        assert rows == site_plan(small, code), code
    new = grown.sites["79760045"]
    mgmt = next(v.prefix for v in new.vlans if v.management)
    text = " ".join(text_of("ip-plan.md").split())
    assert (
        f"took `{mgmt}` and `{plan.site_block(new.area, new.slot)}`, its own slot {new.slot}"
        in text
    )


def test_capacity(plan: IpPlan) -> None:
    text = text_of("ip-plan.md")
    p = plan.plan
    areas = min(
        1 << (prefix - pool.prefixlen)
        for pool, prefix in (
            (p.management, p.area_management_prefix),
            (p.sites, p.area_sites_prefix),
            (p.loopbacks, p.area_loopbacks_prefix),
            (p.p2p, p.area_p2p_prefix),
        )
    )
    assert f"districts numbered **1–{areas - 1}**" in text
    p2p_slots = (1 << (32 - p.area_p2p_prefix)) // 2 // 4
    assert (
        f"| slots per area, uplinks | /{p.area_p2p_prefix} = {p2p_slots * 4:,} /31s ÷ 4 per slot "
        f"| {p2p_slots:,} |" in text
    )
