"""Loading a file that holds one mistake, and getting that one problem back."""

from __future__ import annotations

from pathlib import Path

import pytest

import edunet


def only_problem(path: Path) -> edunet.Problem:
    with pytest.raises(edunet.InventoryError) as info:
        edunet.load(path)
    assert len(info.value.problems) == 1, info.value
    return info.value.problems[0]
