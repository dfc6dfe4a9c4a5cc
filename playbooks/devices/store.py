"""The configuration backups: a plain git repository, one file per device, one commit per run.

``<district>/<device>.cfg`` holds the running configuration with the lines that change on
every read (timestamps, byte counts, clock drift) taken out, so a commit means a change, and
with every secret value hidden (``<secret hidden>``): a community or a password hash never
goes into git. Both are :func:`playbooks.configs.text.stored_form`.
The repository is driven through the ``git`` command: nothing else needs installing.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from playbooks.configs.text import stored_form

DEFAULT_STORE_ENV = "EDUNET_CONFIG_STORE"
DEFAULT_STORE = Path("config-backups")
AUTHOR = ("edunet", "edunet@localhost")


class StoreError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    when: str
    subject: str


class GitStore:
    """A git repository of device configurations (created on first use)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _git(
        self, *args: str, check: bool = True, author: str | None = None, stdin: str | None = None
    ) -> str:
        env = dict(os.environ)
        name, email = AUTHOR
        env.update(
            GIT_AUTHOR_NAME=author or name,
            GIT_AUTHOR_EMAIL=email,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email,
            GIT_CONFIG_NOSYSTEM="1",
            GIT_TERMINAL_PROMPT="0",
        )
        env.pop("GIT_DIR", None)
        env.pop("GIT_WORK_TREE", None)
        env.pop("GIT_INDEX_FILE", None)
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=60,
        )
        if check and proc.returncode != 0:
            raise StoreError(f"git {args[0]}: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc.stdout

    def init(self) -> None:
        if (self.root / ".git").is_dir():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self._git("init", "--quiet", "--initial-branch=main")
        self._git("config", "commit.gpgsign", "false")

    @staticmethod
    def path_of(district: str, device: str) -> str:
        return f"{district}/{device}.cfg"

    def write(self, district: str, device: str, config: str) -> bool:
        """Store a device's configuration; True when it differs from the file on disk."""
        path = self.root / self.path_of(district, device)
        text = stored_form(config)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".cfg.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return True

    def changed_paths(self) -> list[str]:
        """Paths whose content differs from the last commit (new files included)."""
        self._git("add", "--all", "--", ".")
        out = self._git("diff", "--cached", "--name-only", "-z")
        return sorted(p for p in out.split("\0") if p)

    def changed_devices(self) -> list[str]:
        return [Path(p).stem for p in self.changed_paths() if p.endswith(".cfg")]

    def commit(self, message: str, author: str | None = None) -> str | None:
        """Commit everything written since the last commit; None when nothing changed."""
        if not self.changed_paths():
            return None
        self._git("commit", "--quiet", "--no-verify", "-F", "-", author=author, stdin=message)
        return self.head()

    def head(self) -> str | None:
        out = self._git("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()
        return out or None

    def show(self, district: str, device: str, rev: str = "HEAD") -> str | None:
        """A device's stored configuration at ``rev``; None when it was not stored then."""
        spec = f"{rev}:{self.path_of(district, device)}"
        if self._git("cat-file", "-t", spec, check=False).strip() != "blob":
            return None
        return self._git("show", spec)

    def history(self, district: str, device: str, limit: int = 50) -> list[Commit]:
        """The commits that changed a device's file, newest first."""
        path = self.path_of(district, device)
        fmt = "--format=%H%x09%cI%x09%s"
        out = self._git("log", f"--max-count={limit}", fmt, "--", path, check=False)
        commits = []
        for line in out.splitlines():
            sha, when, subject = line.split("\t", 2)
            commits.append(Commit(sha, when, subject))
        return commits
