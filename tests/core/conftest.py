"""Fixtures shared by the doc tests."""

from __future__ import annotations

import pytest
import yaml
from doc_blocks import SMALL, write_doc_inventory

import edunet
from edunet import schema
from edunet.ipam import IpPlan
from edunet.model import Inventory


@pytest.fixture(scope="module")
def doc_inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    return edunet.load(write_doc_inventory(tmp_path_factory.mktemp("doc")))


@pytest.fixture(scope="module")
def plan() -> IpPlan:
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    return IpPlan(schema.IpPlan.model_validate(raw["ip_plan"]), {})
