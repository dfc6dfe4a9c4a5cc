"""``edunet render`` over the full-scale generated city, before and after, in one run.

    python benchmarks/render.py [--schools 1930] [--seed 2014] [--runs 3] [--before be103f7]

- before: the code of ``--before`` (``git archive`` into a temporary folder, nothing in this
  checkout is touched), run with this interpreter and its packages;
- after, full: this checkout with the render record out of play (``--no-cache``): every file
  rendered and compared with the disk;
- after, unchanged: this checkout again on the same inventory and output, the render record
  in place: what a render or ``--check`` costs when nothing changed since the last one.

Each measurement is a fresh process: wall time and CPU time (``wait4``); medians of
``--runs``. ``render`` (everything), ``render configs`` and ``render --check`` are measured,
and every output tree is compared byte for byte with the before tree.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.before import tree_at  # noqa: E402
from benchmarks.child import run_measured  # noqa: E402

PY = sys.executable
DEFAULT_BEFORE = "62cee82"  # before the render record, with sites located
GOAL_S = 5.0  # issue 19: the full city
PARTS = ("edunet", "monitors", "dashboards", "playbooks", "pyproject.toml")


# The renderers are found through entry points; the before tree's modules have the same names,
# so putting the tree first on sys.path runs its code through this install's entry points.
_RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from edunet.cli.main import app; app()"


def measure(tree: Path, args: list[str], cache: Path) -> dict[str, float]:
    env = dict(os.environ, EDUNET_CACHE_DIR=str(cache))
    figures, _ = run_measured([PY, "-c", _RUN, str(tree), *args], " ".join(args), env=env)
    return {k: figures[k] for k in ("wall_s", "cpu_s")}


def same_tree(a: Path, b: Path) -> bool:
    """Every file under ``a`` and ``b`` the same bytes, none missing on either side."""
    left = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    right = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return left == right and all(filecmp.cmp(a / p, b / p, shallow=False) for p in left)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (1-10)")
    ap.add_argument("--before", default=DEFAULT_BEFORE, help="commit to compare with")
    args = ap.parse_args()
    runs = max(1, min(args.runs, 10))
    sys.path.insert(0, str(ROOT))
    from edunet import sample

    rows: list[tuple[str, str, list[dict[str, float]]]] = []
    with tempfile.TemporaryDirectory(prefix="edunet-render-") as tmp:
        work = Path(tmp)
        city = work / "city.yaml"
        sample.write(city, args.schools, args.seed)
        old = tree_at(args.before, work / "before", PARTS)
        cache = work / "cache"
        outs = {"before": work / "out-before", "full": work / "out-full", "same": work / "out"}
        commands = {
            "render": ["render", "-i", str(city)],
            "render configs": ["render", "configs", "-i", str(city)],
            "render --check": ["render", "--check", "-i", str(city)],
        }
        for what, argv in commands.items():
            cases = [
                ("before", old, [*argv, "-o", str(outs["before"])]),
                ("after, full", ROOT, [*argv, "--no-cache", "-o", str(outs["full"])]),
                ("after, unchanged", ROOT, [*argv, "-o", str(outs["same"])]),
            ]
            for label, tree, full_argv in cases:
                if what == "render --check":  # the tree must exist for a check to pass
                    measure(tree, [*commands["render"], *full_argv[len(argv) :]], cache)
                if label == "after, unchanged":  # the render that leaves the record
                    measure(tree, full_argv, cache)
                got = [measure(tree, full_argv, cache) for _ in range(runs)]
                rows.append((what, label, got))
                print(f"  measured {what}, {label}: {runs} run(s)", file=sys.stderr)
        same = {k: same_tree(outs["before"], v) for k, v in outs.items() if k != "before"}
        files = sum(1 for p in outs["before"].rglob("*") if p.is_file())

    print(
        f"edunet render, {args.schools:,} schools (seed {args.seed}), {files:,} files; "
        f"medians of {runs} fresh processes\n"
    )
    print(f"{'command':<16} {'path':<18} {'wall s':>7} {'CPU s':>7} {'vs before':>10}  goal")
    before: dict[str, float] = {}
    for what, label, got in rows:
        wall = statistics.median(r["wall_s"] for r in got)
        cpu = statistics.median(r["cpu_s"] for r in got)
        if label == "before":
            before[what] = wall
        ratio = before[what] / wall if wall else 0.0
        goal = (
            "" if label == "before" else f"≤ {GOAL_S:g} s: {'met' if wall <= GOAL_S else 'NOT met'}"
        )
        print(f"{what:<16} {label:<18} {wall:7.2f} {cpu:7.2f} {ratio:9.1f}×  {goal}")
    for key, ok in same.items():
        print(f"output tree ({key}) vs before: {'byte-identical' if ok else 'DIFFERENT'}")
    print(
        "all runs (wall s):",
        {f"{w}, {lab}": [round(r["wall_s"], 2) for r in got] for w, lab, got in rows},
    )


if __name__ == "__main__":
    main()
