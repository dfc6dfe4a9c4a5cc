"""Street addresses and school names, unique where the real ones are."""

from __future__ import annotations

import random
from collections.abc import Sequence

from edunet.sample.city import DISTRICT_BY_CODE
from edunet.sample.words import Words

_TITLES = {"tieu_hoc": "Trường Tiểu học", "thcs": "Trường THCS", "thpt": "Trường THPT"}


class Names:
    """Draws addresses (unique in the city) and school names (unique in their district)."""

    def __init__(self, rng: random.Random, words: Words):
        self.rng = rng
        self.words = words
        self.addresses: set[str] = set()

    def reserve(self, address: str) -> str:
        """Keep a fixed address (a core site's) from being drawn again."""
        self.addresses.add(address)
        return address

    def address(self, district: str) -> str:
        rng = self.rng
        words = self.words
        d = DISTRICT_BY_CODE[district]
        while True:
            n = rng.randint(1, 420)
            r = rng.random()
            number = (
                f"{n}/{rng.randint(1, 40)}"
                if r < 0.2
                else f"{n}{rng.choice('AB')}"
                if r < 0.26
                else f"{n}-{n + 2}"
                if r < 0.3
                else str(n)
            )
            street = rng.choice(words.streets[district])
            ward = rng.choice(words.wards[district])
            text = f"{number} {street}, {ward}, {d.name}"
            if text not in self.addresses:
                self.addresses.add(text)
                return text

    def school(self, level: str, district: str, taken: set[str]) -> str:
        """A plausible name, unique within the district (``taken`` holds its names so far)."""
        rng = self.rng
        words = self.words
        named_wards = words.named_wards[district]
        pool: Sequence[str]
        if level == "mam_non":
            r = rng.random()
            if r < 0.65:
                title, pool = "Trường Mầm non", words.mam_non
            elif r < 0.8 and named_wards:
                title, pool = "Trường Mầm non", named_wards
            else:
                title, pool = "Trường Mầm non", [str(i) for i in range(1, 30)]
        elif level in _TITLES:
            title = _TITLES[level]
            pool = words.people
            if named_wards and rng.random() < 0.15:
                pool = named_wards
        elif level == "lien_cap":
            title = rng.choice(
                ("Trường Tiểu học và THCS", "Trường THCS và THPT", "Trường TH, THCS và THPT")
            )
            pool = words.people
        elif level == "gdtx":
            title = "Trung tâm Giáo dục thường xuyên"
            pool = words.people
            d = DISTRICT_BY_CODE[district]
            for first in (
                f"Trung tâm Giáo dục thường xuyên {d.name}",
                f"Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {d.name}",
            ):
                if first not in taken:
                    taken.add(first)
                    return first
        else:
            title = rng.choice(("Trường Chuyên biệt", "Trường Giáo dục chuyên biệt"))
            pool = words.chuyen_biet
        for _ in range(8):  # a free name is usually found at once
            name = f"{title} {rng.choice(pool)}"
            if name not in taken:
                break
        else:
            free = [f"{title} {x}" for x in pool if f"{title} {x}" not in taken]
            if free:
                name = rng.choice(free)
            else:  # every name of the list is taken: number them
                base = f"{title} {rng.choice(pool)}"
                k = 2
                while f"{base} {k}" in taken:
                    k += 1
                name = f"{base} {k}"
        taken.add(name)
        return name
