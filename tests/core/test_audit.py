"""The audit trail: a line when a change starts and one when it ends, refusals too, never a
secret; ``edunet audit`` filters them; a process killed mid-change leaves its started line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from edunet import audit
from edunet.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "inventory.yaml"
ROLES = "operators:\n  lan:\n    reach: {districts: [q12]}\n  noc:\n    reach: city\n"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Lan, limited to Quận 12, at the keyboard; the audit log's path."""
    roles = tmp_path / "roles.yaml"
    roles.write_text(ROLES, encoding="utf-8")
    path = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("EDUNET_ROLES", str(roles))
    monkeypatch.setenv("EDUNET_OPERATOR", "lan")
    monkeypatch.setenv("EDUNET_AUDIT_LOG", str(path))
    return path


def _edunet(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_token_create_and_revoke_leave_the_id_never_the_token(log: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    made = _edunet("api", "token", "create", "-s", "admin", "-n", "ci", "--tokens-file", tokens)
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    token_id = token.split("_")[1]
    gone = _edunet("api", "token", "revoke", token_id, "--tokens-file", tokens)
    assert gone.exit_code == 0, gone.output
    again = _edunet("api", "token", "revoke", token_id, "--tokens-file", tokens)
    assert again.exit_code == 1
    lines = _lines(log)
    assert [(x["what"], x["outcome"]) for x in lines] == [
        ("api token create", "started"),
        ("api token create", "ok"),
        ("api token revoke", "started"),
        ("api token revoke", "ok"),
        ("api token revoke", "started"),
        ("api token revoke", "failed"),
    ]
    assert lines[1]["extra"] == {
        "token": token_id,
        "name": "ci",
        "scopes": "admin",
        "reach": "the whole city",
    }
    assert all(x["who"] == "lan" for x in lines)
    assert token.split("_")[-1] not in log.read_text(encoding="utf-8")


def test_lab_faults_within_reach_run_and_others_are_refused(log: Path, tmp_path: Path) -> None:
    lab = ["--state-dir", tmp_path / "lab", "-i", CITY]
    (tmp_path / "lab").mkdir()
    ok = _edunet("lab", "fault", "reboot", "pgd-q12-rt1", *lab)
    assert ok.exit_code == 0, ok.output
    no = _edunet("lab", "fault", "serial", "pgd-q1-sw1", *lab)
    assert no.exit_code == 2
    assert "lan may change only district 761; out of reach: pgd-q1-sw1" in no.output
    site = _edunet("lab", "fault", "site-down", "79760002", *lab)
    assert site.exit_code == 2 and "79760002-ap1" in site.output
    app_down = _edunet("lab", "fault", "app-down", "portal", *lab)
    assert app_down.exit_code == 2
    clear_all = _edunet("lab", "fault", "clear", "--all", *lab)
    assert clear_all.exit_code == 2
    faults = json.loads((tmp_path / "lab" / "faults.json").read_text())
    assert list(faults["devices"]) == ["pgd-q12-rt1"]  # nothing refused was done
    assert [(x["what"], x["outcome"]) for x in _lines(log)] == [
        ("lab fault reboot", "started"),
        ("lab fault reboot", "ok"),
        ("lab fault serial", "refused"),
        ("lab fault site-down", "refused"),
        ("lab fault app-down", "refused"),
        ("lab fault clear --all", "refused"),
    ]


def test_config_push_out_of_reach_is_refused_before_any_connection(
    log: Path, tmp_path: Path
) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("vlan 77\n", encoding="utf-8")
    store = tmp_path / "store"
    for cmd in (["push", "--lines", lines], ["backup"]):
        done = _edunet("config", *cmd, "-l", "district=q1", "-i", CITY, "--store", store)
        assert done.exit_code == 2, done.output
        assert "out of reach: 79760002-rt1, 79760002-sw1" in " ".join(done.output.split())
    assert not store.exists()  # push and backup both start by opening the store
    assert [(x["what"], x["outcome"], x["limit"]) for x in _lines(log)] == [
        ("config push", "refused", "district=q1"),
        ("config backup", "refused", "district=q1"),
    ]


def _entry(when: str, who: str, what: str, outcome: str, *devices: str) -> audit.Entry:
    return audit.Entry(when, who, what, outcome, "c1", devices, "district=q12")


def test_edunet_audit_filters_by_who_when_device_and_outcome(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    for e in (
        _entry("2026-12-01T08:00:00Z", "lan", "config push", "started", "pgd-q12-rt1"),
        _entry("2026-12-01T08:01:00Z", "lan", "config push", "ok", "pgd-q12-rt1"),
        _entry("2026-12-03T09:00:00Z", "noc", "apply network.yml --commit", "started", "a", "b"),
        _entry("2026-12-03T09:00:05Z", "minh", "lab fault reboot", "refused", "pgd-q1-rt1"),
    ):
        audit.append(path, e)
    with path.open("a", encoding="utf-8") as f:
        f.write('{"when": "2026-12-03T09:01')  # a line cut short by a full disk

    def rows(*args: str) -> list[dict[str, Any]]:
        done = _edunet("audit", "--log", path, "-f", "json", *args)
        assert done.exit_code == 0, done.output
        return list(json.loads(done.stdout))

    assert len(rows()) == 4
    assert [r["outcome"] for r in rows("--who", "lan")] == ["started", "ok"]
    assert [r["who"] for r in rows("--since", "2026-12-02")] == ["noc", "minh"]
    assert [r["who"] for r in rows("--outcome", "refused")] == ["minh"]
    assert [r["who"] for r in rows("-l", "district=q1", "-i", str(CITY))] == ["minh"]
    assert [r["devices"] for r in rows("--device", "b")] == [["a", "b"]]
    assert rows("--since", "1h") == []
    done = _edunet("audit", "--log", path, "-f", "csv", "--who", "noc")
    assert done.stdout.startswith("\ufeffwhen,who,what,outcome,limit,devices,artifacts")
    assert "apply network.yml --commit" in done.stdout
    table = _edunet("audit", "--log", path)
    assert "4 line(s) of" in table.output and "1 line(s) of" in table.output  # the torn one
    bad = _edunet("audit", "--log", path, "--outcome", "done")
    assert bad.exit_code == 2 and "one of started, ok, failed, refused" in bad.output


def test_lines_are_appended_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text("kept by hand\n", encoding="utf-8")
    audit.append(path, _entry("2026-12-01T08:00:00Z", "lan", "config push", "started"))
    assert path.read_text(encoding="utf-8").startswith("kept by hand\n{")


def _silent_ssh(address: str) -> socket.socket:
    """A port that accepts connections and never says a word: SSH waits for its banner."""
    server = socket.socket()
    server.bind((address, 0))
    server.listen(8)
    return server


@pytest.mark.integration
def test_a_change_killed_mid_run_leaves_its_started_line(log: Path, tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("vlan 77\n", encoding="utf-8")
    # the switch's address, 10.34.0.73, served on loopback as 127.34.0.73 (--address-map)
    server = _silent_ssh("127.34.0.73")
    password = "pw-never-logged-" + os.urandom(4).hex()
    env = {
        **os.environ,
        "EDUNET_SSH_NETOPS_USER": "netops",
        "EDUNET_SSH_NETOPS_PASSWORD": password,
        "EDUNET_SSH_NETOPS_ENABLE": password,
        "EDUNET_SSH_PORT": str(server.getsockname()[1]),
    }
    env.pop("EDUNET_SECRETS_FILE", None)
    argv = [sys.executable, "-m", "edunet", "config", "push", "--lines", str(lines)]
    argv += ["-l", "79761001-sw1", "-i", str(CITY), "--store", str(tmp_path / "store")]
    argv += ["--address-map", "10.0.0.0/8=127.0.0.0/8", "--timeout", "120"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and '"started"' in log.read_text(encoding="utf-8")):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else b""
            assert time.monotonic() < deadline, "no started line"
            time.sleep(0.1)
        server.accept()  # the push is at the device: connected, waiting for the banner
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        server.close()
    (line,) = _lines(log)
    assert line["outcome"] == "started" and line["devices"] == ["79761001-sw1"]
    assert password not in log.read_text(encoding="utf-8")
    shown = _edunet("audit", "--outcome", "started", "-f", "json")
    assert [r["change"] for r in json.loads(shown.stdout)] == [line["change"]]
