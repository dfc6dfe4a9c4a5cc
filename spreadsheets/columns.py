"""Which column is which field: headers as people write them, Vietnamese or English, with or
without diacritics, folded with the core's :func:`edunet.select.fold`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from edunet.select import fold

__all__ = ["HARDWARE", "SCHOOLS", "ColumnError", "match_headers", "parse_maps"]

# field -> (the header an export writes, other spellings); the first is the export's header
SCHOOLS: dict[str, tuple[str, ...]] = {
    "code": ("Mã trường", "code", "ma", "mã", "school code", "site code", "mã đơn vị"),
    "name": ("Tên trường", "name", "ten", "tên", "school name", "tên đơn vị"),
    "level": ("Cấp học", "level", "cap", "bậc học", "school level"),
    "district": ("Quận/Huyện", "district", "quận", "huyện", "quận huyện", "quan huyen"),
    "address": ("Địa chỉ", "address", "dia chi"),
    "pupils": ("Số học sinh", "pupils", "students", "học sinh", "sĩ số", "si so"),
    # the school's first uplink, its way out
    "isp": ("Nhà cung cấp", "isp", "nhà mạng", "provider", "nhà cung cấp dịch vụ"),
    "bandwidth_mbps": ("Băng thông (Mbps)", "bandwidth_mbps", "bandwidth", "băng thông"),
}

HARDWARE: dict[str, tuple[str, ...]] = {
    "device": ("Thiết bị", "device", "tên thiết bị", "hostname", "device name"),
    "site": ("Mã trường", "site", "mã đơn vị", "site code", "code"),
    "model": ("Model", "model", "kiểu", "mẫu"),
    "serial": ("Số serial", "serial", "serial number", "s/n", "sn", "số sê-ri"),
    "asset_tag": ("Mã tài sản", "asset_tag", "asset tag", "số hiệu tài sản"),
    "purchased": ("Ngày mua", "purchased", "purchase date", "ngày mua sắm"),
    "warranty_end": ("Hết bảo hành", "warranty_end", "warranty end", "hạn bảo hành"),
    "cost_vnd": ("Đơn giá", "cost_vnd", "price", "cost", "giá", "đơn giá (vnđ)", "thành tiền"),
    "supplier": ("Nhà cung cấp", "supplier", "vendor", "nhà thầu"),
    "contract": ("Hợp đồng", "contract", "số hợp đồng", "contract no"),
    "status": ("Trạng thái", "status", "tình trạng"),
}


class ColumnError(ValueError):
    """A header row that does not name what an import needs, or a bad ``--map``."""


def _key(header: str) -> str:
    # "Quận - Huyện", "Quận/Huyện" and "quan huyen" are one header
    return " ".join(fold(header).replace("/", " ").replace(".", " ").split())


def parse_maps(maps: Iterable[str], fields: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``--map 'Header=field'`` options as folded header -> field."""
    out: dict[str, str] = {}
    for m in maps:
        header, sep, field = m.partition("=")
        if not sep or not header.strip() or field.strip() not in fields:
            raise ColumnError(
                f"--map {m!r}: write 'Header=field' with a field among {', '.join(fields)}"
            )
        out[_key(header)] = field.strip()
    return out


def match_headers(
    headers: list[str], fields: Mapping[str, tuple[str, ...]], maps: Mapping[str, str]
) -> dict[int, str]:
    """Column index -> field for the headers it knows; other columns are left out."""
    spellings = {_key(s): f for f, names in fields.items() for s in names}
    spellings.update(maps)
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        field = spellings.get(_key(h)) if h else None
        if field is not None and field not in taken:
            out[i] = field
            taken.add(field)
    return out


def header_score(
    cells: list[str], fields: Mapping[str, tuple[str, ...]], maps: Mapping[str, str]
) -> int:
    """How many cells of a row are known headers: the header row is the first with two."""
    spellings = {_key(s) for names in fields.values() for s in names} | set(maps)
    return sum(1 for c in cells if c and _key(c) in spellings)
