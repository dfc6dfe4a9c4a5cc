"""``edunet apply``'s planning, before anything runs: the playbook, the selected devices, the
run's folder and its Ansible inventory source, the credentials, the job and its waves.

The command line only parses options and prints; everything it decides is decided here, so
another front end (a scheduler, the API) plans a rollout the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from edunet.maintenance import refusal
from edunet.model import Inventory
from playbooks.rollout.credentials import run_credentials
from playbooks.rollout.rollout import play_hosts, sites_for
from playbooks.rollout.runner import AnsibleJob
from playbooks.rollout.selection import SelectionError, select
from playbooks.rollout.waves import StopRule, Wave, WaveSpec, plan_waves

__all__ = ["ApplyError", "ApplyRequest", "PreparedRollout", "prepare", "project_dir"]


class ApplyError(ValueError):
    """The rollout cannot start: bad playbook, limit, waves, or Ansible could not list hosts."""


@dataclass(frozen=True, slots=True)
class ApplyRequest:
    """What ``edunet apply`` was asked: every option, its default resolved by the command line."""

    playbook: str
    inventory: Path
    runs_dir: Path  # each run gets a folder of its own below it
    limit: Sequence[str]
    commit: bool
    waves: str | None  # None: "double" with commit, "all" in check mode
    canary: str | None
    max_fail: float
    max_fail_total: float | None
    forks: int | None
    tags: str | None
    skip_tags: str | None
    diff: bool
    ansible_inventory: Sequence[Path]  # empty: a source naming ``inventory`` for this run
    wave_timeout_s: int
    outside_window: bool = False  # commit on devices no open maintenance window covers


@dataclass(frozen=True, slots=True)
class PreparedRollout:
    playbook: str  # the project's playbook name, or an absolute path
    job: AnsibleJob
    spec: WaveSpec
    rule: StopRule
    plan: list[Wave]
    run_dir: Path
    selected: int  # devices the limit selected
    missing_credentials: tuple[str, ...]  # SSH profiles with neither password nor key

    @property
    def left_out(self) -> int:
        """Selected devices that no play of the playbook targets."""
        return self.selected - sum(len(w.hosts) for w in self.plan)


def project_dir() -> Path:
    """The Ansible project: this package's folder."""
    import playbooks

    return Path(playbooks.__file__).resolve().parent


def _playbook(project: Path, name: str) -> str:
    """A playbook of the project (``network`` or ``network.yml``), or a path to one."""
    given = Path(name)
    if given.is_file() and not (project / name).is_file():
        return str(given.resolve())
    for candidate in (name, f"{name}.yml", f"{name}.yaml"):
        if (project / candidate).is_file():
            return candidate
    raise ApplyError(f"no playbook {name!r} in {project} (nor such a file)")


def _run_dir(base: Path, playbook: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = Path(playbook).stem
    path = base / f"{stamp}-{stem}"
    n = 2
    while path.exists():
        path = base / f"{stamp}-{stem}-{n}"
        n += 1
    return path


def _inventory_source(run_dir: Path, inventory: Path, hosts: Sequence[str]) -> Path:
    """An edunet plugin source naming the very inventory this run planned with (the project's
    own source names a fixed file, and a source's settings win over the environment) and only
    the run's selected devices: every task of every wave then carries those, not the city."""
    path = run_dir / "inventory" / "edunet.yml"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    selected = path.parent / "hosts"
    selected.write_text("".join(f"{h}\n" for h in hosts), encoding="utf-8")
    target = str(inventory.resolve())
    path.write_text(
        "# written by edunet apply for this run\nplugin: edunet\n"
        f"inventory: {json.dumps(target)}\nhosts_file: {json.dumps(str(selected))}\n",
        encoding="utf-8",
    )
    return path


def prepare(
    inv: Inventory,
    request: ApplyRequest,
    allow: Callable[[Sequence[str]], None] | None = None,
) -> PreparedRollout:
    """Plan the rollout; :class:`ApplyError` when it cannot start. ``allow`` sees the selected
    devices first, before any folder is made or Ansible lists a host, and raises to refuse."""
    project = project_dir()
    book = _playbook(project, request.playbook)
    try:
        spec = WaveSpec.parse(request.waves or ("double" if request.commit else "all"))
        rule = StopRule(request.max_fail, request.max_fail_total)
        selection = select(inv, request.limit)
    except ValueError as e:  # SelectionError too
        raise ApplyError(str(e)) from None
    if not selection.hosts:
        raise ApplyError("the limit selects no device")
    if allow is not None:
        allow(selection.hosts)
    if request.commit and not request.outside_window:  # before anything runs, Ansible too
        refused = refusal(inv, selection.hosts, dt.datetime.now(dt.UTC))
        if refused:
            raise ApplyError(refused)
    creds = run_credentials(inv, selection.hosts)
    # absolute: ansible-runner runs from the project folder, not from here
    run_dir = _run_dir(request.runs_dir.resolve(), book)
    sources = request.ansible_inventory or [
        _inventory_source(run_dir, request.inventory, selection.hosts)
    ]
    extra: list[str] = []
    if request.tags:
        extra += ["--tags", request.tags]
    if request.skip_tags:
        extra += ["--skip-tags", request.skip_tags]
    job = AnsibleJob(
        project_dir=project,
        playbook=book,
        inventory=tuple(str(p.resolve()) for p in sources),
        check=not request.commit,
        diff=request.diff,
        forks=request.forks,
        timeout_s=request.wave_timeout_s,
        env={
            "EDUNET_INVENTORY": str(request.inventory.resolve()),
            # the plan's listing builds the inventory once; every wave reads it from there
            "EDUNET_INVENTORY_CACHE": str(run_dir / "inventory" / "cache"),
            **creds.env,
        },
        secrets=creds.secrets,
        extra_args=tuple(extra),
    )
    try:
        targeted = play_hosts(job, run_dir, selection.hosts)
        plan = plan_waves(
            sites_for([h for h in selection.hosts if h in targeted], selection.sites),
            spec,
            request.canary,
        )
    except (RuntimeError, SelectionError, ValueError) as e:
        raise ApplyError(str(e)) from None
    return PreparedRollout(
        book, job, spec, rule, plan, run_dir, len(selection.hosts), tuple(creds.missing)
    )
