"""``edunet apply PLAYBOOK``: run a playbook of the Ansible project through ansible-runner,
checked and diffed by default, staged school by school with ``--commit``.

Exit status: 0 every device ok; 1 some devices failed, within ``--max-fail``; 2 the failures
passed ``--max-fail`` (the rollout stopped there; later waves are listed as "not run"), or
the run could not start (bad inventory, limit or playbook).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from edunet.cli.changes import authorise, begin
from edunet.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    FormatOption,
    InventoryOption,
    OutsideWindowOption,
    cannot_write,
    load_or_exit,
)
from edunet.cli.output import Format, emit, err_console

if TYPE_CHECKING:
    from playbooks.rollout.progress import ProgressPrinter
    from playbooks.rollout.results import Progress
    from playbooks.rollout.rollout import Listener, RolloutReport
    from playbooks.rollout.runner import WaveOutcome
    from playbooks.rollout.waves import Wave, WaveTally

RUNS_DIR = Path(".edunet-runs")


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


def _outcome(report: RolloutReport) -> str:
    failed = sum(r.is_failure for r in report.results)
    changed = sum(r.status == "changed" for r in report.results)
    stopped = f"; stopped: {report.stop_reason}" if report.stop_reason else ""
    return f"{failed} failed, {changed} changed, exit {report.exit_code}{stopped}"


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
    forks: Annotated[
        int | None,
        typer.Option(
            "--forks",
            min=1,
            max=200,
            help="Devices Ansible works on at once (default: ansible.cfg's forks).",
            show_default=False,
        ),
    ] = None,
    tags: Annotated[str | None, typer.Option("--tags", help="Only tasks with these tags.")] = None,
    skip_tags: Annotated[
        str | None, typer.Option("--skip-tags", help="Leave out tasks with these tags.")
    ] = None,
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
    outside_window: OutsideWindowOption = False,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    fmt: FormatOption = Format.table,
) -> None:
    """Run PLAYBOOK on the selected devices in waves of whole sites; check and diff unless --commit.

    A canary school first, then growing waves; the rollout stops when failures pass --max-fail.
    """
    from playbooks.rollout.prepare import ApplyError, ApplyRequest, prepare
    from playbooks.rollout.progress import ProgressPrinter
    from playbooks.rollout.rollout import run_rollout, summary_rows

    inv = load_or_exit(inventory)
    what = f"apply {playbook} --commit"

    def allow(hosts: Sequence[str]) -> None:  # a change outside the operator's reach: exit 2
        authorise(inv, what, hosts, tuple(limit or ()))

    request = ApplyRequest(
        playbook=playbook,
        inventory=inventory,
        limit=tuple(limit or ()),
        commit=commit,
        waves=waves,
        canary=canary,
        max_fail=max_fail,
        max_fail_total=max_fail_total,
        forks=forks,
        tags=tags,
        skip_tags=skip_tags,
        diff=diff,
        ansible_inventory=tuple(ansible_inventory or ()),
        runs_dir=runs_dir,
        wave_timeout_s=wave_timeout,
        outside_window=outside_window,
    )
    try:
        prepared = prepare(inv, request, allow if commit else None)
    except ApplyError as e:
        err_console.print(f"[red]error[/]: {e}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as e:  # the run's folder
        raise cannot_write(runs_dir, e) from None
    if prepared.missing_credentials:
        err_console.print(
            "[yellow]warning[/]: no SSH password or key for profile(s) "
            + ", ".join(prepared.missing_credentials)
        )
    plan, run_dir = prepared.plan, prepared.run_dir
    if prepared.left_out:
        err_console.print(f"{prepared.left_out} selected devices are not in any play of {playbook}")
    mode = "commit" if commit else "check"
    hosts = sum(len(w.hosts) for w in plan)
    err_console.print(
        f"{Path(prepared.playbook).name} ({mode}): {hosts} devices in "
        f"{sum(len(w.sites) for w in plan)} sites, {len(plan)} wave(s) [{prepared.spec}], "
        f"stop above {max_fail:g}% failed; run {run_dir}",
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
    if commit:
        with begin(
            inv,
            what,
            [h for w in plan for h in w.hosts],
            limit=tuple(limit or ()),
            artifacts=run_dir,
        ) as change:
            report = run_rollout(prepared.job, plan, prepared.rule, run_dir, _listener(printer))
            change.end("ok" if report.exit_code == 0 else "failed", _outcome(report))
    else:
        report = run_rollout(prepared.job, plan, prepared.rule, run_dir, _listener(printer))
    emit(summary_rows(report), fmt, f"edunet apply {Path(prepared.playbook).name} ({mode})")
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
