"""The lab's one error."""

from __future__ import annotations


class LabError(RuntimeError):
    """Something the operator can fix; the message says what."""
