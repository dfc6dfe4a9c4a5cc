"""With shards, the rules run once, centrally: the shard configurations load no rules and send no
alerts, ``vmalert.default`` holds vmalert's command line, vmalert accepts every rule file, and a
live run (two shards, VictoriaMetrics, vmalert, Alertmanager, the small city's lab) shows the
rules seeing the whole city on the merged view."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from stack_kit import small_lab, until
from support.ports import free_tcp_port

from edunet.generated import header
from edunet.model import Inventory
from edunet.reach import LAB_MAP
from monitors import stack
from monitors.build import OWNED_DIRS, render_monitors
from monitors.file_sd import polled
from monitors.prometheus_config import render_prometheus
from monitors.rules import RULES_DIR, render_rules
from monitors.settings import MonitoringSettings
from monitors.vmalert import (
    VMALERT_FILE,
    render_vmalert,
    victoria_metrics_url,
    vmalert_argv,
)


def settings(inv: Inventory, **overrides: Any) -> MonitoringSettings:
    return MonitoringSettings.for_inventory(inv, **overrides)


def args_of(text: str) -> list[str]:
    """The ``ARGS="…"`` line of an /etc/default file, split as a shell would."""
    lines = [line for line in text.splitlines() if line.startswith("ARGS=")]
    assert len(lines) == 1, text
    return shlex.split(shlex.split(lines[0].removeprefix("ARGS="))[0])


# --- rendering ----------------------------------------------------------------------------------


def test_shards_load_only_their_watchdog_rules(city: Inventory) -> None:
    for shards in (2, 3):
        files = render_prometheus(city, settings(city, shards=shards))
        assert len(files) == shards
        scraping_vmalert = 0
        for text in files.values():
            cfg = yaml.safe_load(text)
            # the city's rules run in vmalert; a shard watches vmalert and its remote write
            assert cfg["rule_files"] == ["rules/shard/*.yml"]
            assert cfg["alerting"]["alertmanagers"]
            assert cfg["remote_write"][0]["url"] == "http://127.0.0.1:8428/api/v1/write"
            job = next(j for j in cfg["scrape_configs"] if j["job_name"] == "vmalert")
            assert job["static_configs"] == [{"targets": ["127.0.0.1:8880"]}]
            keep = next(r for r in job["relabel_configs"] if r.get("action") == "keep")
            scraping_vmalert += int(keep["regex"]) == (
                int.from_bytes(__import__("hashlib").md5(b"127.0.0.1:8880").digest()[8:], "big")
                % shards
            )
        assert scraping_vmalert == 1  # exactly one shard, by hashmod
    one = yaml.safe_load(
        render_prometheus(city, settings(city))["monitors/prometheus/prometheus.yml"]
    )
    assert one["rule_files"] == ["rules/*.yml", "rules/local/*.yml"]
    assert one["alerting"]["alertmanagers"] == [
        {"static_configs": [{"targets": ["127.0.0.1:9093"]}]}
    ]


def test_vmalert_default_file(city: Inventory) -> None:
    s = settings(
        city,
        shards=2,
        evaluation_interval_s=30,
        alertmanager="10.33.0.5:9093",
        remote_write_url="http://10.33.0.6:8428/api/v1/write",
    )
    files = render_vmalert(city, s)
    assert list(files) == [VMALERT_FILE] == ["monitors/prometheus/vmalert.default"]
    text = files[VMALERT_FILE]
    assert text.startswith(header())
    assert all(line.startswith(("#", "ARGS=")) for line in text.splitlines())
    assert text.endswith('"\n')
    assert args_of(text) == [
        "-rule=rules/*.yml,rules/local/*.yml",
        "-datasource.url=http://10.33.0.6:8428",
        "-remoteWrite.url=http://10.33.0.6:8428",
        "-remoteRead.url=http://10.33.0.6:8428",
        "-notifier.url=http://10.33.0.5:9093",
        "-evaluationInterval=30s",
        f"-external.label=city={city.city.code}",
        "-remoteWrite.flushInterval=5s",
        "-disableAlertgroupLabel",
        "-httpListenAddr=127.0.0.1:8880",
    ]
    # the file and a runner's argv come from one list
    assert args_of(text) == vmalert_argv(s, Path("rules"), s.vmalert)
    assert render_vmalert(city, s) == files  # deterministic
    lab = vmalert_argv(settings(city, shards=2, evaluation_interval_s=2), Path("/x/rules"))
    assert lab[0] == "-rule=/x/rules/*.yml,/x/rules/local/*.yml"  # the NOC's own rules too
    assert "-remoteWrite.flushInterval=2s" in lab
    assert not any(a.startswith("-httpListenAddr") for a in lab)


def test_one_server_renders_no_vmalert(city: Inventory) -> None:
    s = settings(city)
    assert render_vmalert(city, s) == {}
    files = render_monitors(city, s)
    assert VMALERT_FILE not in files
    assert "monitors/prometheus/prometheus.yml" in files


def test_render_monitors_with_shards(city: Inventory) -> None:
    files = render_monitors(city, settings(city, shards=2))
    assert VMALERT_FILE in files
    assert VMALERT_FILE.startswith(OWNED_DIRS[0] + "/")
    assert [p for p in files if "prometheus-shard-" in p] == [
        "monitors/prometheus/prometheus-shard-0.yml",
        "monitors/prometheus/prometheus-shard-1.yml",
    ]
    # vmalert reads the same rule files the single server would; the shards' watchdog
    # rules sit in a folder of their own, which vmalert's rules/*.yml does not reach
    rules = {p for p in files if p.startswith(RULES_DIR + "/") and "/shard/" not in p}
    assert rules == set(render_rules(city, settings(city)))
    assert f"{RULES_DIR}/shard/edunet-shard.rules.yml" in files


def test_shards_need_the_central_store(city: Inventory) -> None:
    with pytest.raises(ValueError, match="remote_write_url"):
        render_vmalert(city, settings(city, shards=2, remote_write_url=None))
    with pytest.raises(ValueError, match="remote_write_url"):
        render_monitors(city, settings(city, shards=2, remote_write_url=None))
    with pytest.raises(ValueError, match="/api/v1/write"):
        render_vmalert(city, settings(city, shards=2, remote_write_url="http://vm:8428/write"))
    assert render_vmalert(city, settings(city, remote_write_url=None)) == {}  # one server: fine
    prefixed = settings(city, shards=2, remote_write_url="http://vm:8428/prometheus/api/v1/write/")
    assert victoria_metrics_url(prefixed) == "http://vm:8428/prometheus"


def test_a_missing_vmalert_names_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(stack.StackError, match="install victoria-metrics"):
        stack.start_vmalert(["-rule=x"], tmp_path / "vmalert")


# --- vmalert reads the rules --------------------------------------------------------------------


def dry_run(rules_dir: Path) -> subprocess.CompletedProcess[str]:
    vmalert = shutil.which("vmalert")
    assert vmalert, "vmalert not found: install the Debian package victoria-metrics"
    return subprocess.run(
        [vmalert, "-dryRun", f"-rule={rules_dir}/*.yml", "-loggerLevel=ERROR"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.integration
@pytest.mark.parametrize("lab", [False, True], ids=["city", "lab"])
def test_vmalert_accepts_every_rule_file(city: Inventory, tmp_path: Path, lab: bool) -> None:
    extra: dict[str, Any] = {"address_map": LAB_MAP, "time_scale": 1 / 8} if lab else {}
    files = render_rules(city, settings(city, shards=2, **extra))
    assert len(files) == 5  # the city's four, and the shards' own watchdog rules
    write(tmp_path, files)
    rules = tmp_path / RULES_DIR
    done = dry_run(rules)
    assert done.returncode == 0, done.stdout + done.stderr
    # the check is real: a template function vmalert lacks is refused, naming the rule
    alerts = rules / "edunet-alerts.rules.yml"
    alerts.write_text(alerts.read_text(encoding="utf-8").replace("| humanize }}", "| nosuch }}", 1))
    bad = dry_run(rules)
    assert bad.returncode != 0 and 'function "nosuch" not defined' in bad.stdout + bad.stderr


# --- live: two shards, VictoriaMetrics, vmalert, Alertmanager ------------------------------------


def by_site(url: str, promql: str) -> dict[str, float]:
    return {r["metric"]["site"]: float(r["value"][1]) for r in stack.query(url, promql)}


@pytest.mark.integration
@pytest.mark.slow
def test_rules_see_the_whole_city(small: Inventory, services: stack.Stack, tmp_path: Path) -> None:
    started = time.monotonic()
    with small_lab(tmp_path / "lab") as lab:
        lab_s = time.monotonic() - started
        vm = services.victoria_metrics()
        selves = [f"127.0.0.1:{free_tcp_port()}" for _ in range(2)]
        s = settings(
            small,
            shards=2,
            scrape_interval_s=2,
            evaluation_interval_s=2,
            time_scale=1 / 8,
            snmp_exporter=lab.snmp_exporter,
            prober=lab.prober,
            api=f"127.0.0.1:{free_tcp_port()}",  # nobody listens: EdunetExporterDown
            alertmanager=f"127.0.0.1:{free_tcp_port()}",
            remote_write_url=f"{vm.url}/api/v1/write",
            webhook_url=f"http://127.0.0.1:{free_tcp_port()}/alerts",
            address_map=LAB_MAP,
            node_exporter_port=free_tcp_port(),
            vmalert=f"127.0.0.1:{free_tcp_port()}",
        )
        configs = render_prometheus(small, s, self_addresses=selves)
        root = tmp_path / "rendered"
        write(root, {**render_monitors(small, s), **configs})
        base = root / "monitors/prometheus"
        am = services.alertmanager(root / "monitors/alertmanager/alertmanager.yml", s.alertmanager)
        shards = [services.prometheus(base / Path(rel).name, listen=selves[i])
                  for i, rel in enumerate(configs)]  # fmt: skip
        vmalert = services.vmalert(vmalert_argv(s, base / "rules"), listen=s.vmalert)
        ready_s = time.monotonic() - started - lab_s

        sites = sorted(small.sites)
        snmp_sites = sorted({d.site for d in small.devices.values() if polled(d)})
        assert len(sites) == 7 and snmp_sites == sites

        def whole_city() -> dict[str, float] | None:
            info = stack.query(vm.url, "count(edunet:site_info)")
            lan = by_site(vm.url, "edunet:site_lan_up:ratio")
            ok = info and float(info[0]["value"][1]) == len(sites) and sorted(lan) == snmp_sites
            return lan if ok and all(v == 1 for v in lan.values()) else None

        lan, lan_s = until("vmalert's per-site LAN ratio for every site", whole_city, 60)

        # the SNMP devices of one site are scraped by both shards: only the merged view joins them
        split = stack.query(vm.url, 'count by (site) (count by (site, shard) (up{job="snmp"})) > 1')
        across = sorted(r["metric"]["site"] for r in split)
        assert across, "no site has devices on both shards"
        per_shard = [
            sorted({r["metric"]["site"] for r in stack.query(p.url, 'up{job="snmp"}')})
            for p in shards
        ]
        assert all(len(seen) < len(snmp_sites) for seen in per_shard), "a shard sees every site"

        def connected() -> dict[str, float] | None:
            up = by_site(vm.url, "edunet:site_up")
            kpi = stack.query(vm.url, "edunet:kpi_connected:ratio")
            done = sorted(up) == sites and kpi and float(kpi[0]["value"][1]) == 1
            return up if done else None

        _, connected_s = until(
            "every site connected (prober joined with the topology)", connected, 45
        )

        watching_vmalert = 0
        for p in shards:  # the shards scrape, and evaluate only their watchdog
            groups = stack.get_json(p.url, "/api/v1/rules")["data"]["groups"]
            assert [g["name"] for g in groups] == ["edunet-shard-watchdog"]
            up = stack.query(p.url, 'up{job="vmalert"}')
            watching_vmalert += len(up)
            assert all(r["value"][1] == "1" for r in up)
        assert watching_vmalert == 1  # one shard scrapes vmalert, and finds it up
        groups = stack.get_json(vmalert.url, "/api/v1/rules")["data"]["groups"]
        rule_groups = [g for rel, text in render_rules(small, s).items() if "/shard/" not in rel
                       for g in yaml.safe_load(text)["groups"]]  # fmt: skip
        assert len(groups) == len(rule_groups)
        failing = {r["name"]: r["lastError"] for g in groups for r in g["rules"] if r["lastError"]}
        assert failing == {}, "vmalert could not evaluate some rules"

        def alert_at_alertmanager() -> dict[str, str] | None:
            alerts = stack.get_json(am.url, "/api/v2/alerts")
            for a in alerts:
                labels: dict[str, str] = a["labels"]
                if labels["alertname"] == "EdunetExporterDown" and labels.get("job") == "api":
                    return labels
            return None

        labels, alert_s = until(
            "EdunetExporterDown{job=api} at Alertmanager", alert_at_alertmanager, 60
        )
        assert labels["city"] == small.city.code and "shard" not in labels
        assert "alertgroup" not in labels

        def state_written() -> bool | None:  # what vmalert restores its alerts from
            alert = '{alertname="EdunetExporterDown",job="api"}'
            firing = stack.query(vm.url, f'ALERTS{alert[:-1]},alertstate="firing"}}')
            return True if firing and stack.query(vm.url, f"ALERTS_FOR_STATE{alert}") else None

        until("the alert's state written back to VictoriaMetrics", state_written, 15)
        print(
            f"\nvmalert: lab + exporters {lab_s:.1f} s, VM + Alertmanager + 2 shards + vmalert "
            f"ready {ready_s:.1f} s, per-site LAN ratio for all {len(lan)} sites {lan_s:.1f} s, "
            f"every site connected {connected_s:.1f} s later, alert at Alertmanager "
            f"{alert_s:.1f} s later; sites split across shards {across}; "
            f"SNMP sites per shard {[len(x) for x in per_shard]}; "
            f"total {time.monotonic() - started:.1f} s"
        )
