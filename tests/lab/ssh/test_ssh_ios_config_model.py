"""What the simulated switches keep of a configuration, and how they print it (no SSH)."""

from __future__ import annotations

import pytest

pytest.importorskip("fake_switches", reason="fake-switches is not installed")

from test_ssh_cli_patches import MARKER, PORTS_9200, Cli

from lab.ssh import cli_base


@pytest.fixture
def cli() -> Cli:
    c = Cli(PORTS_9200)
    c.enable()
    c.send("configure terminal")
    return c


def config(cli: Cli) -> list[str]:
    cli.send("end")
    text = cli.send("show running-config")
    cli.send("configure terminal")
    start = text.index("version ")
    return text[start : text.index("\nend\n") + 4].splitlines()


def test_line_blocks(cli: Cli) -> None:
    assert cli.send("line con 0").endswith("sw1(config-line)#")
    cli.send("exec-timeout 10 0")
    cli.send("logging synchronous")
    cli.send("line vty 0 15")
    for line in ("exec-timeout 10 0", "transport input ssh", "password not-kept-1"):
        assert MARKER not in cli.send(line)
    cli.send("exec-timeout 5 0")  # replaces the timeout of this block only
    assert cli.send("logging host 10.9.9.9").endswith("sw1(config)#")  # a global line
    lines = config(cli)
    at = lines.index("line con 0")
    assert lines[at : at + 6] == [
        "line con 0",
        " exec-timeout 10 0",
        " logging synchronous",
        "line vty 0 15",
        " transport input ssh",
        " exec-timeout 5 0",
    ]
    assert "logging host 10.9.9.9" in lines
    assert not any("not-kept-1" in ln for ln in lines)
    cli.send("line vty 0 15")
    cli.send("no exec-timeout")
    assert " exec-timeout 5 0" not in config(cli)
    assert MARKER in cli.send("line vty 0 99")
    assert MARKER in cli.send("line con 1")


def test_secrets_are_accepted_and_never_shown(cli: Cli) -> None:
    for line in (
        "username ops privilege 15 secret s3cret-pw",
        "enable secret s3cret-en",
        "snmp-server user u1 grp v3 auth sha s3cret-auth priv aes 128 s3cret-priv",
        "snmp-server community s3cret-comm RO",
        "snmp-server location Here",
    ):
        assert MARKER not in cli.send(line)
    lines = config(cli)
    assert not any("s3cret" in ln for ln in lines)
    assert "snmp-server location Here" in lines


def test_on_off_lines_and_single_values(cli: Cli) -> None:
    for line in (
        "no ip http server",
        "no ip http secure-server",
        "no cdp run",
        "snmp-server location Old",
        "snmp-server location New",
        "ntp server 10.0.0.1 prefer",
        "ntp server 10.0.0.12",
        "no ntp server 10.0.0.1",
    ):
        cli.send(line)
    lines = config(cli)
    assert {"no ip http server", "no ip http secure-server", "no cdp run"} <= set(lines)
    assert [ln for ln in lines if "location" in ln] == ["snmp-server location New"]
    assert [ln for ln in lines if ln.startswith("ntp")] == ["ntp server 10.0.0.12"]
    cli.send("ip http server")
    cli.send("cdp run")  # the default: not shown
    lines = config(cli)
    assert "ip http server" in lines and "no ip http server" not in lines
    assert not any("cdp" in ln for ln in lines)


def test_static_routes(cli: Cli) -> None:
    cli.send("interface Vlan10")
    cli.send("ip address 10.1.0.1 255.255.255.0")
    # typed right after an interface block: IOS runs it in global configuration
    assert cli.send("ip route 0.0.0.0 0.0.0.0 10.1.0.254").endswith("sw1(config)#")
    cli.send("ip route 0.0.0.0 0.0.0.0 10.1.0.253 250")
    cli.send("ip route 10.8.0.0 255.255.0.0 10.1.0.254 20")
    cli.send("ip route 10.8.0.0 255.255.0.0 10.1.0.254 30")  # a new distance
    routes = [ln for ln in config(cli) if ln.startswith("ip route")]
    assert routes == [
        "ip route 0.0.0.0 0.0.0.0 10.1.0.254",
        "ip route 0.0.0.0 0.0.0.0 10.1.0.253 250",
        "ip route 10.8.0.0 255.255.0.0 10.1.0.254 30",
    ]
    cli.send("no ip route 0.0.0.0 0.0.0.0 10.1.0.253")
    assert len([ln for ln in config(cli) if ln.startswith("ip route")]) == 2
    assert MARKER in cli.send("ip route 10.8.0.0 255.255.0.0 nowhere")
    assert MARKER in cli.send("ip route 10.8.0.0 255.255.0.0 10.1.0.254 300")


def test_routed_ports_and_loopbacks(cli: Cli) -> None:
    for _ in range(2):  # typing it all again is no error and changes nothing
        for line in (
            "interface Loopback0",
            "description ROUTER-ID",
            "ip address 10.16.0.1 255.255.255.255",
            "interface GigabitEthernet1/0/1",
            "description WAN",
            "no switchport",
            "ip address 10.20.0.1 255.255.255.254",
            "interface GigabitEthernet1/0/2",
            "no switchport",
            "ip address dhcp",
            "interface Vlan10",
            "ip address 10.1.0.1 255.255.255.0",
            "shutdown",
        ):
            assert MARKER not in cli.send(line), line
    lines = config(cli)
    blocks = "\n".join(lines)
    assert "interface Loopback0\n description ROUTER-ID\n ip address 10.16.0.1 255.255.255.255" in (
        blocks
    )
    assert lines.index("interface Loopback0") < lines.index("interface GigabitEthernet1/0/1")
    assert (
        "interface GigabitEthernet1/0/1\n description WAN\n no switchport\n"
        " ip address 10.20.0.1 255.255.255.254\n!" in blocks
    )
    assert "interface GigabitEthernet1/0/2\n no switchport\n ip address dhcp\n!" in blocks
    assert "interface Vlan10\n ip address 10.1.0.1 255.255.255.0\n shutdown\n!" in blocks
    cli.send("interface GigabitEthernet1/0/2")
    cli.send("switchport")
    assert "interface GigabitEthernet1/0/2\n!" in "\n".join(config(cli))
    cli.send("end")
    brief = cli.send("show ip interface brief")
    assert "Loopback0" in brief and "10.20.0.1" in brief


def test_running_config_order(cli: Cli) -> None:
    for line in (
        "ntp server 10.0.0.1",
        "line con 0",
        "logging synchronous",
        "banner motd ^Hello^",
        "snmp-server contact noc",
        "ip ssh version 2",
        "ip ssh time-out 60",
        "service password-encryption",
        "vlan 20",
        "name staff",
        "lldp run",
        "aaa new-model",
    ):
        cli.send(line)
    lines = config(cli)
    order = [
        "service password-encryption",
        "hostname sw1",
        "aaa new-model",
        "vlan 20",
        "lldp run",
        "interface GigabitEthernet1/0/1",
        "ip ssh time-out 60",
        "ip ssh version 2",
        "snmp-server contact noc",
        "banner motd ^Hello^",
        "line con 0",
        "ntp server 10.0.0.1",
        "end",
    ]
    assert [lines.index(ln) for ln in order] == sorted(lines.index(ln) for ln in order)
    assert lines[-2:] == ["ntp server 10.0.0.1", "end"]
    assert "vlan 1" not in lines


def test_config_reject_covers_line_mode(cli: Cli) -> None:
    cli.send("line vty 0 15")
    cli_base.set_config_reject(cli.conf, True)
    try:
        assert MARKER in cli.send("transport input ssh")
        assert cli.send("end").endswith("sw1#")
    finally:
        cli_base.set_config_reject(cli.conf, False)


def test_dot1q_sub_interfaces(cli: Cli) -> None:
    assert cli.send("interface GigabitEthernet1/0/4.10").endswith("sw1(config-subif)#")
    for _ in range(2):
        for line in (
            "interface GigabitEthernet1/0/4.10",
            "description MANAGEMENT",
            "encapsulation dot1Q 10 native",
            "ip address 10.1.0.1 255.255.255.0",
            "interface GigabitEthernet1/0/4.20",
            "encapsulation dot1Q 20",
            "ip address 10.2.0.1 255.255.255.0",
        ):
            assert MARKER not in cli.send(line), line
    blocks = "\n".join(config(cli))
    assert (
        "interface GigabitEthernet1/0/4\n!\n"
        "interface GigabitEthernet1/0/4.10\n description MANAGEMENT\n"
        " encapsulation dot1Q 10 native\n ip address 10.1.0.1 255.255.255.0\n!\n"
        "interface GigabitEthernet1/0/4.20\n encapsulation dot1Q 20\n"
        " ip address 10.2.0.1 255.255.255.0\n!\n"
        "interface GigabitEthernet1/0/5\n"
    ) in blocks
    assert MARKER in cli.send("encapsulation isl 5")
    cli.send("interface GigabitEthernet1/0/5")
    assert MARKER in cli.send("encapsulation dot1Q 5")  # not a sub-interface
    cli.send("no interface GigabitEthernet1/0/4.20")
    assert "GigabitEthernet1/0/4.20" not in "\n".join(config(cli))
    assert "% Invalid input detected" in cli.send("interface GigabitEthernet9/9/9.10")
