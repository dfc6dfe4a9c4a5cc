"""The ICMP engine: packets, matching, timeouts, the schedule, and RTT on loopback."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import struct
import subprocess
import time
from ipaddress import IPv4Address

import pytest

from exporters.probe.icmp import (
    ECHO_REPLY,
    ECHO_REQUEST,
    IcmpProber,
    build_echo,
    checksum,
    parse_echo,
)


class Recorder:
    """An engine sink that keeps everything, with the time of each send."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, int]] = []
        self.replies: list[tuple[int, float]] = []
        self.lost: list[int] = []

    def on_sent(self, target: int) -> None:
        self.sent.append((time.monotonic(), target))

    def on_reply(self, target: int, rtt_s: float) -> None:
        self.replies.append((target, rtt_s))

    def on_lost(self, target: int) -> None:
        self.lost.append(target)


class FakeSocket:
    def __init__(self) -> None:
        self.packets: list[tuple[bytes, tuple[str, int]]] = []

    def sendto(self, data: bytes, address: tuple[str, int]) -> int:
        self.packets.append((data, address))
        return len(data)


def as_reply(request: bytes) -> bytes:
    """What a host sends back for ``request``, behind a 20-byte IPv4 header."""
    body = bytes([ECHO_REPLY, 0, 0, 0]) + request[4:]
    body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
    return bytes([0x45]) + bytes(19) + body


# --- packets ----------------------------------------------------------------------------------


def test_checksum_of_the_rfc_1071_example() -> None:
    # RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement 220d)
    assert checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0x220D


def test_checksum_of_odd_length_pads_with_zero() -> None:
    assert checksum(b"\x12\x34\x56") == checksum(b"\x12\x34\x56\x00")


def test_echo_request_round_trips_and_checks_out() -> None:
    packet = build_echo(0x1234, 0xBEEF, b"edunet payload!!")
    assert checksum(packet) == 0  # a correct checksum makes the whole message sum to zero
    echo = parse_echo(packet, ip_header=False)
    assert echo is not None
    assert (echo.type, echo.code, echo.ident, echo.seq) == (ECHO_REQUEST, 0, 0x1234, 0xBEEF)
    assert echo.payload == b"edunet payload!!"


def test_parse_skips_the_ip_header_and_rejects_damage() -> None:
    reply = as_reply(build_echo(7, 9, b"x" * 56))
    echo = parse_echo(reply, ip_header=True)
    assert echo is not None and (echo.type, echo.ident, echo.seq) == (ECHO_REPLY, 7, 9)
    damaged = reply[:-1] + bytes([reply[-1] ^ 0xFF])
    assert parse_echo(damaged, ip_header=True) is None
    assert parse_echo(b"\x45" + bytes(10), ip_header=True) is None


def test_matches_ping_from_iputils_on_the_wire() -> None:
    # a known echo request captured from ping(8): id 0x0c5e, seq 1, 8 bytes of data
    wire = bytes.fromhex("0800" + "0000" + "0c5e" + "0001" + "0102030405060708")
    fixed = build_echo(0x0C5E, 1, bytes.fromhex("0102030405060708"))
    assert fixed[4:] == wire[4:]
    assert checksum(fixed) == 0


# --- matching and timeouts, without a network -------------------------------------------------


def engine_with_fake_socket(
    n: int = 3, timeout_s: float = 1.0
) -> tuple[IcmpProber, Recorder, FakeSocket]:
    rec = Recorder()
    addresses = [IPv4Address(f"127.0.0.{i + 1}") for i in range(n)]
    engine = IcmpProber(addresses, rec, timeout_s=timeout_s)
    sock = FakeSocket()
    engine._sock = sock  # type: ignore[assignment]
    engine.stats.socket_kind = "raw"
    return engine, rec, sock


def test_reply_is_matched_by_ident_and_sequence_and_timed_by_the_kernel_stamp() -> None:
    engine, rec, sock = engine_with_fake_socket()
    engine._send(1)
    request, address = sock.packets[0]
    assert address == ("127.0.0.2", 0)
    _, sent_ns = engine._pending[struct.unpack_from("!H", request, 6)[0]]
    engine._on_packet(as_reply(request), True, sent_ns + 1_500_000)  # stamped 1.5 ms later
    assert len(rec.replies) == 1
    assert rec.replies[0][0] == 1 and rec.replies[0][1] == pytest.approx(0.0015)
    # the same reply again (a duplicate) is stray, not a second answer
    engine._on_packet(as_reply(request), True, sent_ns + 2_000_000)
    assert len(rec.replies) == 1 and engine.stats.stray == 1


def test_foreign_and_forged_replies_are_ignored() -> None:
    engine, rec, sock = engine_with_fake_socket()
    engine._send(0)
    request = sock.packets[0][0]
    other_ident = bytearray(request)
    other_ident[4:6] = struct.pack("!H", (engine.ident + 1) & 0xFFFF)
    engine._on_packet(as_reply(bytes(other_ident)), True, 0)
    wrong_target = bytearray(request)
    wrong_target[8:12] = struct.pack("!I", 2)  # the payload names another target
    engine._on_packet(as_reply(bytes(wrong_target)), True, 0)
    assert rec.replies == []
    assert engine.stats.stray == 1  # the other program's ping is not even counted


def test_unanswered_packets_time_out_as_lost() -> None:
    engine, rec, _ = engine_with_fake_socket(timeout_s=0.5)
    engine._send(0)
    engine._send(2)
    engine._expire(time.monotonic() + 0.1)
    assert rec.lost == []
    engine._expire(time.monotonic() + 0.6)
    assert sorted(rec.lost) == [0, 2]
    assert engine._pending == {}


def test_a_refused_send_is_a_lost_probe_and_a_send_error() -> None:
    engine, rec, _ = engine_with_fake_socket()

    class Refusing(FakeSocket):
        def sendto(self, data: bytes, address: tuple[str, int]) -> int:
            raise PermissionError("nft said no")

    engine._sock = Refusing()  # type: ignore[assignment]
    engine._send(0)
    assert [t for _, t in rec.sent] == [0]
    assert rec.lost == [0] and engine.stats.send_errors == 1


# --- the real socket on loopback --------------------------------------------------------------


def run_engine(engine: IcmpProber, seconds: float) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(seconds, stop.set)
        await engine.run(stop)

    asyncio.run(asyncio.wait_for(main(), seconds + 10))


@pytest.mark.integration
def test_schedule_spreads_packets_evenly_over_the_interval() -> None:
    targets = [IPv4Address(f"127.93.0.{i}") for i in range(1, 21)]
    rec = Recorder()
    engine = IcmpProber(targets, rec, interval_s=0.5, packets=2, timeout_s=0.5)
    run_engine(engine, 2.0)
    # 20 targets x 2 packets / 0.5 s = 80 pps: 160 in 2 s, never more than a tick's worth late
    assert 140 <= len(rec.sent) <= 165
    times = [t for t, _ in rec.sent]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) < 0.05  # no silent stretch: sends flow all the time
    per_second = [sum(1 for t in times if times[0] + k <= t < times[0] + k + 1) for k in (0, 1)]
    assert min(per_second) >= 70  # the same rate in each second, not a burst then nothing
    # each target: one packet every interval/packets = 0.25 s, in turn with the others
    for target in (0, 7, 19):
        own = [t for t, i in rec.sent if i == target]
        spacing = [b - a for a, b in itertools.pairwise(own)]
        assert statistics.median(spacing) == pytest.approx(0.25, abs=0.02)
    assert [i for _, i in rec.sent[:20]] == list(range(20))  # round robin
    assert len(rec.replies) >= len(rec.sent) - 20  # the last ones may still be in flight


@pytest.mark.integration
def test_rtt_on_loopback_agrees_with_ping() -> None:
    rec = Recorder()
    engine = IcmpProber([IPv4Address("127.93.1.1")], rec, interval_s=0.02, timeout_s=0.5)
    run_engine(engine, 1.5)
    rtts = [r for _, r in rec.replies]
    assert len(rtts) >= 50 and not rec.lost
    ours = statistics.median(rtts)
    assert 0 < ours < 0.001  # loopback: microseconds, not the event loop's milliseconds
    out = subprocess.run(
        ["ping", "-n", "-q", "-c", "20", "-i", "0.02", "127.93.1.1"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    ping_avg_ms = float(out.rsplit("=", 1)[1].split("/")[1])
    assert abs(ours * 1000 - ping_avg_ms) < 0.5


@pytest.mark.integration
def test_rtt_is_not_inflated_by_a_busy_event_loop() -> None:
    """The loop is blocked for 30 ms at a time; kernel stamps keep loopback RTTs tiny."""
    rec = Recorder()
    engine = IcmpProber([IPv4Address("127.93.1.2")], rec, interval_s=0.01, timeout_s=1.0)

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(engine.run(stop))
        for _ in range(20):
            await asyncio.sleep(0.005)
            time.sleep(0.03)  # a slow scrape, a GC pause: replies wait in the socket
        stop.set()
        await task

    asyncio.run(asyncio.wait_for(main(), 15))
    rtts = sorted(r for _, r in rec.replies)
    assert len(rtts) >= 20
    assert rtts[int(len(rtts) * 0.9)] < 0.002
