"""Every `edunet …` line the README and CONTRIBUTING.md show runs, against the committed sample
city."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunet.cli.main import app

ROOT = Path(__file__).parent.parent
BLOCKS = [
    block
    for page in ("README.md", "CONTRIBUTING.md")
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / page).read_text("utf-8"), re.S)
]
# commands that start processes on the machine run in tests/test_readme_lab.py, for real;
# apply and config need the lab's SSH devices: tests/rollout and tests/devices run them there
LIVE = (
    "edunet lab",
    "edunet exporters",
    "edunet reconcile",
    "edunet monitors",
    "edunet apply",
    "edunet config",
    "edunet api serve",  # tests/api/test_api_serve.py serves for real
)
LINES = [
    line.split("#")[0].strip()
    for block in BLOCKS
    for line in block.splitlines()
    if line.startswith("edunet ") and not line.startswith(LIVE)
]


def test_readme_shows_commands() -> None:
    assert len(LINES) >= 8


@pytest.mark.parametrize("line", LINES)
def test_readme_command_runs(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = shlex.split(line)[1:]
    if argv[0] == "sample":  # writes a file: keep it out of the checkout, and small
        argv = ["sample", "--schools", "30", "-o", str(tmp_path / "city.yaml")]
    if argv[0] == "render" and "--check" not in argv:  # writes files: into tmp_path
        if "--out" in argv:
            argv = argv[: argv.index("--out")] + argv[argv.index("--out") + 2 :]
        argv += ["--out", str(tmp_path)]
    if argv[:2] == ["api", "token"]:  # writes the tokens file: into tmp_path
        argv += ["--tokens-file", str(tmp_path / "api-tokens.yaml")]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
