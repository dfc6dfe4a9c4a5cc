"""The linux_base role over real SSH on namespace hosts: applies, is idempotent, takes effect.

Service tasks and handlers (tag `service`) are skipped: the hosts have no systemd. Packages are
checked with `state: present` against the host's own dpkg database, so no network is needed.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostkit import HostKit, LinuxHost
from support.processes import spawn

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROLES = Path(__file__).resolve().parents[2] / "playbooks" / "roles"
HOSTS = 5
NTP_SERVERS = ["192.0.2.10", "192.0.2.11"]  # only written to a file: nothing is started
BANNER = "Mạng Giáo dục TP.HCM - chỉ người được phép truy cập"
PLAY = [{"name": "Base of a Linux host", "hosts": "linux_hosts", "gather_facts": False,
         "roles": ["linux_base"]}]  # fmt: skip
DAEMONS: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True, slots=True)
class PlayRun:
    seconds: float
    stats: dict[str, dict[str, int]]
    output: dict[str, Any]
    text: str  # everything ansible-playbook printed

    def failures(self) -> list[str]:
        """Readable failing task results (for assertion messages)."""
        rows = []
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                for host, result in task.get("hosts", {}).items():
                    if result.get("failed") or result.get("unreachable"):
                        msg = result.get("msg") or result.get("stderr") or ""
                        rows.append(f"{host} {task['task']['name']}: {str(msg)[:300]}")
        return rows


@dataclass(frozen=True, slots=True)
class Applied:
    kit: HostKit
    check: PlayRun  # --check --diff on one fresh host, before anything is applied
    check_wrote: list[str]  # what the check run left on that host (nothing, we expect)
    first: PlayRun
    second: PlayRun
    auth: str
    priv: str
    start_seconds: float


def run_play(workdir: Path, *options: str) -> PlayRun:
    ansible_playbook = Path(sys.executable).parent / "ansible-playbook"
    env = dict(os.environ, ANSIBLE_CONFIG=str(workdir / "ansible.cfg"))
    argv = [str(ansible_playbook), "-i", str(workdir / "inventory.yml")]
    argv += ["-e", f"@{workdir / 'secrets.yml'}", "--skip-tags", "service"]
    argv += [*options, str(workdir / "play.yml")]
    began = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=150, cwd=workdir)
    seconds = time.monotonic() - began
    try:
        output = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"ansible-playbook rc={done.returncode}: {done.stdout[-2000:]}{done.stderr}")
    return PlayRun(seconds, output["stats"], output, done.stdout + done.stderr)


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Applied]:
    if os.geteuid() != 0:
        pytest.skip("namespace hosts need root (network and mount namespaces, overlayfs)")
    workdir = tmp_path_factory.mktemp("linux_base")
    with HostKit(workdir / "hosts") as kit:
        began = time.monotonic()
        kit.start(HOSTS)
        start_seconds = time.monotonic() - began
        public_key = kit.client_key.with_suffix(".pub").read_text().strip()
        extra = {"edunet_ntp_servers": NTP_SERVERS, "edunet_banner": BANNER}
        (workdir / "inventory.yml").write_text(yaml.safe_dump(kit.ansible_inventory(extra)))
        (workdir / "play.yml").write_text(yaml.safe_dump(PLAY, sort_keys=False))
        (workdir / "ansible.cfg").write_text(
            "[defaults]\n"
            f"roles_path = {ROLES}\n"
            "stdout_callback = ansible.posix.json\n"
            "forks = 10\ntimeout = 30\nretry_files_enabled = False\n"
            "[ssh_connection]\npipelining = True\n"
            "ssh_args = -o ControlMaster=auto -o ControlPersist=120s\n"
        )
        # Throwaway SNMPv3 passphrases, in a file only root can read, as the secrets store would.
        auth, priv = secrets.token_hex(12), secrets.token_hex(12)
        users = [{"name": "netops", "comment": "edunet operations", "ssh_keys": [public_key]}]
        vault: dict[str, object] = {"linux_base_users": users}
        vault |= {"linux_base_snmp_auth_passphrase": auth, "linux_base_snmp_priv_passphrase": priv}
        secrets_file = workdir / "secrets.yml"
        secrets_file.touch(mode=0o600)
        secrets_file.write_text(yaml.safe_dump(vault))
        check = run_play(workdir, "--check", "--diff", "--limit", kit.hosts[0].name)
        probe = kit.hosts[0].run("sh", "-c", "grep ^netops: /etc/passwd; ls /etc/ssh/sshd_config.d")
        check_wrote = probe.stdout.split()
        first = run_play(workdir)
        second = run_play(workdir)
        print(f"\n{HOSTS} hosts started in {start_seconds:.1f} s; linux_base check (1 host) "
              f"{check.seconds:.1f} s, first run {first.seconds:.1f} s, "
              f"second run {second.seconds:.1f} s")  # fmt: skip
        yield Applied(kit, check, check_wrote, first, second, auth, priv, start_seconds)
    for daemon in DAEMONS:  # killed with their host above; reap them
        daemon.wait(timeout=10)


def test_check_mode_on_a_fresh_host_reports_without_failing(applied: Applied) -> None:
    stats = applied.check.stats
    assert list(stats) == [applied.kit.hosts[0].name]
    (host_stats,) = stats.values()
    assert host_stats["failures"] == 0, applied.check.failures()
    assert host_stats["changed"] > 0
    assert applied.check_wrote == []


def test_secrets_never_printed(applied: Applied) -> None:
    for run in (applied.check, applied.first, applied.second):
        assert applied.auth not in run.text
        assert applied.priv not in run.text


def test_first_run_changes_every_host(applied: Applied) -> None:
    stats = applied.first.stats
    assert sorted(stats) == [h.name for h in applied.kit.hosts]
    assert all(s["failures"] == 0 and s["unreachable"] == 0 for s in stats.values()), (
        applied.first.failures()
    )
    assert all(s["changed"] > 0 for s in stats.values()), stats


def test_second_run_changes_nothing(applied: Applied) -> None:
    stats = applied.second.stats
    assert len(stats) == HOSTS
    assert all(s["failures"] == 0 and s["unreachable"] == 0 for s in stats.values()), (
        applied.second.failures()
    )
    assert all(s["changed"] == 0 for s in stats.values()), stats


def test_user_logs_in_with_its_key(applied: Applied) -> None:
    kit, host = applied.kit, applied.kit.hosts[-1]
    assert "netops:" in host.read_text("/etc/passwd")
    argv = ["ssh", "-i", str(kit.client_key), "-o", f"UserKnownHostsFile={kit.known_hosts}"]
    argv += ["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"]
    done = subprocess.run([*argv, f"netops@{host.address}", "id -un; hostname"],
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.stdout.split() == ["netops", host.name], done.stderr
    # the change lives in the host's overlay only
    assert "netops:" not in Path("/etc/passwd").read_text()


def test_sshd_accepts_the_hardened_configuration(applied: Applied) -> None:
    host = applied.kit.hosts[0]
    assert "PasswordAuthentication no" in host.read_text(
        "/etc/ssh/sshd_config.d/50-edunet-hardening.conf"
    )
    checked = host.run("/usr/sbin/sshd", "-t")
    assert checked.returncode == 0, checked.stderr
    effective = host.run("/usr/sbin/sshd", "-T").stdout.splitlines()
    for line in ("passwordauthentication no", "x11forwarding no", "maxauthtries 3",
                 "permitrootlogin without-password"):  # fmt: skip
        assert line in effective
    # A second sshd on the hardened configuration: the key still works, passwords are refused.
    start_in(host, f"exec /usr/sbin/sshd -D -e -o ListenAddress={host.address}:2222")
    kit = applied.kit
    argv = ["ssh", "-p", "2222", "-i", str(kit.client_key), "-o", "BatchMode=yes"]
    argv += ["-o", f"UserKnownHostsFile={kit.known_hosts}", "-o", "StrictHostKeyChecking=no"]
    key_login = poll(lambda: ssh_ok([*argv, f"netops@{host.address}", "id -un"]))
    assert key_login.split() == ["netops"]
    no_key = ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password"]
    refused = subprocess.run([*argv, *no_key, f"netops@{host.address}", "true"],
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    assert refused.returncode == 255
    assert "Permission denied (publickey)" in refused.stderr
    assert BANNER in refused.stderr  # shown before authentication


def test_ntp_and_node_exporter_files(applied: Applied) -> None:
    host = applied.kit.hosts[1]
    timesyncd = host.read_text("/etc/systemd/timesyncd.conf.d/50-edunet.conf")
    assert f"NTP={' '.join(NTP_SERVERS)}\n" in timesyncd
    defaults = host.read_text("/etc/default/prometheus-node-exporter")
    assert 'ARGS="--web.listen-address=:9100 ' in defaults


def test_node_exporter_serves_with_the_rendered_arguments(applied: Applied) -> None:
    host = applied.kit.hosts[2]
    start_in(host, "set -a; . /etc/default/prometheus-node-exporter; "
             "exec prometheus-node-exporter $ARGS")  # fmt: skip
    url = f"http://{host.address}:9100/metrics"
    body = poll(lambda: urllib.request.urlopen(url, timeout=2).read().decode())
    assert f'nodename="{host.name}"' in body


def test_snmpd_answers_the_v3_user_only(applied: Applied) -> None:
    host = applied.kit.hosts[3]
    secret_file = host.run("stat", "-c", "%a %U %G", "/etc/snmp/snmpd.conf.d/50-edunet-users.conf")
    assert secret_file.stdout.split() == ["640", "root", "Debian-snmp"]
    assert "community" not in host.read_text("/etc/snmp/snmpd.conf")
    start_in(host, "exec snmpd -f -Lo -C -c /etc/snmp/snmpd.conf")
    v3 = ["snmpget", "-v3", "-l", "authPriv", "-u", "edunet-ro", "-a", "SHA", "-A", applied.auth]
    v3 += ["-x", "AES", "-X", applied.priv, "-r", "0", "-t", "1", "-Ov", "-On", str(host.address)]
    v3 += [".1.3.6.1.2.1.1.5.0"]  # sysName.0: the host's own name (its UTS namespace)

    def get() -> str:
        done = subprocess.run(v3, capture_output=True, text=True, timeout=10, check=True)
        return done.stdout

    assert host.name in poll(get)
    log = (host.directory / "daemon.log").read_text(errors="replace")
    assert "snmpd.conf" not in log, log  # snmpd names the file only to complain about a line
    v2c = ["snmpget", "-v2c", "-c", "public", "-r", "0", "-t", "1", str(host.address)]
    refused = subprocess.run([*v2c, ".1.3.6.1.2.1.1.5.0"], capture_output=True, timeout=10)
    assert refused.returncode != 0


def start_in(host: LinuxHost, script: str) -> None:
    """A daemon inside the host; it dies with the host's namespaces at the end of the module."""
    argv = ["nsenter", "-t", str(host.pid), "-m", "-n", "-u", "-r", "-w", "--", "sh", "-c", script]
    DAEMONS.append(spawn(argv, log=host.directory / "daemon.log", cwd=None))


def ssh_ok(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


def poll(read: Any, seconds: float = 15.0) -> str:
    """First successful answer of `read()` within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return str(read())
        except (OSError, subprocess.SubprocessError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
