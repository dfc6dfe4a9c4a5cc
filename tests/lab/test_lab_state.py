"""The state directory: faults.json, the lab's secrets, names that are not in the inventory."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from edunet.model import Inventory
from edunet.secrets import SecretStore
from lab import addresses, credentials, device_faults, errors, faults, lifecycle, state


def test_faults_round_trip_and_clear(tmp_path: Path) -> None:
    assert device_faults.read_faults(tmp_path) == {"devices": {}, "applications": {}}
    device_faults.reboot(tmp_path, "sw1")
    device_faults.flap(tmp_path, "sw1", "Gi1/0/1")
    device_faults.flap(tmp_path, "sw1", "Gi1/0/2")
    device_faults.swap_serial(tmp_path, "sw1", "X1")
    device_faults.port_down(tmp_path, "sw1", "Gi1/0/3")
    device_faults.port_errors(tmp_path, "sw1", "Gi1/0/4", 5.0)
    device_faults.app_fault(tmp_path, "portal", 503, 0)
    keys = [r["key"] for r in device_faults.data_fault_rows(tmp_path)]
    assert keys == [
        "reboot:sw1",
        "flap:sw1:Gi1/0/1",
        "flap:sw1:Gi1/0/2",
        "port-down:sw1:Gi1/0/3",
        "errors:sw1:Gi1/0/4",
        "serial:sw1",
        "app:portal",
    ]
    for key in keys:
        assert device_faults.clear_data_fault(tmp_path, key)
    assert device_faults.read_faults(tmp_path) == {"devices": {}, "applications": {}}
    assert not device_faults.clear_data_fault(tmp_path, "down:sw1")  # a network fault: not ours


def test_secrets_file_is_private_stable_and_env_wins(tmp_path: Path, small: Inventory) -> None:
    first = credentials.ensure_secrets(tmp_path, small, env={})
    path = state.secrets_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first["EDUNET_SNMP_V3_DEFAULT_CONTEXT"] == "public"
    assert credentials.ensure_secrets(tmp_path, small, env={}) == first
    env = {"EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "fromtheenv1"}
    assert credentials.ensure_secrets(tmp_path, small, env=env)[
        "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY"
    ] == ("fromtheenv1")
    creds = SecretStore(env={}, file=path).snmp(small.snmp_profiles["v3-default"])
    assert creds.context == "public" and creds.priv_key is not None


def test_lab_addresses(small: Inventory) -> None:
    d = small.devices["79760012-sw1"]
    assert str(addresses.device_address(d)) == "127.33.3.9"
    addrs = [str(a) for a in addresses.site_addresses(small, "79760012")]
    assert "127.33.3.9" in addrs and str(addresses.site_probe_address(small, "79760012")) in addrs


def test_shards_are_balanced_and_stable(small: Inventory) -> None:
    a = lifecycle.assign_shards(small, 3)
    assert a == lifecycle.assign_shards(small, 3)
    assert sorted(e.device for s in a for e in s) == sorted(
        d.name for d in small.devices.values() if d.platform.snmp and d.snmp
    )
    ports = [sum(small.devices[e.device].model.ports for e in s) for s in a]
    assert max(ports) - min(ports) <= 30
    for s in a:
        assert [e.index for e in s] == list(range(len(s)))


def test_network_faults_need_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from edunet.cli.main import app

    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(errors.LabError, match="needs root"):
        faults.net_faults(tmp_path)
    inventory = str(Path(__file__).parent.parent / "core" / "data" / "small.yaml")
    result = CliRunner().invoke(
        app, ["lab", "fault", "site-down", "pgd-q1", "-i", inventory, "--state-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "this fault needs root (network namespaces / nftables); run as root" in result.output


def test_data_faults_through_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from edunet.cli.main import app

    inventory = str(Path(__file__).parent.parent / "core" / "data" / "small.yaml")
    common = ["-i", inventory, "--state-dir", str(tmp_path)]
    run = CliRunner().invoke
    assert run(app, ["lab", "fault", "reboot", "79760012-sw1", *common]).exit_code == 0
    assert (
        run(
            app, ["lab", "fault", "flap", "79760012-sw1", "GigabitEthernet1/0/3", *common]
        ).exit_code
        == 0
    )
    bad = run(app, ["lab", "fault", "flap", "79760012-sw1", "Gi9/9", *common])
    assert bad.exit_code == 1 and "no port 'Gi9/9'" in bad.output
    assert run(app, ["lab", "fault", "app-down", "portal", *common]).exit_code == 0
    faults = device_faults.read_faults(tmp_path)
    assert faults["devices"]["79760012-sw1"]["flapping"] == ["GigabitEthernet1/0/3"]
    assert faults["applications"]["portal"] == {"status": 503, "delay_ms": 0}
    listed = run(app, ["lab", "fault", "list", "--state-dir", str(tmp_path), "-f", "json"])
    assert "flap:79760012-sw1:GigabitEthernet1/0/3" in listed.output
    cleared = run(app, ["lab", "fault", "clear", "--all", "--state-dir", str(tmp_path)])
    assert cleared.exit_code == 0
    assert device_faults.data_fault_rows(tmp_path) == []
