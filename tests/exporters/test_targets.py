"""A scrape's target: by name or address, where packets go, and every way it can be
unusable as a clear reason (never a crash, never a secret in the text)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from edunet.model import Inventory
from edunet.reach import LAB_MAP
from edunet.secrets import SecretStore
from exporters.snmp.result import PollError
from exporters.snmp.targets import Targets

RT = "79760012-rt1"  # 10.33.3.1
V3 = {
    "EDUNET_SNMP_V3_DEFAULT_USER": "monitor",
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "auth-value-5f2c",
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": "priv-value-9a1e",
}


def test_by_name_by_inventory_address_and_by_lab_address(small: Inventory) -> None:
    targets = Targets(small, SecretStore(env=V3), LAB_MAP)
    for key in (RT, "10.33.3.1", "127.33.3.1", f" {RT} "):
        found = targets.resolve(key)
        assert found.error is None and found.target is not None, key
        assert found.target.name == RT
        assert found.target.address == "127.33.3.1"
        assert found.target.port == 161
        assert found.target.credentials.user == "monitor"


def test_without_a_map_packets_go_to_the_inventory_address(small: Inventory) -> None:
    found = Targets(small, SecretStore(env=V3)).resolve(RT)
    assert found.target is not None and found.target.address == "10.33.3.1"


def test_an_unknown_target(small: Inventory) -> None:
    found = Targets(small, SecretStore(env=V3), LAB_MAP).resolve("10.99.0.1")
    assert found.target is None and found.device is None
    assert found.error is PollError.unknown_target
    result = found.failed("if_mib")
    assert (result.ok, result.error, result.target) == (
        False,
        PollError.unknown_target,
        "10.99.0.1",
    )
    assert "not a device of the inventory" in result.detail


def test_a_device_without_snmp(small: Inventory) -> None:
    devices = dict(small.devices)
    devices[RT] = dataclasses.replace(devices[RT], snmp=None)
    inv = dataclasses.replace(small, devices=devices)
    found = Targets(inv, SecretStore(env=V3)).resolve(RT)
    assert found.error is PollError.unknown_target
    assert found.detail == f"{RT} has no SNMP profile"
    assert found.failed("if_mib").target == RT


def test_missing_secrets_name_the_variable_never_a_value(small: Inventory) -> None:
    env = {k: v for k, v in V3.items() if not k.endswith("_PRIV_KEY")}
    found = Targets(small, SecretStore(env=env)).resolve(RT)
    assert found.target is None and found.error is PollError.credentials
    assert "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY" in found.detail
    assert "auth-value-5f2c" not in found.detail and "monitor" not in found.detail


def test_secrets_from_a_file(small: Inventory, tmp_path: Path) -> None:
    file = tmp_path / "secrets.yaml"
    file.write_text("".join(f"{k}: {v}\n" for k, v in V3.items()))
    file.chmod(0o600)
    found = Targets(small, SecretStore(env={}, file=file)).resolve(RT)
    assert found.target is not None
    assert found.target.credentials.priv_key is not None
    assert found.target.credentials.priv_key.reveal() == "priv-value-9a1e"


def test_a_secrets_file_others_can_read_is_refused(small: Inventory, tmp_path: Path) -> None:
    file = tmp_path / "secrets.yaml"
    file.write_text("".join(f"{k}: {v}\n" for k, v in V3.items()))
    file.chmod(0o644)
    found = Targets(small, SecretStore(env={}, file=file)).resolve(RT)
    assert found.error is PollError.credentials and "chmod 600" in found.detail


def test_a_broken_secrets_file_is_not_quoted(small: Inventory, tmp_path: Path) -> None:
    file = tmp_path / "secrets.yaml"
    file.write_text("EDUNET_SNMP_V3_DEFAULT_AUTH_KEY: [leaked-value-77\n")
    file.chmod(0o600)
    found = Targets(small, SecretStore(env={}, file=file)).resolve(RT)
    assert found.error is PollError.credentials
    assert "leaked-value-77" not in found.detail and "not valid YAML" in found.detail
