"""The live values: the school-day curve, counters, uptime, flapping, swapped serials."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lab import traffic

VARIATION = Path(__file__).parent.parent.parent / "lab/variation/edunet_live.py"

# Tuesday 2024-01-09 in Ho Chi Minh City (UTC+7), at a given local hour
TUESDAY = traffic.EPOCH + 8 * traffic.DAY


def local(day_offset: int, hour: float) -> float:
    return TUESDAY + day_offset * traffic.DAY + hour * traffic.HOUR


@pytest.fixture()
def live(tmp_path: Path) -> Any:
    """The variation module loaded the way snmpsim loads it: exec'd in a fresh namespace."""
    ns: dict[str, Any] = {"moduleContext": {}, "__name__": "edunet_live"}
    exec(compile(VARIATION.read_text(), str(VARIATION), "exec"), ns)
    faults = tmp_path / "faults.json"
    ns["init"](options=str(faults), mode="variating")
    return SimpleNamespace(ns=ns, faults=faults)


def write_faults(path: Path, devices: dict[str, Any]) -> None:
    path.write_text(json.dumps({"devices": devices, "applications": {}}))
    st = path.stat()  # make sure the mtime moves even on coarse clocks
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def rate(t: float) -> float:
    return traffic.cumulative(t + 30) - traffic.cumulative(t - 30)


def test_school_day_shape() -> None:
    morning, lunch, night = rate(local(0, 9.5)), rate(local(0, 12.2)), rate(local(0, 3))
    assert morning > lunch > night
    assert rate(local(0, 14.5)) > lunch  # classes again after lunch
    assert rate(local(3, 9.5)) > rate(local(4, 9.5)) > rate(local(5, 9.5))  # Fri > Sat > Sun
    assert traffic.hour_of_week(local(0, 9.5)) == 24 + 9


def test_counters_never_go_backwards_and_readers_agree() -> None:
    prev = -1
    t = local(0, 0)
    for step in range(0, 8 * 24 * 3600, 97):
        value = traffic.octets(t + step, 1.25e9, 4242)
        assert value >= prev
        assert value == traffic.octets(t + step, 1.25e9, 4242)
        assert value < 1 << 64
        prev = value
    busy = traffic.octets(local(0, 10.5), 1e6, 1) - traffic.octets(local(0, 10), 1e6, 1)
    quiet = traffic.octets(local(0, 3.5), 1e6, 1) - traffic.octets(local(0, 3), 1e6, 1)
    assert busy > 10 * quiet > 0


def test_errors_grow_slowly() -> None:
    a = traffic.error_count(local(0, 0), 2.0, 7)
    b = traffic.error_count(local(1, 0), 2.0, 7)
    assert b - a == 2


def test_uptime_runs_and_reboot_resets(live: Any) -> None:
    p = live.ns["parse"]("f=up,d=sw1,ph=12345")
    now = time.time()
    a = live.ns["live_value"](p, now, {})
    b = live.ns["live_value"](p, now + 10, {})
    assert b - a == pytest.approx(1000, abs=1)
    assert 0 <= a < traffic.BOOT_PERIOD * 100
    rebooted = live.ns["live_value"](p, now, {"sw1": {"boot": now - 5}})
    assert rebooted == pytest.approx(500, abs=1)
    # a reboot "in the future" (clock skew) is ignored rather than going negative
    assert live.ns["live_value"](p, now, {"sw1": {"boot": now + 60}}) == a


def test_flapping_port_and_last_change(live: Any) -> None:
    oper = live.ns["parse"]("f=oper,d=sw1,p=Gi1/0/3,v=1")
    chg = live.ns["parse"]("f=chg,d=sw1,p=Gi1/0/3,v=3051,ph=12345")
    faults = {"sw1": {"flapping": ["Gi1/0/3"]}}
    t0 = (time.time() // 20) * 20
    values = {live.ns["live_value"](oper, t0 + s, faults) for s in (1, 11)}
    assert values == {1, 2}
    assert live.ns["live_value"](oper, t0 + 1, {}) == 1
    assert live.ns["live_value"](chg, t0 + 1, {}) == 3051
    flap_chg = live.ns["live_value"](chg, t0 + 11, faults) - live.ns["live_value"](
        chg, t0 + 1, faults
    )
    assert flap_chg == 1000


def test_serial_swap(live: Any) -> None:
    p = live.ns["parse"]("f=ser,d=sw1,v=0123")
    assert live.ns["live_value"](p, 0, {}) == "0123"  # an all-digit serial stays text
    assert live.ns["live_value"](p, 0, {"sw1": {"serial": "X9"}}) == "X9"


def test_variate_reads_faults_file_and_caches_parameters(live: Any) -> None:
    ns = live.ns
    record: dict[str, Any] = {}
    ns["recordContext"] = record
    ctx = {"nextFlag": False, "exactMatch": True, "setFlag": False, "origOid": None}
    value = "f=ser,d=sw1,v=ABC"
    assert ns["variate"]((1, 3), "4", value, **ctx)[2] == "ABC"
    assert "p" in record  # parsed once, kept for the next request
    write_faults(live.faults, {"sw1": {"serial": "SWAPPED"}})
    ns["_faults"]["checked"] = 0.0  # skip the 0.5 s look-again pause
    assert ns["variate"]((1, 3), "4", value, **ctx)[2] == "SWAPPED"
    live.faults.write_text("{broken")  # half-written: keep what was read before
    ns["_faults"]["checked"] = 0.0
    assert ns["variate"]((1, 3), "4", value, **ctx)[2] == "SWAPPED"


def test_variate_answers_no_such_instance_on_inexact_get(live: Any) -> None:
    ns = live.ns
    ns["recordContext"] = {}
    ctx = {
        "nextFlag": False,
        "exactMatch": False,
        "setFlag": False,
        "origOid": (1, 9),
        "errorStatus": "noSuchInstance",
    }
    assert ns["variate"]((1, 3), "4", "f=ser,d=x,v=y", **ctx) == ((1, 9), "4", "noSuchInstance")


def test_port_down_stays_down_with_its_change_time(live: Any) -> None:
    oper = live.ns["parse"]("f=oper,d=sw1,p=Gi1/0/25,v=1")
    chg = live.ns["parse"]("f=chg,d=sw1,p=Gi1/0/25,v=3051,ph=12345")
    now = time.time()
    faults = {"sw1": {"ports_down": {"Gi1/0/25": now - 30}}}
    assert [live.ns["live_value"](oper, now + s, faults) for s in (0, 10, 20)] == [2, 2, 2]
    assert live.ns["live_value"](oper, now, {}) == 1
    boot = live.ns["boot_time"](chg, now, faults)
    assert live.ns["live_value"](chg, now, faults) == int((now - 30 - boot) * 100) % (1 << 32)


def test_an_errors_fault_makes_the_port_count_fast(live: Any) -> None:
    err = live.ns["parse"]("f=err,d=sw1,p=Gi1/0/7,r=1.5,s=14")
    now = time.time()
    quiet = live.ns["live_value"](err, now, {})
    faults = {"sw1": {"errors": {"Gi1/0/7": {"since": now - 10, "per_s": 5}}}}
    assert live.ns["live_value"](err, now, faults) == quiet + 50
    other = live.ns["parse"]("f=err,d=sw1,p=Gi1/0/8,r=1.5,s=14")
    assert live.ns["live_value"](other, now, faults) == quiet
