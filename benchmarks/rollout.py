"""Rollout benchmark: one VLAN change pushed to simulated switches of the full-scale city through
``edunet apply`` (Ansible) and through ``edunet config push`` (netmiko); seconds and controller
CPU per switch.

    python benchmarks/rollout.py [--switches 500] [--forks 20] [--schools 1930]
                                 [--variants push,two-linear,two-free,one-linear,one-free]

The switches are the lab's SSH simulator (``lab.ssh``, one process, every switch on its own
loopback address and one free port), started here. Every run creates a new VLAN and names it
(``EDUNET_BENCH_VLAN``), so every run changes every switch, and saves the configuration:

- ``push``: ``edunet config push --lines`` (backup into a git store, push, save, read back,
  commit), ``--workers`` = forks;
- ``two-*``: ``edunet apply benchmarks/rollout_vlan.yml``: the change in one task and the
  save in a handler, as the roles push a section;
- ``one-*``: ``edunet apply benchmarks/rollout_vlan_one_task.yml``: one task that changes and
  saves;
- ``*-linear`` / ``*-free``: Ansible's linear strategy, or ``free`` (a switch goes on without
  waiting for the slowest of its batch);
- ``one-free-city``: as ``one-free``, with an inventory source of the whole city
  (``--ansible-inventory``), as every run had before ``edunet apply`` published only its
  selection.

Every ``apply`` runs one wave (``--waves all``) with ``--forks``. Controller CPU is the user and
system time of the command and every process under it (ansible-playbook's workers and the
persistent-connection processes, adopted as their parent exits), not the simulator's. The
machine is shared: read CPU per switch, which load moves less than wall time.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the units, and the tests' shared harness

from support.lab_login import BENCH_LOGIN  # noqa: E402
from support.ports import free_tcp_port  # noqa: E402

from edunet import load, sample  # noqa: E402
from edunet.reach import LAB_MAP  # noqa: E402
from lab.ssh import start  # noqa: E402

LOGIN = BENCH_LOGIN
VARIANTS = {  # name: (playbook, strategy); None: edunet config push
    "push": (None, None),
    "two-linear": ("rollout_vlan.yml", "linear"),
    "two-free": ("rollout_vlan.yml", "free"),
    "one-linear": ("rollout_vlan_one_task.yml", "linear"),
    "one-free": ("rollout_vlan_one_task.yml", "free"),
    "one-free-city": ("rollout_vlan_one_task.yml", "free"),  # the whole city's inventory
}
GOAL_CPU_S = 0.5  # issue 19: controller time per switch on the Ansible path
RUN_TIMEOUT_S = 3600.0
PR_SET_CHILD_SUBREAPER = 36


def _adopt_orphans() -> None:
    """Become the reaper of our descendants: ansible-connection daemonises, and its CPU time
    counts only if it is reaped here."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children() -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            out |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def _reap(keep: set[int], wait_s: float = 60.0) -> None:
    """Wait for every descendant but ``keep`` (the simulator) to end and reap it; those still
    running after ``wait_s`` (idle persistent connections) are ended by their pid."""
    deadline = time.monotonic() + wait_s
    while True:
        left = _children() - keep
        for pid in left:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    continue
            except ChildProcessError:
                continue
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGTERM)
        if not left:
            return
        time.sleep(0.2)


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(
    argv: list[str], env: dict[str, str], keep: set[int], log: Path
) -> tuple[float, float, int]:
    """Wall seconds, controller CPU seconds and exit code of one command."""
    cpu0, t0 = _cpu_children(), time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            rc = proc.wait(RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
    wall = time.perf_counter() - t0
    _reap(keep)
    return wall, _cpu_children() - cpu0, rc


def _changed(variant: str, log: Path, work: Path) -> int:
    """Switches the run changed, from its own output."""
    text = log.read_text(encoding="utf-8", errors="replace")
    if variant == "push":
        start_at = text.find("[")
        rows = json.loads(text[start_at : text.rfind("]") + 1]) if start_at >= 0 else []
        return sum(r.get("status") == "changed" for r in rows)
    summaries = sorted((work / variant).glob("*/summary.json"))
    if not summaries:
        return 0
    hosts = json.loads(summaries[-1].read_text(encoding="utf-8"))["hosts"]
    return sum(h["status"] == "changed" for h in hosts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--switches", type=int, default=500)
    ap.add_argument("--forks", type=int, default=20, help="Ansible forks and push workers")
    ap.add_argument("--schools", type=int, default=1930)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    _adopt_orphans()
    work = Path(tempfile.mkdtemp(prefix="edunet-rollout-bench-"))
    city = work / "city.yaml"
    sample.write(city, args.schools, args.seed)
    inv = load(city)
    names = sorted(
        d.name
        for d in inv.devices.values()
        if d.platform.name == "cisco_ios" and d.ssh is not None and d.ssh.name == "netops"
    )[: args.switches]
    lines = work / "vlan.txt"
    port = free_tcp_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "EDUNET_"))}
    env.update(LOGIN, EDUNET_SSH_PORT=str(port), EDUNET_INVENTORY=str(city))
    env.update(EDUNET_LAB="true", EDUNET_ADDRESS_MAP=str(LAB_MAP))
    rows = []
    t0 = time.perf_counter()
    with start(city, devices=names, port=port, env=env, duration=RUN_TIMEOUT_S * 3) as sw:
        started = time.perf_counter() - t0
        keep = {sw.pid}
        vlan = 1000
        for variant in variants:
            vlan += 1
            playbook, strategy = VARIANTS[variant]
            log = work / f"{variant}.log"
            if playbook is None:
                lines.write_text(f"vlan {vlan}\n name bench{vlan}\n", encoding="utf-8")
                argv = [sys.executable, "-m", "edunet", "config", "push", "--lines", str(lines)]
                argv += ["--store", str(work / "store"), "--workers", str(args.forks)]
                argv += ["-i", str(city), "-l", ",".join(names), "-f", "json"]
                run_env = env
            else:
                argv = [sys.executable, "-m", "edunet", "apply"]
                argv += [str(ROOT / "benchmarks" / playbook), "-i", str(city)]
                argv += ["-l", ",".join(names), "--commit", "--waves", "all", "--no-diff"]
                argv += ["--forks", str(args.forks), "--runs-dir", str(work / variant)]
                if variant.endswith("-city"):
                    source = work / "city-source" / "edunet.yml"
                    source.parent.mkdir(exist_ok=True)
                    source.write_text(f"plugin: edunet\ninventory: {json.dumps(str(city))}\n")
                    argv += ["--ansible-inventory", str(source)]
                run_env = {**env, "ANSIBLE_STRATEGY": str(strategy)}
            wall, cpu, rc = run(argv, {**run_env, "EDUNET_BENCH_VLAN": str(vlan)}, keep, log)
            changed = _changed(variant, log, work)
            rows.append((variant, wall, cpu, rc, changed))
            print(f"  {variant}: {wall:.1f} s, CPU {cpu:.1f} s, rc {rc}", file=sys.stderr)
        alive = sw.alive()

    n = len(names)
    print(
        f"{n} simulated switches of a {args.schools:,}-school city (simulator started in "
        f"{started:.1f} s{'' if alive else ', DIED during the runs'}), forks/workers {args.forks}"
    )
    print(
        f"{'path':<34} {'wall s':>7} {'s/switch':>9} {'CPU s':>7} {'CPU/switch':>10} {'changed':>8}"
    )
    for variant, wall, cpu, rc, changed in rows:
        playbook, strategy = VARIANTS[variant]
        label = (
            "edunet config push"
            if playbook is None
            else f"apply {'1 task' if playbook.endswith('one_task.yml') else '2 tasks'}, {strategy}"
            + (", whole city" if variant.endswith("-city") else "")
        )
        note = "" if rc == 0 else f"  rc {rc}"
        if playbook is not None:
            note += f"  goal CPU ≤ {GOAL_CPU_S} s: {'met' if cpu / n <= GOAL_CPU_S else 'NOT met'}"
        print(
            f"{label:<34} {wall:7.1f} {wall / n:9.3f} {cpu:7.1f} {cpu / n:10.3f} "
            f"{changed:>4}/{n}{note}"
        )
    if all(row[3] == 0 for row in rows):
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"logs kept in {work}")


if __name__ == "__main__":
    main()
