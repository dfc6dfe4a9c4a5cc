"""Read inventory YAML keeping where every value stands, and merge a directory of files.

PyYAML's C parser composes the node tree; we construct plain Python values from it
ourselves so that each value's file, line and column can be looked up by its path
(e.g. ``("sites", 12, "district")``) when a problem has to be reported.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from edunet.errors import InventoryError, Problem, Problems
from edunet.load_fast import STR as _STR
from edunet.load_fast import Loader as _Loader
from edunet.load_fast import Unusual, scalar_value, values_from_events
from edunet.load_limits import tree_problem
from edunet.load_text import bad_character, decode, tab_indentation
from edunet.model import Inventory
from edunet.schema import SECTION_ITEMS

PathKey = tuple[str | int, ...]

_MERGE = "tag:yaml.org,2002:merge"
Mark = tuple[int, int, int]  # (file index, line, column), 1-based
_WORD = re.compile(r"[^\s,\[\]{}#]+")  # a number or yes/no as written, up to what ends it

# the list sections a city split over several files may repeat; the others must appear once
LIST_SECTIONS = tuple(SECTION_ITEMS)


@dataclass
class Source:
    """The merged raw document and the position of every value and key in it."""

    files: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    values: dict[PathKey, Mark] = field(default_factory=dict)
    keys: dict[PathKey, Mark] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # by file index, for written()

    def where(self, path: PathKey, key: bool = False) -> tuple[str, int, int]:
        """The file, line and column of a value (or of its key), or of its nearest parent."""
        table = self.keys if key else self.values
        p = path
        while True:
            mark = table.get(p) or self.values.get(p)
            if mark is not None:
                return self.files[mark[0]], mark[1], mark[2]
            if not p:
                return (self.files[0] if self.files else "<inventory>"), 0, 0
            p = p[:-1]

    def written(self, path: PathKey) -> str:
        """The text of a number or a yes/no as it stands in the file (2.000, not the 2.0
        YAML made of it), or "" when the value has no place of its own."""
        mark = self.values.get(path)
        text = self.texts.get(mark[0]) if mark else None
        if mark is None or text is None:
            return ""
        lines = text.split("\n", mark[1])
        line = lines[mark[1] - 1] if len(lines) >= mark[1] else ""
        found = _WORD.match(line, mark[2] - 1)
        return found.group() if found else ""

    def problem(self, path: PathKey, message: str, hint: str = "", key: bool = False) -> Problem:
        file, line, col = self.where(path, key)
        return Problem(file, line, col, message, hint)


class _Builder:
    """Turns a composed YAML node tree into Python values, recording positions."""

    def __init__(self, source: Source, file_index: int, problems: Problems, loader: Any):
        self.source = source
        self.fi = file_index
        self.problems = problems
        self.loader = loader

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        # The hot loop of loading a city: scalars are handled inline, without recursion.
        fi = self.fi
        values = self.source.values
        m = node.start_mark
        values[path] = (fi, m.line + 1, m.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            out_list: list[Any] = []
            for i, v in enumerate(node.value):
                if isinstance(v, yaml.ScalarNode):
                    m = v.start_mark
                    values[(*path, i)] = (fi, m.line + 1, m.column + 1)
                    out_list.append(self.scalar(v))
                else:
                    out_list.append(self.build(v, (*path, i)))
            return out_list
        return self.scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        fi = self.fi
        values, keys = self.source.values, self.source.keys
        merged = 0
        if any(k.tag == _MERGE for k, _ in node.value):
            explicit = sum(1 for k, _ in node.value if k.tag != _MERGE)
            self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<), merged first
            merged = len(node.value) - explicit
        out: dict[Any, Any] = {}
        from_merge: set[Any] = set()
        for n, (knode, vnode) in enumerate(node.value):
            key = self.scalar(knode) if isinstance(knode, yaml.ScalarNode) else None
            if not isinstance(key, str | int) or isinstance(key, bool):
                self.problems.add(
                    self._problem(knode, f"a key must be a name, not {key!r}", "quote it")
                )
                continue
            if isinstance(key, int):
                key = str(key)  # "760:" as a mapping key is still the district code
            if n < merged:
                from_merge.add(key)
            elif key in from_merge:
                from_merge.discard(key)  # an explicit key overrides a merged one
            elif key in out:
                self.problems.add(
                    self._problem(
                        knode,
                        f"key {key!r} appears twice in the same mapping",
                        "keep one; YAML would silently drop the first",
                    )
                )
            sub = (*path, key)
            m = knode.start_mark
            keys[sub] = (fi, m.line + 1, m.column + 1)
            if isinstance(vnode, yaml.ScalarNode):
                m = vnode.start_mark
                values[sub] = (fi, m.line + 1, m.column + 1)
                out[key] = self.scalar(vnode)
            else:
                out[key] = self.build(vnode, sub)
        return out

    def scalar(self, node: yaml.Node) -> Any:
        return scalar_value(self.loader, node.tag, node.value, node)

    def _problem(self, node: yaml.Node, message: str, hint: str) -> Problem:
        m = node.start_mark
        return Problem(self.source.files[self.fi], m.line + 1, m.column + 1, message, hint)


class _ValueBuilder(_Builder):
    """The same values without positions: the fast first pass of a load.

    A valid inventory never needs to say where anything is; when the first pass finds a
    problem, the file is read again with :class:`_Builder` to place every message.
    """

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            scalar, build = self.scalar, self.build
            return [
                scalar(v) if isinstance(v, yaml.ScalarNode) else build(v, path) for v in node.value
            ]
        return self.scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        if any(k.tag == _MERGE for k, _ in node.value):
            return super()._mapping(node, path)  # rare: keep one implementation of merges
        out: dict[Any, Any] = {}
        scalar = self.scalar
        for knode, vnode in node.value:
            key = knode.value if knode.tag == _STR else None
            if key is None or key in out:
                return super()._mapping(node, path)  # odd keys and duplicates: the full path
            out[key] = (
                scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else self.build(vnode, path)
            )
        return out


def _read_file(
    path: Path, raw: bytes | OSError, source: Source, problems: Problems, positions: bool
) -> dict[str, Any] | None:
    fi = len(source.files)
    source.files.append(str(path))
    if isinstance(raw, OSError):
        problems.add(Problem(str(path), 0, 0, f"cannot read: {raw.strerror}", "check the path"))
        return None
    text = decode(raw, str(path))
    if isinstance(text, Problem):
        problems.add(text)
        return None
    source.texts[fi] = text
    bad = bad_character(text, str(path))
    if bad is not None:
        problems.add(bad)
        return None
    loader = _Loader(text)
    try:
        if not positions:
            try:
                data = values_from_events(loader)
            except Unusual:
                loader.dispose()
                loader = _Loader(text)  # composed after all, from the start
            else:
                scratch = Source(files=source.files)
                return _checked(data, source, scratch, str(path), problems)
        node = loader.get_single_node()
        if node is None:
            problems.add(Problem(str(path), 1, 1, "the file is empty", "add the inventory"))
            return None
        bounds = tree_problem(node, text, str(path), _Loader)
        if bounds is not None:
            problems.add(bounds)
            return None
        scratch = Source(files=source.files)
        builder = _Builder if positions else _ValueBuilder
        data = builder(scratch, fi, problems, loader).build(node, ())
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        tab = tab_indentation(text, str(path), line)
        if tab is not None:
            problems.add(tab)
            return None
        what = e.problem or "syntax error"
        if e.context and e.context_mark is not None:
            what += f" ({e.context} that starts at line {e.context_mark.line + 1})"
        problems.add(
            Problem(str(path), line, col, f"not valid YAML: {what}", "check indentation and quotes")
        )
        return None
    finally:
        loader.dispose()
    return _checked(data, source, scratch, str(path), problems)


def _checked(
    data: Any, source: Source, scratch: Source, file: str, problems: Problems
) -> dict[str, Any] | None:
    """One file's values merged into the document, when they are a mapping of sections."""
    if not isinstance(data, dict):
        problems.add(Problem(file, 1, 1, "the top level must be a mapping of sections", "see docs"))
        return None
    _merge(source, scratch, data, file, problems)
    return data


def _merge(
    source: Source, part: Source, data: dict[str, Any], file: str, problems: Problems
) -> None:
    """Append one file's sections to the document, renumbering list positions."""
    if not source.data and not source.values:  # the first file is taken as it is
        source.data, source.values, source.keys = data, part.values, part.keys
        return
    offsets: dict[str, int] = {}
    for section, value in data.items():
        if section in LIST_SECTIONS and isinstance(value, list):
            target = source.data.setdefault(section, [])
            if isinstance(target, list):
                offsets[section] = len(target)
                target.extend(value)
                continue
        if section in source.data:
            _, line, col = part.where((section,), key=True)
            first = source.where((section,), key=True)
            problems.add(
                Problem(
                    file,
                    line,
                    col,
                    f"section {section!r} is already given in {first[0]}:{first[1]}",
                    "give each single section (city, ip_plan, credentials, defaults) in one file",
                )
            )
            continue
        source.data[section] = value
        offsets[section] = -1
    # one pass over the positions, shifting list items by the length merged before them
    for table_in, table_out in ((part.values, source.values), (part.keys, source.keys)):
        for p, mark in table_in.items():
            if not p:
                continue
            off = offsets.get(str(p[0]))
            if off is None:
                continue
            if off > 0 and len(p) >= 2 and isinstance(p[1], int):
                table_out[(p[0], p[1] + off, *p[2:])] = mark
            elif len(p) >= 2 or p not in table_out:
                table_out[p] = mark


def inventory_files(path: Path) -> list[Path]:
    """One file, or every *.yaml / *.yml in a directory tree in name order."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        return files
    return [path]


# each file of an inventory as read: its bytes, or why it could not be read
Files = dict[Path, bytes | OSError]


def read_files(path: str | Path) -> Files:
    """Every file of the inventory at ``path`` read once: what is parsed (twice, see
    :func:`load`) and what a caller hashes are then the same bytes, whatever replaces the
    files meanwhile."""
    out: Files = {}
    for f in inventory_files(Path(path)):
        try:
            out[f] = f.read_bytes()
        except OSError as e:
            out[f] = e
    return out


def read_source(
    path: str | Path, problems: Problems, positions: bool = True, files: Files | None = None
) -> Source:
    """Parse and merge without validating; ``positions=False`` skips placing values;
    ``files`` are the bytes already read (:func:`read_files`), else the files are read."""
    source = Source()
    root = Path(path)
    if files is None:
        if not root.exists():
            problems.add(Problem(str(root), 0, 0, "no such file or directory", "give the path"))
            return source
        files = read_files(root)
    if not files:
        problems.add(Problem(str(root), 0, 0, "no .yaml files in this directory", "add some"))
    for f, raw in files.items():
        _read_file(f, raw, source, problems, positions)
    return source


def load(path: str | Path = "inventory.yaml", files: Files | None = None) -> Inventory:
    """Load, validate and resolve an inventory; ``files`` are its bytes if the caller has
    read them already (:func:`read_files`).

    Raises :class:`InventoryError` listing every problem found, never just the first.
    """
    from edunet.resolve import resolve  # resolve imports this module's Source

    # Loading makes a few hundred thousand small objects and frees almost none of them:
    # the cyclic collector would walk them over and over (2-3x the whole load time).
    collecting = gc.isenabled()
    gc.disable()
    root = Path(path)
    if files is None and root.exists():
        files = read_files(root)  # once: both passes below parse the same bytes
    try:
        # first without positions (the common case: a valid inventory); on any problem,
        # once more with them, so that every message names its file, line and column
        for positions in (False, True):
            problems = Problems()
            source = read_source(root, problems, positions, files)
            inventory = None if problems else resolve(source, problems)
            if not problems and inventory is not None:
                return inventory
    finally:
        if collecting:
            gc.enable()
    raise InventoryError(problems.sorted())
