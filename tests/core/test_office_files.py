"""Files as office tools save them: the valid variants load exactly as the plain file does,
the others are refused at a place, naming what was found."""

from __future__ import annotations

import dataclasses
import os
import random
import unicodedata
from pathlib import Path

import pytest
from one_problem import only_problem

import edunet

SMALL = Path(__file__).parent / "data" / "small.yaml"


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="utf-8-bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom-and-crlf"),
        pytest.param(lambda b: nfd(b), id="vietnamese-in-nfd"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + nfd(b).replace(b"\n", b"\r\n"), id="all-three"),
    ],
)
def test_valid_office_variants_load_as_the_plain_file(variant: object, tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_bytes(SMALL.read_bytes())
    plain = edunet.load(path)
    path.write_bytes(variant(SMALL.read_bytes()))  # type: ignore[operator]
    assert edunet.load(path) == plain


def nfd(raw: bytes) -> bytes:
    """The text as macOS and some web forms write it: "ệ" as e and two combining marks."""
    text = unicodedata.normalize("NFD", raw.decode("utf-8"))
    assert text != raw.decode("utf-8")
    return text.encode("utf-8")


def test_names_are_one_spelling_whatever_the_file_wrote(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_bytes(nfd(SMALL.read_bytes()))
    inv = edunet.load(path)
    site = inv.sites["79760012"]
    assert site.name == "Trường Tiểu học Lê Ngọc Hân"
    assert unicodedata.is_normalized("NFC", site.name)
    assert unicodedata.is_normalized("NFC", site.address)
    assert unicodedata.is_normalized("NFC", inv.applications["portal"].name)
    assert all(unicodedata.is_normalized("NFC", d.name) for d in inv.districts.values())


def test_a_mistake_after_a_bom_keeps_its_column(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("pupils: 1450", "pupils: many", 1)
    plain, bom = tmp_path / "plain.yaml", tmp_path / "bom.yaml"
    plain.write_text(text, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    a, b = only_problem(plain), only_problem(bom)
    assert (a.line, a.column, a.message) == (b.line, b.column, b.message)


@pytest.mark.parametrize(
    ("encoding", "prefix", "named"),
    [
        ("utf-16", b"", "UTF-16 (little-endian, with a byte-order mark)"),
        ("utf-16-le", b"", "UTF-16 (little-endian, without a byte-order mark)"),
        ("utf-16-be", b"", "UTF-16 (big-endian, without a byte-order mark)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
    ],
)
def test_utf16_is_named(encoding: str, prefix: bytes, named: str, tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_bytes(prefix + SMALL.read_text(encoding="utf-8").encode(encoding))
    p = only_problem(path)
    assert (p.line, p.column) == (1, 1)
    assert named in p.message
    assert "save it as UTF-8" in p.hint


def test_a_file_of_garbage_bytes(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_bytes(random.Random(15).randbytes(4096))
    p = only_problem(path)
    assert p.line >= 1 and p.column >= 1
    assert "not UTF-8" in p.message or "U+" in p.message


def test_garbage_through_the_cli(tmp_path: Path) -> None:
    cli = pytest.importorskip("edunet.cli.main")
    from typer.testing import CliRunner

    path = tmp_path / "inventory.yaml"
    path.write_bytes(b"sites:\n  - code: \x0b\x00" + os.urandom(64))
    result = CliRunner().invoke(cli.app, ["validate", str(path)])
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert f"{path}:2:" in result.output, result.output


def test_the_bytes_read_once_are_the_bytes_parsed(tmp_path: Path) -> None:
    """A caller that hashes the files (the API's ETag) hands the loader those very bytes: a
    file replaced after the read is not what gets parsed, in either of the loader's passes."""
    from edunet.load import read_files

    path = tmp_path / "inventory.yaml"
    path.write_bytes(SMALL.read_bytes())
    files = read_files(path)
    path.write_bytes(b"city: [")  # replaced after the read: must not be seen
    loaded = edunet.load(path, files)
    assert loaded == dataclasses.replace(edunet.load(SMALL), sources=(str(path),))
    files[path] = b"city: ["
    assert "not valid YAML" in only_problem_of(path, files)


def only_problem_of(path: Path, files: dict[Path, bytes | OSError]) -> str:
    with pytest.raises(edunet.InventoryError) as e:
        edunet.load(path, files)
    return e.value.problems[0].message
