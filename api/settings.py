"""The API's settings: one class, read from ``EDUNET_API_*``, checked at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self

from pydantic import AnyHttpUrl, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The OpenAPI schema declares this ceiling; a deployment may lower it, never raise it.
PAGE_SIZE_CEILING = 500


class Settings(BaseSettings):
    """Fails fast: a missing inventory or tokens file stops the service before it listens."""

    model_config = SettingsConfigDict(env_prefix="EDUNET_API_", extra="forbid", frozen=True)

    inventory: Path = Field(Path("inventory.yaml"), description="inventory file or directory")
    tokens_file: Path = Field(Path("api-tokens.yaml"), description="hashed bearer tokens")
    # a tokens file's text (hashed entries), for deployments that pass no files; adds to the file
    tokens: str = Field("", repr=False)
    prometheus_url: AnyHttpUrl | None = None
    # comma-separated in the environment; empty means CORS stays off
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    max_page_size: int = Field(PAGE_SIZE_CEILING, ge=1, le=PAGE_SIZE_CEILING)
    default_page_size: int = Field(50, ge=1, le=PAGE_SIZE_CEILING)
    max_request_bytes: int = Field(64 * 1024, ge=0)
    # rows in one CSV/XLSX download (20,000 in XLSX: about 4 s of a worker); the whole
    # generated city, 1,930 schools, has about 12,000 hardware records
    max_export_rows: int = Field(20_000, ge=1)
    # CSV/XLSX files built at once (and reports for a date not asked before); beyond it,
    # 429 with Retry-After. A file already built for this inventory is sent without a slot.
    max_concurrent_exports: int = Field(2, ge=1, le=64)
    # how often the inventory's modification time is checked; 0 turns the watcher off
    reload_interval_s: float = Field(2.0, ge=0)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(o.strip() for o in value.split(",") if o.strip())
        return value

    @field_validator("inventory")
    @classmethod
    def _must_exist(cls, value: Path) -> Path:
        if not value.exists():
            raise ValueError(f"{value} does not exist")
        return value

    @model_validator(mode="after")
    def _some_tokens(self) -> Self:
        if not self.tokens and not self.tokens_file.exists():
            raise ValueError(
                f"tokens_file: {self.tokens_file} does not exist and EDUNET_API_TOKENS is "
                "empty; create a token with `edunet api token create`"
            )
        return self

    def tokens_path(self) -> Path | None:
        """The tokens file, when there is one (the environment alone may carry the tokens)."""
        return self.tokens_file if self.tokens_file.exists() else None
