"""Procurement's hardware list against the inventory's hardware records, one row a device:
serial, asset tag, purchase and warranty dates, cost, supplier, contract, status.

A device's record is edited where it is written (the site's ``hardware:`` or the device's
own); a device without one gets one under its site's ``hardware:``, keyed by its short name.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml
from pydantic import ValidationError

from edunet import model, schema
from edunet.model import Inventory
from edunet.select import NotFound, fold, lookup
from edunet.yaml_text import YamlFile, last_line, mapping_get, render, render_flow
from spreadsheets import values
from spreadsheets.edit import Documents
from spreadsheets.plan import Change, Plan, Rejection
from spreadsheets.read import Sheet

__all__ = ["RECORD_KEYS", "apply_hardware", "plan_hardware"]

# the order a record's keys are written in, as the inventory writes its own
RECORD_KEYS = (
    "serial",
    "asset_tag",
    "purchased",
    "supplier",
    "contract",
    "warranty_end",
    "cost_vnd",
    "status",
)

STATUSES = {
    "in service": "in_service",
    "dang su dung": "in_service",
    "su dung": "in_service",
    "spare": "spare",
    "du phong": "spare",
    "in repair": "in_repair",
    "dang sua chua": "in_repair",
    "sua chua": "in_repair",
    "retired": "retired",
    "thanh ly": "retired",
    "da thanh ly": "retired",
}


def _status(raw: object) -> str:
    t = values.text(raw)
    found = STATUSES.get(fold(t))
    if found is None:
        raise values.Bad(
            f"{t!r} is not a status", "write Đang sử dụng, Dự phòng, Đang sửa chữa or Thanh lý"
        )
    return found


_READERS: dict[str, Callable[[object], object]] = {
    "serial": lambda v: values.text(v).replace(" ", ""),
    "asset_tag": values.text,
    "purchased": values.date,
    "warranty_end": values.date,
    "cost_vnd": values.whole,
    "supplier": values.text,
    "contract": values.text,
    "status": _status,
    "model": values.text,
    "site": values.code,
}


def plan_hardware(inv: Inventory, sheet: Sheet) -> Plan:
    plan = Plan()
    serials = {d.hardware.serial: n for n, d in inv.devices.items() if d.hardware}
    serials.update({r.serial: f"a spare at {s.code}" for s in inv.sites.values() for r in s.spares})
    tags = {d.hardware.asset_tag: n for n, d in inv.devices.items() if d.hardware}
    seen: dict[str, str] = {}
    for row in sheet.rows:
        name_text = values.text(row.cells.get("device"))
        bad: list[Rejection] = []

        def reject(
            f: str,
            raw: object,
            message: str,
            fix: str,
            bad: list[Rejection] = bad,
            where: str = row.where,
            key: str = name_text,
        ) -> None:
            column = sheet.headers.get(f, f)
            bad.append(Rejection(where, column, values.text(raw), message, fix, key))

        got: dict[str, object] = {}
        for f, raw in row.cells.items():
            if f == "device" or values.text(raw) == "":
                continue
            try:
                got[f] = _READERS[f](raw)
            except values.Bad as e:
                reject(f, raw, str(e), e.fix)
        try:
            name = lookup(inv, "device", name_text) if name_text else None
        except NotFound as e:
            reject("device", name_text, f"no device {name_text!r}{e.hint}", "write its name")
            name = None
        if name is None and not bad:
            reject("device", "", "the device's name is empty", "write the device's name")
        if name is not None and name in seen:
            reject("device", name_text, f"{name} is also on row {seen[name]}", "keep one row")
        if name is None or bad:
            plan.rejected.extend(bad)
            continue
        seen[name] = row.where
        device = inv.devices[name]
        if got.get("site", device.site) != device.site:
            reject("site", got["site"], f"{name} is at site {device.site}", "fix the site")
        if got.get("model", device.model.model) != device.model.model:
            model = device.model.model
            reject("model", got["model"], f"the inventory has {name} as a {model}", "fix one")
        serial = got.get("serial")
        if isinstance(serial, str) and serials.get(serial, name) != name:
            reject("serial", serial, f"serial {serial} is {serials[serial]}'s", "fix the serial")
        tag = got.get("asset_tag")
        if isinstance(tag, str) and tags.get(tag, name) != name:
            reject("asset_tag", tag, f"asset tag {tag} is {tags[tag]}'s", "fix the asset tag")
        now: dict[str, object] = {}
        if device.hardware is not None:
            h = device.hardware
            now = {k: getattr(h, k) for k in RECORD_KEYS}
            now["status"] = h.status.value
        record = {k: got.get(k, now.get(k)) for k in RECORD_KEYS}
        record = {k: v for k, v in record.items() if v is not None}
        try:
            checked = schema.HardwareRecord.model_validate(record)
        except ValidationError as e:
            err = e.errors()[0]
            f = str(err["loc"][0]) if err["loc"] else "serial"
            fix = f"write the {f}" if err["type"] == "missing" else f"write a valid {f}"
            reject(f, record.get(f, ""), f"{err['msg']}: {f}", fix)
        else:
            if checked.warranty_end < checked.purchased:
                reject("warranty_end", got.get("warranty_end", ""), "before the purchase", "fix")
            if checked.status is schema.HardwareStatus.spare:
                reject("status", "spare", "a deployed device cannot be a spare", "fix it")
        if bad:
            plan.rejected.extend(bad)
            continue
        if isinstance(serial, str):
            serials[serial] = name
        if isinstance(tag, str):
            tags[tag] = name
        if device.hardware is None:
            fields = {k: (None, v) for k, v in record.items()}
            plan.added.append(Change(name, row.where, fields))
            continue
        diff = {k: (now[k], record[k]) for k in RECORD_KEYS if now[k] != record[k]}
        if diff:
            plan.changed.append(Change(name, row.where, diff))
        else:
            plan.unchanged.append(name)
    return plan


def _record_node(site: yaml.Node, short: str, full: str) -> yaml.Node | None:
    hardware = mapping_get(site, "hardware")
    if hardware is not None:
        for key in (short, full):
            found = mapping_get(hardware[1], key)
            if found is not None:
                return found[1]
    devices = mapping_get(site, "devices")
    if devices is not None and isinstance(devices[1], yaml.SequenceNode):
        for item in devices[1].value:
            name = mapping_get(item, "name")
            if name is not None and name[1].value in (short, full):
                record = mapping_get(item, "hardware")
                return record[1] if record is not None else None
    return None


def apply_hardware(inv: Inventory, docs: Documents, plan: Plan) -> None:
    """Record the plan's edits as splices of the documents' texts."""
    for change in (*plan.changed, *plan.added):
        device = inv.devices[change.code]
        f, site = docs.sites[device.site]
        short = device.name.removeprefix(f"{device.site.lower()}-")
        node = _record_node(site, short, device.name)
        if node is not None:
            _edit_record(f, node, change, device.hardware)
        else:
            _add_record(f, site, short, {k: new for k, (_, new) in change.fields.items()})


def _edit_record(
    f: YamlFile, node: yaml.Node, change: Change, now: model.HardwareRecord | None
) -> None:
    if getattr(node, "flow_style", False) and isinstance(node, yaml.MappingNode):
        # one line per record, as the inventory writes them: the line is written again
        order = [k.value for k, _ in node.value]
        assert now is not None  # a record written in the file is in the model
        current: dict[str, object] = {k: getattr(now, k) for k in RECORD_KEYS}
        current["status"] = now.status.value
        new = {k: current[k] for k in order if k in current}
        for k, (_, v) in change.fields.items():
            new[k] = v
        f.replace(node, render_flow(new))
        return
    indent = " " * node.start_mark.column
    for key, (_, value) in change.fields.items():
        found = mapping_get(node, key)
        if found is not None:
            f.replace(found[1], render(value))
        else:
            f.insert_after_line(last_line(node), f"{indent}{key}: {render(value)}\n")


def _add_record(f: YamlFile, site: yaml.Node, short: str, record: dict[str, object]) -> None:
    if record.get("status") == "in_service":
        del record["status"]  # the default
    line = f"{short}: {render_flow(record)}"
    hardware = mapping_get(site, "hardware")
    if hardware is not None and isinstance(hardware[1], yaml.MappingNode) and hardware[1].value:
        node = hardware[1]
        if getattr(node, "flow_style", False):
            f.splice(node.end_mark.index - 1, node.end_mark.index - 1, f", {line}")
        else:
            indent = " " * node.value[0][0].start_mark.column
            f.insert_after_line(last_line(node), f"{indent}{line}\n")
        return
    indent = " " * site.start_mark.column
    if hardware is not None:  # "hardware: {}"
        f.replace(hardware[1], "{" + line + "}")
        return
    f.insert_after_line(last_line(site), f"{indent}hardware:\n{indent}  {line}\n")
