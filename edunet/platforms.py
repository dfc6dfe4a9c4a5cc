"""The device families edunet knows how to talk to, and the tool names they map to.

A catalogue entry names one of these; the mapping lives here, in one place, so that
netmiko, Ansible and the exporters always agree on what a platform is.
"""

from __future__ import annotations

from edunet.model import Platform

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("cisco_ios", "cisco_ios", "cisco.ios.ios", "ansible.netcommon.network_cli", True),
        Platform("cisco_xe", "cisco_xe", "cisco.ios.ios", "ansible.netcommon.network_cli", True),
        Platform(
            "mikrotik_routeros",
            "mikrotik_routeros",
            "community.routeros.routeros",
            "ansible.netcommon.network_cli",
            True,
        ),
        Platform("fortinet", "fortinet", "fortinet.fortios.fortios", "httpapi", True),
        Platform("openwrt", "linux", None, "ssh", True),
        Platform("linux", "linux", None, "ssh", True),
        Platform("linux_desktop", "linux", None, "ssh", False),
    )
}
