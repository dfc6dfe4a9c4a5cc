"""The school-day traffic curve and the lab's clock-driven counters.

Every live value the agents serve is a pure function of wall-clock time (and of a per-port
seed), so two readers at the same moment agree, a restarted agent carries on where it was,
and a counter never goes backwards: octets are the integral of a positive rate.

The curve follows Ho Chi Minh City time (UTC+7, no daylight saving): busy in school hours,
a lunch dip, quiet evenings, a lighter Saturday morning, a near-idle Sunday.
"""

from __future__ import annotations

import math

__all__ = [
    "BOOT_PERIOD",
    "EPOCH",
    "HOUR",
    "WEEK",
    "boot_phase",
    "cumulative",
    "default_boot",
    "error_count",
    "hour_of_week",
    "load_factor",
    "octets",
]

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
UTC_OFFSET = 7 * HOUR  # Asia/Ho_Chi_Minh
EPOCH = 1704042000.0  # Monday 2024-01-01 00:00 in Ho Chi Minh City: counters count from here

# Share of a port's peak rate at each hour of the day (the value at hh:00; linear between).
_SCHOOL_DAY = (
    0.03, 0.03, 0.03, 0.03, 0.03, 0.04,  # 00-05: backups, updates
    0.10, 0.55, 0.92, 1.00, 0.96, 0.70,  # 06-11: first bell at 7
    0.30, 0.45, 0.90, 0.95, 0.70, 0.35,  # 12-17: lunch dip, afternoon classes
    0.18, 0.14, 0.12, 0.08, 0.05, 0.04,  # 18-23: evening study, then night
)  # fmt: skip
_SATURDAY = (
    0.03, 0.03, 0.03, 0.03, 0.03, 0.03,
    0.05, 0.20, 0.35, 0.38, 0.33, 0.22,
    0.10, 0.08, 0.07, 0.07, 0.06, 0.06,
    0.06, 0.05, 0.05, 0.04, 0.04, 0.03,
)  # fmt: skip
_SUNDAY = (0.03,) * 6 + (0.04,) * 12 + (0.03,) * 6

# One knot per hour of the week, Monday 00:00 first, plus Monday 00:00 again to close the loop.
_KNOTS: tuple[float, ...] = _SCHOOL_DAY * 5 + _SATURDAY + _SUNDAY + (_SCHOOL_DAY[0],)


def _prefix() -> tuple[float, ...]:
    """Integral of the curve (in factor-seconds) from Monday 00:00 to each hour of the week."""
    out = [0.0]
    for h in range(168):
        out.append(out[-1] + (_KNOTS[h] + _KNOTS[h + 1]) / 2 * HOUR)
    return tuple(out)


_PREFIX = _prefix()
_WEEK_INTEGRAL = _PREFIX[-1]

# A slow wiggle on top of the curve so ports do not move in lockstep. Its amplitude stays
# below the night-time floor, so the rate never drops to zero and counters keep rising.
_WIGGLE = 0.02
_WIGGLE_PERIOD = 1800.0


def load_factor(t: float) -> float:
    """The curve at unix time ``t``: 1.0 is a weekday's busiest hour."""
    x = (t - EPOCH) % WEEK
    h = int(x // HOUR)
    frac = (x - h * HOUR) / HOUR
    return _KNOTS[h] + (_KNOTS[h + 1] - _KNOTS[h]) * frac


def cumulative(t: float) -> float:
    """Integral of :func:`load_factor` from :data:`EPOCH` to ``t``, in factor-seconds."""
    x = t - EPOCH
    weeks = math.floor(x / WEEK)
    rem = x - weeks * WEEK
    h = min(int(rem // HOUR), 167)
    s = rem - h * HOUR
    v0, v1 = _KNOTS[h], _KNOTS[h + 1]
    partial = v0 * s + (v1 - v0) * s * s / (2 * HOUR)
    return weeks * _WEEK_INTEGRAL + _PREFIX[h] + partial


def _wiggle(t: float, phase: float) -> float:
    """Integral of ``_WIGGLE * sin(ωt + phase)`` from EPOCH to t (zero-based, bounded)."""
    w = 2 * math.pi / _WIGGLE_PERIOD
    x = t - EPOCH
    return _WIGGLE / w * (math.cos(phase) - math.cos(w * x + phase))


def octets(t: float, peak_bytes_per_s: float, seed: int) -> int:
    """A 64-bit octet counter at unix time ``t`` for a port whose busiest rate is given.

    The seed sets the counter's starting value and the phase of its wiggle.
    """
    phase = (seed % 6283) / 1000.0
    start = (seed * 2654435761) % (1 << 40)
    return start + int(peak_bytes_per_s * (cumulative(t) + _wiggle(t, phase)))


def error_count(t: float, per_day: float, seed: int) -> int:
    """A slowly growing error or discard counter: ``per_day`` on average, from a seeded start."""
    return (seed % 97) + int(max(t - EPOCH, 0.0) * per_day / DAY)


# Devices reboot for maintenance about twice a year; the phase spreads them over the period.
BOOT_PERIOD = 180 * DAY


def default_boot(phase_s: float, now: float) -> float:
    """The last scheduled boot at or before ``now`` for a device with this phase (seconds)."""
    return math.floor((now - phase_s) / BOOT_PERIOD) * BOOT_PERIOD + phase_s


def boot_phase(name: str) -> int:
    """A stable phase in seconds for a device name (independent of Python's hash seed)."""
    h = 0
    for ch in name.encode():
        h = (h * 131 + ch) % 1_000_000_007
    return h % int(BOOT_PERIOD)


def knots_hours() -> list[float]:
    """The curve's hourly knots for a week (Monday 00:00 first): for reports and tests."""
    return list(_KNOTS[:168])


def hour_of_week(t: float) -> int:
    """0 for Monday 00:00-00:59 local time, 167 for Sunday 23:00-23:59."""
    return int(((t - EPOCH) % WEEK) // HOUR)
