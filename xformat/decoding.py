"""Bytes to model: which format and kind a record is, decoded once into its struct.

The fast path is one typed msgspec decode. The structs forbid unknown fields, so a record that
carries a field the formats do not define fails that decode; the tolerant path then decodes it
untyped, strips the unknown fields (remembering their JSON paths) and converts the rest. Unknown
fields are thereby tolerated, as the dictionary requires, and never dropped without a trace.

Which decoder to try first is guessed from a few bytes; the guess only orders the attempts, the
decode decides.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal, NamedTuple

import msgspec
from msgspec import inspect as mi

from xformat.errors import RecordError, UsageError
from xformat.models import Activity, DeleteActivity, DeleteNotice, InfoNotice, Post
from xformat.models.activity import Note

Format = Literal["native", "activity"]
Kind = Literal["post", "delete", "info"]
FORMATS: tuple[Format, ...] = ("native", "activity")
Model = Post | Activity | DeleteNotice | DeleteActivity | InfoNotice


class Decoded(NamedTuple):
    format: Format
    kind: Kind
    value: Model
    unknown: tuple[str, ...]
    """JSON paths of the fields the models do not define, which were stripped."""


# What each (format, kind) decodes into. An activity decodes through the tagged union with Note
# so that msgspec requires ``objectType`` at the top level, as the schema does.
_TYPES: dict[tuple[Format, Kind], Any] = {
    ("native", "post"): Post,
    ("native", "delete"): DeleteNotice,
    ("native", "info"): InfoNotice,
    ("activity", "post"): Activity | Note,
    ("activity", "delete"): DeleteActivity,
    ("activity", "info"): InfoNotice,
}
_DECODERS = {key: msgspec.json.Decoder(t) for key, t in _TYPES.items()}
# The field's name may hold any character, backticks included: only the message's start is matched.
_UNKNOWN = "Object contains unknown field `"
_AT = re.compile(r"^(?P<reason>.*?)(?: - at `(?P<at>[^`]*)`)?$", re.S)


def decode(raw: bytes | str, fmt: Format | None = None) -> Decoded:
    """Decode one record (a post, a deletion or an info line) of either format.

    ``fmt`` forces the format; by default it is detected. Raises ``RecordError`` with the JSON
    path and reason when the record is neither format's valid post, deletion or info line.
    """
    if isinstance(raw, str):
        raw = raw.encode()
    first_error: RecordError | None = None
    for key in _candidates(raw, fmt):
        try:
            value = _DECODERS[key].decode(raw)
        except msgspec.ValidationError as exc:
            if str(exc).startswith(_UNKNOWN):
                try:
                    return _decode_tolerant(raw, key)
                except RecordError as err:
                    first_error = first_error or err
                    continue
            first_error = first_error or _record_error(exc)
            continue
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise RecordError(f"malformed JSON: {exc}") from None
        except RecursionError:
            raise RecordError("nested too deeply") from None
        if isinstance(value, Note):
            first_error = first_error or RecordError(
                "a note is not a record: expected objectType 'activity'", path="$.objectType"
            )
            continue
        return Decoded(key[0], key[1], value, ())
    assert first_error is not None
    raise first_error


def _candidates(raw: bytes, fmt: Format | None) -> tuple[tuple[Format, Kind], ...]:
    """Decoders to try, most likely first: a cheap look at the bytes, never the final word.

    Only the head is searched: feeds put ``verb``/``delete``/``info`` among the first members, and
    a wrong guess costs one failed decode, not a wrong answer.
    """
    if fmt is None:
        if raw.startswith(b'{"created_at"'):  # how PowerTrack's native records start: no search
            fmt_order = _NATIVE_FIRST
        else:
            fmt_order = _ACTIVITY_FIRST if raw.find(b'"verb"', 0, _HEAD) >= 0 else _NATIVE_FIRST
    elif fmt in FORMATS:
        fmt_order = (fmt,)
    else:
        raise UsageError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if len(raw) >= _NOTICE_MAX:
        kinds = _POST_FIRST  # no need to look: deletion notices and info lines are short
    elif raw.find(b'"delete"', 0, _HEAD) >= 0:
        kinds = _DELETE_FIRST
    elif b'"info"' in raw:
        kinds = _INFO_FIRST
    else:
        kinds = _POST_FIRST
    return _ORDERS[fmt_order, kinds]


_HEAD = 300
_NOTICE_MAX = 1024  # real deletion notices are under 500 bytes, info lines under 200
_NATIVE_FIRST: tuple[Format, ...] = ("native", "activity")
_ACTIVITY_FIRST: tuple[Format, ...] = ("activity", "native")
_POST_FIRST: tuple[Kind, ...] = ("post", "delete", "info")
_DELETE_FIRST: tuple[Kind, ...] = ("delete", "post", "info")
_INFO_FIRST: tuple[Kind, ...] = ("info", "post", "delete")
_ORDERS = {
    (fmts, kinds): tuple((f, k) for f in fmts for k in kinds)
    for fmts in (_NATIVE_FIRST, _ACTIVITY_FIRST, ("native",), ("activity",))
    for kinds in (_POST_FIRST, _DELETE_FIRST, _INFO_FIRST)
}


def _record_error(exc: msgspec.ValidationError) -> RecordError:
    m = _AT.match(str(exc))
    assert m is not None
    return RecordError(m["reason"], path=m["at"] or "$")


def _decode_tolerant(raw: bytes, key: tuple[Format, Kind]) -> Decoded:
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"malformed JSON: {exc}") from None
    except RecursionError:
        raise RecordError("nested too deeply") from None
    return from_builtins(data, *key)


@cache
def _info(key: tuple[Format, Kind]) -> mi.Type:
    """The model's description the tolerant path walks; built on first need (it takes 10 ms)."""
    return mi.type_info(_TYPES[key])


def from_builtins(data: Any, fmt: Format, kind: Kind) -> Decoded:
    """The struct of a record already parsed into Python objects, its unknown fields stripped."""
    key = (fmt, kind)
    unknown: list[str] = []
    cleaned = _strip(data, _info(key), "$", unknown)
    try:
        value = msgspec.convert(cleaned, _TYPES[key])
    except msgspec.ValidationError as exc:
        raise _record_error(exc) from None
    if isinstance(value, Note):
        raise RecordError("a note is not a record: expected objectType 'activity'", path="$.objectType")
    return Decoded(fmt, kind, value, tuple(unknown))


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
