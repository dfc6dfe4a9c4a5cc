"""Growth benchmark: ``edunet validate`` of a generated 18,000-school city, before and after,
in one run.

    python benchmarks/validate_growth.py [--schools 18000] [--seed 2014] [--runs 3]
                                         [--before 1d2d0c7 | --before none]

- before: the core of ``--before`` (a commit: ``git archive`` into a temporary folder,
  nothing in this checkout is touched);
- after: this checkout.

Each measurement is a fresh process running ``edunet validate`` on the same generated file:
wall time, CPU time (user + system) and peak RSS (``wait4``). Before this work the alias
limit refused any file of more than a million values, written out or not; both sides run
with that limit lifted, so that the figures compare the loader, not the refusal. The two
outputs must be the same.
Medians over ``--runs``; the machine is shared and noisy, so read medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]  # the benchmarks' shared helpers

from benchmarks.before import tree_at  # noqa: E402
from benchmarks.child import run_measured  # noqa: E402

DEFAULT_BEFORE = "1d2d0c7"  # the loader before the growth work of issue 19
GOAL_S = 5.0  # issue 19, item 6
GOAL_MB = 600.0
TIMEOUT_S = 600

# ``edunet validate`` with the alias limit lifted (the before code refuses the city for it)
RUN = (
    "import sys; import edunet.load_limits as limits; limits.MAX_VALUES = 10**9; "
    "from edunet.cli.main import app; sys.argv[0] = 'edunet'; app()"
)


def measure(tree: Path, city: Path) -> tuple[dict[str, float], str]:
    """One ``edunet validate`` of ``city`` with ``tree``'s core: figures and output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNET_")}
    env["PYTHONPATH"] = str(tree)
    argv = [sys.executable, "-c", RUN, "validate", str(city)]
    return run_measured(argv, f"edunet validate with {tree}", cwd=tree, env=env)


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--schools", type=int, default=18000)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--runs", type=int, default=3, help="runs of each side (1-10)")
    ap.add_argument("--before", default=DEFAULT_BEFORE, help="commit to compare with; none: skip")
    args = ap.parse_args()
    runs = max(1, min(args.runs, 10))
    sys.path.insert(0, str(ROOT))
    from edunet import sample

    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "city.yaml"
        t = time.perf_counter()
        sample.write(city, args.schools, args.seed)
        print(
            f"city: {args.schools:,} schools, {city.stat().st_size / 1e6:.1f} MB of YAML "
            f"(generated in {time.perf_counter() - t:.1f} s); {runs} fresh processes a side\n",
            flush=True,
        )
        sides: dict[str, list[dict[str, float]]] = {"after": []}
        trees = {"after": ROOT}
        if args.before != "none":
            sides = {"before": [], "after": []}
            old = tree_at(args.before, Path(tmp) / "before", ("edunet",))
            trees = {"before": old, "after": ROOT}
        outputs: dict[str, str] = {}
        for _ in range(runs):  # the sides interleaved, so that machine load falls on both
            for side in sides:
                figures, outputs[side] = measure(trees[side], city)
                sides[side].append(figures)
    if "before" in outputs and outputs["before"] != outputs["after"]:
        raise SystemExit("before and after print different results:\n" + outputs["before"])
    med = {side: _median(r) for side, r in sides.items()}
    print(f"{'':<8} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    for side, m in med.items():
        print(f"{side:<8} {m['wall_s']:>8.2f} {m['cpu_s']:>8.2f} {m['rss_mb']:>12.0f}")
    print(f"{'goal':<8} {GOAL_S:>8.2f} {GOAL_S:>8.2f} {GOAL_MB:>12.0f}")
    if "before" in med:
        b, a = med["before"], med["after"]
        ratios = " ".join(
            f"{a[k] / b[k]:>{w}.2f}" for k, w in (("wall_s", 8), ("cpu_s", 8), ("rss_mb", 12))
        )
        print(f"{'ratio':<8} {ratios}   (after / before; the outputs are identical)")


if __name__ == "__main__":
    main()
