"""Rendered device configs: every configurable device renders, secrets stay masked unless
given, and the committed golden files are exactly a fresh render."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet.cli.main import app
from edunet.model import Inventory
from playbooks.configs import MASK, configurable, device_context, render_device, render_section
from playbooks.configs.build import config_path, render_configs

ROOT = Path(__file__).resolve().parents[2]


def test_golden_configs_are_a_fresh_render() -> None:
    done = CliRunner().invoke(
        app, ["render", "configs", "--check", "-i", str(ROOT / "inventory.yaml"), "-o", str(ROOT)]
    )
    assert done.exit_code == 0, done.output


def test_every_configurable_device_renders_with_header(sample_city: Inventory) -> None:
    files = render_configs(sample_city)
    wanted = [d for d in sample_city.devices.values() if configurable(d)]
    assert len(files) == len(wanted) == 563
    for d in wanted:
        text = files[config_path(sample_city, d.name)]
        first = text.splitlines()[0]
        assert "do not edit" in first and first[0] in "!#"
        assert d.name in text


def test_secrets_are_masked_unless_given(small: Inventory) -> None:
    sw = small.devices["79760012-sw1"]
    masked = render_device(small, sw)
    assert f"username {MASK} privilege 15 secret {MASK}" in masked
    assert "enable secret " + MASK in masked
    real = render_device(small, sw, {"ssh_user": "netops", "ssh_password": "s3cret-pw"})
    assert "username netops privilege 15 secret s3cret-pw" in real
    assert f"enable secret {MASK}" in real  # not given: still masked


def test_context_is_plain_data_without_secrets(small: Inventory) -> None:
    import json

    ctx = device_context(small, small.devices["79760012-rt1"])
    text = json.dumps(ctx)  # JSON-able: it travels as an Ansible host variable
    assert "password" not in text and ctx["gateway"] is True
    assert [v["id"] for v in ctx["vlans"]] == [10, 20, 30, 40]


def test_ios_switch_sections(small: Inventory) -> None:
    sw = small.devices["79760012-sw1"]
    vlans = render_section(small, sw, "vlans")
    assert "vlan 20\n name staff\n" in vlans
    interfaces = render_section(small, sw, "interfaces")
    assert (
        "interface GigabitEthernet1/0/25\n description TRUNK 79760012-rt1 ether5\n"
        " switchport trunk native vlan 10\n switchport trunk allowed vlan 10,20,30,40\n"
        " switchport mode trunk\n" in interfaces
    )
    assert "interface Vlan10\n description MANAGEMENT\n ip address 10.33.3.9 " in interfaces
    assert render_section(small, sw, "routing").startswith("ip default-gateway 10.33.3.1\n")


def test_routeros_router_routes_and_addresses(small: Inventory) -> None:
    text = render_device(small, small.devices["79760012-rt1"])
    assert "/system identity set name=79760012-rt1" in text
    assert "/ip address add address=10.20.32.97/31 interface=ether1" in text
    assert "/ip route add dst-address=0.0.0.0/0 gateway=10.20.32.96 distance=1" in text


def test_district_router_routes_its_schools(small: Inventory) -> None:
    text = render_device(small, small.devices["pgd-q1-rt1"])
    # both Quận 1 schools, through their uplinks' far ends, as whole site blocks
    assert "ip route 10.132.12.0 255.255.255.0 10.20.32.97" in text
    assert "ip route 0.0.0.0 0.0.0.0 10.20.32.0" in text


def test_unconfigurable_platform_says_which_have_templates(small: Inventory) -> None:
    with pytest.raises(ValueError, match="cisco_ios, cisco_xe and mikrotik_routeros"):
        render_device(small, small.devices["ttdl-srv1"])


def test_vietnamese_is_folded_to_ascii_in_configs(sample_city: Inventory) -> None:
    for text in list(render_configs(sample_city).values())[:50]:
        body = text.split("\n", 1)[1]  # the header is ours, not the device's
        assert body.isascii()
