"""One ansible-playbook run (one wave) through ansible-runner, with its artifacts kept and no
secret in them.

Secrets reach Ansible only through the process environment (the inventory's host variables
are ``lookup('ansible.builtin.env', …)`` templates). ansible-runner would write that whole
environment into ``artifacts/<ident>/command``; that path is made a FIFO before the run, so
the JSON goes through this process and is stored with every secret masked. ``env/`` files are
suppressed, and every artifact is scanned for the secret values after the run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edunet import atomic

__all__ = ["AnsibleJob", "WaveOutcome", "mask_artifacts", "run_wave"]

MASK = "********"
# Environment variables whose values are credentials, whatever their value
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|ENABLE|SECRET|TOKEN|COMMUNITY|AUTH_KEY|PRIV_KEY)")

EventHandler = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True, slots=True)
class AnsibleJob:
    """What every wave of a run shares."""

    project_dir: Path  # the Ansible project: ansible.cfg, playbooks, roles
    playbook: str  # relative to project_dir, or absolute
    inventory: tuple[str, ...]  # inventory sources (-i), absolute paths
    check: bool = True
    diff: bool = True
    forks: int | None = None
    timeout_s: int | None = 3600  # per wave: a hung device must not hold the run for ever
    env: Mapping[str, str] = field(default_factory=dict)  # added to ansible-playbook's env
    secrets: tuple[str, ...] = ()  # values masked wherever they would be written
    extra_args: tuple[str, ...] = ()  # e.g. --tags, -e key=value (never a secret)

    def cmdline(self) -> str:
        import shlex

        args = [*(["--check"] if self.check else []), *(["--diff"] if self.diff else [])]
        return shlex.join([*args, *self.extra_args])


@dataclass(frozen=True, slots=True)
class WaveOutcome:
    status: str  # ansible-runner's: successful, failed, timeout, canceled
    rc: int
    seconds: float
    error: str | None  # the run's own error (stderr tail) when it broke without results
    masked_files: tuple[str, ...] = ()  # artifacts in which a secret had to be masked


def _is_secret(name: str, value: str, secrets: Iterable[str]) -> bool:
    return bool(SECRET_NAME.search(name.upper())) or (bool(value) and value in secrets)


def _masked_env(env: Mapping[str, Any], secrets: Sequence[str]) -> dict[str, Any]:
    return {k: MASK if _is_secret(k, str(v), secrets) else v for k, v in env.items()}


class _CommandFileGuard:
    """Stands in for ``artifacts/<ident>/command`` while the run starts (see module doc)."""

    def __init__(self, path: Path, secrets: Sequence[str]) -> None:
        self.path = path
        self.secrets = secrets
        self.text: str | None = None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.mkfifo(path, 0o600)
        self.thread = threading.Thread(target=self._read, name="runner-command", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, encoding="utf-8") as fh:  # blocks until ansible-runner writes
            self.text = fh.read()

    def close(self) -> None:
        for _ in range(50):  # the runner never opened it (it failed early): release the reader
            if not self.thread.is_alive():
                break
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
            self.thread.join(timeout=0.1)
        data: dict[str, Any] = {}
        with contextlib.suppress(ValueError):
            data = json.loads(self.text or "{}")
        if isinstance(data.get("env"), dict):
            data["env"] = _masked_env(data["env"], self.secrets)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        for secret in self.secrets:
            text = text.replace(secret, MASK) if secret else text
        atomic.write_text(self.path, text, 0o600)


def mask_artifacts(directory: Path, secrets: Sequence[str]) -> list[str]:
    """Mask any secret value found in the files under ``directory``; the files that had one.
    A module that echoes a credential back is a bug elsewhere; this keeps it off the disk."""
    found: list[str] = []
    needles = [s.encode() for s in secrets if s]
    if not needles:
        return found
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        if any(n in data for n in needles):
            for n in needles:
                data = data.replace(n, MASK.encode())
            path.write_bytes(data)
            found.append(str(path.relative_to(directory)))
    return found


def _tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def run_wave(
    job: AnsibleJob,
    run_dir: Path,
    ident: str,
    hosts: Sequence[str],
    on_event: EventHandler,
) -> WaveOutcome:
    """Run the playbook on exactly ``hosts``; artifacts go to ``run_dir/artifacts/<ident>``."""
    import ansible_runner

    run_dir = run_dir.resolve()  # ansible-playbook runs in the project folder: no relative path
    run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    limit_file = run_dir / f"{ident}.hosts"
    limit_file.write_text("".join(f"{h}\n" for h in hosts), encoding="utf-8")
    artifact_dir = run_dir / "artifacts" / ident
    guard = _CommandFileGuard(artifact_dir / "command", job.secrets)

    def handler(event: dict[str, Any]) -> bool:
        on_event(event)
        return True  # keep the event in job_events/

    env = dict(job.env)
    # Ansible's commands (ansible-playbook, ansible-connection) sit beside this interpreter,
    # which need not be on PATH (make runs .venv/bin/pytest without activating the venv)
    tools = str(Path(sys.executable).parent)
    search = env.get("PATH", os.environ.get("PATH", ""))
    if tools not in search.split(os.pathsep):
        env["PATH"] = os.pathsep.join(p for p in (tools, search) if p)
    env.setdefault("ANSIBLE_CONFIG", str(job.project_dir / "ansible.cfg"))
    env.setdefault("ANSIBLE_FORCE_COLOR", "0")
    env.setdefault("ANSIBLE_NOCOLOR", "1")
    started = time.monotonic()
    try:
        r = ansible_runner.run(
            private_data_dir=str(run_dir),
            project_dir=str(job.project_dir),
            playbook=job.playbook,
            inventory=list(job.inventory),
            limit=f"@{limit_file}",
            cmdline=job.cmdline(),
            forks=job.forks,
            envvars=env,
            ident=ident,
            quiet=True,
            suppress_env_files=True,
            event_handler=handler,
            timeout=job.timeout_s,
        )
        status, rc = str(r.status), int(r.rc if r.rc is not None else -1)
    finally:
        guard.close()
    seconds = time.monotonic() - started
    masked = tuple(mask_artifacts(artifact_dir, job.secrets))
    error = None
    if status != "successful":
        error = _tail(artifact_dir / "stderr") or _tail(artifact_dir / "stdout")
        error = f"ansible-playbook {status} (rc {rc})" + (f": {error}" if error else "")
    with contextlib.suppress(OSError):  # artifacts are for their owner only
        for path in (run_dir, artifact_dir):
            path.chmod(stat.S_IRWXU)
    return WaveOutcome(status, rc, seconds, error, masked)
