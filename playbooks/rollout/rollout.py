"""A staged rollout: plan the waves, run them one after the other, stop at the threshold.

Inside a wave Ansible runs every host to the end (the playbooks set neither
``any_errors_fatal`` nor ``max_fail_percentage``), so a failing device never stops the other
sites of its wave; the stop rule is applied between waves.

Exit status (:attr:`RolloutReport.exit_code`): 0 every device ok, 1 some devices failed but
the rollout stayed within the threshold, 2 the failures passed the threshold: the rollout
stopped there (the later waves are reported "not run"), or it was already the last wave.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbooks.rollout.results import HostResult, Progress, ResultCollector
from playbooks.rollout.runner import AnsibleJob, WaveOutcome, run_wave
from playbooks.rollout.waves import SiteHosts, StopRule, Wave, WaveTally

__all__ = [
    "EXIT_FAILURES",
    "EXIT_OK",
    "EXIT_STOPPED",
    "Listener",
    "RolloutReport",
    "play_hosts",
    "run_rollout",
    "summary_rows",
]

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_STOPPED = 2


class Listener:
    """What a front end hears during a rollout; the default hears nothing."""

    def wave_start(self, wave: Wave, total: int) -> None: ...

    def progress(self, line: Progress) -> None: ...

    def wave_end(self, wave: Wave, outcome: WaveOutcome, tally: WaveTally) -> None: ...

    def stopped(self, reason: str) -> None: ...


@dataclass
class RolloutReport:
    run_dir: Path
    waves: list[Wave]
    results: list[HostResult] = field(default_factory=list)  # every planned host
    outcomes: list[WaveOutcome] = field(default_factory=list)  # one per wave run
    stop_reason: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.stop_reason is not None:
            return EXIT_STOPPED
        if any(r.is_failure for r in self.results):
            return EXIT_FAILURES
        return EXIT_OK


def _parse_list_hosts(stdout: str) -> set[str]:
    """Hosts from ``ansible-playbook --list-hosts`` output (every play)."""
    hosts: set[str] = set()
    in_hosts = False
    for line in stdout.splitlines():
        if re.match(r"^\s*hosts \(\d+\):\s*$", line):
            in_hosts = True
            continue
        if in_hosts and line.startswith("      ") and line.strip():
            hosts.add(line.strip())
        else:
            in_hosts = False
    return hosts


def play_hosts(job: AnsibleJob, run_dir: Path, hosts: Sequence[str]) -> set[str]:
    """The hosts among ``hosts`` that the playbook's plays target (``--list-hosts``): the
    waves are planned over these only, so a canary is a site the playbook really changes."""
    listing = AnsibleJob(
        job.project_dir,
        job.playbook,
        job.inventory,
        check=False,
        diff=False,
        timeout_s=300,
        env=job.env,
        secrets=job.secrets,
        extra_args=(*job.extra_args, "--list-hosts"),
    )
    outcome = run_wave(listing, run_dir, "plan", hosts, lambda _e: None)
    stdout = (run_dir / "artifacts" / "plan" / "stdout").read_text(encoding="utf-8")
    if outcome.status != "successful":
        raise RuntimeError(outcome.error or "ansible-playbook --list-hosts failed")
    return _parse_list_hosts(stdout)


def _not_run(wave: Wave, note: str) -> list[HostResult]:
    return [HostResult(h, s.site, wave.number, error=note) for s in wave.sites for h in s.hosts]


def run_rollout(
    job: AnsibleJob,
    waves: Sequence[Wave],
    rule: StopRule,
    run_dir: Path,
    listener: Listener | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> RolloutReport:
    """Run the waves in order until they are done or the stop rule says stop."""
    hear = listener or Listener()
    report = RolloutReport(run_dir, list(waves))
    started = clock()
    tallies: list[WaveTally] = []
    for wave in waves:
        if report.stop_reason is not None:
            report.results += _not_run(wave, f"not run: rollout stopped after wave {len(tallies)}")
            continue
        hear.wave_start(wave, len(waves))
        site_of = {h: s.site for s in wave.sites for h in s.hosts}
        collector = ResultCollector(wave.number, site_of, job.secrets)

        def on_event(event: Mapping[str, Any], c: ResultCollector = collector) -> None:
            line = c.feed(event)
            if line is not None:
                hear.progress(line)

        outcome = run_wave(job, run_dir, f"wave-{wave.number:02d}", wave.hosts, on_event)
        if outcome.error is not None:
            collector.fail_unfinished(outcome.error)
        report.outcomes.append(outcome)
        rows = list(collector.results.values())
        report.results += rows
        tally = WaveTally(sum(r.ran or r.is_failure for r in rows), sum(r.is_failure for r in rows))
        tallies.append(tally)
        hear.wave_end(wave, outcome, tally)
        reason = rule.reason(tallies)
        if reason is not None:  # on the last wave too: the exit status says it passed
            report.stop_reason = reason
            hear.stopped(reason)
    report.seconds = clock() - started
    write_summary(report)
    return report


def summary_rows(report: RolloutReport) -> list[dict[str, Any]]:
    return [
        {
            "host": r.host,
            "site": r.site,
            "wave": r.wave,
            "status": r.status,
            "ok": r.ok,
            "changed": r.changed,
            "failed": r.failed,
            "unreachable": r.unreachable,
            "error": r.error or "",
        }
        for r in report.results
    ]


def write_summary(report: RolloutReport) -> Path:
    """``summary.json`` beside the artifacts: the plan, each wave's outcome, every host's row."""
    path = report.run_dir / "summary.json"
    data = {
        "exit_code": report.exit_code,
        "stop_reason": report.stop_reason,
        "seconds": round(report.seconds, 1),
        "waves": [
            {
                "wave": w.number,
                "sites": [s.site for s in w.sites],
                "hosts": list(w.hosts),
                **(
                    {
                        "status": report.outcomes[i].status,
                        "rc": report.outcomes[i].rc,
                        "seconds": round(report.outcomes[i].seconds, 1),
                    }
                    if i < len(report.outcomes)
                    else {"status": "not run"}
                ),
            }
            for i, w in enumerate(report.waves)
        ],
        "hosts": summary_rows(report),
    }
    report.run_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def sites_for(hosts: Sequence[str], ordered: Sequence[SiteHosts]) -> list[SiteHosts]:
    """``ordered`` cut down to ``hosts`` (keeps the site order)."""
    wanted = set(hosts)
    out = []
    for s in ordered:
        kept = tuple(h for h in s.hosts if h in wanted)
        if kept:
            out.append(SiteHosts(s.site, kept, s.tier))
    return out
