"""Structured logs for the exporters: one JSON object per line, or logfmt.

A log line carries its fields as data (``target=…  reason=…``) so Loki or ``jq`` can
filter on them. Field values are rendered with ``str()``: a :class:`edunet.secrets.Secret`
prints as ``***``, and callers never pass credential values in the first place.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any, Literal, TextIO

LogFormat = Literal["json", "logfmt"]

_FIELDS = "edunet_fields"  # the LogRecord attribute that carries the structured fields


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class StructuredFormatter(logging.Formatter):
    def __init__(self, fmt: LogFormat = "json"):
        super().__init__()
        self.kind = fmt

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields.update({k: _plain(v) for k, v in getattr(record, _FIELDS, {}).items()})
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info).splitlines()[-1]
        if self.kind == "json":
            return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return " ".join(f"{k}={_logfmt_value(v)}" for k, v in fields.items())


def _logfmt_value(value: Any) -> str:
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    # a control character is quoted too: JSON escapes it, so a CR cannot forge a log line
    if text and text.isprintable() and not any(c in text for c in ' "=\\'):
        return text
    return json.dumps(text, ensure_ascii=False)


def setup(fmt: LogFormat = "json", level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Route the ``exporters`` loggers (and aiohttp's) to one structured handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(StructuredFormatter(fmt))
    for name in ("exporters", "edunet", "aiohttp"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    # one line per HTTP request is Prometheus' scrape log, not ours: keep it quiet
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def event(logger: logging.Logger, level: int, msg: str, **fields: Any) -> None:
    """Log ``msg`` with structured ``fields``."""
    if logger.isEnabledFor(level):
        logger.log(level, msg, extra={_FIELDS: fields})
