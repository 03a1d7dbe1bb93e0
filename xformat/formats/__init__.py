"""The formats xformat knows, found by name or alias, and by the class of a decoded record.

>>> from xformat import formats
>>> formats.get("activity-streams").name
'activity'
>>> formats.HUB.name                      # every conversion goes through the native model
'native'

Each format is one object (``xformat.formats.base.Format``) holding all that the rest of the
code asks of a format; nothing else branches on a format's name. A new format is a module here
(its kinds, models, detection members, ids, geo) plus its two converters, to and from the hub.
"""

from __future__ import annotations

from typing import Any

from xformat.errors import UsageError
from xformat.formats.activity import ACTIVITY
from xformat.formats.base import Format, Kind, Members, Pieces
from xformat.formats.native import NATIVE
from xformat.formats.v2 import V2

__all__ = ["FORMATS", "HUB", "Format", "Kind", "Members", "Pieces", "choices", "get", "of_value"]

HUB: Format = NATIVE
FORMATS: tuple[Format, ...] = (NATIVE, ACTIVITY, V2)
"""Every format, the hub first: detection prefers the earlier of two formats a record resembles
equally (an info line is the same in both)."""

_BY_NAME: dict[str, Format] = {}
for _format in FORMATS:
    for _name in (_format.name, *_format.aliases):
        assert _name not in _BY_NAME, f"format name {_name!r} given twice"
        _BY_NAME[_name] = _format
_BY_MODEL: dict[type, tuple[Format, Kind]] = {}
for _format in FORMATS:
    for _struct, _kind in _format.models():
        _BY_MODEL.setdefault(_struct, (_format, _kind))  # an info line: the first format's


def get(name: str | Format) -> Format:
    """The format called ``name`` (its name or an alias; a format is itself); ``UsageError`` if
    there is none."""
    if isinstance(name, Format):
        return name
    found = _BY_NAME.get(name) if isinstance(name, str) else None
    if found is None:
        raise UsageError(f"unknown format {name!r}: expected one of {', '.join(choices())}")
    return found


def choices() -> list[str]:
    """Every name a format is found by, canonical names first."""
    return [f.name for f in FORMATS] + [alias for f in FORMATS for alias in f.aliases]


def of_value(value: Any) -> tuple[Format, Kind]:
    """The format and kind of a decoded record (a model struct); ``UsageError`` for anything else."""
    for cls in type(value).__mro__:
        found = _BY_MODEL.get(cls)
        if found is not None:
            return found
    raise UsageError(f"not a record of any format: a {type(value).__name__}")
