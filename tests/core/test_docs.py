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
from pathlib import Path

import pytest
import yaml
from doc_blocks import (
    ALL_BLOCKS,
    PROBLEM,
    SHOWN_AS,
    YAML_KINDS,
    Block,
    block_id,
    of_kind,
    preceding_yaml,
    problem_lines,
    produce,
    quoted_problems,
    text_of,
    write_doc_inventory,
)

import edunet
from edunet import schema
from edunet.model import Inventory

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
        "purchased: '15/08/2018' is not a YYYY-MM-DD date": "bad/10-bad-date-format",
        "write 2018-08-15": "bad/10-bad-date-format",
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
