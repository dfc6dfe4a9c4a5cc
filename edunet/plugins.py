"""Units plug into the core through entry points, the way nornir finds its plugins: the core
names no unit, and a unit added to ``pyproject.toml`` appears without touching the core."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

__all__ = ["COMMANDS", "RENDERERS", "entry_points_of"]

COMMANDS = "edunet.commands"  # a typer.Typer (a command group) or a function (one command)
RENDERERS = "edunet.renderers"  # an edunet.generated.Renderer: files generated from the inventory


def entry_points_of(group: str) -> list[EntryPoint]:
    """The group's entry points, by name; one name registered twice keeps the first."""
    seen: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
        seen.setdefault(ep.name, ep)
    return list(seen.values())
