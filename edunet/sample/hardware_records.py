"""Hardware records: serial numbers, asset tags, purchase contracts and deliveries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence

from edunet.sample.hardware_models import MODEL_BY_NAME

_HEX = "0123456789ABCDEF"
_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_DELL = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
_UBNT_OUI = ("788A20", "F09FC2", "245A4C", "74ACB9", "B4FBE4", "FCECDA")
FIRST_YEAR, LAST_YEAR = 2011, 2023  # the years the city bought hardware

Delivery = tuple[str, dt.date, str]  # (contract, delivery date, supplier)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


class AssetRegister:
    """The city's purchases: a few contracts a year, and a record for every device bought.

    Serial numbers and asset tags are unique across the city.
    """

    def __init__(self, rng: random.Random, suppliers: Sequence[str]):
        self.rng = rng
        self.serials: set[str] = set()
        self.asset_next: dict[int, int] = {}
        self.contracts: dict[int, list[tuple[int, dt.date, str]]] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            k = rng.randint(3, 5)
            numbers = sorted(rng.sample(range(6, 180), k))
            days = sorted(rng.sample(range(20, 330), k))
            self.contracts[year] = [
                (no, dt.date(year, 1, 1) + dt.timedelta(days=day), rng.choice(suppliers))
                for no, day in zip(numbers, days, strict=True)
            ]

    def serial(self, style: str, made: dt.date) -> str:
        """A serial number in a vendor's style ("cisco:FOC", "dell", ...), made on ``made``."""
        rng = self.rng
        kind, _, prefix = style.partition(":")
        yy = made.year % 100
        while True:
            if kind == "cisco":
                week = made.isocalendar()[1]
                tail = "".join(rng.choices(_ALNUM, k=4))
                s = f"{prefix}{made.year - 1996:02d}{week:02d}{tail}"
            elif kind == "fortinet":
                s = f"{prefix}{yy:02d}{rng.randrange(10**6):06d}"
            elif kind == "mikrotik":
                s = "".join(rng.choices(_HEX, k=12))
            elif kind == "ubnt":
                s = rng.choice(_UBNT_OUI) + "".join(rng.choices(_HEX, k=6))
            elif kind == "tplink":
                s = f"{2000 + yy}{rng.randrange(10**9):09d}"
            elif kind == "dell":
                s = "".join(rng.choices(_DELL, k=7))
            elif kind == "hpe":
                week = made.isocalendar()[1]
                tail = "".join(rng.choices(_ALNUM, k=4))
                s = f"{rng.choice(('CZJ', 'SGH', 'MXQ'))}{yy % 10}{week:02d}{tail}"
            else:  # pragma: no cover - the catalogue only uses the styles listed
                raise ValueError(f"unknown serial style {style!r}")
            if s not in self.serials:
                self.serials.add(s)
                return s

    def asset_tag(self, year: int) -> str:
        n = self.asset_next.get(year)
        if n is None:
            n = self.rng.randint(120, 2400)
        self.asset_next[year] = n + self.rng.randint(1, 4)
        return f"SGD-{year}-{n:06d}"

    def purchase(self, year: int) -> Delivery:
        """One delivery under one of the year's contracts."""
        no, signed, supplier = self.rng.choice(self.contracts[year])
        delivered = signed + dt.timedelta(days=self.rng.randint(10, 40))
        return f"HĐ {no}/{year}/HĐ-SGDĐT", delivered, supplier

    def record(
        self,
        model_name: str,
        year: int,
        status: str = "in_service",
        batches: dict[int, Delivery] | None = None,
    ) -> dict[str, object]:
        """A hardware record; devices bought the same year in ``batches`` share a delivery."""
        rng = self.rng
        m = MODEL_BY_NAME[model_name]
        year = min(max(year, m.since, FIRST_YEAR), LAST_YEAR)
        if batches is None:
            batches = {}
        if year not in batches:
            batches[year] = self.purchase(year)
        contract, purchased, supplier = batches[year]
        made = purchased - dt.timedelta(days=rng.randint(30, 120))
        out: dict[str, object] = {
            "serial": self.serial(m.serial, made),
            "asset_tag": self.asset_tag(year),
            "purchased": purchased,
            "supplier": supplier,
            "contract": contract,
            "warranty_end": add_years(purchased, m.warranty),
            "cost_vnd": round(m.price_vnd * rng.uniform(0.86, 1.03) / 1000) * 1000,
        }
        if status != "in_service":
            out["status"] = status
        return out

    def site_records(
        self, devices: Iterable[tuple[str, str, str]], year: int
    ) -> dict[str, dict[str, object]]:
        """Records of a site's devices by short name: most came in one delivery, some later."""
        out: dict[str, dict[str, object]] = {}
        batches: dict[int, Delivery] = {}
        for short, _role, model in devices:
            y = year if self.rng.random() < 0.85 else self.rng.randint(year, LAST_YEAR)
            out[short] = self.record(model, y, self._deployed_status(), batches)
        return out

    def spare(self, model_name: str, year: int) -> dict[str, object]:
        """A device kept in stock (or in repair, or retired) rather than deployed."""
        r = self.rng.random()
        status = "spare" if r < 0.8 else "in_repair" if r < 0.9 else "retired"
        return {"model": model_name, **self.record(model_name, year, status)}

    def _deployed_status(self) -> str:
        r = self.rng.random()
        return "in_repair" if r < 0.03 else "retired" if r < 0.036 else "in_service"
