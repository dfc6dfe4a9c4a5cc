"""Reading the docs' marked blocks and tables, and producing the errors they quote."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import edunet

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
