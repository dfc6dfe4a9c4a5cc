"""Which switches the lab runs, their logins, and the SSH faults and secrets in the state dir."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from edunet.model import Inventory
from edunet.secrets import MissingSecret, SecretStore
from lab import credentials, device_faults, state
from lab.ssh import specs
from lab.ssh.lab_side import check_device


def test_inventory_specs_use_lab_addresses_hostnames_and_model_ports(small: Inventory) -> None:
    rows = specs.inventory_specs(small, 10022)
    devices = {d.name for d in small.devices.values() if d.platform.name in specs.IOS_PLATFORMS}
    assert {s.device for s in rows} == devices
    sw = next(s for s in rows if s.device == "79760012-sw1")
    assert (sw.host, sw.port, sw.profile) == ("127.33.3.9", 10022, "netops")
    assert sw.ports == small.devices["79760012-sw1"].model.interfaces
    assert sw.ports[0] == "GigabitEthernet1/0/1"
    only = specs.inventory_specs(small, 2222, ["79760012-sw1"])
    assert [s.device for s in only] == ["79760012-sw1"]
    with pytest.raises(ValueError, match="79760012-rt1"):  # a MikroTik: no IOS switch
        specs.inventory_specs(small, 2222, ["79760012-rt1"])


def test_count_specs_layouts() -> None:
    by_port = specs.count_specs(3, "127.0.0.1", 31000)
    assert [(s.host, s.port) for s in by_port] == [("127.0.0.1", p) for p in (31000, 31001, 31002)]
    by_addr = specs.count_specs(2, "127.0.1.254", 2222, layout="addresses")
    assert [(s.host, s.port) for s in by_addr] == [("127.0.1.254", 2222), ("127.0.1.255", 2222)]
    assert by_port[0].device == "sw001"
    with pytest.raises(ValueError, match=r"127\.0\.0\.0/8"):
        specs.count_specs(1, "10.0.0.1", 2222)
    with pytest.raises(ValueError, match="count"):
        specs.count_specs(0, "127.0.0.1", 2222)


def test_logins_from_environment_or_defaults() -> None:
    env = {
        "EDUNET_SSH_NETOPS_USER": "ops",
        "EDUNET_SSH_NETOPS_PASSWORD": "pw",
        "EDUNET_SSH_NETOPS_ENABLE": "en",
    }
    login = specs.logins(["netops"], SecretStore(env=env))["netops"]
    assert (login.user, login.password.reveal(), login.enable.reveal()) == ("ops", "pw", "en")
    assert "pw" not in repr(login)
    with pytest.raises(MissingSecret, match="EDUNET_SSH_NETOPS_USER"):
        specs.logins(["netops"], SecretStore(env={}))
    anonymous = specs.logins(["netops"], SecretStore(env={}), defaults=True)["netops"]
    assert anonymous.user == "admin"


def test_secrets_file_gains_ssh_logins(small: Inventory, tmp_path: Path) -> None:
    values = credentials.ensure_secrets(tmp_path, small, env={})
    for suffix in ("USER", "PASSWORD", "ENABLE"):
        assert values[f"EDUNET_SSH_NETOPS_{suffix}"]
    assert values["EDUNET_SSH_NETOPS_PASSWORD"] != values["EDUNET_SSH_NETOPS_ENABLE"]
    path = state.secrets_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.ensure_secrets(tmp_path, small, env={}) == values  # kept across `up`s
    creds = SecretStore(env={}, file=path).ssh(small.devices["79760012-sw1"].ssh)  # type: ignore[arg-type]
    assert creds.enable is not None
    assert creds.enable.reveal() == values["EDUNET_SSH_NETOPS_ENABLE"]


def test_ssh_faults_are_listed_and_cleared(tmp_path: Path) -> None:
    device_faults.ssh_down(tmp_path, "79760012-sw1")
    device_faults.config_reject(tmp_path, "pgd-q1-sw1")
    keys = {r["key"] for r in device_faults.data_fault_rows(tmp_path)}
    assert keys == {"ssh-down:79760012-sw1", "config-reject:pgd-q1-sw1"}
    assert device_faults.clear_data_fault(tmp_path, "ssh-down:79760012-sw1")
    assert device_faults.clear_data_fault(tmp_path, "config-reject:pgd-q1-sw1")
    assert device_faults.data_fault_rows(tmp_path) == []
    assert device_faults.read_faults(tmp_path)["devices"] == {}


def test_only_ios_devices_take_ssh_faults(small: Inventory) -> None:
    assert check_device(small, "79760012-sw1") is None
    assert "mikrotik_routeros" in str(check_device(small, "79760012-rt1"))
