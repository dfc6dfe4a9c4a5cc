"""The sample-city generator: deterministic, shaped like the real city, valid item by item."""

from __future__ import annotations

import collections
import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from edunet import sample
from edunet.ipam import IpPlan as Allocator
from edunet.ipam import PoolExhausted
from edunet.platforms import PLATFORMS
from edunet.sample.city import IP_PLAN, MAX_SERIAL, slots_per_area
from edunet.sample.render import SECTION_ORDER
from edunet.schema import SECTION_ITEMS, Document, IpPlan

ROOT = Path(__file__).resolve().parents[2]
MAIN_LEVELS = ("mam_non", "tieu_hoc", "thcs", "thpt")
ABBR = {
    "router": "rt",
    "firewall": "fw",
    "core_switch": "cs",
    "access_switch": "sw",
    "access_point": "ap",
    "server": "srv",
    "workstation": "ws",
}
LIMITS = {  # most devices of a role one site may have
    "router": 2,
    "firewall": 2,
    "core_switch": 4,
    "access_switch": 16,
    "access_point": 32,
    "server": 6,
}


@pytest.fixture(scope="module")
def city160() -> dict[str, Any]:
    return sample.generate(160, 2014)


@pytest.fixture(scope="module")
def city1930() -> dict[str, Any]:
    return sample.generate(1930, 2014)


@pytest.fixture(params=["city160", "city1930"])
def city(request: pytest.FixtureRequest) -> dict[str, Any]:
    doc: dict[str, Any] = request.getfixturevalue(request.param)
    return doc


def schools(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in doc["sites"] if s["kind"] == "school"]


def records(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every hardware record: by short name, inline on explicit devices, and spares."""
    out: list[dict[str, Any]] = []
    for s in doc["sites"]:
        out.extend(s.get("hardware", {}).values())
        out.extend(d["hardware"] for d in s.get("devices", []) if "hardware" in d)
        out.extend(s.get("spares", []))
    return out


def expand(spec: list[str]) -> list[str]:
    out: list[str] = []
    for item in spec:
        m = re.match(r"^(.*?)(\d+)-(\d+)$", item)
        if m is None:
            out.append(item)
        else:
            out.extend(f"{m[1]}{i}" for i in range(int(m[2]), int(m[3]) + 1))
    return out


# --- determinism ------------------------------------------------------------------------------


def test_same_arguments_same_city() -> None:
    a, b = sample.generate(160, 2014), sample.generate(160, 2014)
    assert a == b
    assert sample.render(a) == sample.render(b)
    assert sample.generate(160, 2015) != a


def test_generation_leaves_the_global_random_alone() -> None:
    import random

    random.seed(7)
    expected = random.random()
    random.seed(7)
    sample.generate(50, 1)
    assert random.random() == expected


# --- the shape of the city ---------------------------------------------------------------------


def test_levels_at_city_scale(city1930: dict[str, Any]) -> None:
    levels = collections.Counter(s["level"] for s in schools(city1930))
    total = sum(levels.values())
    assert total == 1930
    share = {k: 100 * v / total for k, v in levels.items()}
    for level, expected in (("mam_non", 56), ("tieu_hoc", 21), ("thcs", 12), ("thpt", 8)):
        assert abs(share[level] - expected) <= 2, (level, share[level])
    rest = sum(share.get(k, 0) for k in ("lien_cap", "gdtx", "chuyen_biet"))
    assert abs(rest - 3) <= 2
    assert set(levels) == {"mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap", "gdtx", "chuyen_biet"}


def test_every_district_has_every_main_level(city: dict[str, Any]) -> None:
    found: dict[str, set[str]] = collections.defaultdict(set)
    for s in schools(city):
        found[s["district"]].add(s["level"])
    codes = [d["code"] for d in city["districts"]]
    assert len(codes) == 24
    for code in codes:
        assert set(MAIN_LEVELS) <= found[code], code


def test_big_districts_have_more_schools(city1930: dict[str, Any]) -> None:
    per = collections.Counter(s["district"] for s in schools(city1930))
    big = ("777", "764", "785", "783", "762", "766")  # Bình Tân, Gò Vấp, Bình Chánh, …
    small = ("787", "786", "773")  # Cần Giờ, Nhà Bè, Quận 4
    assert min(per[d] for d in big) > max(per[d] for d in small)


def test_districts_are_the_24_of_2013_with_stable_numbers(city160: dict[str, Any]) -> None:
    districts = city160["districts"]
    assert [d["code"] for d in districts][:3] == ["760", "761", "762"]
    assert [d["number"] for d in districts] == list(range(1, 25))
    by_code = {d["code"]: d for d in districts}
    assert by_code["787"] == {
        "code": "787",
        "number": 24,
        "name": "Huyện Cần Giờ",
        "kind": "huyen",
        "slug": "can-gio",
    }
    assert by_code["765"]["slug"] == "binh-thanh"


def test_school_codes_and_serials(city: dict[str, Any]) -> None:
    codes = [s["code"] for s in schools(city)]
    assert len(codes) == len(set(codes))
    per_district: dict[str, list[int]] = collections.defaultdict(list)
    for s in schools(city):
        assert re.fullmatch("79" + s["district"] + r"\d{3}", s["code"]), s["code"]
        per_district[s["district"]].append(int(s["code"][-3:]))
    gaps = 0
    for serials in per_district.values():
        assert min(serials) >= 1
        assert max(serials) <= MAX_SERIAL
        gaps += max(serials) - len(serials)
    assert gaps > 0  # serials are not contiguous: schools closed over the years


def test_unique_serials_asset_tags_addresses_and_names(city: dict[str, Any]) -> None:
    recs = records(city)
    assert len(recs) > len(schools(city))
    serials = [r["serial"] for r in recs]
    tags = [r["asset_tag"] for r in recs]
    assert len(serials) == len(set(serials))
    assert len(tags) == len(set(tags))
    addresses = [s["address"] for s in city["sites"]]
    assert len(addresses) == len(set(addresses))
    names = [(s["district"], s["name"]) for s in city["sites"]]
    assert len(names) == len(set(names))


def test_hardware_records_are_plausible(city160: dict[str, Any]) -> None:
    for r in records(city160):
        assert r["warranty_end"] > r["purchased"] >= dt.date(2010, 1, 1)
        assert r["cost_vnd"] > 0 and r["cost_vnd"] % 1000 == 0
        assert re.fullmatch(r"HĐ \d+/\d{4}/HĐ-SGDĐT", r["contract"])
        assert r["asset_tag"].startswith("SGD-")
    statuses = collections.Counter(r.get("status", "in_service") for r in records(city160))
    assert statuses["in_service"] > 0.9 * sum(statuses.values())
    assert statuses["spare"] > 0
    for s in city160["sites"]:
        for rec in s.get("hardware", {}).values():
            assert rec.get("status") != "spare"  # a deployed device is never a spare


def test_features_only_some_schools_have(city160: dict[str, Any]) -> None:
    ss = schools(city160)
    uplinks = [s["uplinks"] for s in ss if "uplinks" in s]
    ftth_only = [u for u in uplinks if len(u) == 1 and u[0]["medium"] == "ftth"]
    dual = [u for u in uplinks if len(u) == 2 and u[1]["medium"] == "ftth"]
    lte = [u for u in uplinks if any(x["medium"] == "4g" for x in u)]
    assert 0.10 * len(ss) <= len(ftth_only) <= 0.20 * len(ss)
    assert 0.02 * len(ss) <= len(dual) <= 0.08 * len(ss)
    assert lte
    assert all(u[0]["isp"] in ("Viettel", "FPT") for u in ftth_only)
    assert sum(1 for s in ss if s.get("snmp") == "v2-legacy") >= 1
    assert sum(1 for s in ss if "endpoints" in s) >= 3
    assert sum(1 for s in ss if "devices" in s) >= 3
    assert sum(1 for s in ss if "spares" in s) >= 2
    # most schools take their profile's uplink and have hardware records
    assert len(uplinks) < 0.3 * len(ss)
    assert sum(1 for s in ss if "hardware" in s) > 0.8 * len(ss)


def test_core_sites_and_district_offices(city160: dict[str, Any]) -> None:
    sites = {s["code"]: s for s in city160["sites"]}
    dept, dc = sites["SO-GDDT"], sites["TTDL"]
    assert (dept["kind"], dept["district"], dept["core"], dept["slot"]) == (
        "department",
        "760",
        True,
        1,
    )
    assert "management" not in dept.get("prefixes", {})
    assert (dc["kind"], dc["district"], dc["core"], dc["slot"]) == ("datacenter", "770", True, 2)
    assert {u["isp"] for u in dc["uplinks"]} == {"VNPT", "Viettel", "FPT"}
    assert all(u["to"] == "internet" for u in dc["uplinks"])
    offices = [s for s in city160["sites"] if s["kind"] == "district_office"]
    assert len(offices) == 24
    assert sites["PGD-BINH-THANH"]["name"] == "Phòng Giáo dục và Đào tạo Quận Bình Thạnh"
    dual = [o for o in offices if len(o.get("uplinks", [])) == 2]
    assert 6 <= len(dual) <= 10


# --- validity ----------------------------------------------------------------------------------


def test_items_validate_against_the_schema(city: dict[str, Any]) -> None:
    Document.model_validate(city)
    for section, cls in SECTION_ITEMS.items():
        for item in city[section]:
            cls.model_validate(item)


def test_references_and_limits(city160: dict[str, Any]) -> None:
    """What the resolver checks across sections, checked here on the generated data."""
    doc = city160
    vlans = [v["name"] for v in doc["vlans"]]
    assert vlans[:5] == ["management", "staff", "lab", "wifi", "cameras"]
    models = {m["model"]: m for m in doc["hardware_models"]}
    for m in models.values():
        assert m["platform"] in PLATFORMS
        ports = expand(m["interfaces"])
        assert len(ports) == len(set(ports))
        assert set(m["uplink_ports"]) <= set(ports), m["model"]
    profiles = {p["name"]: p for p in doc["profiles"]}
    for p in profiles.values():
        assert p["devices"][0]["role"] in ("router", "firewall")
        for d in p["devices"]:
            assert models[d["model"]]["role"] == d["role"]
        assert set(p["vlans"]) <= set(vlans)
        wm = p["endpoints"].get("workstation_model")
        assert wm is None or models[wm]["role"] == "workstation"
    districts = {d["code"] for d in doc["districts"]}
    site_codes = {s["code"] for s in doc["sites"]}
    credentials = set(doc["credentials"]["snmp"])
    device_models: dict[str, str] = {}
    for s in doc["sites"]:
        assert s["district"] in districts
        devices: list[tuple[str, str, str]] = []
        counters: collections.Counter[str] = collections.Counter()
        if "profile" in s:
            for d in profiles[s["profile"]]["devices"]:
                for _ in range(d.get("count", 1)):
                    counters[d["role"]] += 1
                    devices.append(
                        (f"{ABBR[d['role']]}{counters[d['role']]}", d["role"], d["model"])
                    )
        for d in s.get("devices", []):
            assert models[d["model"]]["role"] == d["role"]
            if "name" in d:
                short = d["name"].removeprefix(s["code"].lower() + "-")
                if all(short != name for name, _, _ in devices):
                    counters[d["role"]] += 1
                devices = [x for x in devices if x[0] != short]
            else:
                counters[d["role"]] += 1
                short = f"{ABBR[d['role']]}{counters[d['role']]}"
            devices.append((short, d["role"], d["model"]))
        names = {short for short, _, _ in devices}
        assert len(names) == len(devices)
        for short, _, model in devices:
            device_models[f"{s['code'].lower()}-{short}"] = model
        assert set(s.get("hardware", {})) <= names, s["code"]
        for role, most in LIMITS.items():
            assert counters[role] <= most, (s["code"], role)
        for u in s.get("uplinks", profiles.get(s.get("profile", ""), {}).get("uplinks", [])):
            assert u["to"] in site_codes | {"district", "internet"}
        assert s.get("snmp", "v3-default") in credentials
        assert set(s.get("prefixes", {})) <= set(s.get("vlans", []))
        for sp in s.get("spares", []):
            assert sp["model"] in models and sp["status"] != "in_service"
    dc_servers = {f"ttdl-srv{i}" for i in range(1, 7)}
    dc_vlans = set(next(s for s in doc["sites"] if s["code"] == "TTDL")["vlans"])
    for app in doc["applications"]:
        assert app["url"].startswith("https://") and "hcm.edu.vn" in app["url"]
        assert app["slo"]["availability_pct"] < 100
        for vm in app["vms"]:
            assert vm["segment"] in dc_vlans and vm["node"] in dc_servers
            assert "ip" not in vm
        if app["criticality"] == "critical":
            assert len(app["vms"]) >= 2
    assert [a["code"] for a in doc["applications"] if a.get("exposure") == "public"] == ["portal"]
    for link in doc["links"]:
        for end in (link["a"], link["b"]):
            device, _, port = end.partition(":")
            assert port in expand(models[device_models[device]]["interfaces"]), end


def test_no_secrets_in_the_document(city160: dict[str, Any]) -> None:
    creds = city160["credentials"]
    for profile in creds["snmp"].values():
        assert set(profile) <= {"version", "auth", "priv"}
    for profile in creds["ssh"].values():
        assert set(profile) <= {"port"}
    text = sample.render(city160).lower()
    for word in ("password", "secret:", "community:", "passphrase"):
        assert word not in text


def test_serials_fit_every_pool_of_the_ip_plan() -> None:
    """A school's serial is its IP-plan slot: the highest one gets every address it needs."""
    plan = IpPlan.model_validate(IP_PLAN)
    assert plan.area_p2p_prefix == 19
    slots = slots_per_area(plan)
    assert slots == 1024
    assert MAX_SERIAL == 999  # three digits of the school code
    assert sample.MAX_SCHOOLS == MAX_SERIAL * 24
    ipam = Allocator(plan, {})
    area = 24  # the last district
    ipam.site_management(area, slots - 1)
    ipam.site_block(area, slots - 1)
    ipam.loopback(area, slots - 1, 3)
    ipam.uplink_p2p(area, slots - 1, 3)
    with pytest.raises(PoolExhausted):
        ipam.uplink_p2p(area, slots, 0)
    # a smaller pool gives fewer slots
    assert slots_per_area(IpPlan.model_validate({**IP_PLAN, "area_p2p_prefix": 21})) == 256


def test_limits_of_generate() -> None:
    with pytest.raises(ValueError):
        sample.generate(-1)
    with pytest.raises(ValueError):
        sample.generate(sample.MAX_SCHOOLS + 1)
    empty = sample.generate(0, 1)
    assert schools(empty) == []
    assert len(empty["sites"]) == 26
    Document.model_validate(empty)


# --- the YAML ----------------------------------------------------------------------------------


def test_yaml_reads_back_as_the_same_document(city160: dict[str, Any]) -> None:
    text = sample.render(city160)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(text, Loader=loader) == city160
    assert yaml.safe_load(text) == city160


def test_yaml_is_readable(city160: dict[str, Any]) -> None:
    text = sample.render(city160)
    lines = text.splitlines()
    assert lines[0].startswith("# SAMPLE DATA")
    assert "edunet sample --schools 160 --seed 2014" in lines[1]
    tops = [ln.split(":")[0] for ln in lines if ln and not ln[0].isspace() and ln[0] != "#"]
    assert tops == list(SECTION_ORDER)
    assert "Thành phố Hồ Chí Minh" in text and "\\u" not in text  # real UTF-8, not escapes
    assert re.search(r"purchased: \d{4}-\d{2}-\d{2},", text)
    assert "  management: 10.32.0.0/11" in text
    # a school is a few lines: its hardware records are one line each
    assert re.search(r"\n      rt1: \{serial: [^\n]+\}\n", text)
    assert re.search(r'\n  - code: "79760\d{3}"\n    name: Trường ', text)
    assert "\n  # Quận 1 (760, area 1): " in text


def test_committed_inventory_is_the_sample() -> None:
    committed = (ROOT / "inventory.yaml").read_text(encoding="utf-8")
    assert committed == sample.render(sample.generate(160, 2014)), (
        "inventory.yaml is stale: regenerate it with `edunet sample -o inventory.yaml "
        "--schools 160 --seed 2014 --force`"
    )


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "city.yaml"
    target.write_text("old", encoding="utf-8")
    sample.write(target, 30, 5)
    assert target.read_text(encoding="utf-8") == sample.render(sample.generate(30, 5))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.yaml"]  # no temp file left


def test_the_whole_city_is_not_pathologically_slow() -> None:
    # Well under a second. The bound is loose on purpose: it only catches a blow-up (say,
    # quadratic name picking) on a busy machine; measuring speed is for benchmarks.
    start = time.perf_counter()
    sample.render(sample.generate(1930, 2014))
    assert time.perf_counter() - start < 60


def test_importing_the_generator_reads_no_word_list() -> None:
    code = (
        "import edunet.sample\n"
        "from edunet.sample.words import words\n"
        "print(words.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "0"
