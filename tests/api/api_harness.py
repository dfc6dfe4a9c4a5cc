"""A test API over a private copy of the small city, with one token per scope."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import Scope, create_token
from api.main import create_app
from api.settings import Settings

SMALL = Path(__file__).parent.parent / "core" / "data" / "small.yaml"


@dataclass
class Api:
    app: FastAPI
    client: TestClient
    settings: Settings
    tokens: dict[str, str]  # scope value -> plaintext token

    def headers(self, scope: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[scope]}"}

    def get(self, url: str, scope: str = "admin", **headers: str) -> object:
        return self.client.get(url, headers=self.headers(scope) | headers)


def make_api(
    tmp: Path, source: Path = SMALL, **overrides: object
) -> tuple[FastAPI, Settings, dict[str, str]]:
    """An app over a copy of ``source`` (the small city unless a test brings its own)."""
    inventory = tmp / "inventory.yaml"
    shutil.copy(source, inventory)
    tokens_file = tmp / "tokens.yaml"
    tokens = {s.value: create_token(tokens_file, [s], name=s.value) for s in Scope}
    fields: dict[str, object] = {"tokens_file": tokens_file, "reload_interval_s": 0} | overrides
    settings = Settings(inventory=inventory, **fields)  # type: ignore[arg-type]
    return create_app(settings), settings, tokens
