"""Network faults for real: the kernel drops and delays packets on loopback (root)."""

from __future__ import annotations

import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from lab.netblock import owner_id
from lab.netfaults import NetFaults

pytestmark = pytest.mark.integration

# Lab addresses no inventory uses (10.79.250.x): nothing else listens there.
A1, A2, A3 = (IPv4Address(f"127.79.250.{n}") for n in (1, 2, 3))


@dataclass
class Pings:
    sent: int
    received: int
    rtts: list[float]

    @property
    def loss_pct(self) -> float:
        return 100.0 * (self.sent - self.received) / self.sent


def ping(address: IPv4Address, count: int, interval: float, *, source: str | None = None) -> Pings:
    argv = ["ping", "-n", "-c", str(count), "-i", str(interval), "-W", "1"]
    if source:
        argv += ["-I", source]
    out = subprocess.run(
        [*argv, str(address)], capture_output=True, text=True, timeout=count * interval + 30
    ).stdout
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    assert m, out
    rtts = [float(t) for t in re.findall(r"time=([\d.]+) ms", out)]
    return Pings(int(m.group(1)), int(m.group(2)), rtts)


def udp_arrives(address: IPv4Address) -> bool:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx,
    ):
        rx.bind((str(address), 0))
        rx.settimeout(0.5)
        tx.sendto(b"hello", rx.getsockname())
        try:
            return rx.recv(64) == b"hello"
        except TimeoutError:
            return False


class Tracked(NetFaults):
    """Remembers the namespaces its faults used, to check that none is left."""

    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir)
        self.namespaces: set[str] = set()

    def impair(self, key: str, address: IPv4Address, **how: float) -> None:
        super().impair(key, address, **how)
        self.namespaces |= {f.namespace for f in self.active() if f.namespace}


def leftovers(nf: Tracked, *, everything: bool = False) -> list[str]:
    """What is left of ``nf``'s faults (of any lab's, with ``everything``)."""

    def out(*argv: str) -> str:
        return subprocess.run(argv, capture_output=True, text=True).stdout

    mine = nf.namespaces | {"edunet-lab-250"}  # the crash test's
    found = [
        n
        for n in out("ip", "netns", "list").split()
        if n.startswith("edunet-lab-") and (everything or n in mine)
    ]
    veths = re.findall(r"^\d+:\s+(enl\d+)h", out("ip", "-o", "link", "show"), re.M)
    found += [
        f"{v}h" for v in veths if everything or f"edunet-lab-{v[3:]}" in mine or v == "enl251"
    ]
    table = out("nft", "list", "table", "inet", "edunet_lab")
    if everything:
        found += ["table inet edunet_lab"] if table else []
    elif f"input_{owner_id(nf.state_dir)}" in table:
        found.append("our chain")
    routes = out("ip", "route", "show", "table", "local").splitlines()
    found += [r for r in routes if " enl" in r and (everything or r.startswith("127.79.250."))]
    return found


def other_labs_busy(nf: Tracked) -> bool:
    """Whether another lab on this machine has faults in place (its tests, say)."""
    try:
        labs = Path("/run/edunet-lab/netfaults-labs").read_text().split()
    except FileNotFoundError:
        return False
    return any(
        Path(p).exists() and NetFaults(Path(p).parent).active()
        for p in labs
        if Path(p) != nf.state_file.resolve()
    )


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


@pytest.fixture
def nf(tmp_path: Path) -> Iterator[Tracked]:
    reason = NetFaults.unavailable_reason()
    if reason:
        pytest.skip(f"network faults unavailable here: {reason}")
    faults = Tracked(tmp_path / "lab")
    yield faults
    faults.clear_all()
    assert leftovers(faults) == []


@pytest.mark.slow
def test_block_drops_pings_and_udp_until_cleared(nf: Tracked) -> None:
    assert ping(A1, 3, 0.2).received == 3
    nf.block("down:test", [A1, A2])
    assert ping(A1, 3, 0.2).received == 0
    assert ping(A2, 1, 0.2).received == 0
    assert not udp_arrives(A1)
    assert ping(A3, 1, 0.2).received == 1  # only what was blocked
    nf.clear("down:test")
    assert ping(A1, 3, 0.2).received == 3
    assert udp_arrives(A1)


def test_block_same_key_replaces_and_keys_overlap(nf: Tracked) -> None:
    nf.block("down:a", [A1])
    nf.block("down:a", [A2])
    assert udp_arrives(A1) and not udp_arrives(A2)
    nf.block("site-down:x", [A2, A3])
    nf.clear("down:a")
    assert not udp_arrives(A2)  # still blocked by the site
    assert [(f.key, f.kind) for f in nf.active()] == [("site-down:x", "block")]
    nf.clear("site-down:x")
    nf.clear("site-down:x")  # unknown key: nothing to do
    assert udp_arrives(A2) and udp_arrives(A3)
    assert leftovers(nf) == []


@pytest.mark.slow
@pytest.mark.parametrize(("loss", "tolerance"), [(10, 3), (30, 4)])
def test_loss_is_real_and_near_the_share_asked(nf: Tracked, loss: int, tolerance: int) -> None:
    nf.impair("uplink:test", A1, loss_pct=loss)
    result = ping(A1, 1000, 0.002)
    assert result.sent == 1000
    assert abs(result.loss_pct - loss) <= tolerance, result.loss_pct


@pytest.mark.slow
def test_delay_median_near_the_delay_asked(nf: Tracked) -> None:
    assert ping(A1, 1, 0.2).rtts[0] < 10
    nf.impair("uplink:test", A1, delay_ms=80)
    result = ping(A1, 20, 0.05)
    assert result.received == 20
    assert abs(statistics.median(result.rtts) - 80) <= 10, result.rtts
    # any 127.x source gets its reply, not only the transfer address
    assert ping(A1, 3, 0.05, source="127.0.0.1").received == 3
    nf.clear("uplink:test")
    assert ping(A1, 3, 0.05).rtts[-1] < 10


@pytest.mark.slow
def test_loss_and_delay_together(nf: Tracked) -> None:
    nf.impair("uplink:test", A2, loss_pct=20, delay_ms=50)
    result = ping(A2, 400, 0.01)
    assert abs(result.loss_pct - 20) <= 6, result.loss_pct
    assert abs(statistics.median(result.rtts) - 50) <= 10


@pytest.mark.slow
def test_jitter_spreads_replies(nf: Tracked) -> None:
    nf.impair("uplink:test", A1, delay_ms=40, jitter_ms=20)
    rtts = ping(A1, 40, 0.02).rtts
    assert len(rtts) == 40
    assert min(rtts) >= 15 and max(rtts) <= 70
    assert statistics.pstdev(rtts) > 5


def test_impair_same_key_replaces(nf: Tracked) -> None:
    nf.impair("uplink:test", A1, delay_ms=200)
    first = nf.active()[0]
    nf.impair("uplink:test", A1, delay_ms=30)
    (now,) = nf.active()
    assert now.delay_ms == 30 and first.responder_pid and gone(first.responder_pid)
    assert 20 <= ping(A1, 2, 0.05).rtts[-1] <= 60
    nf.impair("uplink:other", A2, loss_pct=5)
    assert len({f.namespace for f in nf.active()}) == 2
    assert len([x for x in leftovers(nf) if x.startswith("edunet-lab-")]) == 2


def test_block_wins_over_impair(nf: Tracked) -> None:
    nf.impair("uplink:x", A1, delay_ms=20)
    nf.block("site-down:x", [A1])
    assert ping(A1, 2, 0.2).received == 0
    nf.clear("site-down:x")
    assert ping(A1, 2, 0.05).received == 2


def test_another_process_clears_what_this_one_made(nf: Tracked) -> None:
    nf.impair("uplink:x", A1, loss_pct=1, delay_ms=20)
    nf.block("down:y", [A2])
    (pid,) = [f.responder_pid for f in nf.active() if f.responder_pid]
    code = "import sys; from pathlib import Path; from lab.netfaults import NetFaults; "
    code += "f = NetFaults(Path(sys.argv[1])); f.clear('uplink:x'); f.clear('down:y')"
    subprocess.run([sys.executable, "-c", code, str(nf.state_dir)], check=True, timeout=30)
    assert gone(pid) and nf.active() == [] and leftovers(nf) == []


def test_clear_survives_stale_state(nf: Tracked) -> None:
    nf.impair("uplink:x", A1, delay_ms=20)
    (fault,) = nf.active()
    assert fault.namespace and fault.responder_pid
    subprocess.run(["kill", str(fault.responder_pid)], check=True)
    subprocess.run(["ip", "netns", "del", fault.namespace], check=True)
    nf.clear("uplink:x")
    assert nf.active() == [] and leftovers(nf) == []


def test_clear_all_sweeps_a_crashed_run_and_is_idempotent(nf: Tracked, tmp_path: Path) -> None:
    nf.impair("uplink:x", A1, loss_pct=10, delay_ms=20)
    nf.block("down:y", [A2])
    pid = nf.active()[1].responder_pid
    assert pid
    # what a run that died mid-way leaves: a namespace, a stray veth, no state file
    subprocess.run(["ip", "netns", "add", "edunet-lab-250"], check=True)
    subprocess.run(
        ["ip", "link", "add", "enl251h", "type", "veth", "peer", "name", "enl251n"], check=True
    )
    (nf.state_dir / "netfaults.json").write_text("{ torn")
    started = time.monotonic()
    nf.clear_all()
    assert time.monotonic() - started < 5
    assert leftovers(nf) == [] and gone(pid) and nf.active() == []
    assert ping(A1, 1, 0.2).received == 1 and udp_arrives(A2)
    nf.clear_all()
    NetFaults(tmp_path / "never-used").clear_all()
    assert leftovers(nf) == []
    if not other_labs_busy(nf):  # then nothing of any lab may remain
        assert leftovers(nf, everything=True) == []


def test_two_labs_on_one_machine_spare_each_other(nf: Tracked, tmp_path: Path) -> None:
    other = Tracked(tmp_path / "other-lab")
    try:
        other.block("down:b", [A2])
        other.impair("uplink:b", A3, delay_ms=20)
        nf.block("down:a", [A1])
        nf.clear_all()  # ours, and the sweep: the other lab's faults stay
        assert udp_arrives(A1) and not udp_arrives(A2)
        assert ping(A3, 2, 0.05).rtts[-1] >= 15
        assert [f.key for f in other.active()] == ["down:b", "uplink:b"]
    finally:
        other.clear_all()
    assert leftovers(other) == [] and udp_arrives(A2)
