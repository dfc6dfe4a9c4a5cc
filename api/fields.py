"""One field table per API entity, and what is built from it: the response model the
OpenAPI schema shows, the view that turns one inventory object into a plain JSON dict, and
the columns ``sort=`` accepts. A field is spelled once, in its entity's table
(``api/entities/``); the routes only filter and page.

The view stays a plain dict per row (no pydantic instance is built on the way out): the
routes answer with ``JSONResponse`` and the response model documents the shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as FieldInfo

from edunet.model import Inventory

T = TypeVar("T")

View = Callable[[T], dict[str, Any]]


class _NoExample:
    def __repr__(self) -> str:
        return "NO_EXAMPLE"


NO_EXAMPLE: Any = _NoExample()  # a field the entity's example leaves out (null is an example)


@dataclass(frozen=True, slots=True)
class Field(Generic[T]):
    """One field of an entity.

    ``type`` is what the response model declares; ``read`` gives the JSON value from the
    inventory object (default: its attribute of the same name), or ``read_in`` when the
    value needs the rest of the inventory (a link's districts, a site's devices). ``sort``
    is False, True to sort by the value read, or a key of its own (an address sorts as a
    number, not as text)."""

    name: str
    type: Any
    read: Callable[[T], Any] | None = None
    example: Any = NO_EXAMPLE
    description: str | None = None
    sort: bool | Callable[[T], Any] = False
    read_in: Callable[[Inventory, T], Any] | None = None

    def reader(self) -> Callable[[T], Any]:
        if self.read_in is not None:
            raise TypeError(f"{self.name} needs the inventory: use view_in()")
        return self.read if self.read is not None else attrgetter(self.name)


class Table(Generic[T]):
    """An entity's fields, in the order a response shows them, and what is built from them.

    ``title`` and ``doc`` name and describe the response model in the OpenAPI schema;
    ``example`` there is the fields' examples together, unless ``show_example`` is off."""

    def __init__(
        self,
        title: str,
        doc: str | None,
        *fields: Field[T],
        show_example: bool = True,
        base: Table[T] | None = None,
    ) -> None:
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{title}: a field named twice in {names}")
        self.title = title
        self.doc = doc
        self.fields: tuple[Field[T], ...] = fields
        self.show_example = show_example
        self.base = base  # the entity this one extends (a detail answer), if any
        self.names: tuple[str, ...] = tuple(names)
        self.example: dict[str, Any] = {
            f.name: f.example for f in fields if f.example is not NO_EXAMPLE
        }
        self.columns: Mapping[str, Callable[[T], Any]] = {
            f.name: f.sort if callable(f.sort) else f.reader() for f in fields if f.sort
        }
        self.model: type[BaseModel] = self._model()
        self._needs_inventory = any(f.read_in is not None for f in fields)
        self.view: View[T] = self._view(None) if not self._needs_inventory else self._refuse

    def _model(self) -> type[BaseModel]:
        config = ConfigDict()
        if self.show_example:
            config = ConfigDict(json_schema_extra={"examples": [self.example]})
        declared: dict[str, Any] = {
            f.name: (f.type, FieldInfo(description=f.description))
            if f.description
            else (f.type, ...)
            for f in self.fields
        }
        model: type[BaseModel] = create_model(
            self.title, __config__=config, __doc__=self.doc, __module__=__name__, **declared
        )
        return model

    def _view(self, inv: Inventory | None) -> View[T]:
        # One dict literal per row, compiled once per table (as dataclasses builds __init__):
        # a plain attribute is read in place, so a page costs what a hand-written view does.
        env: dict[str, Any] = {}
        entries: list[str] = []
        for i, f in enumerate(self.fields):
            if f.read is None and f.read_in is None and f.name.isidentifier():
                entries.append(f"{f.name!r}: item.{f.name}")
            else:
                env[f"read_{i}"] = self._reader(f, inv)
                entries.append(f"{f.name!r}: read_{i}(item)")
        exec("def view(item):\n    return {" + ", ".join(entries) + "}\n", env)
        view: View[T] = env["view"]
        return view

    @staticmethod
    def _reader(f: Field[T], inv: Inventory | None) -> Callable[[T], Any]:
        if f.read_in is not None and inv is not None:
            return partial(f.read_in, inv)
        return f.reader()

    def _refuse(self, item: T) -> dict[str, Any]:
        raise TypeError(f"{self.title} needs the inventory: use view_in()")

    def view_in(self, inv: Inventory) -> View[T]:
        """The view for tables with a field read from the whole inventory."""
        return self._view(inv) if self._needs_inventory else self.view

    def extend(self, title: str, doc: str | None, *fields: Field[T]) -> Table[T]:
        """A fuller entity (a detail answer): these fields and then ``fields``."""
        return Table(title, doc, *self.fields, *fields, show_example=self.show_example, base=self)


def list_of(table: Table[Any]) -> Any:
    """The type of a field that holds a list of another entity."""
    return list[table.model]  # type: ignore[name-defined]
