"""``python -m lab.ssh``: simulated Cisco IOS switches over SSH, in one process.

    python -m lab.ssh inventory.yaml --port 10022 --ready ready.json
        every Cisco IOS/IOS XE device at its lab address (LAB_MAP of its management address),
        with its hostname and its model's port names; logins from EDUNET_SSH_<PROFILE>_USER,
        _PASSWORD and _ENABLE (environment, then the EDUNET_SECRETS_FILE file)
    python -m lab.ssh --count 100 --host 127.0.0.1 --port 31000
        100 anonymous switches on ports 31000-31099 (--layout addresses: one port on
        consecutive addresses); the login defaults to admin / admin / enable cisco

The ready file (JSON) lists device, host and port of every switch once all listen. The
process stops on SIGTERM or SIGINT, or after --duration seconds.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from edunet.errors import InventoryError
from edunet.secrets import MissingSecret
from lab.ssh import specs as specs_mod

DEFAULT_PORT = 10022


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m lab.ssh",
        description="Simulated Cisco IOS switches over SSH, in one process.",
    )
    ap.add_argument("inventory", nargs="?", type=Path, help="inventory file or directory")
    ap.add_argument("--device", action="append", help="only this device (repeatable)")
    ap.add_argument("--count", type=int, help="anonymous switches instead of an inventory")
    ap.add_argument("--layout", choices=("ports", "addresses"), default="ports")
    ap.add_argument("--host", default="127.0.0.1", help="(first) address for --count")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="(first) SSH port")
    ap.add_argument("--ready", type=Path, help="write the switch list (JSON) here when ready")
    ap.add_argument("--faults", type=Path, help="the lab's faults file, watched for changes")
    ap.add_argument("--duration", type=float, help="stop after this many seconds")
    ap.add_argument("--log-level", default="WARNING")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if (args.inventory is None) == (args.count is None):
        print("give an inventory or --count N (not both)", file=sys.stderr)
        return 2
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(message)s")
    # fake-switches logs every keystroke at DEBUG, the enable secret included: never lower
    logging.getLogger("fake_switches").setLevel(logging.WARNING)
    try:
        if args.count is not None:
            specs = specs_mod.count_specs(args.count, args.host, args.port, args.layout)
            logins = specs_mod.logins([specs_mod.DEFAULT_PROFILE], defaults=True)
        else:
            from edunet.load import load

            specs = specs_mod.inventory_specs(load(args.inventory), args.port, args.device)
            logins = specs_mod.logins(s.profile for s in specs)
    except (ValueError, MissingSecret, InventoryError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not specs:
        print("no Cisco IOS devices with SSH in the inventory", file=sys.stderr)
        return 2
    from lab.ssh import server

    return server.run(specs, logins, args.ready, args.faults, args.duration)


if __name__ == "__main__":
    sys.exit(main())
