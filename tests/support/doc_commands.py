"""The commands the README, CONTRIBUTING.md, ``docs/*.md`` and the runbooks show, as a user
would type them, and a shell to run them in: ``commands(page)`` reads every fenced shell block
(and every ``$ `` line of a transcript), ``Shell`` runs them one after another in a throwaway
copy of the checkout."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from support.processes import ROOT, spawn, stop

PAGES = (
    "README.md",
    "CONTRIBUTING.md",
    *sorted(f"docs/{p.name}" for p in ROOT.glob("docs/*.md")),
    *sorted(f"docs/runbooks/{p.name}" for p in ROOT.glob("docs/runbooks/*.md")),
)
# a fence whose every line is a command; other fences (yaml, text, diagrams) count only their
# "$ " lines, a command and, below it, what it prints
SHELL = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^( *)```([\w-]*)\n(.*?)^\1```", re.M | re.S)


@dataclass(frozen=True)
class Command:
    page: str
    line: int  # of the page, where the command starts
    text: str  # as written, continuation lines joined by the shell's own rules
    quoted: str | None = None  # a transcript's output, under its "$ " line

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def bare(self) -> str:
        """Without its comment; "$ " before a transcript's."""
        text = re.sub(r"\s+#.*$", "", self.text, flags=re.M)
        return text if self.quoted is None else f"$ {text}"

    def shown(self, glob: str) -> bool:
        return fnmatch.fnmatchcase(self.bare, glob)


def commands(page: str) -> list[Command]:
    """The page's commands, in the page's order."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found: list[Command] = []
    for fence in FENCE.finditer(text):
        first = text.count("\n", 0, fence.start()) + 2
        lines = [line.removeprefix(fence.group(1)) for line in fence.group(3).splitlines()]
        if fence.group(2) in SHELL and not any(line.startswith("$ ") for line in lines):
            found += _script(page, first, lines)
        else:
            found += _transcript(page, first, lines)
    return found


def _script(page: str, first: int, lines: list[str]) -> list[Command]:
    found, start, parts = [], 0, list[str]()
    for i, line in enumerate(lines):
        if not parts:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            start = i
        parts.append(line)
        if not line.rstrip().endswith("\\"):
            found.append(Command(page, first + start, "\n".join(parts)))
            parts = []
    return found


def _transcript(page: str, first: int, lines: list[str]) -> list[Command]:
    found = []
    for i, line in enumerate(lines):
        if line.startswith("$ "):
            rest = []
            for out in lines[i + 1 :]:
                if out.startswith("$ "):
                    break
                rest.append(out)
            found.append(Command(page, first + i, line[2:], "\n".join(rest)))
    return found


def checkout_copy(dest: Path) -> Path:
    """The tracked files of the checkout, as they are now, in ``dest``: a git repository of
    one commit on ``main``, as a user's clone is (``edunet diff HEAD`` reads it); its
    ``.venv`` is the checkout's (a link, ignored), as a clone has its own after ``make``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    who = ["-c", "user.name=edunet", "-c", "user.email=docs@example.org"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "checkout"]):
        subprocess.run(["git", *who, *args], cwd=dest, capture_output=True, check=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def _group_alive(pgid: int) -> bool:
    """A process of the group still runs (a zombie, already dead, does not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(group) == pgid and state != "Z":
                return True
    return False


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Shell:
    """One terminal, as a reader following a page would have: commands run by ``bash -c`` as
    written, from the copy's root, each seeing the variables and the directory the earlier ones
    left (saved after each command, restored before the next). The copy's packages come before
    the editable install's, so that files a command finds beside its code are the copy's."""

    def __init__(self, home: Path, env: dict[str, str] | None = None) -> None:
        self.root = home
        self.state = home.parent / f"{home.name}.shell"
        self.state.write_text(f"cd {home}\n", encoding="utf-8")
        base = dict(os.environ if env is None else env)
        for key in [k for k in base if k.startswith(("EDUNET_", "PYTEST_"))]:
            del base[key]
        base["PATH"] = f"{ROOT / '.venv' / 'bin'}:{base['PATH']}"
        base["PYTHONPATH"] = str(home)
        self.env = base
        self.background: list[subprocess.Popen[bytes]] = []

    def _script(self, text: str) -> str:
        # allexport: a plain `H=…` line reaches the next command as it would in one terminal
        return (
            f"set -a; . {self.state}\n{text}\n"
            f'__rc=$?; {{ export -p; echo cd "$PWD"; }} > {self.state}; exit $__rc'
        )

    def run(self, text: str, timeout: float = 300) -> Ran:
        done = subprocess.run(
            ["bash", "-c", self._script(text)],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def start(self, text: str, log: Path) -> subprocess.Popen[bytes]:
        """A command that runs until stopped (a server, or a line ending in ``&``): started
        as written in its own process group, its output in ``log``."""
        script = f"set -a; . {self.state}\n{text}\nwait"
        proc = spawn(["bash", "-c", script], log=log, env=self.env, cwd=self.root, new_session=True)
        self.background.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGTERM to its process group (a job started with ``&`` ignores Ctrl-C's SIGINT),
        then, if need be, SIGKILL; returns when the whole group has gone (its ports free)."""
        stop(proc, 20, group=True)
        start = time.monotonic()
        while _group_alive(proc.pid) and time.monotonic() - start < 25:
            if time.monotonic() - start > 20:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.2)
        if proc in self.background:
            self.background.remove(proc)

    def close(self) -> None:
        for proc in list(reversed(self.background)):
            self.stop(proc)


# Where each documented command runs. A command is matched by its page and its text without
# its comment (a glob; "$ " before a transcript's); every command of every page must be run,
# or listed here with the reason it is not.
NOT_RUN: tuple[tuple[str, str, str], ...] = (
    ("README.md", "make demo", "runs until Ctrl-C; its parts (lab, exporters, monitors) run here"),
    ("README.md", "make test", "the whole suite, this test included"),
    ("CONTRIBUTING.md", "make test", "the whole suite, this test included"),
    ("CONTRIBUTING.md", "make check", "runs this test; tests/test_make_check.py runs it"),
    ("README.md", "curl -fsSL https://get.pulumi.com | sh", "downloads from the Internet"),
    ("README.md", "pip install -e *infra*", "installs from a package index"),
    ("README.md", "cd infra", "the first step of the Pulumi walkthrough, which needs Proxmox"),
    ("README.md", "pulumi *", "needs the Pulumi CLI and a Proxmox cluster"),
    ("README.md", "cd ../playbooks && EDUNET_VM_ADDRESSES=*", "reads what `pulumi up` wrote"),
    ("README.md", ".venv/bin/python *benchmarks*", "a benchmark: minutes, some as root"),
    ("docs/import.md", ".venv/bin/python *benchmarks*", "a benchmark: the full city, a minute"),
    ("docs/performance.md", ".venv/bin/python *benchmarks*", "a benchmark: the full city, minutes"),
    ("README.md", "kill -HUP <pid>", "<pid> stands for the server's process id"),
    ("docs/api.md", "EDUNET_API_INVENTORY=/srv/*", "a deployed server's paths and address"),
    ("docs/api.md", "edunet api token revoke 3f9a1c0b7e21", "an example id; list shows yours"),
    ("docs/inventory.md", "$ edunet validate inventory.yaml", "what a broken file prints"),
    # vmalert runs only beside sharded Prometheus servers; tests/monitors/test_vmalert.py
    ("docs/runbooks/rule-evaluator-down.md", "curl *", "a sharded deployment's vmalert"),
    # rollouts that commit: a wave takes a minute or two on the lab (Ansible, 2 cores), and
    # tests/rollout/test_rollout_lab.py runs the same waves on the small city
    ("README.md", "edunet apply network.yml -l 'level=thcs&*' --commit *", "73 devices, 5 waves"),
    ("docs/playbooks.md", "edunet apply network.yml -l level=thcs --commit", "265 devices"),
    ("docs/playbooks.md", "edunet apply network.yml --commit *", "the whole city"),
    # the lab simulates no RouterOS router over SSH; the README's lab line checks q1's others
    ("docs/playbooks.md", "edunet apply network.yml -l district=q1", "q1's routers: RouterOS"),
    # a window talks to the Alertmanager on :9093, and in the live test's one checkout it would
    # hold the later pages' pushes; tests/monitors/test_maintenance_silences.py runs add, list
    # and end against a real Alertmanager, tests/rollout/test_rollout_lab.py a commit in one
    ("README.md", "edunet maintenance add *", "Alertmanager :9093; a window for later pages"),
    ("docs/maintenance.md", "edunet maintenance add *", "Alertmanager :9093; see above"),
    ("docs/maintenance.md", "edunet maintenance end 1", "Alertmanager :9093; see above"),
    ("docs/maintenance.md", "edunet apply network.yml -l site=*", "a commit in the window above"),
    # a month of history: tests/reports/test_truth.py builds one in VictoriaMetrics (minutes)
    ("README.md", "edunet report monthly --month *", "needs a month of history in Prometheus"),
    ("README.md", "pdftoppm *", "renders the report the line above writes"),
    ("docs/report.md", "edunet report monthly --month *", "needs a month of history in Prometheus"),
    ("docs/report.md", ".venv/bin/python *benchmarks*", "a benchmark: the full city, a minute"),
)
# commands that need the lab, a server or a running exporter: run with the lab up, in
# tests/docs/test_doc_commands_live.py; the others run in a copy of the checkout alone
LIVE = (
    "edunet lab ",
    'eval "$(edunet lab env)"',
    "edunet exporters run",
    "edunet reconcile",
    "edunet discover",
    "edunet monitors run",
    "edunet apply",
    "edunet config ",
    "edunet api serve",
    "edunet api token",  # the tokens file the served API reads
    "TOKEN=$(edunet api token",
    "curl ",
    "H=",
)


def not_run(cmd: Command) -> str | None:
    """Why ``cmd`` is not run in a test, or None."""
    listed = (why for page, glob, why in NOT_RUN if cmd.page == page and cmd.shown(glob))
    return next(listed, None)


def is_live(cmd: Command) -> bool:
    """Needs the lab or a server; an error a transcript quotes comes before either."""
    offline = cmd.quoted is not None and cmd.quoted.startswith("error:")
    plan_only = cmd.text.startswith("edunet apply") and " --plan" in cmd.text
    return cmd.text.startswith(LIVE) and not offline and not plan_only
