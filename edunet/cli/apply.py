"""``edunet apply PLAYBOOK``: run a playbook of the Ansible project through ansible-runner,
checked and diffed by default, staged school by school with ``--commit``.

Exit status: 0 every device ok; 1 some devices failed, within ``--max-fail``; 2 the failures
passed ``--max-fail`` (the rollout stopped there; later waves are listed as "not run"), or
the run could not start (bad inventory, limit or playbook).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli import DEFAULT_INVENTORY, EXIT_INVALID, FormatOption, InventoryOption, load_or_exit
from edunet.cli.output import Format, emit, err_console

if TYPE_CHECKING:
    from playbooks.rollout.progress import ProgressPrinter
    from playbooks.rollout.results import Progress
    from playbooks.rollout.rollout import Listener
    from playbooks.rollout.runner import WaveOutcome
    from playbooks.rollout.waves import Wave, WaveTally

RUNS_DIR = Path(".edunet-runs")


def _project_dir() -> Path:
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
    raise typer.BadParameter(f"no playbook {name!r} in {project} (nor such a file)")


def _run_dir(base: Path, playbook: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = Path(playbook).stem
    path = base / f"{stamp}-{stem}"
    n = 2
    while path.exists():
        path = base / f"{stamp}-{stem}-{n}"
        n += 1
    return path


def _inventory_source(run_dir: Path, inventory: Path) -> Path:
    """An edunet plugin source naming the very inventory this run planned with: the project's
    own source names a fixed file, and a source's settings win over the environment."""
    path = run_dir / "inventory" / "edunet.yml"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = str(inventory.resolve())
    path.write_text(
        "# written by edunet apply for this run\nplugin: edunet\n"
        f"inventory: {json.dumps(target)}\n",
        encoding="utf-8",
    )
    return path


def _listener(printer: ProgressPrinter) -> Listener:
    from playbooks.rollout.rollout import Listener

    class Live(Listener):
        def wave_start(self, wave: Wave, total: int) -> None:
            printer.wave_start(wave.number, total, [s.site for s in wave.sites], wave.hosts)

        def progress(self, line: Progress) -> None:
            printer.line(line)

        def wave_end(self, wave: Wave, outcome: WaveOutcome, tally: WaveTally) -> None:
            printer.note(
                f"   wave {wave.number}: {tally.ran} devices ran, {tally.failed} failed, "
                f"{outcome.seconds:.1f} s",
                "dim",
            )
            if outcome.masked_files:
                printer.note(
                    f"   a secret value was masked in {len(outcome.masked_files)} artifact "
                    "file(s); a module printed a credential",
                    "bold red",
                )

        def stopped(self, reason: str) -> None:
            printer.note(f"stop: {reason}", "bold red")

    return Live()


def apply(
    playbook: Annotated[
        str, typer.Argument(help="Playbook of the Ansible project, e.g. network.yml.")
    ],
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            "-l",
            help="Devices: district=q1, site=79760012, level=thcs, role=access_switch, a group "
            "(district_q1, site_79760012, network …), a device or a glob; ',' joins, '&' "
            "intersects, '!' excludes. Repeatable.",
            show_default=False,
        ),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Change the devices (default: check and diff only).")
    ] = False,
    waves: Annotated[
        str | None,
        typer.Option(
            "--waves",
            help="Sites per wave, like Ansible's serial: 1,5%,25%,100%; 'double' (1, 2, 4 …) "
            "or 'all'. Default: double with --commit, all in check mode.",
            show_default=False,
        ),
    ] = None,
    canary: Annotated[
        str | None,
        typer.Option("--canary", help="Site code of the first wave (default: the first school)."),
    ] = None,
    max_fail: Annotated[
        float,
        typer.Option(
            "--max-fail",
            min=0,
            max=100,
            help="Stop when more than this % of a wave's devices fail.",
        ),
    ] = 10.0,
    max_fail_total: Annotated[
        float | None,
        typer.Option(
            "--max-fail-total", min=0, max=100, help="Also stop above this % over all waves so far."
        ),
    ] = None,
    forks: Annotated[int | None, typer.Option("--forks", min=1, max=200)] = None,
    tags: Annotated[str | None, typer.Option("--tags", help="Only tasks with these tags.")] = None,
    skip_tags: Annotated[str | None, typer.Option("--skip-tags")] = None,
    diff: Annotated[bool, typer.Option("--diff/--no-diff", help="Show what changes.")] = True,
    plan_only: Annotated[
        bool, typer.Option("--plan", help="Print the waves and stop (Ansible lists the hosts).")
    ] = False,
    ansible_inventory: Annotated[
        list[Path] | None,
        typer.Option(
            "--ansible-inventory",
            help="Ansible inventory sources (default: the project's inventory/edunet.yml).",
            show_default=False,
        ),
    ] = None,
    runs_dir: Annotated[
        Path, typer.Option("--runs-dir", envvar="EDUNET_RUNS_DIR", help="Where runs are kept.")
    ] = RUNS_DIR,
    wave_timeout: Annotated[
        int, typer.Option("--wave-timeout", min=10, help="Seconds allowed per wave.")
    ] = 3600,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Run PLAYBOOK on the selected devices: a canary school, then growing waves of whole
    sites; stop when failures pass --max-fail. Check and diff unless --commit."""
    from playbooks.rollout.credentials import run_credentials
    from playbooks.rollout.progress import ProgressPrinter
    from playbooks.rollout.rollout import play_hosts, run_rollout, sites_for, summary_rows
    from playbooks.rollout.runner import AnsibleJob
    from playbooks.rollout.selection import SelectionError, select
    from playbooks.rollout.waves import StopRule, WaveSpec, plan_waves

    inv = load_or_exit(inventory)
    project = _project_dir()
    book = _playbook(project, playbook)
    try:
        spec = WaveSpec.parse(waves or ("double" if commit else "all"))
        rule = StopRule(max_fail, max_fail_total)
        selection = select(inv, limit or ())
    except ValueError as e:  # SelectionError too
        err_console.print(f"[red]error[/]: {e}", markup=True, highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    if not selection.hosts:
        err_console.print("[red]error[/]: the limit selects no device")
        raise typer.Exit(EXIT_INVALID)
    creds = run_credentials(inv, selection.hosts)
    if creds.missing:
        err_console.print(
            f"[yellow]warning[/]: no SSH password or key for profile(s) {', '.join(creds.missing)}"
        )
    run_dir = _run_dir(runs_dir, book)
    sources = ansible_inventory or [_inventory_source(run_dir, inventory)]
    extra: list[str] = []
    if tags:
        extra += ["--tags", tags]
    if skip_tags:
        extra += ["--skip-tags", skip_tags]
    job = AnsibleJob(
        project_dir=project,
        playbook=book,
        inventory=tuple(str(p.resolve()) for p in sources),
        check=not commit,
        diff=diff,
        forks=forks,
        timeout_s=wave_timeout,
        env={"EDUNET_INVENTORY": str(inventory.resolve()), **creds.env},
        secrets=creds.secrets,
        extra_args=tuple(extra),
    )
    try:
        targeted = play_hosts(job, run_dir, selection.hosts)
        plan = plan_waves(
            sites_for([h for h in selection.hosts if h in targeted], selection.sites), spec, canary
        )
    except (RuntimeError, SelectionError, ValueError) as e:
        err_console.print(f"[red]error[/]: {e}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    left_out = len(selection.hosts) - sum(len(w.hosts) for w in plan)
    if left_out:
        err_console.print(f"{left_out} selected devices are not in any play of {playbook}")
    mode = "commit" if commit else "check"
    hosts = sum(len(w.hosts) for w in plan)
    err_console.print(
        f"{Path(book).name} ({mode}): {hosts} devices in {sum(len(w.sites) for w in plan)} sites,"
        f" {len(plan)} wave(s) [{spec}], stop above {max_fail:g}% failed; run {run_dir}",
        highlight=False,
    )
    if plan_only or not plan:
        emit(
            [
                {
                    "wave": w.number,
                    "sites": len(w.sites),
                    "devices": len(w.hosts),
                    "first sites": " ".join(s.site for s in w.sites[:8]),
                }
                for w in plan
            ],
            fmt,
            "Waves",
        )
        return
    stream = sys.stdout if fmt is Format.table else sys.stderr
    printer = ProgressPrinter(stream, show_changes=diff)
    report = run_rollout(job, plan, rule, run_dir, _listener(printer))
    emit(summary_rows(report), fmt, f"edunet apply {Path(book).name} ({mode})")
    failed = sum(r.is_failure for r in report.results)
    changed = sum(r.status == "changed" for r in report.results)
    err_console.print(
        f"{len(report.outcomes)}/{len(plan)} waves, {failed} failed, {changed} changed, "
        f"{report.seconds:.1f} s; artifacts in {run_dir}"
        + (f"; stopped: {report.stop_reason}" if report.stop_reason else ""),
        highlight=False,
        markup=False,
    )
    raise typer.Exit(report.exit_code)
