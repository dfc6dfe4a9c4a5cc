"""Against 20 simulated IOS switches of the sample city: backup, a change behind edunet's
back found by ``config drift`` (exact lines, metric 1), and a push rolled back on error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from support.ports import free_tcp_port
from typer.testing import CliRunner

import edunet
from edunet.model import Inventory
from lab.ssh import RunningSwitches, start
from playbooks.cli_config import app
from playbooks.configs.text import changes
from playbooks.devices.pool import Status
from playbooks.devices.push import push
from playbooks.devices.session import NetmikoConnector, Target, Timeouts, target_for
from playbooks.devices.store import GitStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).parent.parent.parent
LOGIN = {
    "EDUNET_SSH_NETOPS_USER": "netops",
    "EDUNET_SSH_NETOPS_PASSWORD": "lab-password",
    "EDUNET_SSH_NETOPS_ENABLE": "lab-enable",
    "EDUNET_SNMP_V3_DEFAULT_USER": "edunet-mon",
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "lab-auth-key",
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": "lab-priv-key",
}
MAP = "10.0.0.0/8=127.0.0.0/8"
ROGUE = [
    "snmp-server location moved by hand",
    "interface GigabitEthernet1/0/5",
    "description ROGUE",
]


@pytest.fixture(scope="module")
def city() -> Inventory:
    return edunet.load(ROOT / "inventory.yaml")


@pytest.fixture(scope="module")
def names(city: Inventory) -> list[str]:
    found = sorted(
        d.name
        for d in city.devices.values()
        if d.platform.name == "cisco_ios" and d.role.value == "access_switch" and d.ssh
    )
    return found[:20]


@pytest.fixture(scope="module")
def switches(names: list[str]) -> Iterator[RunningSwitches]:
    env = {**os.environ, **LOGIN}
    with start(
        ROOT / "inventory.yaml", devices=names, port=free_tcp_port(), env=env, duration=300
    ) as sw:
        yield sw


@pytest.fixture
def lab_env(monkeypatch: pytest.MonkeyPatch, switches: RunningSwitches) -> int:
    port = switches.switches[0].port
    for k, v in {**LOGIN, "EDUNET_SSH_PORT": str(port), "EDUNET_ADDRESS_MAP": MAP}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("EDUNET_SECRETS_FILE", raising=False)
    return port


def _targets(city: Inventory, names: list[str]) -> list[Target]:
    from edunet.reach import LAB_MAP

    return [target_for(city.devices[n], LAB_MAP) for n in names]


def _drift(runner: CliRunner, args: list[str], prom: Path) -> tuple[int, str, dict[str, float]]:
    res = runner.invoke(app, ["drift", *args, "--metrics-file", str(prom)])
    drift = {
        s.labels["device"]: s.value
        for fam in text_string_to_metric_families(prom.read_text())
        for s in fam.samples
        if s.name == "edunet_config_drift"
    }
    return res.exit_code, res.output, drift


def test_intended_push_backup_then_a_change_behind_our_back_is_drift(
    city: Inventory, names: list[str], lab_env: int, tmp_path: Path
) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    common = ["-i", str(ROOT / "inventory.yaml"), "--store", str(store)]
    limit = ["--limit", ",".join(names)]
    prom = tmp_path / "edunet_config_drift.prom"

    # the intended configuration goes out; then nothing drifts, and a second push is a no-op
    res = runner.invoke(app, ["push", "--intended", *limit, *common, "-f", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.count(",changed,") == 20
    code, out, drift = _drift(runner, [*limit, *common], prom)
    assert code == 0, out
    assert "20 devices checked: 0 drifted, 20 in line, 0 not checked" in out
    assert len(drift) == 20 and sum(drift.values()) == 0
    res = runner.invoke(app, ["push", "--intended", *limit, *common, "-f", "csv"])
    assert res.exit_code == 0 and res.output.count(",ok,") == 20, res.output

    res = runner.invoke(app, ["backup", *limit, *common, "-f", "csv"])
    assert res.exit_code == 0, res.output
    git = GitStore(store)
    assert len(list(store.glob("*/*.cfg"))) == 20 and git.head() is not None

    # behind edunet's back: straight netmiko to one switch
    victim = names[7]
    (target,) = _targets(city, [victim])
    session = NetmikoConnector(timeouts=Timeouts(connect=10, read=20))(target)
    try:
        session.send_config(ROGUE)
    finally:
        session.close()

    # against the intended configuration: the exact lines, and the metric for that switch only
    code, out, drift = _drift(runner, [*limit, *common], prom)
    assert code == 1, out
    site = city.devices[victim].site
    golden = next((ROOT / "playbooks/intended").glob(f"*/{victim}.cfg")).read_text()
    location = next(ln for ln in golden.splitlines() if ln.startswith("snmp-server location "))
    assert (
        f"{victim} ({site}): 4 lines drifted\n"
        f"  -{location}\n"
        "   interface GigabitEthernet1/0/5\n"
        "  - description USERS staff\n"
        "  + description ROGUE\n"
        "  +snmp-server location moved by hand\n"
    ) in out
    assert "20 devices checked: 1 drifted, 19 in line, 0 not checked" in out
    assert len(drift) == 20 and drift[victim] == 1 and sum(drift.values()) == 1

    # against the last backup: the same change, as the device saw it
    code, out, _ = _drift(runner, ["--against", "backup", *limit, *common], prom)
    assert code == 1
    assert f"{victim} ({site}): 4 lines drifted\n" in out
    assert "  +snmp-server location moved by hand\n" in out

    # config diff --live names the lines; the next backup commits just that device
    res = runner.invoke(app, ["diff", victim, "--live", *common])
    assert res.exit_code == 1 and "+ description ROGUE" in res.output
    res = runner.invoke(app, ["backup", *limit, *common])
    assert res.exit_code == 0
    assert git.history(city.devices[victim].district, victim)[0].subject == (
        "backup: 1 of 20 devices changed"
    )


def test_push_is_saved_and_a_rejected_line_is_rolled_back(
    city: Inventory, names: list[str], lab_env: int, tmp_path: Path
) -> None:
    targets = _targets(city, names[:6])
    bad = names[2]
    lines = [
        "vlan 77",
        "name cameras",
        "interface GigabitEthernet1/0/9",
        "switchport access vlan 77",
    ]

    def lines_for(target: Target, running: str) -> list[str]:
        return [*lines, "frobnicate the switch"] if target.device == bad else lines

    conn = NetmikoConnector(timeouts=Timeouts(connect=10, read=20))
    run = push(targets, conn, lines_for, GitStore(tmp_path / "store"), workers=6)
    by = {r.device: r for r in run.rows}
    assert all(by[n].status is Status.changed for n in names[:6] if n != bad), run.rows
    row = by[bad]
    assert row.status is Status.failed and "rejected: frobnicate the switch" in row.error
    assert "rolled back" in row.error and row.value is not None
    assert row.value.left_over == [] and "no vlan 77" in row.value.rollback
    # the device is as it was; the others kept and saved the change
    (t_bad,) = _targets(city, [bad])
    s = conn(t_bad)
    try:
        assert changes("cisco_ios", row.value.before, s.running_config()).lines == ()
    finally:
        s.close()
    ok = conn(targets[0])
    try:
        saved = ok.conn.send_command("show startup-config")  # type: ignore[attr-defined]
        assert "vlan 77" in str(saved)
    finally:
        ok.close()
