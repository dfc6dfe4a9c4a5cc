from __future__ import annotations

import pytest

from edunet.model import Inventory
from infra import offline


@pytest.fixture(scope="session")
def dc_run(sample_city: Inventory) -> offline.OfflineRun:
    """The real program, run once under Pulumi's mocks for the sample city."""
    return offline.run(sample_city)
