"""The parts of the network faults that need no root: echo replies, rule text, checks."""

from __future__ import annotations

import struct
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from lab import netblock, netfaults, netns
from lab.icmp_responder import build_reply, checksum


def echo_request(src: str, dst: str, ident: int, seq: int, payload: bytes) -> bytes:
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    header = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(icmp),
        0x1234,
        0x4000,
        64,
        1,
        0,
        IPv4Address(src).packed,
        IPv4Address(dst).packed,
    )
    return header + icmp


def test_reply_swaps_addresses_and_keeps_id_seq_payload() -> None:
    payload = bytes(range(56))
    reply = build_reply(echo_request("127.200.3.1", "127.17.1.1", 0xBEEF, 42, payload))
    assert reply is not None
    assert reply[12:16] == IPv4Address("127.17.1.1").packed  # from the pinged address
    assert reply[16:20] == IPv4Address("127.200.3.1").packed
    icmp = reply[20:]
    kind, code, _sum, ident, seq = struct.unpack("!BBHHH", icmp[:8])
    assert (kind, code, ident, seq) == (0, 0, 0xBEEF, 42)
    assert icmp[8:] == payload
    assert checksum(icmp) == 0  # a valid checksum sums to zero


def test_odd_payload_checksum() -> None:
    reply = build_reply(echo_request("127.0.0.1", "127.9.9.9", 1, 1, b"abc"))
    assert reply is not None and checksum(reply[20:]) == 0


def test_ignores_what_is_not_an_echo_request_for_us() -> None:
    request = echo_request("127.0.0.1", "127.9.9.9", 1, 1, b"x" * 8)
    reply = build_reply(request)
    assert reply is not None
    assert build_reply(reply) is None  # an echo reply
    assert build_reply(request[:25]) is None  # truncated
    assert build_reply(request, frozenset({IPv4Address("127.9.9.8")})) is None
    assert build_reply(request, frozenset({IPv4Address("127.9.9.9")})) is not None
    fragment = request[:6] + struct.pack("!H", 0x2000) + request[8:]
    assert build_reply(fragment) is None


def test_loss_rule_in_hundredths() -> None:
    text = netns.ruleset(IPv4Address("127.17.1.1"), 12.5)
    assert "ip daddr 127.17.1.1 numgen random mod 10000 < 1250 drop" in text
    assert "numgen" not in netns.ruleset(IPv4Address("127.17.1.1"), 0)
    for everything in (
        netns.ruleset(IPv4Address("127.17.1.1"), 5, blocked=True),
        netns.ruleset(IPv4Address("127.17.1.1"), 100),
    ):
        assert "ip daddr 127.17.1.1 drop" in everything


def test_cage_names() -> None:
    cage = netns.Cage(7)
    assert (cage.namespace, cage.host_veth, cage.ns_veth) == ("edunet-lab-7", "enl7h", "enl7n")
    assert (str(cage.host_ip), str(cage.ns_ip)) == ("127.200.7.1", "127.200.7.2")
    assert len(netblock.owner_id(Path("lab"))) == 10
    assert netblock.owner_id(Path("lab")) != netblock.owner_id(Path("other"))
    assert str(netns.Cage(255).ns_ip) == "127.200.255.2"


@pytest.mark.parametrize("address", ["10.1.2.3", "127.200.0.5", "127.0.0.1"])
def test_refuses_addresses_outside_the_lab(address: str) -> None:
    with pytest.raises(ValueError):
        netfaults._lab_address(IPv4Address(address))


def test_active_reads_state_without_root(tmp_path: Path) -> None:
    (tmp_path / "netfaults.json").write_text(
        '{"faults": {"uplink:1": {"kind": "impair", "address": "127.17.1.1", "loss_pct": 5,'
        ' "delay_ms": 80, "jitter_ms": 2, "slot": 3, "responder": {"pid": 1, "started": 1}},'
        ' "down:a": {"kind": "block", "addresses": ["127.1.1.1", "127.1.1.2"]}}}'
    )
    faults = netfaults.NetFaults(tmp_path).active()
    assert [f.key for f in faults] == ["down:a", "uplink:1"]
    assert faults[0].addresses == (IPv4Address("127.1.1.1"), IPv4Address("127.1.1.2"))
    up = faults[1]
    assert (up.kind, up.loss_pct, up.delay_ms, up.namespace) == ("impair", 5, 80, "edunet-lab-3")
    assert netfaults.NetFaults(tmp_path / "none").active() == []
