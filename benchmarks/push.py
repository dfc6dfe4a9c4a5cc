"""A VLAN change pushed to simulated IOS switches of the sample city: wall times.

    python benchmarks/push.py [--switches 100] [--workers 10] [--repeats 3] [--sequential 10]
                              [--apply benchmarks/vlan_change.yml | --no-apply]

Each path makes the same change (a new VLAN and one access port moved into it), each
repeat with a new VLAN number so every push really changes every switch:

- edunet: ``playbooks.devices.push`` (backup before into a git store, push, save, read
  back, commit after), on a pool of ``--workers``;
- plain pool: a plain netmiko script on a thread pool of the same size (connect, enable,
  push, ``write memory``, one ``show`` to verify);
- sequential: the same plain script one switch after the other, timed on ``--sequential``
  switches and extrapolated to all of them (said so in the table);
- apply: ``edunet apply benchmarks/vlan_change.yml --commit --waves all`` (Ansible through
  ansible-runner, forks = workers) on every switch: the same VLAN and port, saved once.

The bar: edunet ≤ 2 × plain pool. Medians over ``--repeats``. Everything runs on 127/8.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the units, and the tests' shared harness

from support.lab_login import BENCH_LOGIN  # noqa: E402
from support.ports import free_tcp_port  # noqa: E402

from edunet import load  # noqa: E402
from edunet.model import Inventory  # noqa: E402
from edunet.reach import LAB_MAP  # noqa: E402
from lab.ssh import RunningSwitches, start  # noqa: E402
from playbooks.devices.push import push  # noqa: E402
from playbooks.devices.session import NetmikoConnector, Target, Timeouts, target_for  # noqa: E402
from playbooks.devices.store import GitStore  # noqa: E402

LOGIN = BENCH_LOGIN
MAX_SWITCHES = 400
RUN_TIMEOUT_S = 900.0


def change(inv: Inventory, device: str, vlan: int) -> list[str]:
    port = inv.devices[device].model.interfaces[4]
    return [f"vlan {vlan}", "name bench", f"interface {port}", f"switchport access vlan {vlan}"]


def plain_push(host: str, port: int, lines: list[str]) -> bool:
    from netmiko import ConnectHandler

    conn = ConnectHandler(
        device_type="cisco_ios",
        host=host,
        port=port,
        username=LOGIN["EDUNET_SSH_NETOPS_USER"],
        password=LOGIN["EDUNET_SSH_NETOPS_PASSWORD"],
        secret=LOGIN["EDUNET_SSH_NETOPS_ENABLE"],
        fast_cli=True,
        conn_timeout=15,
        read_timeout_override=30,
    )
    try:
        conn.enable()
        conn.send_config_set(lines, error_pattern=r"% Invalid")
        conn.save_config()
        return lines[0] in str(conn.send_command(f"show running-config | section ^{lines[0]}$"))
    finally:
        conn.disconnect()


def run_plain(
    sw: RunningSwitches, inv: Inventory, names: list[str], vlan: int, workers: int
) -> tuple[float, int]:
    def one(name: str) -> bool:
        host, port = sw.address(name)
        return plain_push(host, port, change(inv, name, vlan))

    t0 = time.perf_counter()
    if workers <= 1:
        ok = [one(n) for n in names]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            ok = list(pool.map(one, names))
    return time.perf_counter() - t0, sum(ok)


def run_edunet(
    targets: list[Target], inv: Inventory, vlan: int, workers: int, store: Path
) -> tuple[float, int]:
    conn = NetmikoConnector(timeouts=Timeouts(connect=15, read=30))
    t0 = time.perf_counter()
    run = push(
        targets,
        conn,
        lambda t, running: change(inv, t.device, vlan),
        GitStore(store),
        workers=workers,
        deadline=120,
        who="benchmark",
    )
    wall = time.perf_counter() - t0
    return wall, sum(r.status.value == "changed" for r in run.rows)


def run_apply(
    playbook: str, names: list[str], workers: int, runs_dir: Path, vlan: int
) -> tuple[float, int, str]:
    """The hook for ``edunet apply`` (Ansible through ansible-runner)."""
    argv = [
        sys.executable,
        "-m",
        "edunet",
        "apply",
        playbook,
        "--limit",
        ",".join(names),
        "--commit",
        "--forks",
        str(workers),
        "--waves",
        "all",
        "--runs-dir",
        str(runs_dir),
        "--no-diff",
    ]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            cwd=ROOT,
            env={**os.environ, "EDUNET_BENCH_VLAN": str(vlan)},
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, 0, f"timed out after {RUN_TIMEOUT_S:.0f} s"
    wall = time.perf_counter() - t0
    note = "" if proc.returncode == 0 else (proc.stderr or proc.stdout).strip()[-300:]
    return wall, len(names) if proc.returncode == 0 else 0, note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switches", type=int, default=100)
    ap.add_argument("--workers", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sequential", type=int, default=0, help="switches timed one by one (0: all)")
    ap.add_argument(
        "--apply", metavar="PLAYBOOK", default=str(ROOT / "benchmarks" / "vlan_change.yml")
    )
    ap.add_argument("--no-apply", action="store_true", help="skip the Ansible path")
    ap.add_argument("--apply-hosts", type=int, default=0, help="0: every switch")
    args = ap.parse_args()
    if not 1 <= args.switches <= MAX_SWITCHES:
        raise SystemExit(f"--switches must be 1..{MAX_SWITCHES}")
    repeats = max(1, min(args.repeats, 10))

    inv = load(ROOT / "inventory.yaml")
    names = sorted(
        d.name
        for d in inv.devices.values()
        if d.platform.name == "cisco_ios" and d.ssh and len(d.model.interfaces) > 4
    )[: args.switches]
    port = free_tcp_port()
    os.environ.update(LOGIN)
    os.environ["EDUNET_SSH_PORT"] = str(port)
    os.environ.pop("EDUNET_SECRETS_FILE", None)
    work = Path(tempfile.mkdtemp(prefix="edunet-push-bench-"))
    t0 = time.perf_counter()
    with start(ROOT / "inventory.yaml", devices=names, port=port, duration=RUN_TIMEOUT_S) as sw:
        started = time.perf_counter() - t0
        targets = [target_for(inv.devices[n], LAB_MAP) for n in names]
        times: dict[str, list[float]] = {"edunet": [], "plain pool": []}
        oks: dict[str, list[int]] = {"edunet": [], "plain pool": []}
        vlan = 300
        for _ in range(repeats):  # alternate, so drift in machine load hits both alike
            vlan += 1
            wall, ok = run_edunet(targets, inv, vlan, args.workers, work / "store")
            times["edunet"].append(wall)
            oks["edunet"].append(ok)
            vlan += 1
            wall, ok = run_plain(sw, inv, names, vlan, args.workers)
            times["plain pool"].append(wall)
            oks["plain pool"].append(ok)
        sample = names[: args.sequential or len(names)]
        vlan += 1
        seq_wall, seq_ok = run_plain(sw, inv, sample, vlan, 1)
        apply_row = None
        if not args.no_apply:
            hosts = names[: args.apply_hosts or len(names)]
            # the lab's address map; its switches share one host key (see playbooks/ansible.cfg)
            os.environ["EDUNET_ADDRESS_MAP"] = str(LAB_MAP)
            os.environ["EDUNET_LAB"] = "true"
            vlan += 1
            a_wall, a_ok, note = run_apply(args.apply, hosts, args.workers, work / "runs", vlan)
            apply_row = (hosts, a_wall, a_ok, note)

    shutil.rmtree(work, ignore_errors=True)
    n = len(names)
    plain = statistics.median(times["plain pool"])
    rows = [
        ("edunet netmiko path", statistics.median(times["edunet"]), min(oks["edunet"]), "median"),
        ("plain netmiko, thread pool", plain, min(oks["plain pool"]), "median"),
        (
            "plain netmiko, sequential",
            seq_wall * n / len(sample),
            seq_ok,
            "every switch" if len(sample) == n else f"{len(sample)} timed, ×{n / len(sample):g}",
        ),
    ]
    if apply_row is None:
        rows.append(("edunet apply (Ansible)", float("nan"), 0, "not run (--no-apply)"))
    else:
        hosts, a_wall, a_ok, note = apply_row
        rows.append(
            (
                f"edunet apply {Path(args.apply).name}, forks {args.workers}",
                a_wall * n / len(hosts),
                a_ok,
                (
                    "every switch, one wave"
                    if len(hosts) == n
                    else f"{len(hosts)} timed ({a_wall:.1f} s), ×{n / len(hosts):g}"
                )
                + (f"; {note}" if note else ""),
            )
        )
    print(
        f"{n} simulated switches (one process, started in {started:.1f} s), "
        f"{args.workers} workers, {repeats} repeats"
    )
    print(f"{'path':34} {'wall s':>8} {'× pool':>7} {'ok':>5}  note")
    for name, wall, ok, note in rows:
        print(f"{name:34} {wall:8.2f} {wall / plain:7.2f} {ok:5d}  {note}")
    ratio = statistics.median(times["edunet"]) / plain
    print(f"bar: edunet ≤ 2 × plain pool: {'met' if ratio <= 2 else 'NOT met'} ({ratio:.2f}×)")
    print("all runs:", {k: [round(x, 2) for x in v] for k, v in times.items()})


if __name__ == "__main__":
    main()
