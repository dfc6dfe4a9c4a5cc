"""Diff benchmark: the full city against itself with one school changed.

    python benchmarks/diff.py [--schools 1930] [--seed 7] [--runs 3]

Three changes: the first school's pupils (a field: no topology is built); a second uplink
for that school, to an ISP (re-wired: both topologies are built, single points of failure
compared, that school's paths compared); PGD-Q1 losing its uplink to the data center (the
transit network changed: the schools that leave theirs through a place whose paths changed
are compared). Each run times the two
loads and the diff apart; medians are printed. The goal is the diff's own time for the
field change; the machine is shared and noisy, so read medians, not single figures.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edunet import sample  # noqa: E402
from edunet.diff import diff  # noqa: E402
from edunet.load import load  # noqa: E402

GOAL_DIFF_S = 0.5  # the diff itself, one field changed


def _changes(text: str) -> dict[str, str]:
    pupils = re.search(r"(\n    kind: school\n(?:    .*\n)*?    pupils: )(\d+)", text)
    assert pupils is not None, "no school with pupils in the generated city"
    at, count = pupils.end(1), int(pupils.group(2))
    rewired = text[: pupils.end()] + (
        "\n    uplinks: [{to: district, isp: VNPT, medium: metronet, bandwidth_mbps: 100},"
        " {to: internet, isp: Viettel, medium: ftth, bandwidth_mbps: 150}]"
    )
    office = text.index("code: PGD-Q1\n")
    second = text.index("      - {to: TTDL,", office)  # its second uplink, to the data center
    return {
        "pupils": text[:at] + str(count + 1) + text[pupils.end() :],
        "uplink": rewired + text[pupils.end() :],
        "transit": text[:second] + text[text.index("\n", second) + 1 :],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "city.yaml"
        sample.write(city, args.schools, args.seed)
        for name, text in _changes(city.read_text(encoding="utf-8")).items():
            other = Path(tmp) / f"{name}.yaml"
            other.write_text(text, encoding="utf-8")
            loads, diffs = [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                old, new = load(city), load(other)
                t1 = time.perf_counter()
                d = diff(old, new)
                t2 = time.perf_counter()
                loads.append(t1 - t0)
                diffs.append(t2 - t1)
            took = statistics.median(diffs)
            goal = f" (goal ≤ {GOAL_DIFF_S} s)" if name == "pupils" else ""
            print(
                f"{name:7} load ×2 {statistics.median(loads):.2f} s, diff {took:.3f} s{goal}: "
                f"{len(d.changes)} change(s), {len(d.moved)} moved, topology built: "
                f"{d.effects.checked}, paths changed: {len(d.effects.paths)}"
            )


if __name__ == "__main__":
    main()
