"""``edunet maintenance`` against a real Alertmanager: a window on one school silences the
alerts firing for it and not another school's, a window on one device only that device's, and
``end`` expires the silences; with Alertmanager away the window is still recorded, and said so."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.ports import free_tcp_port
from typer.testing import CliRunner, Result

from edunet import maintenance
from edunet.model import Inventory
from monitors.alertmanager_config import PATH, render_alertmanager
from monitors.cli_maintenance import app
from monitors.settings import MonitoringSettings
from monitors.silences import matchers_for
from monitors.stack import Service, start_alertmanager

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"
AMTOOL = shutil.which("amtool")


def _maintenance(windows: Path, *args: str) -> Result:
    argv = [*args, "--windows-file", str(windows)]
    if args[0] == "add":
        argv += ["-i", str(SMALL)]
    return CliRunner().invoke(app, argv, catch_exceptions=False)


@pytest.fixture(scope="module")
def alertmanager(small: Inventory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    if shutil.which("prometheus-alertmanager") is None and shutil.which("alertmanager") is None:
        pytest.skip("Alertmanager (prometheus-alertmanager) is not installed")
    base = tmp_path_factory.mktemp("alertmanager")
    closed = f"127.0.0.1:{free_tcp_port()}"  # notifications fail there, harmlessly
    settings = MonitoringSettings.for_inventory(
        small, webhook_url=f"http://{closed}/alerts", smtp_smarthost=closed
    )
    config = base / "alertmanager.yml"
    config.write_text(render_alertmanager(small, settings)[PATH], encoding="utf-8")
    with start_alertmanager(config, base) as service:
        yield service


def _alert(name: str, site: str, device: str = "") -> dict[str, Any]:
    """An alert as the rules label it: ``site`` always, ``device`` for a device's."""
    now = dt.datetime.now(dt.UTC)
    labels = {"alertname": name, "severity": "critical", "team": "network", "site": site}
    if device:
        labels["device"] = device
    return {
        "labels": labels,
        "startsAt": now.isoformat(),
        "endsAt": (now + dt.timedelta(minutes=30)).isoformat(),
    }


def _post(url: str, alerts: list[dict[str, Any]]) -> None:
    req = urllib.request.Request(url + "/api/v2/alerts", data=json.dumps(alerts).encode())
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200


def _states(url: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(alertname, device or site) → (state, silenced by)."""
    with urllib.request.urlopen(url + "/api/v2/alerts", timeout=10) as resp:
        alerts: list[dict[str, Any]] = json.loads(resp.read())
    out = {}
    for a in alerts:
        labels = a["labels"]
        key = (labels["alertname"], labels.get("device") or labels["site"])
        out[key] = (a["status"]["state"], a["status"]["silencedBy"])
    return out


def _until(url: str, want: dict[tuple[str, str], str]) -> dict[tuple[str, str], Any]:
    deadline = time.monotonic() + 20
    while True:
        states = _states(url)
        if all(states.get(k, ("",))[0] == v for k, v in want.items()):
            return states
        assert time.monotonic() < deadline, states
        time.sleep(0.2)


def _silence(url: str, sid: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/v2/silence/{sid}", timeout=10) as resp:
        answer: dict[str, Any] = json.loads(resp.read())
        return answer


@pytest.mark.integration
def test_a_window_on_one_school_silences_its_alerts_only(
    alertmanager: Service, tmp_path: Path
) -> None:
    url, windows = alertmanager.url, tmp_path / "windows.yaml"
    ours = ("EdunetSiteUnreachable", "79760012")
    # not one the school's own unreachability inhibits: only the silence may hide it
    our_switch = ("EdunetDeviceRebooted", "79760012-sw1")
    theirs = ("EdunetSiteUnreachable", "79760031")
    _post(
        url,
        [
            _alert(*ours),
            _alert(our_switch[0], "79760012", our_switch[1]),
            _alert(*theirs),
        ],
    )
    _until(url, {ours: "active", our_switch: "active", theirs: "active"})

    done = _maintenance(
        windows, "add", "-l", "site=79760012", "--to", "+1h", "--reason", "thay switch",
        "--alertmanager", url, "-f", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    window = maintenance.load(windows).get("1")
    assert len(window.silences) == 1
    sid = window.silences[0]
    silence = _silence(url, sid)
    assert silence["matchers"] == [
        {"name": "site", "value": "79760012", "isRegex": False, "isEqual": True}
    ]
    assert "window 1" in silence["comment"] and "thay switch" in silence["comment"]
    states = _until(url, {ours: "suppressed", our_switch: "suppressed", theirs: "active"})
    assert states[ours][1] == [sid] and states[our_switch][1] == [sid]
    if AMTOOL is not None:  # as the NOC would look
        shown = subprocess.run(
            [AMTOOL, "silence", "query", "--alertmanager.url", url, "-o", "json"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert [s["id"] for s in json.loads(shown.stdout)] == [sid]

    listed = _maintenance(windows, "list", "-f", "json")
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["state"], r["silences"]) for r in rows] == [("1", "open", 1)]

    ended = _maintenance(windows, "end", "1", "--alertmanager", url)
    assert ended.exit_code == 0, ended.output
    assert "1 silence(s) expired" in ended.output
    assert _silence(url, sid)["status"]["state"] == "expired"
    _until(url, {ours: "active", our_switch: "active", theirs: "active"})
    assert maintenance.load(windows).get("1").ended is not None


@pytest.mark.integration
def test_a_window_on_one_device_silences_that_device(
    alertmanager: Service, small: Inventory, tmp_path: Path
) -> None:
    url, windows = alertmanager.url, tmp_path / "windows.yaml"
    switch = ("EdunetDeviceDown", "79785007-sw1")
    router = ("EdunetDeviceDown", "79785007-rt1")
    _post(url, [_alert(switch[0], "79785007", switch[1]), _alert(router[0], "79785007", router[1])])
    done = _maintenance(
        windows, "add", "-l", "79785007-sw1,pgd-binh-chanh-sw1", "--to", "+30m",
        "--reason", "firmware", "--alertmanager", url,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    window = maintenance.load(windows).get("1")
    assert [m.label for m in matchers_for(small, window)] == ["device"]
    (matcher,) = _silence(url, window.silences[0])["matchers"]
    assert (matcher["name"], matcher["isRegex"]) == ("device", True)
    assert sorted(matcher["value"].split("|")) == [r"79785007\-sw1", r"pgd\-binh\-chanh\-sw1"]
    _until(url, {switch: "suppressed", router: "active"})
    assert _maintenance(windows, "end", "1", "--alertmanager", url).exit_code == 0
    _until(url, {switch: "active"})


def test_alertmanager_away_the_window_is_recorded_and_said(tmp_path: Path) -> None:
    windows = tmp_path / "windows.yaml"
    away = f"http://127.0.0.1:{free_tcp_port()}"
    done = _maintenance(
        windows, "add", "-l", "site=79760012", "--from", "+1h", "--to", "+2h",
        "--reason", "thay router", "--alertmanager", away,
    )  # fmt: skip
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    assert "window 1 recorded" in done.output and "NOT silenced" in done.output
    assert "cannot be reached" in done.output
    stored = yaml.safe_load(windows.read_text(encoding="utf-8"))["windows"]
    assert [(w["id"], w["silences"]) for w in stored] == [("1", [])]
    bad = _maintenance(
        windows, "add", "-l", "site=7976", "--to", "+1h", "--reason", "x", "--alertmanager", away
    )
    assert bad.exit_code == 2 and "did you mean" in bad.output
    called_off = _maintenance(windows, "end", "1", "--alertmanager", away)
    assert called_off.exit_code == 0, called_off.output  # no silence to expire
    assert _maintenance(windows, "end", "1", "--alertmanager", away).exit_code == 2  # over already
