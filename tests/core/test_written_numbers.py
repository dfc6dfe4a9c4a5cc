"""Counts, prices, speeds and ports are whole numbers, dates are YYYY-MM-DD: what office
tools write instead is refused, never misread, and the fix is the value to write.

One-change files for most of these are under bad/ (62-72); these are the siblings."""

from __future__ import annotations

from pathlib import Path

import pytest
from one_problem import only_problem

SMALL = Path(__file__).parent / "data" / "small.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message", "fix"),
    [
        ("pupils: 1450", "pupils: 2.000", "pupils: 2.000 is not a whole number", "write 2000 "),
        ("pupils: 1450", "pupils: 1.630", "pupils: 1.630 is not a whole number", "write 1630 "),
        ("pupils: 1450", "pupils: 14.5", "14.5 is not a whole number", "takes a whole number"),
        ("pupils: 1450", "pupils: yes", "yes is read as yes/no, not a number", "whole number"),
        ("pupils: 1450", "pupils: 1.234.567", "'1.234.567' has a thousands separator", "1234567"),
        ("cost_vnd: 1650000}", "cost_vnd: 25.000}", "25.000 is not a whole number", "write 25000"),
        ("cost_vnd: 1650000}", "cost_vnd: 1.650.000 đ}", "is not a number", "write 1650000"),
        ("bandwidth_mbps: 2000}", "bandwidth_mbps: 2.000}", "2.000 is not", "write 2000 "),
        ("port: 443", "port: 8.443", "8.443 is not a whole number", "write 8443 "),
        ("purchased: 2018-08-15", "purchased: 45366", "Excel serial date", "write 2024-03-15"),
        ("purchased: 2018-08-15", "purchased: 15/03/2024", "not a YYYY-MM-DD date", "2024-03-15"),
        ("purchased: 2018-08-15", "purchased: 03/04/2024", "not a YYYY-MM-DD", "2024-04-03 if"),
        ("end_of_sale: 2025-11-07", "end_of_sale: 45966", "Excel serial date", "2025-11-05"),
        ("end_of_sale: 2025-11-07", "end_of_sale: 2025", "2025 is a year, not a date", "whole"),
        ("availability_pct: 99.9,", "availability_pct: 99.9%,", "'99.9%' is not", "write 99.9"),
    ],
)
def test_refused_with_the_value_to_write(
    old: str, new: str, message: str, fix: str, tmp_path: Path
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "inventory.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    p = only_problem(path)
    line = text.replace(old, new, 1).splitlines()[p.line - 1]
    assert new.split(": ", 1)[1].rstrip("},") in line[p.column - 1 :], p.format()
    assert message in p.message, p.format()
    assert fix in p.hint, p.format()


def test_quoted_whole_numbers_still_load(tmp_path: Path) -> None:
    """A number in quotes, as a spreadsheet export writes it, is still that number."""
    import edunet

    path = tmp_path / "inventory.yaml"
    path.write_text(
        SMALL.read_text(encoding="utf-8").replace("pupils: 1450", 'pupils: "1450"', 1),
        encoding="utf-8",
    )
    assert edunet.load(path).sites["79760012"].pupils == 1450
