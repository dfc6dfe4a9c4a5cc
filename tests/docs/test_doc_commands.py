"""Every command the README, CONTRIBUTING.md, ``docs/*.md`` and the runbooks show runs as
written, with its defaults, from the checkout's root: here the ones that need no lab and no
server, each page in its own copy of the checkout (its files written there) and its own terminal
(a variable or a directory an earlier command left is seen by the later ones). A transcript's
command (``$ `` and what it prints) must print what the page quotes. The lab's commands run in
``test_doc_commands_live.py``; the few that cannot run in a test are listed, with the reason, in
``support/doc_commands.NOT_RUN``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.doc_commands import (
    FENCE,
    NOT_RUN,
    PAGES,
    SHELL,
    Command,
    Shell,
    checkout_copy,
    commands,
    is_live,
    not_run,
)
from support.processes import ROOT

EVERY = [cmd for page in PAGES for cmd in commands(page)]
OFFLINE = [cmd for cmd in EVERY if not_run(cmd) is None and not is_live(cmd)]
# a command that fails as written, for a defect being fixed: "page:start of text" → the item
XFAIL: dict[str, str] = {}
COMMAND = re.compile(r"(edunet|make|curl|pulumi|sudo|ansible-\w+|promtool) [-a-z.]")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _param(cmd: Command) -> object:
    why = next((r for k, r in XFAIL.items() if f"{cmd.page}:{cmd.text}".startswith(k)), None)
    marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
    return pytest.param(cmd, id=cmd.id, marks=marks)


def test_every_command_runs_or_is_listed_with_its_reason() -> None:
    assert len(EVERY) >= 100
    stale = [(p, g) for p, g, _ in NOT_RUN if not any(c.page == p and c.shown(g) for c in EVERY)]
    assert not stale, f"listed, but no page shows it any more: {stale}"


@pytest.mark.parametrize("page", PAGES)
def test_commands_are_in_shell_fences(page: str) -> None:
    """A command in a fence marked otherwise (or not at all) would be neither run nor listed."""
    text = (ROOT / page).read_text(encoding="utf-8")
    for fence in FENCE.finditer(text):
        if fence.group(2) in SHELL:
            continue
        for line in fence.group(3).splitlines():
            assert not COMMAND.match(line.strip()), (
                f"{page}: {line.strip()!r} is in a ```{fence.group(2)} fence: mark it ```sh, or "
                "show it as a transcript ('$ ' before the command)"
            )


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Shell]]:
    shells: dict[str, Shell] = {}
    shards = Path("/tmp/edunet-shards")  # README's example of --out: removed if it was not there
    shards_before = shards.exists()

    def page_shell(page: str) -> Shell:
        if page not in shells:
            home = tmp_path_factory.mktemp(re.sub(r"\W", "-", page)) / "checkout"
            shells[page] = Shell(checkout_copy(home))
        return shells[page]

    yield page_shell
    for sh in shells.values():
        sh.close()
    if not shards_before:
        shutil.rmtree(shards, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("cmd", [_param(c) for c in OFFLINE])
def test_documented_command_runs_as_written(cmd: Command, shell: Callable[[str], Shell]) -> None:
    done = shell(cmd.page).run(cmd.text)
    refused = cmd.quoted is not None and cmd.quoted.startswith("error:")
    assert (done.returncode != 0) == refused, f"{cmd.text}\nexit {done.returncode}\n{done.output}"
    assert "Traceback" not in done.output, done.output
    if cmd.quoted is not None:
        assert _flat(cmd.quoted) in _flat(done.output), done.output
