"""Records handed to the library as Python values (bytes, text, a dict), as the JSON bytes that
every decode takes, or the ``XFormatError`` that says why they cannot be.

A caller's text may hold lone surrogates (``"\\ud800"``, what ``surrogateescape`` and broken
UTF-16 leave behind), which no UTF-8 can; a dict may nest deeper than an encoder can follow;
anything may be handed in by mistake. Each is a ``RecordError`` (the record is bad) or a
``UsageError`` (it is no record at all), never Python's own exception from deep inside.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import msgspec

from xformat.errors import RecordError, UsageError, too_deep
from xformat.wording import a

__all__ = ["guarded", "record_json"]

T = TypeVar("T")
_ENCODER = msgspec.json.Encoder()


def record_json(value: object) -> bytes:
    """``value`` (JSON bytes, JSON text or a mapping of parsed JSON) as JSON bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return value.encode()
        except UnicodeEncodeError as exc:
            raise RecordError(_not_unicode(value[exc.start])) from None
    if isinstance(value, Mapping):
        return guarded(lambda: _ENCODER.encode(value), value)
    raise UsageError(f"not a record: expected JSON bytes, JSON text or a dict, got {a(type(value).__name__)}")


def guarded(job: Callable[[], T], value: Any) -> T:
    """``job()``, which encodes ``value`` (a mapping, a list or a struct, such as a model's):
    its failures on what no JSON can hold said as ``RecordError``s."""
    try:
        return job()
    except UnicodeEncodeError:
        found = _surrogate(value)
        raise RecordError(_not_unicode(found[1] if found else "?"), path=found[0] if found else "$") from None
    except RecursionError:
        raise RecordError(too_deep(value)) from None
    except (TypeError, ValueError, msgspec.EncodeError) as exc:
        raise RecordError(f"not JSON: {exc}") from None


def _not_unicode(char: str) -> str:
    return f"not Unicode text: a lone surrogate ({char!a}) cannot be written as UTF-8"


def _surrogate(value: Any) -> tuple[str, str] | None:
    """The JSON path and the character of the first lone surrogate in ``value``'s keys or strings
    (walked without recursion: the value may also be deep)."""
    stack: list[tuple[str, Any]] = [("$", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, msgspec.Struct):
            item = {f: getattr(item, f) for f in item.__struct_fields__}
        if isinstance(item, str):
            bad = _first_surrogate(item)
            if bad is not None:
                return path, bad
        elif isinstance(item, Mapping):
            for key, child in item.items():
                bad = _first_surrogate(key) if isinstance(key, str) else None
                if bad is not None:
                    return path, bad
                stack.append((f"{path}.{key}", child))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return None


def _first_surrogate(text: str) -> str | None:
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        return text[exc.start]
    return None
