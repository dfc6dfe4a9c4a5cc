"""The IOS command patches, driven line by line without SSH (a switch core and a screen)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fake_switches", reason="fake-switches is not installed")

from fake_switches.switch_configuration import Port
from fake_switches.switch_factory import SwitchFactory

from lab.ssh import cli_base, patches

MARKER = "% Invalid input detected at '^' marker."
PORTS_9200 = [f"GigabitEthernet1/0/{i}" for i in range(1, 25)] + [
    f"GigabitEthernet1/1/{i}" for i in range(1, 5)
]


class Screen:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def add_any_key_handler(self, callback: Any, *params: Any) -> None:
        return None

    def remove_any_key_handler(self) -> None:
        return None


class Cli:
    """One session on one switch: ``send`` returns what the switch printed."""

    def __init__(self, ports: list[str] | None = None, secret: str = "s3cret") -> None:
        patches.apply()
        port_objects = [Port(p) for p in ports] if ports else None
        self.core = SwitchFactory().get("cisco_generic", "sw1", secret, ports=port_objects)
        self.screen = Screen()
        self.session = self.core.launch("ssh", self.screen)

    @property
    def conf(self) -> Any:
        return self.core.switch_configuration

    def send(self, line: str) -> str:
        start = len(self.screen.text)
        self.session.receive(line)
        return self.screen.text[start:]

    def enable(self) -> None:
        self.send("enable")
        assert self.send("s3cret").endswith("sw1#")


@pytest.fixture
def cli() -> Cli:
    c = Cli(PORTS_9200)
    c.enable()
    return c


def test_user_mode_and_enable() -> None:
    c = Cli()
    assert c.screen.text.endswith("sw1>")
    assert "level is 1" in c.send("show privilege")
    assert c.send("terminal length 0").endswith("sw1>")
    c.send("enable")
    assert "% Bad secrets" in c.send("wrong")
    c.send("enable")
    c.send("")  # an empty secret is refused while one is set
    assert c.send("show privilege").count("level is 1") == 1
    c.send("enable 15")
    assert c.send("s3cret").endswith("sw1#")
    assert "level is 15" in c.send("show privilege")
    assert c.send("disable").endswith("sw1>")


@pytest.mark.parametrize(
    "lines",
    [["frobnicate"], ["show foobar"], ["show"], ["show ip"], ["no"], ["configure terminal", "x y"]],
)
def test_unknown_or_crashing_commands_answer_the_marker(cli: Cli, lines: list[str]) -> None:
    out = ""
    for line in lines:
        out = cli.send(line)
    assert MARKER in out
    assert out.rstrip().endswith("#")  # the session stays up, with a prompt


def test_end_and_do_in_config_modes(cli: Cli) -> None:
    cli.send("configure terminal")
    assert cli.send("interface Gi1/0/3").endswith("sw1(config-if)#")
    assert "level is 15" in cli.send("do show privilege")
    assert MARKER in cli.send("show vlan")  # an EXEC command without `do`
    assert cli.send("end").endswith("sw1#")


def test_port_names_are_the_models_and_exact(cli: Cli) -> None:
    cli.send("configure terminal")
    assert cli.send("interface GigabitEthernet1/1/4").endswith("(config-if)#")
    cli.send("exit")
    # upstream matched the number's suffix: Gi0/1 took GigabitEthernet1/0/1
    assert "Invalid input" in cli.send("interface Gi0/1")
    cli.send("end")


def test_config_lines_hostname_and_kept_globals(cli: Cli) -> None:
    for line in [
        "configure terminal",
        "ip domain-name edu.vn",
        "vlan 30",
        "name staff",
        "interface Gi1/0/2",
        "switchport access vlan 30",
        "snmp-server location Quan 1",
        "username ops privilege 15 secret hidden-value",
        "enable secret other-hidden",
    ]:
        assert MARKER not in cli.send(line), line
    # a global command in a sub-mode leaves it, as on IOS
    assert cli.send("hostname lab-sw").endswith("lab-sw(config)#")
    cli.send("no ip domain-name edu.vn")
    cli.send("end")
    run = cli.send("show running-config")
    assert "hostname lab-sw" in run
    assert "vlan 30\n name staff" in run
    assert "interface GigabitEthernet1/0/2\n switchport access vlan 30" in run
    assert "snmp-server location Quan 1" in run
    assert "ip domain-name" not in run
    assert "hidden" not in run and "username" not in run  # secrets are never shown


def test_save_and_startup_config(cli: Cli) -> None:
    assert "startup-config is not present" in cli.send("show startup-config")
    assert "[OK]" in cli.send("write memory")
    assert "hostname sw1" in cli.send("show startup-config")
    assert "Destination filename" in cli.send("copy running-config startup-config")
    assert "[OK]" in cli.send("")
    assert MARKER in cli.send("copy foo")


def test_pipes(cli: Cli) -> None:
    cli.send("configure terminal")
    cli.send("vlan 40")
    cli.send("end")
    inc = cli.send("show running-config | include ^hostname|^vlan")
    assert inc.splitlines()[:2] == ["hostname sw1", "vlan 40"]  # IOS never shows VLAN 1
    exc = cli.send("show running-config | exclude interface|!")
    assert "interface" not in exc and "hostname sw1" in exc
    sec = cli.send("show running-config | section ^vlan 40")
    assert sec.splitlines()[0] == "vlan 40"
    assert MARKER in cli.send("show running-config | frobnicate x")
    assert MARKER in cli.send("show running-config | include (")  # a bad regex


def test_show_vlan_ports_wrap_like_ios_15(cli: Cli) -> None:
    out = cli.send("show vlan brief")
    first = next(ln for ln in out.splitlines() if ln.startswith("1 "))
    assert first.count(",") >= 7  # 8 ports a line (71 characters), not upstream's 4


def test_config_reject_fault(cli: Cli) -> None:
    cli_base.set_config_reject(cli.conf, True)
    assert cli.send("configure terminal").endswith("(config)#")
    assert MARKER in cli.send("vlan 50")
    assert MARKER in cli.send("interface Gi1/0/5")
    assert "level is 15" in cli.send("do show privilege")
    assert cli.send("end").endswith("sw1#")
    cli_base.set_config_reject(cli.conf, False)
    cli.send("configure terminal")
    assert cli.send("vlan 50").endswith("(config-vlan)#")
    cli.send("end")
    assert "vlan 50" in cli.send("show running-config")
