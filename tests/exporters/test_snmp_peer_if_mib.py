"""Interface labels against snmp_exporter's own: one net-snmp ``snmpd`` on a free loopback port
(this machine's interfaces, a description set on two of them with ``snmpset``), scraped over
SNMPv3 authPriv by Debian's ``prometheus-snmp-exporter`` (the generator's ``if_mib`` shape:
ifAlias, ifDescr and ifName looked up on ifIndex) and by ours. Every interface of the peer's
page must be on ours with the same ifIndex, ifName, ifDescr and ifAlias, and the same status
and speed."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from support import ready
from support.ports import free_tcp_port, free_udp_port
from support.processes import running
from support.snmp_exporter_yml import snmp_yml

from edunet.model import Inventory
from edunet.reach import AddressMap
from edunet.secrets import SecretStore
from exporters.snmp.oids import IF_COLUMNS, MODULES
from exporters.snmp.poll import poll
from exporters.snmp.server import ScrapeConfig, SelfMetrics, make_app
from exporters.snmp.session import close_session
from exporters.snmp.targets import Targets

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RT = "79760012-rt1"  # management address 10.33.3.1, polled over SNMPv3 (v3-default)
USER, AUTH, PRIV = "edunet-peer", "auth-key-peer-1", "priv-key-peer-1"
ENV = {
    "EDUNET_SNMP_V3_DEFAULT_USER": USER,
    "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": AUTH,
    "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": PRIV,
}
SET_COMMUNITY = "edunet-set"
# descriptions a NOC writes: Vietnamese, quotes, a backslash
ALIASES = {1: 'Đường truyền VNPT "Quận 1"', 2: "tầng 2 \\ phòng máy"}
PEER_LABELS = ("ifIndex", "ifName", "ifDescr", "ifAlias")
# the peer's metric -> ours (status as 1/0, speed in bit/s)
PAIRS = {
    "ifOperStatus": "edunet_interface_oper_up",
    "ifAdminStatus": "edunet_interface_admin_up",
    "ifHighSpeed": "edunet_interface_speed_bps",
}

needs = pytest.mark.skipif(
    any(shutil.which(b) is None for b in ("snmpd", "snmpset", "prometheus-snmp-exporter")),
    reason="needs net-snmp's snmpd and snmpset, and prometheus-snmp-exporter",
)


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """snmpd on 127.0.0.1 (its interfaces are this machine's) with two descriptions set."""
    work = tmp_path_factory.mktemp("snmpd")
    port = free_udp_port()
    conf = work / "snmpd.conf"
    conf.touch(mode=0o600)
    conf.write_text(
        f"agentaddress udp:127.0.0.1:{port}\n"
        f"rwcommunity {SET_COMMUNITY} 127.0.0.1\n"
        f'createUser {USER} SHA "{AUTH}" AES "{PRIV}"\nrouser {USER} priv\n'
    )
    state = work / "state"  # not the system's /var/lib/snmp
    state.mkdir(mode=0o700)
    argv = ["snmpd", "-f", "-Lf", str(work / "snmpd.log"), "-C", "-c", str(conf)]
    env = {"SNMP_PERSISTENT_DIR": str(state), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    with running(argv, log=subprocess.DEVNULL, env=env, cwd=None) as proc:
        ready.wait_snmp("127.0.0.1", port, SET_COMMUNITY, proc=proc)
        for index, text in ALIASES.items():
            alias = IF_COLUMNS["ifAlias"] + (index,)
            subprocess.run(
                [
                    *("snmpset", "-v2c", "-c", SET_COMMUNITY, f"udp:127.0.0.1:{port}"),
                    *(".".join(map(str, alias)), "x", text.encode().hex()),
                ],
                check=True,
                capture_output=True,
            )
        yield port


def _peer_page(agent: int, work: Path) -> str:
    config = work / "snmp.yml"
    config.touch(mode=0o600)
    config.write_text(snmp_yml(MODULES["if_mib"], "unused", v3=(USER, AUTH, PRIV)))
    listen = free_tcp_port()
    argv = [
        "prometheus-snmp-exporter",
        f"--config.file={config}",
        f"--web.listen-address=127.0.0.1:{listen}",
    ]
    with running(argv, log=work / "peer.log", cwd=None) as proc:
        url = f"http://127.0.0.1:{listen}/snmp?module=if_mib_v3&target=127.0.0.1:{agent}"
        return ready.wait_http(url, 20, proc=proc, log=work / "peer.log")


def _our_page(small: Inventory, agent: int) -> str:
    address_map = AddressMap.parse(f"{small.devices[RT].mgmt_ip}/32=127.0.0.1/32")
    targets = Targets(small, SecretStore(env=ENV), address_map, port=agent)
    config = ScrapeConfig(small, targets, poll)

    async def main() -> str:
        app = make_app(config, SelfMetrics(process=False))
        try:
            async with TestClient[web.Request, web.Application](TestServer(app)) as client:
                resp = await client.get("/snmp", params={"target": RT})
                assert resp.status == 200
                return await resp.text()
        finally:
            close_session()

    return asyncio.run(main())


def _by_index(page: str, name: str) -> dict[str, tuple[dict[str, str], float]]:
    return {
        s.labels["ifIndex"]: (s.labels, s.value)
        for fam in text_string_to_metric_families(page)
        for s in fam.samples
        if s.name == name
    }


@needs
def test_interface_labels_match_snmp_exporters_if_mib(
    small: Inventory, agent: int, tmp_path: Path
) -> None:
    theirs, ours = _peer_page(agent, tmp_path), _our_page(small, agent)
    assert 'edunet_snmp_up{device="79760012-rt1"' in ours and "ifHCInOctets{" in theirs
    for their_name, our_name in PAIRS.items():
        peer, mine = _by_index(theirs, their_name), _by_index(ours, our_name)
        assert peer and set(peer) == set(mine), their_name
        for index, (labels, value) in peer.items():
            our_labels, our_value = mine[index]
            assert set(labels) <= set(our_labels), (their_name, labels)
            assert {k: our_labels[k] for k in PEER_LABELS} == labels, (their_name, index)
            expected = value * 1e6 if their_name == "ifHighSpeed" else float(value == 1)
            assert our_value == expected, (their_name, index)
    aliases = {
        i: labels["ifAlias"] for i, (labels, _) in _by_index(ours, PAIRS["ifOperStatus"]).items()
    }
    assert {aliases[str(i)] for i in ALIASES} == set(ALIASES.values())
