"""What each shard watches itself when Prometheus is sharded: the central rule evaluator
(vmalert) and the remote write to VictoriaMetrics. Everything else is evaluated by vmalert on
the merged view, so these are the only alerts that must not depend on it."""

from __future__ import annotations

from monitors.rules.common import Rule, Text, Windows, alert

__all__ = ["SHARD_RULES", "shard_groups"]

SHARD_RULES = "monitors/prometheus/rules/shard/edunet-shard.rules.yml"


def shard_groups(w: Windows) -> list[Rule]:
    s = w.settings
    rules = [
        alert(
            "EdunetRuleEvaluatorDown",
            'up{job="vmalert"} == 0',
            hold=w.hold(180),
            severity="critical",
            team="network",
            dashboard="edunet-datacenter",
            settings=s,
            text=Text(
                "Bộ đánh giá luật cảnh báo (vmalert {{ $labels.instance }}) không phản hồi",
                "The rule evaluator (vmalert at {{ $labels.instance }}) is down",
                "With sharded Prometheus every recording rule and alert of the city is evaluated "
                "by vmalert on VictoriaMetrics: while it is down, no other alert can fire.",
            ),
        ),
        alert(
            "EdunetRemoteWriteFailing",
            fold_failed(w),
            hold=w.hold(600),
            severity="critical",
            team="network",
            dashboard="edunet-datacenter",
            settings=s,
            text=Text(
                "Shard {{ $externalLabels.shard }} không ghi được dữ liệu về VictoriaMetrics",
                "Shard {{ $externalLabels.shard }} cannot write to VictoriaMetrics",
                "Samples this Prometheus scrapes are failing to reach the central "
                "VictoriaMetrics ({{ $value | humanize }} a second): the merged view, and "
                "every alert vmalert evaluates on it, miss this shard's targets.",
            ),
        ),
    ]
    return [{"name": "edunet-shard-watchdog", "rules": rules}]


def fold_failed(w: Windows) -> str:
    window = w.rate(300)
    return (
        f"rate(prometheus_remote_storage_samples_failed_total[{window}]) > 0"
        f" or rate(prometheus_remote_storage_samples_dropped_total[{window}]) > 0"
    )
