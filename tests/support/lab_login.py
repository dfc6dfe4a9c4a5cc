"""The login the benchmarks give the lab's simulated switches: lab-only values, never a real
device's (the switches accept whatever their environment says)."""

from __future__ import annotations

BENCH_LOGIN = {
    "EDUNET_SSH_NETOPS_USER": "netops",
    "EDUNET_SSH_NETOPS_PASSWORD": "bench-password",
    "EDUNET_SSH_NETOPS_ENABLE": "bench-enable",
}
