"""``edunet diff``: each case makes one kind of change to the small city and checks that the
diff names that change and nothing else.

The small city (tests/core/data/small.yaml)::

    TTDL (data center) ── SO-GDDT ── PGD-Q1 ── 79760012, 79760031 (+ FTTH to Viettel)
       └──────────────── PGD-BINH-CHANH ── 79785007
                      (to SO-GDDT, and to TTDL over Viettel)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet.cli.main import app
from edunet.diff import Diff, diff
from edunet.diff.report import markdown, to_json
from edunet.load import load
from edunet.model import Inventory

SMALL = Path(__file__).parent.parent / "core" / "data" / "small.yaml"
TEXT = SMALL.read_text(encoding="utf-8")
NEW_SCHOOL = (
    '  - {code: "79760044", kind: school, name: Trường Tiểu học Mới, level: tieu_hoc, '
    'district: "760", address: "1 Đường Mới", profile: tieu-hoc, pupils: 500}\n'
)
BINH_CHANH_TO_DC = "      - {to: TTDL, isp: Viettel, medium: leased_line, bandwidth_mbps: 500}\n"
TAN_TUC = "profile: tieu-hoc, pupils: 1210}"

runner = CliRunner()


def changed(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEXT
    path = tmp_path / "new.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def diff_of(path: Path) -> Diff:
    return diff(load(SMALL), load(path), "small.yaml", path.name)


def test_the_same_city_is_no_difference() -> None:
    d = diff(load(SMALL), load(SMALL))
    assert not d.different
    assert d.changes == d.addresses == ()
    assert not d.effects.checked  # nothing to re-wire: no topology built


def test_an_added_school_adds_its_site_devices_links_and_prefixes_and_moves_nothing(
    tmp_path: Path,
) -> None:
    d = diff_of(changed(tmp_path, "applications:\n", NEW_SCHOOL + "applications:\n"))
    assert {c.status for c in d.changes} == {"added"}
    assert all(c.key.startswith("79760044") for c in d.changes)
    kinds = [c.kind for c in d.changes]
    assert kinds.count("site") == 1 and kinds.count("device") == 4 and kinds.count("link") == 4
    assert d.moved == ()
    prefixes = [a for a in d.addresses if a.kind == "site"]
    assert {a.field for a in prefixes} == {
        f"vlan {v}.prefix" for v in ("management", "staff", "lab", "wifi")
    }
    assert {a.movement for a in d.addresses} == {"added"}
    assert d.effects.checked and d.effects.spofs == () and d.effects.paths == ()


def test_a_pupils_count_is_one_field_change_and_no_address_moves(tmp_path: Path) -> None:
    d = diff_of(changed(tmp_path, "pupils: 1450", "pupils: 1500"))
    assert len(d.changes) == 1
    (c,) = d.changes
    assert (c.kind, c.key, c.status) == ("site", "79760012", "changed")
    assert [(f.field, f.old, f.new) for f in c.fields] == [("pupils", 1450, 1500)]
    assert d.addresses == ()
    assert "No address or prefix moved." in markdown(d)


def test_losing_a_district_offices_second_uplink_makes_new_single_points_of_failure(
    tmp_path: Path,
) -> None:
    d = diff_of(changed(tmp_path, BINH_CHANH_TO_DC, ""))
    assert ("link", "pgd-binh-chanh-up2", "removed") in [
        (c.kind, c.key, c.status) for c in d.changes
    ]
    new = {s.element: s for s in d.effects.spofs if s.status == "added"}
    assert "pgd-binh-chanh-up1" in new
    assert new["pgd-binh-chanh-up1"].schools_cut == 1  # 79785007 hangs from it alone now
    (path,) = d.effects.paths  # the school behind it goes round by the Department
    assert path.site == "79785007" and "SO-GDDT" in path.new[0] and "SO-GDDT" not in path.old[0]


def test_a_moved_uplink_changes_that_schools_path_and_only_its(tmp_path: Path) -> None:
    moved = TAN_TUC.replace(
        "}", ", uplinks: [{to: SO-GDDT, isp: VNPT, medium: metronet, bandwidth_mbps: 100}]}"
    )
    d = diff_of(changed(tmp_path, TAN_TUC, moved))
    (link,) = [c for c in d.changes if c.kind == "link"]
    fields = {f.field: (f.old, f.new) for f in link.fields}
    assert fields["b.site"] == ("PGD-BINH-CHANH", "SO-GDDT")
    assert [p.site for p in d.effects.paths] == ["79785007"]
    assert d.effects.paths[0].new[0].startswith("79785007 -(79785007-up1)- SO-GDDT")
    assert d.moved == ()  # the uplink keeps its /31: the plan numbers uplinks by position


def test_a_moved_management_prefix_is_listed_as_moved(tmp_path: Path) -> None:
    d = diff_of(changed(tmp_path, "management: 10.32.0.0/11", "management: 10.64.0.0/11"))
    assert d.moved and all(a.old != a.new for a in d.moved)
    assert {"mgmt_ip", "vlan management.prefix"} <= {a.field for a in d.moved}
    assert "No address or prefix moved." not in markdown(d)


def test_markdown_reads_as_a_merge_request(tmp_path: Path) -> None:
    text = markdown(diff_of(changed(tmp_path, BINH_CHANH_TO_DC, "")))
    assert text.startswith("## Inventory change: `small.yaml` → `new.yaml`\n")
    for heading in (
        "### Removed",
        "### Changed",
        "### Addresses and prefixes",
        "### Single points of failure",
        "### Paths to the data center",
    ):
        assert f"\n{heading}\n" in text
    assert "- link `pgd-binh-chanh-up2`" in text
    assert "| upstream | SO-GDDT, TTDL | SO-GDDT |" in text
    assert "| `pgd-binh-chanh-up1` | link | new | 2 | 1 | 1,210 |" in text


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(to_json(diff_of(changed(tmp_path, "pupils: 1450", "pupils: 7")))))
    assert set(doc) == {"old", "new", "different", "summary", "changes", "addresses", "topology"}
    assert doc["summary"] == {"added": 0, "removed": 0, "changed": 1, "addresses_moved": 0}
    assert doc["changes"] == [
        {
            "kind": "site",
            "key": "79760012",
            "change": "changed",
            "fields": [{"field": "pupils", "old": 1450, "new": 7}],
        }
    ]
    assert doc["topology"] == {"checked": False, "spof": [], "paths": []}


# --- the command ---------------------------------------------------------------------------


def test_exit_codes_one_for_a_difference_zero_for_none_two_for_an_invalid_inventory(
    tmp_path: Path,
) -> None:
    other = changed(tmp_path, "pupils: 1450", "pupils: 1500")
    assert runner.invoke(app, ["diff", str(SMALL), str(SMALL)]).exit_code == 0
    done = runner.invoke(app, ["diff", str(SMALL), str(other)])
    assert done.exit_code == 1
    assert "pupils" in done.stdout and "No address or prefix moved." in done.stdout
    bad = changed(tmp_path, "pupils: 1450", "pupils: many")
    done = runner.invoke(app, ["diff", str(SMALL), str(bad)])
    assert done.exit_code == 2
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "pupils: many" in t)
    assert f"{bad}:{line}:" in done.stderr


def test_markdown_and_json_formats(tmp_path: Path) -> None:
    other = changed(tmp_path, "pupils: 1450", "pupils: 1500")
    done = runner.invoke(app, ["diff", str(SMALL), str(other), "--format", "markdown"])
    assert done.exit_code == 1 and done.stdout.startswith("## Inventory change:")
    done = runner.invoke(app, ["diff", str(SMALL), str(other), "-f", "json"])
    assert json.loads(done.stdout)["different"] is True


def _git(repo: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits of inventory.yaml: the small city, then one more
    school; the working tree then raises a school's pupils, uncommitted."""
    (tmp_path / "inventory.yaml").write_text(TEXT, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "small city")
    (tmp_path / "inventory.yaml").write_text(
        TEXT.replace("applications:\n", NEW_SCHOOL + "applications:\n", 1), encoding="utf-8"
    )
    _git(tmp_path, "commit", "-qam", "one more school")
    edited = TEXT.replace("applications:\n", NEW_SCHOOL + "applications:\n", 1)
    (tmp_path / "inventory.yaml").write_text(edited.replace("pupils: 500", "pupils: 520"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _keys(args: list[str]) -> tuple[int, set[tuple[str, str, str]]]:
    done = runner.invoke(app, ["diff", *args, "-f", "json"])
    doc = json.loads(done.stdout)
    return done.exit_code, {(c["kind"], c["key"], c["change"]) for c in doc["changes"]}


def test_git_revisions_are_read_without_touching_the_working_tree(repo: Path) -> None:
    before = (repo / "inventory.yaml").read_bytes()
    code, keys = _keys(["HEAD~1", "HEAD"])
    assert code == 1 and ("site", "79760044", "added") in keys
    assert all(k[2] == "added" for k in keys)
    code, keys = _keys(["HEAD"])  # the last commit against the working tree's inventory
    assert (code, keys) == (1, {("site", "79760044", "changed")})
    assert _keys(["HEAD~1", "HEAD~1:inventory.yaml"]) == (0, set())
    code, keys = _keys(["HEAD~1", "inventory.yaml"])
    assert code == 1 and ("site", "79760044", "added") in keys
    assert (repo / "inventory.yaml").read_bytes() == before
    _git(repo, "diff", "--quiet", "HEAD~1", "HEAD~1")  # the repository is as it was


def test_a_directory_inventory_in_a_revision(repo: Path) -> None:
    (repo / "city").mkdir()
    (repo / "city" / "all.yaml").write_text(TEXT, encoding="utf-8")
    _git(repo, "add", "city")
    _git(repo, "commit", "-qm", "the city as a directory")
    assert runner.invoke(app, ["diff", "HEAD", "-i", "city"]).exit_code == 0
    (repo / "city" / "all.yaml").write_text(TEXT.replace("pupils: 980", "pupils: 990"))
    _, keys = _keys(["HEAD", "-i", "city"])
    assert keys == {("site", "79760031", "changed")}


def test_an_unknown_revision_or_an_invalid_one_exits_2(repo: Path) -> None:
    done = runner.invoke(app, ["diff", "no-such-branch"])
    assert done.exit_code == 2
    assert "no-such-branch is neither a file, a directory nor a git revision" in done.stderr
    (repo / "inventory.yaml").write_text(TEXT.replace("pupils: 1450", "pupils: [1]"))
    _git(repo, "commit", "-qam", "broken")
    done = runner.invoke(app, ["diff", "HEAD~1", "HEAD"])
    assert done.exit_code == 2
    assert "HEAD:inventory.yaml:" in done.stderr


def test_the_table_names_new_single_points_of_failure_and_changed_paths(tmp_path: Path) -> None:
    done = runner.invoke(app, ["diff", str(SMALL), str(changed(tmp_path, BINH_CHANH_TO_DC, ""))])
    assert done.exit_code == 1
    for text in ("Single points of failure", "pgd-binh-chanh-up1", "Paths to the data center"):
        assert text in done.stdout
    assert "No address or prefix moved." in done.stdout


def test_after_a_transit_change_the_schools_found_are_those_every_school_compared_finds(
    tmp_path: Path,
) -> None:
    """Only schools leaving through a place whose paths changed are compared: the same
    answer as comparing every school's paths, on a city with more schools."""
    from edunet import sample
    from edunet.diff.effects import PATHS_COMPARED
    from edunet.topology import topology_of

    city = tmp_path / "city.yaml"
    sample.write(city, 120, 7)
    text = city.read_text(encoding="utf-8")
    start = text.index("code: PGD-Q1\n")
    line = text.index("      - {to: TTDL,", start)
    cut = tmp_path / "cut.yaml"
    cut.write_text(text[:line] + text[text.index("\n", line) + 1 :], encoding="utf-8")
    old, new = load(city), load(cut)
    found = [p.site for p in diff(old, new).effects.paths]

    def walks(inv: Inventory, code: str) -> list[tuple[str, ...]]:
        topo = topology_of(inv)
        return [p.links for p in topo.path_to_datacenter(code, limit=PATHS_COMPARED)]

    every = [s.code for s in new.schools() if walks(old, s.code) != walks(new, s.code)]
    assert found == every and found


def test_a_revision_outside_a_repository_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    done = runner.invoke(app, ["diff", "HEAD"])
    assert done.exit_code == 2
    assert "not in a git repository" in done.stderr
