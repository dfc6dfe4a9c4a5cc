"""Check rendered dashboards against Grafana's own published schema.

Grafana itself is neither a Debian nor a PyPI package, so the tests cannot start one; but its
dashboard schema ships in the npm package ``@grafana/schema`` as TypeScript types generated
from Grafana's CUE kinds: the dashboard, its variables, panels, field configs and, per panel
plugin, the panel's options and custom field config. Each
dashboard becomes ``const d: J<Dashboard> = <json>`` (``J`` maps TypeScript enums to their JSON
literals) and ``tsc --strict`` type-checks it: a wrong type, a missing required field or an
unknown property in any object literal is an error.

Also here: the SDK's own model round trip (``Dashboard.from_json`` → ``to_json``).

``python -m dashboards.schema_check`` renders the sample city and checks it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import Dashboard

__all__ = ["PINS", "CheckError", "ensure_toolchain", "roundtrip_errors", "schema_errors"]

# exact versions: the schema of the Grafana the SDK targets (11.6), a known compiler
PINS = {"@grafana/schema": "11.6.0", "typescript": "5.8.3"}
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "grafana-schema"

_PANEL_TYPES = {
    "stat": "stat/panelcfg/x/StatPanelCfg_types.gen",
    "timeseries": "timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen",
    "table": "table/panelcfg/x/TablePanelCfg_types.gen",
    "heatmap": "heatmap/panelcfg/x/HeatmapPanelCfg_types.gen",
    "bargauge": "bargauge/panelcfg/x/BarGaugePanelCfg_types.gen",
}
_RAW = "@grafana/schema/dist/esm/raw/composable/"

# TypeScript enums cannot be written as JSON literals: compare with their values instead
_JSON_VIEW = """\
export type J<T> = T extends string
  ? `${T}`
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends Array<infer U>
        ? Array<J<U>>
        : T extends object
          ? { [K in keyof T]: J<T[K]> }
          : T;
"""


class CheckError(RuntimeError):
    """The toolchain could not be installed or run (not a schema error)."""


def ensure_toolchain(cache: Path = DEFAULT_CACHE, npm: str = "npm") -> Path:
    """Install the pinned packages into ``cache`` (once) and return the ``tsc`` path."""
    tsc = cache / "node_modules" / ".bin" / "tsc"
    stamp = cache / "pins.json"
    if tsc.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == PINS:
        return tsc
    if shutil.which(npm) is None:
        raise CheckError("npm is not installed (Debian: apt-get install nodejs npm)")
    cache.mkdir(parents=True, exist_ok=True)
    package = {"private": True, "dependencies": PINS}
    (cache / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    cmd = [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact"]
    done = subprocess.run(cmd, cwd=cache, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not tsc.is_file():
        raise CheckError(f"npm install failed: {done.stderr.strip()[-2000:]}")
    stamp.write_text(json.dumps(PINS))
    return tsc


def _ts_source(uid: str, data: Mapping[str, Any]) -> str:
    """A TypeScript module asserting the dashboard, and each panel's options and custom field
    config, against Grafana's types."""
    lines = ['import type { Dashboard } from "@grafana/schema";', 'import type { J } from "./j";']
    used = sorted({p.get("type", "") for p in data.get("panels", [])} & set(_PANEL_TYPES))
    for t in used:
        lines.append(f'import type * as {t} from "{_RAW}{_PANEL_TYPES[t]}";')
    lines.append(f"// {uid}")
    lines.append(f"export const dashboard: J<Dashboard> = {json.dumps(data, ensure_ascii=False)};")
    for p in data.get("panels", []):
        t, pid = p.get("type", ""), p.get("id", 0)
        if t not in _PANEL_TYPES:
            continue
        if "options" in p:
            opts = json.dumps(p["options"], ensure_ascii=False)
            lines.append(f"export const options_{pid}: J<{t}.Options> = {opts};")
        custom = p.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if custom is not None and t != "stat":  # stat has no custom field config
            cfg = json.dumps(custom, ensure_ascii=False)
            lines.append(f"export const custom_{pid}: J<{t}.FieldConfig> = {cfg};")
    return "\n".join(lines) + "\n"


def schema_errors(
    dashboards: Mapping[str, Mapping[str, Any]], cache: Path = DEFAULT_CACHE
) -> list[str]:
    """tsc's complaints about the dashboards (uid → JSON data); empty when they conform."""
    tsc = ensure_toolchain(cache)
    work = cache / "check"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "j.ts").write_text(_JSON_VIEW)
    files = ["j.ts"]
    for uid, data in sorted(dashboards.items()):
        (work / f"{uid}.ts").write_text(_ts_source(uid, data), encoding="utf-8")
        files.append(f"{uid}.ts")
    options = {
        "strict": True,
        "noEmit": True,
        "skipLibCheck": True,  # the package's own .d.ts are Grafana's business
        "module": "commonjs",
        "moduleResolution": "node",  # reaches the raw/composable types past "exports"
        "target": "es2020",
        "types": [],
        "typeRoots": [],
        "baseUrl": ".",
        "paths": {"@grafana/schema": ["../node_modules/@grafana/schema/dist/esm/index.d.mts"]},
    }
    config = {"compilerOptions": options, "files": files}
    (work / "tsconfig.json").write_text(json.dumps(config, indent=2))
    # node resolution from check/ climbs to cache/node_modules
    done = subprocess.run(
        [str(tsc), "-p", "tsconfig.json"], cwd=work, capture_output=True, text=True, timeout=300
    )
    if done.returncode not in (0, 2):
        raise CheckError(f"tsc failed: {(done.stdout + done.stderr).strip()[-2000:]}")
    return [line for line in done.stdout.splitlines() if line.strip()]


def roundtrip_errors(dashboards: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Dashboards the SDK's own models do not read back to the same JSON."""
    out: list[str] = []
    for uid, data in sorted(dashboards.items()):
        back = json.loads(json.dumps(Dashboard.from_json(dict(data)), cls=JSONEncoder))
        for var in back.get("templating", {}).get("list", []):
            if var.get("type") != "interval":  # dropped on purpose, see base.to_json
                for key in ("auto", "auto_count", "auto_min"):
                    var.pop(key, None)
        if back != data:
            out.append(f"{uid}: the SDK's model does not read it back unchanged")
    return out


def main() -> int:
    import time

    import edunet
    from dashboards import build_dashboards, build_district_dashboards

    inv = edunet.load(Path(__file__).resolve().parent.parent / "inventory.yaml")
    boards = build_dashboards(inv)
    boards.update((b["uid"], b) for b in build_district_dashboards(inv).values())
    start = time.monotonic()
    errors = roundtrip_errors(boards) + schema_errors(boards)
    for e in errors:
        print(e)
    print(f"{len(boards)} dashboards, {len(errors)} errors, {time.monotonic() - start:.1f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
