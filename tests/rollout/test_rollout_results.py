"""Per-host rows from ansible-runner events, and a rollout driven by a stand-in runner."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from playbooks.rollout import rollout as rollout_mod
from playbooks.rollout.results import ResultCollector, change_lines, clean_error
from playbooks.rollout.rollout import (
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_STOPPED,
    _parse_list_hosts,
    run_rollout,
)
from playbooks.rollout.runner import AnsibleJob, WaveOutcome
from playbooks.rollout.waves import SiteHosts, StopRule, WaveSpec, plan_waves

# the shape ansible-runner 2.4 gives (recorded against a simulated switch, trimmed)
REJECTED = (
    'Task failed: b"frobnicate everything\\r\\n      ^\\r\\n'
    "% Invalid input detected at '^' marker.\\r\\n\\r\\nsw003(config-vlan)#\""
)


def ev(kind: str, host: str | None = None, task: str = "VLAN 77", **res: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"task": task}
    if host is not None:
        data["host"] = host
    if res:
        data["res"] = res
    return {"event": kind, "event_data": data}


def test_events_fold_into_rows_and_progress_lines() -> None:
    c = ResultCollector(2, {"sw001": "A", "sw003": "A", "sw009": "B"}, secrets=("s3cret",))
    lines = [
        c.feed(ev("playbook_on_task_start")),
        c.feed(ev("runner_on_start", "sw001")),
        c.feed(ev("runner_on_ok", "sw001", changed=True, updates=["vlan 77", "name rollout"])),
        c.feed(ev("runner_on_failed", "sw003", msg=REJECTED + " s3cret")),
    ]
    assert lines[0] is None
    assert [p.state for p in lines if p] == ["start", "changed", "failed"]
    changed = lines[2]
    assert changed is not None and changed.changes == ("+ vlan 77", "+ name rollout")
    c.feed(
        {
            "event": "playbook_on_stats",
            "event_data": {"ok": {"sw001": 1}, "changed": {"sw001": 1}, "failures": {"sw003": 1}},
        }
    )
    rows = c.results
    assert rows["sw001"].status == "changed" and rows["sw001"].wave == 2
    assert rows["sw003"].status == "failed" and rows["sw003"].site == "A"
    error = rows["sw003"].error or ""
    assert error.startswith("VLAN 77: Task failed: frobnicate everything | % Invalid input")
    assert "s3cret" not in error and "********" in error
    assert rows["sw009"].status == "not run" and not rows["sw009"].is_failure


def test_unreachable_and_ignored_errors() -> None:
    c = ResultCollector(1, {"a": "S", "b": "S"})
    c.feed(ev("runner_on_unreachable", "a", msg="ssh connection failed: timed out"))
    event = ev("runner_on_failed", "b", msg="nope")
    event["event_data"]["ignore_errors"] = True
    c.feed(event)
    assert c.results["a"].status == "unreachable" and "timed out" in (c.results["a"].error or "")
    assert c.results["b"].failed == 0


def test_a_broken_run_fails_every_host_without_a_result() -> None:
    c = ResultCollector(1, {"a": "S", "b": "S"})
    c.feed(ev("runner_on_ok", "a"))
    c.fail_unfinished("ansible-playbook failed (rc 4): ERROR! couldn't resolve module")
    assert all(r.is_failure for r in c.results.values())
    # with a play recap the per-host rows stand as they are
    c = ResultCollector(1, {"a": "S"})
    c.feed({"event": "playbook_on_stats", "event_data": {"ok": {"a": 1}}})
    c.fail_unfinished("rc 2")
    assert c.results["a"].status == "ok"


def test_clean_error_is_one_line_and_bounded() -> None:
    assert clean_error("a\\r\\n\\r\\n  b\n^\nc") == "a | b | c"
    assert len(clean_error("x" * 5000)) == 400


def test_change_lines_prefer_the_prepared_diff() -> None:
    assert change_lines({"diff": [{"prepared": "+vlan 40\n-vlan 30"}]}) == ("+vlan 40", "-vlan 30")
    before_after = change_lines({"diff": {"before": "a\nb\n", "after": "a\nc\n"}})
    assert "-b" in before_after and "+c" in before_after
    assert len(change_lines({"commands": [f"vlan {i}" for i in range(100)]})) == 41


def test_list_hosts_output_is_parsed() -> None:
    text = (
        "\nplaybook: network.yml\n\n  play #1 (network:!kind_school): District\tTAGS: []\n"
        "    pattern: ['network:!kind_school']\n    hosts (2):\n      pgd-q1-sw1\n"
        "      pgd-q1-rt1\n\n  play #2 (network:&kind_school): School LANs\tTAGS: []\n"
        "    pattern: ['x']\n    hosts (1):\n      79760012-sw1\n"
    )
    assert _parse_list_hosts(text) == {"pgd-q1-sw1", "pgd-q1-rt1", "79760012-sw1"}


Handler = Callable[[Mapping[str, Any]], None]


def fake_runner(failing: set[str], calls: list[list[str]]) -> Callable[..., WaveOutcome]:
    """Stands in for run_wave: every host gets one task, the failing ones fail."""

    def run(
        job: AnsibleJob, run_dir: Path, ident: str, hosts: Sequence[str], on_event: Handler
    ) -> WaveOutcome:
        calls.append(list(hosts))
        for h in hosts:
            on_event(ev("runner_on_start", h))
            if h in failing:
                on_event(ev("runner_on_failed", h, msg="% Invalid input detected"))
            else:
                on_event(ev("runner_on_ok", h, changed=True))
        return WaveOutcome("failed" if failing & set(hosts) else "successful", 0, 0.1, None)

    return run


def plan(n: int) -> list[Any]:
    given = [SiteHosts(f"s{i}", (f"s{i}-sw1", f"s{i}-sw2")) for i in range(n)]
    return plan_waves(given, WaveSpec.parse("double"))


JOB = AnsibleJob(Path("."), "x.yml", ())


@pytest.mark.parametrize(
    ("failing", "limit", "code", "waves_run"),
    [
        (set(), 10, EXIT_OK, 3),
        ({"s1-sw1"}, 30, EXIT_FAILURES, 3),  # 1 of 4 in wave 2: 25 % ≤ 30 %
        ({"s1-sw1"}, 10, EXIT_STOPPED, 2),  # 25 % > 10 %: wave 3 never runs
        ({"s0-sw2"}, 10, EXIT_STOPPED, 1),  # the canary fails: nothing else runs
    ],
)
def test_rollout_stops_at_the_threshold(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: set[str],
    limit: float,
    code: int,
    waves_run: int,
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(rollout_mod, "run_wave", fake_runner(failing, calls))
    waves = plan(7)  # waves of 1, 2, 4 sites
    report = run_rollout(JOB, waves, StopRule(limit), tmp_path)
    assert report.exit_code == code
    assert len(calls) == waves_run
    rows = {r.host: r for r in report.results}
    assert len(rows) == 14  # every planned host has a row
    for h in failing:
        assert rows[h].status == "failed" and "Invalid input" in (rows[h].error or "")
    # the other devices of the failing wave were still applied
    for h in calls[-1]:
        if h not in failing:
            assert rows[h].status == "changed"
    not_run = [r for r in report.results if r.status == "not run"]
    assert all("rollout stopped after wave" in (r.error or "") for r in not_run)
    assert len(not_run) == 14 - sum(len(c) for c in calls)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["exit_code"] == code and len(summary["hosts"]) == 14
    assert [w["status"] for w in summary["waves"]][waves_run:] == ["not run"] * (3 - waves_run)
