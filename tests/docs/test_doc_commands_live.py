"""The documented commands that need the lab, a server or the exporters, run as written with
the lab up: every page's in the page's order, in one terminal (a reader who followed the
README's lab walkthrough has its variables still set) and in one copy of the checkout, so that
the lab, at its default size and on its default ports, comes up once, by the README's own
`edunet lab up` (the later `edunet lab up` lines find it up), and comes down once, at the end,
by the pages' own `edunet lab down` lines. A server (an exporter, the API, the monitoring stack)
runs, as a reader would keep it running in another terminal, until the page's next server or
the page's end; a `curl` line is tried until it answers, as the exporters take a round to have
values."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.doc_commands import PAGES, Command, Shell, checkout_copy, commands, is_live, not_run

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LIVE = [c for page in PAGES for c in commands(page) if is_live(c) and not_run(c) is None]
DOWN = "edunet lab down"
ORDER = [c for c in LIVE if not c.text.startswith(DOWN)] + [
    c for c in LIVE if c.text.startswith(DOWN)
]
# a command that runs until stopped, and the addresses that answer once it is ready
SERVERS = {
    "edunet exporters run all": ("http://127.0.0.1:9116/metrics", "http://127.0.0.1:9374/metrics"),
    "edunet exporters run snmp": ("http://127.0.0.1:9116/metrics",),
    "edunet api serve": ("http://127.0.0.1:8000/health",),
    "edunet monitors run": ("http://127.0.0.1:9090/-/ready", "http://127.0.0.1:9093/-/ready"),
}
# the documented answer of a command that reports a finding by its exit code, and a word of it
FINDINGS = {
    ("README.md", "edunet reconcile --site 79760002"): (1, "serial"),  # the swapped chassis
    ("README.md", "edunet discover"): (1, "mismatches"),  # the same chassis, found walking
    # the lab's devices start from a factory configuration: every one has drifted
    ("README.md", "edunet config drift"): (1, "drifted"),
    ("docs/playbooks.md", "edunet config drift"): (1, "drifted"),
    # the push before it stored a second backup of the switch, the configuration it pushed
    ("docs/playbooks.md", "edunet config diff 79760002-sw1"): (1, "+"),
    # one prefix swept, the plan's not: the rest of the city is declared but never reached
    ("docs/discover.md", "edunet discover --sweep"): (1, "declared, not answering"),
}
PORTS = [(161, socket.SOCK_DGRAM)] + [
    (port, socket.SOCK_STREAM) for port in (8000, 8428, 8880, 9090, 9093, 9095, 9116, 9374, 10022)
]
# a command that fails as written, for a defect being fixed: "page:start of text" → the item
XFAIL: dict[str, str] = {}
PROBLEM = re.compile(r'"status":\s*[45]\d\d')


def _param(cmd: Command) -> object:
    why = next((r for k, r in XFAIL.items() if f"{cmd.page}:{cmd.text}".startswith(k)), None)
    marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
    return pytest.param(cmd, id=cmd.id, marks=marks)


def _busy(port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        if kind == socket.SOCK_STREAM:  # as the servers do: a closed connection's port is free
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


class Terminal:
    """The reader's terminal, and what it keeps running: each page's servers and ``&`` jobs."""

    def __init__(self, shell: Shell, logs: Path) -> None:
        self.shell, self.logs = shell, logs
        self.page = ""
        self.jobs: list[subprocess.Popen[bytes]] = []
        self.server: subprocess.Popen[bytes] | None = None

    def on_page(self, page: str) -> None:
        if page != self.page:
            self.shell.close()  # the previous page's servers and jobs end with it
            self.page, self.server = page, None

    def serve(self, cmd: Command, urls: tuple[str, ...]) -> None:
        background = cmd.text.rstrip().endswith("&")
        if not background and self.server is not None:  # the page's previous server gives way
            self.shell.stop(self.server)
        log = self.logs / (re.sub(r"\W", "-", cmd.id) + ".log")
        proc = self.shell.start(cmd.text, log)
        if not background:
            self.server = proc
        deadline = time.monotonic() + 120
        for url in urls:
            while not _answers(url):
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                assert proc.poll() is None, f"{cmd.text}: exited {proc.returncode}\n{tail}"
                assert time.monotonic() < deadline, f"{cmd.text}: {url} never answered\n{tail}"
                time.sleep(1)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terminal]:
    if os.geteuid() != 0:
        pytest.skip("the pages inject network faults, which need root")
    busy = [port for port, kind in PORTS if _busy(port, kind)]
    assert not busy, f"ports {busy} are in use: stop the running demo or lab first"
    home = tmp_path_factory.mktemp("live")
    shell = Shell(checkout_copy(home / "checkout"))
    term = Terminal(shell, home)
    try:
        yield term
    finally:
        shell.close()
        shell.run(DOWN, timeout=120)  # whatever happened: nothing left running


@pytest.mark.parametrize("cmd", [_param(c) for c in ORDER])
def test_lab_command_runs_as_written(cmd: Command, terminal: Terminal) -> None:
    terminal.on_page(cmd.page)
    urls = next((u for prefix, u in SERVERS.items() if cmd.text.startswith(prefix)), None)
    if urls is not None:
        terminal.serve(cmd, urls)
        return
    if cmd.text.startswith("curl "):
        _answered(cmd, terminal.shell)
        return
    done = terminal.shell.run(cmd.text, timeout=900)
    code, word = FINDINGS.get(next((k for k in FINDINGS if _is(cmd, k)), ("", "")), (0, ""))
    assert done.returncode == code, f"{cmd.text}\nexit {done.returncode}\n{done.output[-5000:]}"
    assert word in done.output and "Traceback" not in done.output, done.output[-5000:]


def _is(cmd: Command, key: tuple[str, str]) -> bool:
    return cmd.page == key[0] and cmd.text.startswith(key[1])


def _answered(cmd: Command, shell: Shell) -> None:
    """Tried until it answers (exit 0, and a page or the file it names): the exporters take a
    round or two to have values."""
    words = shlex.split(cmd.bare)
    saved = shell.root / words[words.index("-o") + 1] if "-o" in words else None
    deadline = time.monotonic() + 90
    while True:
        done = shell.run(cmd.text, timeout=60)
        if done.returncode == 0 and (saved or done.stdout.strip()):
            answer = saved.read_bytes() if saved else done.stdout.encode()
            assert not PROBLEM.search(answer.decode(errors="replace")), answer[-3000:]
            if saved and saved.suffix == ".xlsx":
                assert answer.startswith(b"PK"), answer[:300]
            return
        assert time.monotonic() < deadline, f"{cmd.text} never answered: {done.output[-3000:]}"
        time.sleep(2)


def test_the_lab_leaves_nothing_behind(terminal: Terminal) -> None:
    """After the pages' `edunet lab down`: no process of the lab, no network namespace."""
    terminal.shell.close()
    left = subprocess.run(
        ["pgrep", "-af", str(terminal.shell.root)], capture_output=True, text=True
    ).stdout
    assert left == "", f"processes left behind: {left}"
    if shutil.which("ip") is not None:
        spaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert "edunet-lab-" not in spaces
