"""The Prometheus configuration and its file_sd target lists, rendered from the inventory."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from edunet.generated import header
from edunet.model import DeviceRole, Inventory
from edunet.reach import LAB_MAP
from monitors.file_sd import NODES_FILE, polled, render_targets
from monitors.prometheus_config import render_prometheus, scrape_timeout_s
from monitors.settings import MonitoringSettings

JOBS = [
    "snmp",
    "snmp_inventory",
    "probe",
    "exporters",
    "api",
    "node",
    "local",  # the NOC's own targets (targets/local/)
    "prometheus",
    "alertmanager",
]
SNMP_Q1 = "monitors/prometheus/targets/snmp-q1.yml"
# the real rules are another generator's; promtool only needs one valid file to load
RULES_STUB = "groups:\n- name: test\n  rules:\n  - record: edunet:test\n    expr: vector(1)\n"


def settings(inv: Inventory, **overrides: Any) -> MonitoringSettings:
    return MonitoringSettings.for_inventory(inv, **overrides)


def config(inv: Inventory, shard: int = 0, **overrides: Any) -> dict[str, Any]:
    s = settings(inv, **overrides)
    files = render_prometheus(inv, s)
    name = "prometheus.yml" if s.shards == 1 else f"prometheus-shard-{shard}.yml"
    loaded: dict[str, Any] = yaml.safe_load(files[f"monitors/prometheus/{name}"])
    return loaded


def jobs(cfg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {j["job_name"]: j for j in cfg["scrape_configs"]}


def seconds(text: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+)(ms|s|m|h|d)", text))


def test_file_names_and_header(city: Inventory) -> None:
    one = render_prometheus(city, settings(city))
    three = render_prometheus(city, settings(city, shards=3))
    assert list(one) == ["monitors/prometheus/prometheus.yml"]
    assert list(three) == [f"monitors/prometheus/prometheus-shard-{i}.yml" for i in range(3)]
    targets = render_targets(city, settings(city))
    assert len(targets) == len(city.districts) + 1
    assert list(targets) == sorted(targets)
    for text in [*one.values(), *three.values(), *targets.values()]:
        assert text.startswith(header())
        assert "\\u" not in text  # Vietnamese unescaped


def test_deterministic(city: Inventory) -> None:
    s = settings(city, shards=2, address_map=LAB_MAP)
    assert render_prometheus(city, s) == render_prometheus(city, s)
    assert render_targets(city, s) == render_targets(city, s)


def test_jobs_and_globals(city: Inventory) -> None:
    cfg = config(city)
    assert list(jobs(cfg)) == JOBS
    assert cfg["global"]["scrape_interval"] == "1m"
    assert cfg["global"]["evaluation_interval"] == "30s"
    assert cfg["global"]["external_labels"] == {"city": city.city.code}
    assert cfg["rule_files"] == ["rules/*.yml", "rules/local/*.yml"]
    am = cfg["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    assert am == ["127.0.0.1:9093"]
    assert cfg["remote_write"][0]["url"] == "http://127.0.0.1:8428/api/v1/write"
    assert "api" not in jobs(config(city, api=None))
    assert "remote_write" not in config(city, remote_write_url=None)


def test_snmp_job_is_multi_target(city: Inventory) -> None:
    snmp = jobs(config(city, snmp_exporter="127.0.0.1:19116"))["snmp"]
    assert snmp["metrics_path"] == "/snmp"
    assert snmp["params"] == {"module": ["if_mib"]}
    assert snmp["honor_labels"] is True
    assert snmp["file_sd_configs"] == [{"files": ["targets/snmp-*.yml"]}]
    assert snmp["relabel_configs"] == [
        {"source_labels": ["__address__"], "target_label": "__param_target"},
        {"source_labels": ["__param_target"], "target_label": "instance"},
        {"source_labels": ["__param_target"], "target_label": "device"},
        {"target_label": "__address__", "replacement": "127.0.0.1:19116"},
    ]
    assert 1 <= seconds(snmp["scrape_timeout"]) < 60


def test_scrape_intervals_and_timeouts(city: Inventory) -> None:
    inventory = jobs(config(city))["snmp_inventory"]
    assert inventory["params"] == {"module": ["inventory"]}
    assert inventory["scrape_interval"] == "15m"
    lab = config(city, scrape_interval_s=5, evaluation_interval_s=5, time_scale=1 / 8)
    assert jobs(lab)["snmp_inventory"]["scrape_interval"] == "1m52s"  # 900 s / 8
    assert lab["global"]["scrape_timeout"] == "5s"
    slow = config(city, scrape_interval_s=300, time_scale=0.1)
    assert jobs(slow)["snmp_inventory"]["scrape_interval"] == "5m"  # never under the global
    for cfg in (config(city), lab, slow, config(city, scrape_interval_s=2)):
        default = seconds(cfg["global"]["scrape_interval"])
        for job in cfg["scrape_configs"]:
            interval = seconds(job.get("scrape_interval", cfg["global"]["scrape_interval"]))
            timeout = seconds(job.get("scrape_timeout", cfg["global"]["scrape_timeout"]))
            assert timeout <= interval and interval >= default, job["job_name"]
    assert [scrape_timeout_s(x) for x in (1, 2, 60, 900)] == [1, 1, 54, 120]


def test_hashmod_only_with_shards(city: Inventory) -> None:
    for job in config(city)["scrape_configs"]:
        assert all(r.get("action") != "hashmod" for r in job.get("relabel_configs", []))
    for i in range(3):
        cfg = config(city, shard=i, shards=3)
        assert cfg["global"]["external_labels"] == {"city": city.city.code, "shard": str(i)}
        for name, job in jobs(cfg).items():
            rules = job.get("relabel_configs", [])
            if name == "prometheus":
                assert rules == []
                continue
            hashmod, keep = rules[0], rules[1]
            assert hashmod == {
                "source_labels": ["__address__"],
                "modulus": 3,
                "target_label": "__tmp_hash",
                "action": "hashmod",
            }
            assert keep == {"source_labels": ["__tmp_hash"], "regex": str(i), "action": "keep"}
        # the hash sees the device name: it comes before the address is rewritten
        snmp = jobs(cfg)["snmp"]["relabel_configs"]
        assert snmp[2]["target_label"] == "__param_target"


def test_self_addresses(city: Inventory) -> None:
    s = settings(city, shards=2)
    files = render_prometheus(city, s, self_addresses=["127.0.0.1:1", "127.0.0.1:2"])
    for i, text in enumerate(files.values()):
        me = jobs(yaml.safe_load(text))["prometheus"]["static_configs"][0]["targets"]
        assert me == [f"127.0.0.1:{i + 1}"]
    defaults = [jobs(config(city, i, shards=2))["prometheus"] for i in range(2)]
    assert [j["static_configs"][0]["targets"][0] for j in defaults] == [
        "127.0.0.1:9090",
        "127.0.0.1:9091",
    ]
    one = jobs(config(city, prometheus="[::1]:19090"))["prometheus"]
    assert one["static_configs"][0]["targets"] == ["[::1]:19090"]
    with pytest.raises(ValueError):
        render_prometheus(city, s, self_addresses=["127.0.0.1:1"])


def test_snmp_targets_of_a_known_device(city: Inventory) -> None:
    groups = yaml.safe_load(render_targets(city, settings(city))[SNMP_Q1])
    group = next(g for g in groups if "79760002-sw1" in g["targets"])
    assert group["labels"] == {
        "site": "79760002",
        "site_name": "Trường THPT Nguyễn Văn Tiết",
        "district": "Quận 1",
        "district_code": "760",
        "level": "thpt",
        "role": "access_switch",
    }
    assert "79760002-ap1" not in group["targets"]  # another role: another group


def test_snmp_targets_are_every_polled_device_once(city: Inventory) -> None:
    files = render_targets(city, settings(city))
    seen: list[str] = []
    for path, text in files.items():
        if path == NODES_FILE:
            continue
        for group in yaml.safe_load(text):
            for name in group["targets"]:
                device = city.devices[name]
                assert group["labels"]["site"] == device.site
                assert group["labels"]["role"] == device.role.value
                slug = city.districts[device.district].slug
                assert path.endswith(f"/snmp-{slug}.yml")
            seen += group["targets"]
    expected = sorted(d.name for d in city.devices.values() if polled(d))
    assert sorted(seen) == expected
    assert len(expected) == 1443


def test_node_targets_use_the_address_map(city: Inventory) -> None:
    real = yaml.safe_load(render_targets(city, settings(city))[NODES_FILE])
    lab = yaml.safe_load(
        render_targets(city, settings(city, address_map=LAB_MAP, node_exporter_port=19100))[
            NODES_FILE
        ]
    )
    dc = city.datacenter
    servers = [d for d in city.site_devices(dc.code) if d.role is DeviceRole.server]
    assert len(real) == len(servers) + len(city.vms)
    by_node = {g["labels"]["instance_name"]: g for g in lab}
    vm = next(iter(city.vms.values()))
    assert by_node[vm.name]["targets"] == [f"{LAB_MAP(vm.ip.ip)}:19100"]
    assert by_node[vm.name]["labels"]["application"] == vm.application
    assert by_node[vm.name]["labels"]["role"] == "vm"
    srv = by_node[servers[0].name]
    assert srv["targets"] == [f"{LAB_MAP(servers[0].mgmt_ip)}:19100"]
    assert srv["labels"]["role"] == "server" and srv["labels"]["application"] == ""
    assert srv["labels"]["site"] == dc.code
    assert real[0]["targets"][0].startswith("10.") and real[0]["targets"][0].endswith(":9100")
    assert all(g["targets"][0].startswith("127.") for g in lab)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write rendered files under ``root`` with a trivial rules file beside the config."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    rules = root / "monitors/prometheus/rules/test.yml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text(
        "groups:\n- name: test\n  rules:\n  - record: edunet:test\n    expr: vector(1)\n"
    )
    return root / "monitors/prometheus"


@pytest.mark.integration
@pytest.mark.parametrize("shards", [1, 3])
def test_promtool_accepts(city: Inventory, tmp_path: Path, shards: int) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool not found: install the Debian package prometheus"
    s = settings(city, shards=shards, address_map=LAB_MAP, scrape_interval_s=5)
    configs = render_prometheus(city, s)
    base = write_tree(tmp_path, {**render_targets(city, s), **configs})
    for rel in configs:
        done = subprocess.run(
            [promtool, "check", "config", Path(rel).name],
            cwd=base,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "SUCCESS" in done.stdout + done.stderr
