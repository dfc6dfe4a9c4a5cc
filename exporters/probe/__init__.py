"""Link-quality probing: ICMP to every site and the data center's hosts, and application
checks (HTTP status, TCP connect, TLS certificate expiry), served for Prometheus."""

from exporters.probe.server import Prober, serve_prober

__all__ = ["Prober", "serve_prober"]
