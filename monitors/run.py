"""Run the rendered monitoring stack for real on this machine: render the configuration for
the lab (or the city) into a directory, then start Alertmanager, Prometheus, optionally
VictoriaMetrics, and an alert webhook receiver, until told to stop."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from edunet.generated import write
from edunet.model import Inventory
from monitors.build import OWNED_DIRS, render_monitors
from monitors.settings import MonitoringSettings
from monitors.stack import (
    Service,
    start_alertmanager,
    start_prometheus,
    start_victoria_metrics,
)
from monitors.webhook import WebhookServer, serve_webhook

__all__ = ["RunningStack", "StackPlan", "copy_own_files", "running_stack"]


@dataclass(frozen=True, slots=True)
class StackPlan:
    """Where each piece listens and keeps its state."""

    directory: Path
    prometheus: str = "127.0.0.1:9090"
    alertmanager: str = "127.0.0.1:9093"
    webhook: str | None = "127.0.0.1:9095"  # None: alerts go to settings.webhook_url as given
    victoria_metrics: str | None = "127.0.0.1:8428"  # None: no remote_write
    # the user's own rules and targets (rules/local/, targets/local/) come from here
    own_files: Path = Path(__file__).parent / "prometheus"


LOCAL_DIRS = ("rules/local", "targets/local")


def copy_own_files(source: Path, prometheus_dir: Path) -> int:
    """Copy the user's own rules and targets beside the rendered ``prometheus.yml``, which
    includes them, as the monitoring_stack role does on a server; returns how many files.
    The run's copies are replaced whole: a file removed at the source is gone here too."""
    copied = 0
    for rel in LOCAL_DIRS:
        src, dst = source / rel, prometheus_dir / rel
        shutil.rmtree(dst, ignore_errors=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("README.md"))
            copied += sum(1 for f in dst.rglob("*") if f.is_file())
    return copied


@dataclass(frozen=True, slots=True)
class RunningStack:
    settings: MonitoringSettings
    config: Path  # prometheus.yml
    prometheus: Service
    alertmanager: Service
    victoria_metrics: Service | None
    webhook: WebhookServer | None

    def urls(self) -> dict[str, str]:
        out = {"Prometheus": self.prometheus.url, "Alertmanager": self.alertmanager.url}
        if self.victoria_metrics is not None:
            out["VictoriaMetrics"] = self.victoria_metrics.url
        if self.webhook is not None:
            out["alert webhook"] = self.webhook.url
        return out


def plan_settings(settings: MonitoringSettings, plan: StackPlan) -> MonitoringSettings:
    """The settings with this plan's addresses in them (one Prometheus: no shards)."""
    changes: dict[str, object] = {
        "prometheus": plan.prometheus,
        "alertmanager": plan.alertmanager,
        "shards": 1,
        "remote_write_url": (
            f"http://{plan.victoria_metrics}/api/v1/write" if plan.victoria_metrics else None
        ),
    }
    if plan.webhook is not None:
        changes["webhook_url"] = f"http://{plan.webhook}/alerts"
    return replace(settings, **changes)  # type: ignore[arg-type]


@contextmanager
def running_stack(
    inv: Inventory,
    settings: MonitoringSettings,
    plan: StackPlan,
    out: TextIO | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Iterator[RunningStack]:
    """Render into ``plan.directory`` and run the stack; everything stops on exit."""
    settings = plan_settings(settings, plan)
    root = plan.directory
    write(root, render_monitors(inv, settings), OWNED_DIRS)
    config = root / "monitors/prometheus/prometheus.yml"
    own = copy_own_files(plan.own_files, config.parent)
    if own:
        progress(f"with {own} file(s) of your own from {plan.own_files}")
    with ExitStack() as stack:
        hook: WebhookServer | None = None
        if plan.webhook is not None:
            hook, _ = serve_webhook(plan.webhook, out)
            stack.callback(hook.server_close)
            stack.callback(hook.shutdown)
        vm: Service | None = None
        if plan.victoria_metrics is not None:
            progress("starting VictoriaMetrics")
            vm = stack.enter_context(
                start_victoria_metrics(root / "state/victoria-metrics", plan.victoria_metrics)
            )
        progress("starting Alertmanager")
        am = stack.enter_context(
            start_alertmanager(
                root / "monitors/alertmanager/alertmanager.yml",
                root / "state/alertmanager",
                plan.alertmanager,
            )
        )
        progress("starting Prometheus")
        prom = stack.enter_context(
            start_prometheus(config, root / "state/prometheus", plan.prometheus)
        )
        yield RunningStack(settings, config, prom, am, vm, hook)


def run_until(stop: threading.Event, stack: RunningStack) -> None:
    """Wait for ``stop``; a daemon that dies ends the wait too."""
    services = [stack.prometheus, stack.alertmanager]
    if stack.victoria_metrics is not None:
        services.append(stack.victoria_metrics)
    while not stop.wait(1.0):
        dead = [s.name for s in services if not s.running]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} stopped; see the logs under the state directory")
