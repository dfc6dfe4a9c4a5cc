"""The docs cannot drift from the code.

``docs/inventory.md``: every ```yaml block carries an HTML comment on the line above it.

* ``<!-- inventory -->`` (top-level sections) and ``<!-- inventory: SECTION -->`` (items of a
  list section) blocks, one file each in doc order, form an inventory that ``edunet.load``
  accepts;
* ``<!-- schema: Model -->`` blocks hold one key whose entries validate as ``edunet.schema.Model``;
* ``<!-- invalid -->`` blocks, added to that inventory, are refused.

Every ```text block that quotes an error carries ``<!-- error: CASE -->``. The case (a broken
inventory ``bad/NN-…``, a mistake from ``RECIPES`` below, or ``above``: the invalid block just
before it) must produce exactly the quoted problems, file path aside.

``docs/ip-plan.md``: the worked example, the tables marked ``<!-- table: NAME -->`` and the
quoted ``edunet ipam`` output match what edunet resolves for ``data/small.yaml``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path

import pytest
import yaml

import edunet
from edunet import schema
from edunet.ipam import IpPlan
from edunet.ipam_report import check, pool_usage, site_plan
from edunet.model import Inventory

HERE = Path(__file__).parent
DOCS = HERE.parent.parent / "docs"
SMALL = HERE / "data" / "small.yaml"
BAD = HERE / "bad"
SHOWN_AS = "inventory.yaml"  # the file name the docs print in front of a problem


# --- reading the docs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    doc: str
    line: int  # of the opening fence, 1-based
    lang: str
    mark: str  # the HTML comment just above the fence, without "<!--" and "-->"
    body: str

    @property
    def kind(self) -> str:
        return self.mark.partition(":")[0].strip()

    @property
    def arg(self) -> str:
        return self.mark.partition(":")[2].strip()


MARK = re.compile(r"^<!--\s*(.*?)\s*-->$")
FENCE = re.compile(r"^```(\w*)$")


def text_of(doc: str) -> str:
    return (DOCS / doc).read_text(encoding="utf-8")


def blocks_of(doc: str) -> list[Block]:
    lines = text_of(doc).splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        end = lines.index("```", i + 1)
        mark = MARK.match(lines[i - 1]) if i else None
        body = "\n".join(lines[i + 1 : end]) + "\n"
        out.append(Block(doc, i + 1, fence[1], mark[1] if mark else "", body))
        i = end + 1
    return out


INVENTORY_BLOCKS = blocks_of("inventory.md")
ALL_BLOCKS = INVENTORY_BLOCKS + blocks_of("ip-plan.md")
YAML_KINDS = {"inventory", "schema", "invalid"}


def block_id(b: Block) -> str:
    return f"{b.doc}:{b.line}"


def of_kind(kind: str, lang: str = "yaml") -> list[Block]:
    return [b for b in ALL_BLOCKS if b.lang == lang and b.kind == kind]


def preceding_yaml(block: Block) -> Block:
    before = [
        b for b in ALL_BLOCKS if b.doc == block.doc and b.lang == "yaml" and b.line < block.line
    ]
    assert before, f"{block_id(block)}: no yaml block above"
    return before[-1]


def marked_table(doc: str, name: str) -> list[list[str]]:
    """The rows (header, separator, data) of the markdown table after ``<!-- table: name -->``."""
    lines = text_of(doc).splitlines()
    start = lines.index(f"<!-- table: {name} -->") + 1
    rows: list[list[str]] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


# --- loading -----------------------------------------------------------------------------------


def problem_lines(path: Path, replace: dict[str, str]) -> list[str]:
    """The problems of loading ``path`` as the CLI prints them, file paths as the docs show them."""
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(path)
    text = "\n".join(p.format() for p in info.value.problems)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.splitlines()


def write_doc_inventory(root: Path, mistake: Block | None = None) -> Path:
    """The doc's inventory blocks as a directory, one file per block in doc order."""
    d = root / "inventory"
    d.mkdir()
    n = 0
    for b in INVENTORY_BLOCKS:
        if b.lang != "yaml" or b.kind != "inventory":
            continue
        text = f"{b.arg}:\n{b.body}" if b.arg else b.body
        (d / f"{n:02d}-line{b.line}.yaml").write_text(text, encoding="utf-8")
        n += 1
    if mistake is not None:
        (d / "99-mistake.yaml").write_text(mistake.body, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def doc_inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    return edunet.load(write_doc_inventory(tmp_path_factory.mktemp("doc")))


@pytest.fixture(scope="module")
def plan() -> IpPlan:
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    return IpPlan(schema.IpPlan.model_validate(raw["ip_plan"]), {})


# --- mistakes the docs quote that have no case under bad/ --------------------------------------


def _edit(*changes: tuple[str, str]) -> dict[str, str]:
    text = SMALL.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return {"inventory.yaml": text}


RECIPES: dict[str, Callable[[], dict[str, str]]] = {
    "four-mistakes": lambda: _edit(
        ("bandwidth_mbps: 500}", "bandwidth_mbps: 500, password: hunter2}"),
        ("    pupils: 1450", "    pupil: 1450"),
        ('code: "79760031"', 'code: "7976031"'),
        ("pupils: 1210}", "pupils: 1210, devices: [{role: access_switch, model: WS-C2960X-24TS}]}"),
    ),
    "slot-taken": lambda: _edit(('code: "79785007"', 'code: "79785000"')),
    "vlan-does-not-fit": lambda: _edit(
        (
            "  - {name: dmz, id: 140, title: DMZ}\n",
            "  - {name: dmz, id: 140, title: DMZ}\n"
            "  - {name: voice, id: 60, title: Thoại, prefix_length: 25}\n",
        )
    ),
    "district-beyond-areas": lambda: _edit(("number: 22,", "number: 40,")),
    "fifth-routed-uplink": lambda: _edit(
        (
            "bandwidth_mbps: 150}]}",
            "bandwidth_mbps: 150}, "
            "{to: internet, isp: FPT, medium: ftth, bandwidth_mbps: 150, port: ether3}, "
            "{to: internet, isp: VNPT, medium: 4g, bandwidth_mbps: 50, port: ether4}, "
            "{to: district, isp: Viettel, medium: metronet, bandwidth_mbps: 100, port: ether5}]}",
        )
    ),
    "core-slot-too-high": lambda: _edit(("    slot: 1\n", "    slot: 600\n")),
    "dmz-too-small": lambda: _edit(("dmz: 10.0.40.0/24}", "dmz: 10.0.40.0/29}")),
    "split-city-twice": lambda: {
        "inventory/00-city.yaml": SMALL.read_text(encoding="utf-8"),
        "inventory/40-dup.yaml": 'city: {code: "79", name: Thành phố Hồ Chí Minh, '
        "domain: hcm.edu.vn}\n",
    },
}


def produce(case: str, tmp: Path) -> list[str]:
    """The problem lines of a named case: ``bad/NN-…`` or a recipe."""
    if case.startswith("bad/"):
        path = BAD / f"{case.removeprefix('bad/')}.yaml"
        assert path.is_file(), f"no case {case}"
        return problem_lines(path, {str(path): SHOWN_AS})
    assert case in RECIPES, f"no recipe {case!r} in test_docs.RECIPES"
    files = RECIPES[case]()
    for rel, text in files.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text, encoding="utf-8")
    target = tmp / next(iter(files)).split("/")[0]  # the file, or the directory of files
    return problem_lines(target, {f"{tmp}/": ""})


PROBLEM = re.compile(r"^\S+:\d+:\d+: error: \S")
SUMMARY = re.compile(r"^(\d+) problems? in \S+$")


def quoted_problems(block: Block) -> tuple[list[str], int | None]:
    """The problem and fix lines of an error block, and the count its summary line gives."""
    lines: list[str] = []
    count = None
    for line in block.body.splitlines():
        if line.startswith("$ edunet "):
            continue
        summary = SUMMARY.match(line)
        if summary:
            count = int(summary[1])
            continue
        assert PROBLEM.match(line) or line.startswith("    fix: "), (
            f"{block_id(block)}: not a problem line: {line!r}"
        )
        lines.append(line)
    return lines, count


# --- 1. the yaml blocks of inventory.md ------------------------------------------------------


def test_every_yaml_block_is_marked() -> None:
    for b in ALL_BLOCKS:
        if b.lang == "yaml":
            assert b.kind in YAML_KINDS, f"{block_id(b)}: mark it <!-- inventory -->, ..."


def test_inventory_blocks_form_a_valid_inventory(doc_inventory: Inventory) -> None:
    assert len(of_kind("inventory")) >= 10
    kinds = {s.kind for s in doc_inventory.sites.values()}
    assert kinds == set(schema.SiteKind)
    assert doc_inventory.applications and doc_inventory.vms
    assert any(link.kind == "core" for link in doc_inventory.links.values())


def test_comments_in_the_examples_say_what_happens(doc_inventory: Inventory) -> None:
    """``# added: NAME`` and ``# replaces NAME`` in the examples are true."""
    seen = 0
    for b in of_kind("inventory"):
        for line in b.body.splitlines():
            found = re.search(r"#\s*(added:|replaces)\s+([a-z0-9-]+-[a-z]+[0-9]+)\b", line)
            if found is None:
                continue
            seen += 1
            device = doc_inventory.devices[found[2]]
            model = re.search(r"model: ([^,}]+)", line)
            assert model is not None and device.model.model == model[1], line
            pin = re.search(r"mgmt_ip: ([0-9.]+)", line)
            if pin:
                assert str(device.mgmt_ip) == pin[1], line
    assert seen >= 3
    spares = [r for s in doc_inventory.sites.values() for r in s.spares]
    assert spares and all(r.status is schema.HardwareStatus.spare for r in spares)


def test_the_school_in_a_few_lines(doc_inventory: Inventory) -> None:
    text = text_of("inventory.md")
    section = text[text.index("## A school in a few lines") : text.index("## Writing YAML")]
    names = set(re.findall(r"`(79760012-[a-z0-9-]+)`", section))
    site = doc_inventory.sites["79760012"]
    assert names >= set(site.devices) | set(site.uplinks)
    assert names <= set(site.devices) | set(site.uplinks)


@pytest.mark.parametrize("block", of_kind("schema"), ids=block_id)
def test_schema_blocks_validate(block: Block) -> None:
    cls = getattr(schema, block.arg)
    data = yaml.safe_load(block.body)
    assert isinstance(data, dict) and len(data) == 1, block_id(block)
    (entries,) = data.values()
    for entry in entries.values() if isinstance(entries, dict) else entries:
        cls.model_validate(entry)


@pytest.mark.parametrize("block", of_kind("invalid"), ids=block_id)
def test_invalid_blocks_are_refused(block: Block, tmp_path: Path) -> None:
    root = write_doc_inventory(tmp_path, mistake=block)
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(root)
    assert {p.file for p in info.value.problems} == {str(root / "99-mistake.yaml")}


def test_ip_plan_defaults_in_the_table() -> None:
    text = text_of("inventory.md")
    for name, field in schema.IpPlan.model_fields.items():
        if not field.is_required():
            assert f"| `{name}` | integer | no, `{field.default}` |" in text, name


# --- 3. quoted errors -----------------------------------------------------------------------


def test_every_quoted_error_is_marked() -> None:
    for b in ALL_BLOCKS:
        if ": error: " in b.body:
            assert b.kind == "error" and b.arg, f"{block_id(b)}: mark it <!-- error: CASE -->"


@pytest.mark.parametrize("block", of_kind("error", lang="text"), ids=block_id)
def test_quoted_errors_are_what_edunet_says(block: Block, tmp_path: Path) -> None:
    quoted, count = quoted_problems(block)
    if block.arg == "above":
        mistake = preceding_yaml(block)
        assert mistake.kind == "invalid", f"{block_id(block)}: the block above is not invalid"
        root = write_doc_inventory(tmp_path, mistake=mistake)
        actual = problem_lines(root, {str(root / "99-mistake.yaml"): SHOWN_AS})
    else:
        actual = produce(block.arg, tmp_path)
    assert actual == quoted, "\n".join(actual)
    if count is not None:
        assert count == sum(1 for line in actual if PROBLEM.match(line))


INLINE: dict[str, dict[str, str]] = {  # error messages quoted in the prose, and who says them
    "inventory.md": {
        "unknown section 'monitoring'": "bad/03-unknown-top-level-section",
        "site 79760012: unknown field 'adress', and required field 'address' is missing": (
            "bad/04-unknown-field-typo"
        ),
        "purchased: input should be a valid date or datetime, invalid character in year": (
            "bad/10-bad-date-format"
        ),
        "a school code is 79760 (city and district) followed by a 3-digit serial, e.g. 79760012": (
            "bad/29-school-code-wrong-district"
        ),
    },
    "ip-plan.md": {
        "core sites take slots 0-511": "core-slot-too-high",
        "application portal: segment dmz (10.0.40.0/29) has no free address": "dmz-too-small",
    },
}


@pytest.mark.parametrize(
    ("doc", "message", "case"),
    [(doc, m, case) for doc, quotes in INLINE.items() for m, case in quotes.items()],
)
def test_inline_quoted_errors(doc: str, message: str, case: str, tmp_path: Path) -> None:
    assert f"`{message}`" in text_of(doc)
    assert any(message in line for line in produce(case, tmp_path)), case


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
