"""``edunet api``: a token is printed once and works; the list never shows a hash."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from api import cli as api_cli
from api.auth import Scope, TokenStore

runner = CliRunner()


def _create(tokens: Path, *args: str) -> str:
    result = runner.invoke(api_cli.app, ["token", "create", "--tokens-file", str(tokens), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_create_prints_a_working_token_once(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    token = _create(tokens, "--scope", "inventory:read", "--scope", "topology:read", "-n", "portal")
    assert token.startswith("edn_") and len(token.splitlines()) == 1
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    assert token.split("_", 2)[2] not in tokens.read_text()  # only the hash is stored
    found = TokenStore.load(tokens).verify(token)
    assert found is not None and found.name == "portal"
    assert found.scopes == {Scope.inventory_read, Scope.topology_read}


def test_list_shows_ids_names_scopes_never_hashes(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    first = _create(tokens, "--scope", "admin", "--name", "ops")
    _create(tokens, "--scope", "procurement:read", "--name", "mua sắm")
    result = runner.invoke(
        api_cli.app, ["token", "list", "--tokens-file", str(tokens), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["scopes"]) for r in rows] == [
        ("ops", "admin"),
        ("mua sắm", "procurement:read"),
    ]
    assert rows[0]["id"] == first.split("_")[1]
    stored = yaml.safe_load(tokens.read_text())["tokens"]
    for secret in (
        [first.split("_", 2)[2]] + [t["sha256"] for t in stored] + [t["salt"] for t in stored]
    ):
        assert secret not in result.output


@pytest.mark.parametrize("args", [["--scope", "root"], []])
def test_create_refuses_unknown_or_missing_scopes(tmp_path: Path, args: list[str]) -> None:
    tokens = tmp_path / "tokens.yaml"
    result = runner.invoke(
        api_cli.app, ["token", "create", "--tokens-file", str(tokens), "--name", "x", *args]
    )
    assert result.exit_code == 2 and not tokens.exists()


def test_list_of_a_missing_file_fails(tmp_path: Path) -> None:
    result = runner.invoke(
        api_cli.app, ["token", "list", "--tokens-file", str(tmp_path / "none.yaml")]
    )
    assert result.exit_code == 1


def test_serve_runs_the_app_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    for name in ("EDUNET_API_INVENTORY", "EDUNET_API_TOKENS_FILE", "EDUNET_API_PROMETHEUS_URL"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(
        api_cli.app,
        ["serve", "-i", str(tmp_path / "inv.yaml"), "--tokens-file", "t.yaml", "--port", "8123"],
    )
    assert result.exit_code == 0, result.output
    [(app, kw)] = calls
    log_config = kw.pop("log_config")
    assert app == "api.main:app_from_env"
    assert kw == {"factory": True, "host": "127.0.0.1", "port": 8123, "access_log": False} | {
        "http": "api.http_limits:HeaderTimeoutProtocol",  # the header deadline (docs/api.md)
        "h11_max_incomplete_event_size": 16 * 1024,
        "timeout_keep_alive": 5.0,
    }
    assert "edunet.api.access" in log_config["loggers"]  # type: ignore[index]

    assert os.environ["EDUNET_API_INVENTORY"] == str(tmp_path / "inv.yaml")


def test_revoke_removes_a_token(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    keep = _create(tokens, "--scope", "admin", "--name", "ops")
    gone = _create(tokens, "--scope", "inventory:read", "--name", "old")
    args = ["token", "revoke", gone.split("_")[1], "--tokens-file", str(tokens)]
    assert runner.invoke(api_cli.app, args).exit_code == 0
    store = TokenStore.load(tokens)
    assert store.verify(gone) is None and store.verify(keep) is not None
    assert runner.invoke(api_cli.app, args).exit_code == 1  # already gone


def test_create_in_a_missing_folder_says_so(tmp_path: Path) -> None:
    tokens = tmp_path / "nodir" / "t.yaml"
    args = ["token", "create", "--tokens-file", str(tokens), "-s", "admin", "-n", "noc"]
    result = runner.invoke(api_cli.app, args)
    assert result.exit_code == 2, result.output
    assert "no folder" in result.output and str(tokens.parent) in result.output
    assert result.stdout == ""  # no token printed: none was stored
    assert not tokens.parent.exists()


def test_create_beside_a_malformed_file_leaves_it_alone(tmp_path: Path) -> None:
    tokens = tmp_path / "t.yaml"
    tokens.write_text("tokens: [\n", encoding="utf-8")
    args = ["token", "create", "--tokens-file", str(tokens), "-s", "admin", "-n", "noc"]
    result = runner.invoke(api_cli.app, args)
    assert result.exit_code == 2, result.output
    assert str(tokens) in result.output and result.stdout == ""
    assert tokens.read_text(encoding="utf-8") == "tokens: [\n"


def test_create_with_a_reach_resolves_what_people_write(tmp_path: Path) -> None:
    """`--district q1` and `--district "Quận 1"` both store the code; list shows the reach;
    an entry without `reach:` (a file from before) is the whole city."""
    tokens = tmp_path / "tokens.yaml"
    small = str(Path(__file__).parent.parent / "core" / "data" / "small.yaml")
    _create(tokens, "-s", "admin", "-n", "ops")
    q1 = _create(tokens, "-s", "inventory:read", "-n", "noc q1", "--district", "q1", "-i", small)
    _create(tokens, "-s", "inventory:read", "-n", "q1", "--district", "Quận 1", "-i", small)
    school = _create(tokens, "-s", "inventory:read", "-n", "it", "--site", "79760012", "-i", small)
    store = TokenStore.load(tokens)
    assert [t.reach.districts for t in (store.verify(q1),) if t] == [frozenset({"760"})]
    found = store.verify(school)
    assert found is not None and found.reach.sites == frozenset({"79760012"})
    assert "reach" not in yaml.safe_load(tokens.read_text())["tokens"][0]
    for fmt in ("json", "csv", "table"):
        result = runner.invoke(
            api_cli.app, ["token", "list", "--tokens-file", str(tokens), "--format", fmt]
        )
        assert result.exit_code == 0, result.output
        assert "district 760" in result.stdout and "site 79760012" in result.stdout
    rows = json.loads(
        runner.invoke(
            api_cli.app, ["token", "list", "--tokens-file", str(tokens), "--format", "json"]
        ).stdout
    )
    assert [r["reach"] for r in rows] == [
        "the whole city",
        "district 760",
        "district 760",
        "site 79760012",
    ]


def test_create_refuses_an_unknown_district_with_a_suggestion(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    small = str(Path(__file__).parent.parent / "core" / "data" / "small.yaml")
    args = ["--tokens-file", str(tokens), "-s", "admin", "-n", "x", "-i", small]
    result = runner.invoke(api_cli.app, ["token", "create", *args, "--district", "Quan 2"])
    assert result.exit_code == 2
    assert "did you mean" in result.stderr and not tokens.exists()
