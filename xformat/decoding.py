"""Bytes to model: which format and kind a record is, decoded once into its struct.

The fast path is one typed msgspec decode. The structs forbid unknown fields, so a record that
carries a field the formats do not define fails that decode; the tolerant path then decodes it
without them, remembering their JSON paths. Unknown fields are thereby tolerated, as the
dictionary requires, and never dropped without a trace.

Which format and kind a record is comes from its content (``xformat.formats.detect``); the
decode of that model is the last word, and a record that fails it is reported against the
format and kind it most resembles.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

import msgspec
from msgspec import inspect as mi

from xformat import formats
from xformat.errors import RecordError
from xformat.formats import Format, Kind
from xformat.formats.detect import first_attempt, recognise, sniff
from xformat.models import Activity, DeleteActivity, DeleteNotice, InfoNotice, Post
from xformat.models.activity import Note

__all__ = ["Decoded", "Model", "decode", "from_builtins", "unknown_fields"]

Model = Post | Activity | DeleteNotice | DeleteActivity | InfoNotice
"""What a record decodes into (more kinds may come: a format's ``kinds`` are the full list)."""


class Decoded(NamedTuple):
    format: str
    """The format's canonical name (``xformat.formats.get`` gives the format)."""
    kind: str
    value: Model
    unknown: tuple[str, ...]
    """JSON paths of the fields the models do not define, which were left out."""


# msgspec's error messages, as its tests pin them (tests/test_decoding.py pins them here too).
# The field's name may hold any character, backticks included: only the message's start is matched.
_UNKNOWN = "Object contains unknown field `"
_AT = re.compile(r"^(?P<reason>.*?)(?: - at `(?P<at>[^`]*)`)?$", re.S)
_NOTE = "a note is not a record: expected objectType 'activity'"


def decode(raw: bytes | str, fmt: str | Format | None = None) -> Decoded:
    """Decode one record (a post, a deletion or an info line) of any format.

    ``fmt`` (a format or its name) forces the format; by default it is detected. Raises
    ``RecordError`` with the JSON path and reason when the record is not a valid record of the
    format and kind it most resembles (``RecordError.taken_as`` names them).
    """
    if isinstance(raw, str):
        raw = raw.encode()
    forced = formats.get(fmt) if isinstance(fmt, str) else fmt
    first = first_attempt(raw, forced)
    failed: RecordError | None = None
    if first is not None:
        result = _attempt(raw, *first)
        if isinstance(result, Decoded):
            return result
        failed = result
    try:
        found = recognise(sniff(raw), forced)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"malformed JSON: {exc}") from None
    except msgspec.ValidationError as exc:  # not an object at all
        raise _record_error(exc) from None
    except RecursionError:
        raise RecordError("nested too deeply") from None
    if failed is not None and found == first:
        raise failed
    result = _attempt(raw, *found)
    if isinstance(result, Decoded):
        return result
    raise result


def _attempt(raw: bytes, fmt: Format, kind: Kind) -> Decoded | RecordError:
    """``raw`` decoded as a record of that format and kind, or why it is not one.

    Raises ``RecordError`` for what no model could read (malformed JSON, nesting too deep).
    """
    try:
        value = _decoder(kind).decode(raw)
    except msgspec.ValidationError as exc:
        if str(exc).startswith(_UNKNOWN):
            return _tolerant(raw, fmt, kind)
        return _record_error(exc, fmt, kind)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"malformed JSON: {exc}") from None
    except RecursionError:
        raise RecordError("nested too deeply") from None
    if type(value) is Note:
        return RecordError(_NOTE, path="$.objectType", taken_as=(fmt.name, kind.name))
    return Decoded(fmt.name, kind.name, value, ())


@cache
def _decoder(kind: Kind) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind.model)


def _record_error(exc: msgspec.ValidationError, fmt: Format | None = None, kind: Kind | None = None) -> RecordError:
    m = _AT.match(str(exc))
    assert m is not None
    taken_as = (fmt.name, kind.name) if fmt is not None and kind is not None else None
    return RecordError(m["reason"], path=m["at"] or "$", taken_as=taken_as)


def _tolerant(raw: bytes, fmt: Format, kind: Kind) -> Decoded | RecordError:
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"malformed JSON: {exc}") from None
    except RecursionError:
        raise RecordError("nested too deeply") from None
    try:
        return _from_builtins(data, fmt, kind)
    except RecordError as err:
        return err


@cache
def _info(kind: Kind) -> mi.Type:
    """The model's description the tolerant path walks; built on first need (it takes 10 ms)."""
    return mi.type_info(kind.model)


def from_builtins(data: Any, fmt: str | Format, kind: str) -> Decoded:
    """The struct of a record already parsed into Python objects, its unknown fields left out."""
    found = formats.get(fmt) if isinstance(fmt, str) else fmt
    return _from_builtins(data, found, found.kinds[kind])


def _from_builtins(data: Any, fmt: Format, kind: Kind) -> Decoded:
    unknown: list[str] = []
    cleaned = _strip(data, _info(kind), "$", unknown)
    try:
        value = msgspec.convert(cleaned, kind.model)
    except msgspec.ValidationError as exc:
        raise _record_error(exc, fmt, kind) from None
    if type(value) is Note:
        raise RecordError(_NOTE, path="$.objectType", taken_as=(fmt.name, kind.name))
    return Decoded(fmt.name, kind.name, value, tuple(unknown))


def unknown_fields(data: Any, model: Any) -> list[str]:
    """JSON paths of the members of ``data`` (an untyped JSON value) that ``model`` does not define."""
    found: list[str] = []
    _strip(data, mi.type_info(model), "$", found)
    return found


def _strip(value: Any, info: mi.Type, path: str, unknown: list[str]) -> Any:
    """``value`` without the members ``info`` does not define; their paths go to ``unknown``."""
    if isinstance(info, mi.Metadata):
        return _strip(value, info.type, path, unknown)
    if isinstance(info, mi.StructType) and isinstance(value, dict):
        fields = _fields(info.cls)
        out = {}
        for name, item in value.items():
            if name in fields:
                out[name] = _strip(item, fields[name], f"{path}.{name}", unknown)
            elif name == info.tag_field:
                out[name] = item
            else:
                unknown.append(f"{path}.{name}")
        return out
    if isinstance(info, mi.UnionType):
        return _strip(value, _pick(info, value), path, unknown)
    if isinstance(info, mi.ListType) and isinstance(value, list):
        return [_strip(item, info.item_type, f"{path}[{i}]", unknown) for i, item in enumerate(value)]
    return value


def _pick(info: mi.UnionType, value: Any) -> mi.Type:
    """The member of a union that ``value`` is meant to be (by tag, else the only struct)."""
    members = [t.type if isinstance(t, mi.Metadata) else t for t in info.types]
    structs = [t for t in members if isinstance(t, mi.StructType)]
    if isinstance(value, dict) and structs:
        for t in structs:
            if t.tag_field is not None and value.get(t.tag_field) == t.tag:
                return t
        return structs[0]
    lists = [t for t in members if isinstance(t, mi.ListType)]
    if isinstance(value, list) and lists:
        return lists[0]
    return mi.AnyType()


@cache
def _fields(cls: type) -> dict[str, mi.Type]:
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    return {f.encode_name: f.type for f in info.fields}
