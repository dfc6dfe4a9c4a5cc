"""``python -m exporters snmp|probe OPTIONS_JSON``: one exporter, as a child of
``edunet exporters run all`` (which starts both, so a busy SNMP decode never delays a probe).
The options are :class:`exporters.run.RunOptions` as JSON: no flag is spelled twice."""

from __future__ import annotations

import sys
from typing import Literal

from edunet.errors import InventoryError
from edunet.load import load
from exporters import logs
from exporters.run import RunOptions, serve_one

USAGE = "usage: python -m exporters snmp|probe OPTIONS_JSON (edunet exporters run starts it)"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("snmp", "probe"):
        print(USAGE, file=sys.stderr)
        return 2
    which: Literal["snmp", "probe"] = "snmp" if argv[0] == "snmp" else "probe"
    opts = RunOptions.from_json(argv[1])
    logs.setup(opts.log_format)
    try:
        inv = load(opts.inventory)
    except InventoryError as e:
        for p in e.problems:
            print(p.format(), file=sys.stderr)
        return 2
    return serve_one(which, inv, opts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
