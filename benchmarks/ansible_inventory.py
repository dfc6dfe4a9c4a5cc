"""Ansible inventory benchmark: ``ansible-inventory --list`` through the edunet plugin over the
full-scale generated city, before and after, in one run.

    python benchmarks/ansible_inventory.py [--schools 1930] [--seed 2014] [--runs 3]
                                           [--before be103f7 | --before none]

- before: the plugin and core of ``--before`` (a commit: ``git archive`` into a temporary
  folder, nothing in this checkout is touched), which put every configurable device's
  ``device_config`` into the inventory;
- after: this checkout, where ``device_config`` comes from the vars plugin only for the hosts
  a play touches;
- after, cached: the same with a cache folder already filled, what every wave of an
  ``edunet apply`` run after the first reads.

Each measurement is a fresh ``ansible-inventory`` process: wall time, CPU time and peak RSS
(``wait4``), and the size of its JSON. The outputs are compared: the same groups and the same
host variables, ``device_config`` apart. Medians over ``--runs`` (the before path runs once
unless ``--before-runs`` says more: it takes minutes and gigabytes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]  # the tests' shared harness, the benchmarks

from support.ansible_json import plain  # noqa: E402

from benchmarks.before import tree_at  # noqa: E402
from benchmarks.child import run_measured  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_BEFORE = "be103f7"  # the last commit that built device_config with the inventory
GOAL_S = 10.0  # issue 19: the full city
GOAL_MB = 1024.0
TIMEOUT_S = 900


def _source(folder: Path, city: Path, cache: Path | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "edunet.yml"
    lines = ["plugin: edunet", f"inventory: {json.dumps(str(city))}", "lab: true"]
    if cache is not None:
        lines.append(f"cache_dir: {json.dumps(str(cache))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure(tree: Path, source: Path, out: Path) -> dict[str, float]:
    """One ``ansible-inventory --list`` of ``tree``'s Ansible project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "EDUNET_"))}
    env["ANSIBLE_CONFIG"] = str(tree / "playbooks" / "ansible.cfg")
    argv = [str(BIN / "ansible-inventory"), "-i", str(source), "--list", "--output", str(out)]
    figures, _ = run_measured(argv, "ansible-inventory", cwd=tree / "playbooks", env=env)
    return {
        **figures,
        "json_mb": out.stat().st_size / 1e6,
    }


def same_inventory(before: Path, after: Path) -> tuple[bool, int]:
    """The same groups and host variables, ``device_config`` apart; how many hosts had one."""
    old = plain(json.loads(before.read_text(encoding="utf-8")))
    new = plain(json.loads(after.read_text(encoding="utf-8")))
    old_vars, new_vars = old.pop("_meta")["hostvars"], new.pop("_meta")["hostvars"]
    configs = sum("device_config" in v for v in old_vars.values())
    for v in old_vars.values():
        v.pop("device_config", None)
    return old == new and old_vars == new_vars, configs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--runs", type=int, default=3, help="runs of each after path (1-10)")
    ap.add_argument("--before", default=DEFAULT_BEFORE, help="commit to compare with; none: skip")
    ap.add_argument("--before-runs", type=int, default=1)
    args = ap.parse_args()
    runs = max(1, min(args.runs, 10))
    sys.path.insert(0, str(ROOT))
    from edunet import sample

    results: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="edunet-ansible-inv-") as tmp:
        work = Path(tmp)
        city = work / "city.yaml"
        sample.write(city, args.schools, args.seed)
        outputs: dict[str, Path] = {}
        paths: list[tuple[str, Path, Path, int]] = []
        if args.before != "none":
            old = tree_at(args.before, work / "before", ("edunet", "playbooks"))
            paths.append(
                (
                    f"before ({args.before})",
                    old,
                    _source(work / "src-before", city, None),
                    max(1, min(args.before_runs, 5)),
                )
            )
        cache = work / "cache"
        paths.append(("after", ROOT, _source(work / "src-after", city, None), runs))
        cached_source = _source(work / "src-cached", city, cache)
        measure(ROOT, cached_source, work / "fill.json")  # fills the cache
        paths.append(("after, cached", ROOT, cached_source, runs))
        for number, (label, tree, source, n) in enumerate(paths):
            for i in range(n):
                out = work / f"{number}-{i}.json"
                results.setdefault(label, []).append(measure(tree, source, out))
                outputs[label] = out
            print(f"  measured {label}: {n} run(s)", file=sys.stderr)
        checks = []
        if args.before != "none":
            before_label = paths[0][0]
            for label in ("after", "after, cached"):
                same, configs = same_inventory(outputs[before_label], outputs[label])
                checks.append(
                    f"{label} vs before: {'the same' if same else 'DIFFERENT'} groups and host "
                    f"variables ({configs:,} device_config left to the vars plugin)"
                )
        hosts = len(json.loads(outputs["after"].read_text(encoding="utf-8"))["_meta"]["hostvars"])

    print(
        f"ansible-inventory --list, {args.schools:,} schools, {hosts:,} hosts; "
        f"medians of fresh processes (wall, CPU, peak RSS, JSON size)\n"
    )
    print(f"{'path':<24} {'runs':>4} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8} {'JSON MB':>8}  goal")
    for label, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        goal = ""
        if label.startswith("after"):
            met = med["wall_s"] <= GOAL_S and med["rss_mb"] <= GOAL_MB
            goal = f"≤ {GOAL_S:g} s, ≤ {GOAL_MB:g} MB: {'met' if met else 'NOT met'}"
        print(
            f"{label:<24} {len(rows):>4} {med['wall_s']:8.1f} {med['cpu_s']:8.1f} "
            f"{med['rss_mb']:8.0f} {med['json_mb']:8.1f}  {goal}"
        )
    for line in checks:
        print(line)
    print("all runs (wall s):", {k: [round(r["wall_s"], 1) for r in v] for k, v in results.items()})


if __name__ == "__main__":
    main()
