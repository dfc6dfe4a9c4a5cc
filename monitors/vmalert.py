"""vmalert for a sharded city: the rules evaluated once, centrally, on VictoriaMetrics.

With ``settings.shards > 1`` each Prometheus sees only its share of the targets, while the
rules join across targets (a site's prober samples and its switches may land on different
shards) and aggregate the whole city. So the shards only scrape and remote-write, and one
vmalert evaluates the same rule files on VictoriaMetrics' merged view: it queries
VictoriaMetrics, writes recording results and alert state back there, restores that state after
a restart, and sends alerts to Alertmanager.

:func:`render_vmalert` writes the command line as a Debian ``/etc/default`` file;
:func:`vmalert_argv` gives the same flags for a runner. Both come from :func:`_flags`, so they
cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from edunet.generated import header
from edunet.model import Inventory
from monitors.prometheus_config import LOCAL_RULE_FILES, PROMETHEUS_DIR, RULE_FILES
from monitors.settings import MonitoringSettings

__all__ = [
    "VMALERT_FILE",
    "render_vmalert",
    "victoria_metrics_url",
    "vmalert_argv",
]

VMALERT_FILE = f"{PROMETHEUS_DIR}/vmalert.default"
# vmalert's own port, on loopback like the rest of the monitoring server (its default is every
# interface)
WRITE_PATH = "/api/v1/write"
# the flags go through a shell or systemd's word splitting unquoted: refuse what would break it
_UNSAFE = frozenset(" \t\n\"'\\$`")


def victoria_metrics_url(settings: MonitoringSettings) -> str:
    """VictoriaMetrics' base URL, from the shards' remote_write URL (without ``/api/v1/write``);
    vmalert appends the query, write and read paths itself."""
    url = settings.remote_write_url
    if not url:
        raise ValueError(
            f"{settings.shards} shards need the central VictoriaMetrics: set remote_write_url "
            "(the rules are evaluated there, on the merged view)"
        )
    base = url.rstrip("/")
    if not base.endswith(WRITE_PATH):
        # the URL may hold credentials: not repeated here
        raise ValueError(f"remote_write_url does not end in {WRITE_PATH}: cannot find the base")
    return base.removesuffix(WRITE_PATH)


def _flags(settings: MonitoringSettings, rules: str, listen: str | None) -> list[str]:
    vm = victoria_metrics_url(settings)
    every = settings.evaluation_interval_s
    flags = [
        f"-rule={rules}",
        f"-datasource.url={vm}",
        # recording results and the ALERTS_FOR_STATE series go back to VictoriaMetrics …
        f"-remoteWrite.url={vm}",
        # … so pending and firing alerts keep their `for:` progress across a restart
        f"-remoteRead.url={vm}",
        f"-notifier.url=http://{settings.alertmanager}",
        f"-evaluationInterval={every}s",
        f"-external.label=city={settings.city}",
        # a recording result feeds the next rule only once written: flush at least every cycle
        f"-remoteWrite.flushInterval={min(5, every)}s",
        # alerts carry the same labels as they did from Prometheus (no `alertgroup`)
        "-disableAlertgroupLabel",
    ]
    if listen is not None:
        flags.append(f"-httpListenAddr={listen}")
    for flag in flags:
        if _UNSAFE & set(flag):
            raise ValueError(f"vmalert flag {flag.split('=', 1)[0]} holds a space or a quote")
    return flags


def vmalert_argv(
    settings: MonitoringSettings, rules_dir: Path, listen: str | None = None
) -> list[str]:
    """vmalert's flags (the arguments after the program name) for the rule files in
    ``rules_dir``; ``listen`` adds ``-httpListenAddr``."""
    rules = Path(rules_dir)
    return _flags(
        settings, f"{(rules / '*.yml').as_posix()},{(rules / 'local/*.yml').as_posix()}", listen
    )


def render_vmalert(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    """``vmalert.default`` beside the shard configurations, only when there are shards."""
    del inv  # the rules files carry the inventory; vmalert only needs where things are
    if settings.shards <= 1:
        return {}
    args = " ".join(_flags(settings, f"{RULE_FILES},{LOCAL_RULE_FILES}", settings.vmalert))
    text = (
        header()
        + "# vmalert's command line for the sharded city (Debian /etc/default style): the\n"
        + "# Prometheus shards only scrape and remote-write; vmalert evaluates the rules once on\n"
        + "# VictoriaMetrics' merged view and sends the alerts to Alertmanager. The rule path is\n"
        + "# relative to this file's directory: run vmalert there, e.g. under systemd\n"
        + "#   WorkingDirectory=<this directory>\n"
        + "#   EnvironmentFile=<this directory>/vmalert.default\n"
        + "#   ExecStart=/usr/bin/vmalert $ARGS\n"
        + "# Check the rules with: vmalert -dryRun -rule='rules/*.yml,rules/local/*.yml'\n"
        + f'ARGS="{args}"\n'
    )
    return {VMALERT_FILE: text}
