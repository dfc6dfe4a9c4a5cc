"""The prober's metrics: per-target counters kept in plain lists (cheap to update thousands of
times a second) and turned into Prometheus families only when scraped."""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator, Sequence

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from exporters.exposition import clean_label, label_text
from exporters.probe.icmp import EngineStats
from exporters.probe.targets import APP_LABELS, LABELS, AppTarget, Target

__all__ = ["RTT_BUCKETS", "AppCollector", "AppResult", "ProbeCollector", "ProbeStats"]

# 0.1 ms (loopback, the data center) to 2 s (a congested 4G uplink)
RTT_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.25,
    0.5,
    0.75,
    1.0,
    1.5,
    2.0,
)
JITTER_WINDOW = 20  # consecutive RTT pairs averaged into the jitter gauge


class ProbeStats:
    """Per-target tallies, indexed like the engine's targets; implements the engine's sink."""

    def __init__(self, n: int, window: int = JITTER_WINDOW) -> None:
        self.sent = [0] * n
        self.received = [0] * n
        self.buckets = [[0] * (len(RTT_BUCKETS) + 1) for _ in range(n)]  # last one: > 2 s
        self.rtt_sum = [0.0] * n
        self.last_rtt = [float("nan")] * n
        self._diffs: list[deque[float]] = [deque(maxlen=window) for _ in range(n)]

    def on_sent(self, target: int) -> None:
        self.sent[target] += 1

    def on_reply(self, target: int, rtt_s: float) -> None:
        self.received[target] += 1
        self.buckets[target][bisect_left(RTT_BUCKETS, rtt_s)] += 1
        self.rtt_sum[target] += rtt_s
        last = self.last_rtt[target]
        if last == last:  # not NaN: there is a previous RTT to compare with
            self._diffs[target].append(abs(rtt_s - last))
        self.last_rtt[target] = rtt_s

    def on_lost(self, target: int) -> None:
        pass  # loss is 1 - received/sent; nothing else to keep

    def jitter(self, target: int) -> float:
        diffs = self._diffs[target]
        return sum(diffs) / len(diffs) if diffs else float("nan")

    def loss(self, target: int) -> float:
        sent = self.sent[target]
        return 1.0 - self.received[target] / sent if sent else float("nan")


class ProbeCollector(Collector):
    """``edunet_probe_*`` families for every target, and the engine's self-metrics.

    Thousands of targets times twenty buckets is too much for metric objects at every
    scrape, so :meth:`render` writes the per-target text directly, with each target's label
    string built once; :meth:`collect` gives only the self-metrics to the registry.
    """

    def __init__(
        self,
        targets: Sequence[Target],
        stats: ProbeStats,
        engine: Callable[[], EngineStats | None],
    ) -> None:
        self.targets = targets
        self.stats = stats
        self.engine = engine
        self._labels = [_label_text(t.labels) for t in targets]
        self._le = [f',le="{_le(b)}"' for b in RTT_BUCKETS] + [',le="+Inf"']

    def render(self) -> str:
        """The per-target families in the Prometheus text format."""
        st, le = self.stats, self._le
        out: list[str] = []
        add = out.append
        add("# HELP edunet_probe_rtt_seconds ICMP echo round-trip time.\n")
        add("# TYPE edunet_probe_rtt_seconds histogram\n")
        for i, lab in enumerate(self._labels):
            cumulative = 0
            for j, count in enumerate(st.buckets[i]):
                cumulative += count
                add(f"edunet_probe_rtt_seconds_bucket{{{lab}{le[j]}}} {cumulative}\n")
            add(f"edunet_probe_rtt_seconds_count{{{lab}}} {st.received[i]}\n")
            add(f"edunet_probe_rtt_seconds_sum{{{lab}}} {st.rtt_sum[i]!r}\n")
        families: list[tuple[str, str, str, list[float] | list[int]]] = [
            ("edunet_probe_sent_total", "counter", "ICMP echo requests sent.", st.sent),
            (
                "edunet_probe_received_total",
                "counter",
                "Echo replies received in time.",
                st.received,
            ),
            (
                "edunet_probe_jitter_seconds",
                "gauge",
                f"Mean absolute difference of consecutive RTTs over the last {JITTER_WINDOW}.",
                [st.jitter(i) for i in range(len(self._labels))],
            ),
            ("edunet_probe_last_rtt_seconds", "gauge", "The most recent RTT.", st.last_rtt),
        ]
        for name, kind, help_text, values in families:
            add(f"# HELP {name} {help_text}\n# TYPE {name} {kind}\n")
            for lab, value in zip(self._labels, values, strict=True):
                add(f"{name}{{{lab}}} {_number(value)}\n")
        return "".join(out)

    def collect(self) -> Iterator[Metric]:
        yield from self._self_metrics()

    def _self_metrics(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "edunet_probe_targets", "ICMP targets probed.", value=len(self.targets)
        )
        eng = self.engine()
        if eng is None:
            return
        yield CounterMetricFamily(
            "edunet_probe_send_errors", "Echo requests the kernel refused.", value=eng.send_errors
        )
        yield CounterMetricFamily(
            "edunet_probe_stray_replies",
            "Echo replies that matched no packet in flight (late or foreign).",
            value=eng.stray,
        )
        yield CounterMetricFamily(
            "edunet_probe_skipped",
            "Send slots skipped after a stall instead of sent in a burst.",
            value=eng.skipped,
        )
        yield GaugeMetricFamily(
            "edunet_probe_loop_lag_seconds",
            "How late the sender woke, last time.",
            value=eng.loop_lag_s,
        )
        yield GaugeMetricFamily(
            "edunet_probe_loop_lag_max_seconds",
            "The worst sender lag since start.",
            value=eng.loop_lag_max_s,
        )
        info = GaugeMetricFamily(
            "edunet_probe_socket_info", "The ICMP socket in use.", labels=["kind"]
        )
        info.add_metric([eng.socket_kind or "none"], 1)
        yield info


def _le(bound: float) -> str:
    return repr(float(bound))


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    return repr(float(value)) if isinstance(value, float) else str(value)


def _label_text(values: Sequence[str]) -> str:
    return ",".join(f'{k}="{label_text(v)}"' for k, v in zip(LABELS, values, strict=True))


class AppResult:
    """The last outcome of one application check."""

    __slots__ = ("error", "http_status", "latency_s", "tls_expiry_s", "up")

    def __init__(
        self,
        up: bool,
        latency_s: float | None = None,
        http_status: int | None = None,
        tls_expiry_s: float | None = None,
        error: str | None = None,
    ) -> None:
        self.up = up
        self.latency_s = latency_s
        self.http_status = http_status
        self.tls_expiry_s = tls_expiry_s
        self.error = error

    def __repr__(self) -> str:
        return (
            f"AppResult(up={self.up}, latency_s={self.latency_s}, http_status="
            f"{self.http_status}, tls_expiry_s={self.tls_expiry_s}, error={self.error!r})"
        )


class AppCollector(Collector):
    """``edunet_app_*`` families from the last result of every check."""

    def __init__(self, targets: Sequence[AppTarget], results: Sequence[AppResult | None]) -> None:
        self.targets = targets
        self.results = results

    def collect(self) -> Iterator[Metric]:
        labels = list(APP_LABELS)
        up = GaugeMetricFamily("edunet_app_up", "1 if the last check passed.", labels=labels)
        latency = GaugeMetricFamily(
            "edunet_app_latency_seconds",
            "Time of the last check: TCP connect, TLS handshake, and the HTTP status line.",
            labels=labels,
        )
        status = GaugeMetricFamily(
            "edunet_app_http_status", "HTTP status of the last check.", labels=labels
        )
        expiry = GaugeMetricFamily(
            "edunet_app_tls_expiry_seconds",
            "Seconds until the served certificate's notAfter.",
            labels=labels,
        )
        for t, r in zip(self.targets, self.results, strict=True):
            if r is None:
                continue  # not checked yet
            values = [clean_label(v) for v in t.labels]
            up.add_metric(values, 1.0 if r.up else 0.0)
            if r.latency_s is not None:
                latency.add_metric(values, r.latency_s)
            if r.http_status is not None:
                status.add_metric(values, r.http_status)
            if r.tls_expiry_s is not None:
                expiry.add_metric(values, r.tls_expiry_s)
        yield from (up, latency, status, expiry)
