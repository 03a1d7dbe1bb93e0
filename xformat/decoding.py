"""Bytes to model: which format and kind a record is, decoded once into its struct.

The fast path is one typed msgspec decode. The structs forbid unknown fields, so a record that
carries a field the formats do not define fails that decode; the tolerant path then decodes it
typed with a twin of the model that declares the unknown members seen so far
(``xformat._twins``), which reports their JSON paths. Unknown fields are thereby tolerated, as
the dictionary requires, never dropped without a trace, and cost an archive that has them about
what a clean one costs: after the first such record, the next is decoded by the twin first.

Which format and kind a record is comes from its content (``xformat.formats.detect``); the
decode of that model is the last word, and a record that fails it is reported against the
format and kind it most resembles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

import msgspec
from msgspec import UNSET, UnsetType
from msgspec import inspect as mi

from xformat import formats
from xformat._twins import UNKNOWN as _UNKNOWN
from xformat._twins import Path, Twin, Unsupported, unknown_path
from xformat.errors import RecordError, WrongFormatError, malformed, too_deep
from xformat.formats import Format, Kind
from xformat.formats.base import Members
from xformat.formats.detect import HINTS, SMALL, candidates, first_attempt, recognise, remember, sniff
from xformat.models import (
    Activity,
    ComplianceActivity,
    ComplianceNotice,
    DeleteActivity,
    DeleteNotice,
    ErrorNotice,
    InfoNotice,
    Post,
    WarnNotice,
)
from xformat.models.activity import Note
from xformat.models.v2 import V2ComplianceJobs, V2ComplianceResult, V2FlatPost, V2Page, V2StreamLine
from xformat.raw import record_json
from xformat.wording import a, decode_reason

__all__ = ["Decoded", "Found", "Model", "astray", "decode", "find", "from_builtins", "is_plain", "unknown_fields"]

Model = (
    Post
    | Activity
    | DeleteNotice
    | DeleteActivity
    | ComplianceNotice
    | ComplianceActivity
    | InfoNotice
    | WarnNotice
    | ErrorNotice
    | V2Page
    | V2StreamLine
    | V2FlatPost
    | V2ComplianceJobs
    | V2ComplianceResult
)
"""What a record decodes into (more kinds may come: a format's ``kinds`` are the full list)."""


class Decoded(NamedTuple):
    format: str
    """The format's canonical name (``xformat.formats.get`` gives the format)."""
    kind: str
    value: Model
    unknown: tuple[str, ...]
    """JSON paths of the fields the models do not define, which were left out."""


class Found(NamedTuple):
    """A decoded record with its format and kind as objects (what ``find`` gives the converter)."""

    format: Format
    kind: Kind
    value: Any
    unknown: tuple[str, ...]


# msgspec's error messages (tests/test_decoding.py pins their wording).
_AT = re.compile(r"^(?P<reason>.*?)(?: - at `(?P<at>[^`]*)`)?$", re.S)
_NOTE = "a note is not a record: expected objectType 'activity'"


def decode(raw: bytes | str, fmt: str | Format | None = None) -> Decoded:
    """Decode one record (a post, a deletion, a compliance event, a system message) of any format.

    ``fmt`` (a format or its name) forces the format; by default it is detected. Raises
    ``RecordError`` with the JSON path and reason when the record is not a valid record of the
    format and kind it most resembles (``RecordError.taken_as`` names them).
    """
    found = find(record_json(raw), None if fmt is None else formats.get(fmt))
    return _new(Decoded, (found[0].name, found[1].name, found[2], found[3]))


def find(raw: bytes, forced: Format | None = None) -> Found:
    """``decode``, with the format and kind as objects."""
    first = first_attempt(raw, forced)
    failed: RecordError | None = None
    if first is not None:
        result = _attempt(raw, *first, confirmed=False)
        if isinstance(result, Found):
            return result
        failed = result
    try:
        members = sniff(raw)
        found = recognise(members, forced)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(malformed(raw, exc)) from None
    except msgspec.ValidationError as exc:  # not an object at all
        raise _record_error(exc) from None
    except RecursionError:
        raise RecordError(too_deep(raw)) from None
    if failed is not None and found == first and failed is not _UNCONFIRMED:
        raise _astray(failed, members, forced)
    result = _attempt(raw, *found, confirmed=True)
    if isinstance(result, Found):
        remember(found[0], found[1])
        return result
    # A record may hold another kind's telling member as an unknown one ({"warn": {...}, "delete":
    # 0}): it is invalid only if no kind it may be reads it. Kinds told by no member (posts) are not
    # tried: they would take the other format's members for unknown ones of their own.
    for other in candidates(members, forced)[1:]:
        if other[1].holds:
            alternative = _attempt(raw, *other, confirmed=True)
            if isinstance(alternative, Found):
                return alternative
    raise _astray(result, members, forced)


def _astray(err: RecordError, members: Members, forced: Format | None) -> RecordError:
    """Why a record read as the ``forced`` format is invalid: that it is a record of another
    format (``astray``), rather than every member that other format lacks."""
    reason = astray(members, forced)
    return err if reason is None else WrongFormatError(reason, taken_as=err.taken_as)


def astray(members: Members, forced: Format | None) -> str | None:
    """That a record with ``members``, asked to be of the ``forced`` format, is a record of
    another format, when it resembles that one more; None if it does not."""
    if forced is None:
        return None
    other = recognise(members)[0]
    if other is forced or _resemblance(members, other) <= _resemblance(members, forced):
        return None
    return f"this is {a(other.title)} record, not {forced.title}"


def _resemblance(members: Members, fmt: Format) -> int:
    return sum(1 for member in fmt.signature if members.has(member))


def is_plain(raw: bytes, kind: Kind) -> bool:
    """Whether ``raw`` is a valid record of ``kind`` as it is: one typed decode, no detection.

    For a caller that knows which kind to expect (the last record's) and needs only the
    verdict. False says nothing (other kind, unknown members, a rule to check, invalid): ``find``
    decides then. Only kinds that any record may be (no telling members, ``Kind.holds``: posts)
    are tried: their structs forbid unknown members and require theirs, so a record that decodes
    as one is one, as ``find`` would say; a kind told by a member may decode records that lack it.
    """
    if kind.rule is not None or kind.holds:
        return False
    tolerance = _TOLERANCES.get(kind)
    if tolerance is not None and tolerance.hot:
        return False
    if len(raw) < SMALL:
        for hint in HINTS:
            if hint in raw:
                return False  # a deletion amid posts: find tells it, where two decodes as a post fail
    tagged = _TAGGED[kind]
    if tagged is not None and tagged.decode(raw) is not None:
        return True
    try:
        return type(_DECODERS[kind].decode(raw)) is not Note
    except _FAILURES:
        return False


def _attempt(raw: bytes, fmt: Format, kind: Kind, *, confirmed: bool) -> Found | RecordError:
    """``raw`` decoded as a record of that format and kind, or why it is not one.

    Unknown members are declared to the kind's twin only when detection ``confirmed`` the kind
    (a guessed attempt on a record of another format would declare that format's members).
    Raises ``RecordError`` for what no model could read (malformed JSON, nesting too deep).
    """
    tolerance = _TOLERANCES.get(kind)
    try:
        if tolerance is None or not tolerance.hot:
            tagged = _TAGGED[kind]
            if tagged is not None and (value := tagged.decode(raw)) is not None:
                if kind.rule is None:
                    return _new(Found, (fmt, kind, value, ()))  # the fast path: one typed decode
                return _decoded(value, [], fmt, kind)
            value = _DECODERS[kind].decode(raw)
            if type(value) is not Note and kind.rule is None:
                return _new(Found, (fmt, kind, value, ()))  # the fast path: one typed decode
            return _decoded(value, [], fmt, kind)
        # The last record had unknown members: so may this one.
        value, unknown = tolerance.twin.decode(raw)
        tolerance.hot = bool(unknown)
    except msgspec.ValidationError as exc:
        message = str(exc)
        if message.startswith(_UNKNOWN):
            return _tolerant(lambda twin: twin.decode(raw), raw, message, fmt, kind) if confirmed else _UNCONFIRMED
        return _record_error(exc, fmt, kind)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise RecordError(malformed(raw, exc)) from None
    except RecursionError:
        raise RecordError(too_deep(raw)) from None
    return _decoded(value, unknown, fmt, kind)


_UNCONFIRMED = RecordError("unknown members in a guessed attempt: detection decides")
# Builds a named tuple from its fields without calling its __new__, a Python function: on the
# fast path that is a frame per record.
_new = tuple.__new__


def _decoded(value: Any, unknown: list[str], fmt: Format, kind: Kind) -> Found | RecordError:
    if type(value) is Note:
        return RecordError(_NOTE, path="$.objectType", taken_as=(fmt.name, kind.name))
    if kind.rule is not None and (reason := kind.rule(value)) is not None:
        return RecordError(reason, path="$", taken_as=(fmt.name, kind.name))
    return Found(fmt, kind, value, tuple(unknown))


class _Decoders(dict[Kind, "msgspec.json.Decoder[Any]"]):
    """Each kind's decoder, built when a record of that kind first comes: building one evaluates
    its models' annotations (tens of milliseconds for all kinds), which a run over records of
    one format never needs for the other's."""

    def __missing__(self, kind: Kind) -> msgspec.json.Decoder[Any]:
        decoder = self[kind] = msgspec.json.Decoder(kind.model)
        return decoder


_DECODERS = _Decoders()
_FAILURES = (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError)


class _Tagged:
    """A kind decoded through a union of tagged structs (an activity: ``Activity | Note``),
    decoded as its own struct alone, its tag required all the same.

    msgspec finds a union's tag before it decodes the record, skipping the members before it:
    where keys are sorted, ``objectType`` comes after ``actor`` and ``object``, most of an
    activity, and the skip costs a sixth of the decode. A tagged struct decoded alone reads its
    tag where it stands, but takes a record without one, which the schema forbids. So the struct
    is decoded through a subclass that is not tagged and declares the tag as a member, in the
    slot of a member that only records of xformat's lossless mode hold (``xformat_lossless``):
    whether the record had its tag is then known, and the value, its spare member emptied,
    becomes the struct's own class (the subclass adds no slot). Anything else (no tag, another
    tag, a record with the spare member, an invalid one) gets None: the union decodes it as
    ever, so that verdicts and error messages are the union's, exactly. Records whose tag comes
    first (``head``) are left to the union too.
    """

    SPARE = "xformat_lossless"

    def __init__(self, struct: type[msgspec.Struct], tag_field: str) -> None:
        config = struct.__struct_config__
        self.struct = struct
        self.tag = config.tag
        self.head = b'{"' + tag_field.encode() + b'":'
        """How a record starts whose tag comes first (feeds' order): the union finds it at once
        and decodes it for less (the subclass declares the tag last, a scan of every member)."""
        declaring = msgspec.defstruct(
            struct.__name__,
            [(self.SPARE, str | UnsetType, UNSET)],
            bases=(struct,),
            module=__name__,
            rename={self.SPARE: tag_field},
            kw_only=True,
            omit_defaults=True,
            forbid_unknown_fields=True,
            tag=False,
            tag_field=None,
        )
        self.decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(declaring)
        self.rest = 0
        """Records left to decode through the union after one held the spare member: such records
        come together (a lossless archive), and each costs a decode that fails. A record that
        fails for another reason (a deletion amid posts, an invalid post) leaves the next to it."""

    def decode(self, raw: bytes) -> Any:
        """The record as the struct, if it is one with its tag and that tag does not come first;
        else None."""
        if raw.startswith(self.head):
            return None
        if self.rest:
            self.rest -= 1
            return None
        try:
            value = self.decoder.decode(raw)
        except msgspec.ValidationError as exc:
            if self.SPARE in str(exc):  # the record's own spare member, unknown to the subclass
                self.rest = _REST
            return None
        except _FAILURES:
            return None
        if value.xformat_lossless != self.tag:
            return None  # no tag (the union refuses the record), or a string the tag is not
        value.xformat_lossless = UNSET
        value.__class__ = self.struct
        return value


_REST = 64


class _TaggedKinds(dict[Kind, _Tagged | None]):
    """Each kind's ``_Tagged``, or None for a kind that decodes as one struct (or has no spare)."""

    def __missing__(self, kind: Kind) -> _Tagged | None:
        struct = kind.struct
        tag_field = struct.__struct_config__.tag_field
        usable = kind.decodes is not None and _Tagged.SPARE in struct.__struct_fields__
        tagged = self[kind] = _Tagged(struct, tag_field) if usable and tag_field is not None else None
        return tagged


_TAGGED = _TaggedKinds()


def _record_error(exc: msgspec.ValidationError, fmt: Format | None = None, kind: Kind | None = None) -> RecordError:
    m = _AT.match(str(exc))
    assert m is not None
    taken_as = (fmt.name, kind.name) if fmt is not None and kind is not None else None
    return RecordError(decode_reason(m["reason"]), path=m["at"] or "$", taken_as=taken_as)


class _Tolerance:
    """A kind's twin (``xformat._twins``) for the unknown members seen so far."""

    def __init__(self, kind: Kind, *, parsed: bool = False) -> None:
        self.model = kind.model
        self.parsed = parsed
        self.paths: frozenset[Path] = frozenset()
        self.twin = Twin(self.model, self.paths, parsed=parsed)
        self.hot = False
        """Whether the last record decoded had unknown members: the next one tries the twin first."""

    def declare(self, path: Path) -> None:
        self.twin = Twin(self.model, self.paths | {path}, parsed=self.parsed)
        self.paths = self.twin.paths


_TOLERANCES: dict[Kind, _Tolerance] = {}
_PARSED_TOLERANCES: dict[Kind, _Tolerance] = {}  # for records already parsed (lossless restores)
_MAX_UNKNOWN = 64
"""Distinct unknown members a kind's twin declares (each new one builds a new decoder, some
milliseconds): past that, records with others take the untyped walk. Real archives hold a few."""


def _tolerant(
    run: Callable[[Twin], tuple[Any, list[str]]],
    source: Any,
    message: str,
    fmt: Format,
    kind: Kind,
    *,
    parsed: bool = False,
) -> Found | RecordError:
    """The record ``run`` decodes with the kind's twin, declaring each unknown member its errors
    name (``message`` the first); the untyped walk for members no twin can declare. ``source``
    is the record (bytes, or parsed), measured when it is too deep to follow."""
    tolerances = _PARSED_TOLERANCES if parsed else _TOLERANCES
    tolerance = tolerances.get(kind) or tolerances.setdefault(kind, _Tolerance(kind, parsed=parsed))
    last: Path | None = None
    while (path := unknown_path(message)) is not None and path != last:
        if path not in tolerance.paths:
            if len(tolerance.paths) >= _MAX_UNKNOWN:
                break
            try:
                tolerance.declare(path)
            except Unsupported:
                break
            except RecursionError:  # a member so deep that its twin cannot be built
                return RecordError(too_deep(source), taken_as=(fmt.name, kind.name))
        last = path
        try:
            value, unknown = run(tolerance.twin)
        except msgspec.ValidationError as exc:
            message = str(exc)
            if message.startswith(_UNKNOWN):
                continue
            return _record_error(exc, fmt, kind)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise RecordError(malformed(source, exc)) from None
        except RecursionError:
            raise RecordError(too_deep(source)) from None
        tolerance.hot = True
        return _decoded(value, unknown, fmt, kind)
    try:
        return _walked(run, fmt, kind)
    except RecursionError:
        return RecordError(too_deep(source), taken_as=(fmt.name, kind.name))


def _walked(run: Callable[[Twin], tuple[Any, list[str]]], fmt: Format, kind: Kind) -> Found | RecordError:
    """The untyped way: parse, strip the members the model does not define, convert."""
    data = run(_UNTYPED)[0]
    unknown: list[str] = []
    cleaned = _strip(data, _info(kind), "$", unknown)
    try:
        value = msgspec.convert(cleaned, kind.model)
    except msgspec.ValidationError as exc:
        return _record_error(exc, fmt, kind)
    return _decoded(value, unknown, fmt, kind)


class _Untyped(Twin):
    """Stands in for a twin to get the record parsed into Python objects as it is."""

    def __init__(self) -> None:
        self.paths = frozenset()

    def decode(self, raw: bytes) -> tuple[Any, list[str]]:
        try:
            return msgspec.json.decode(raw), []
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise RecordError(malformed(raw, exc)) from None
        except RecursionError:
            raise RecordError(too_deep(raw)) from None

    def convert(self, data: Any) -> tuple[Any, list[str]]:
        return data, []


_UNTYPED = _Untyped()


@cache
def _info(kind: Kind) -> mi.Type:
    """The model's description the untyped walk follows; built on first need (it takes 10 ms)."""
    return mi.type_info(kind.model)


def from_builtins(data: Any, fmt: str | Format, kind: str) -> Decoded:
    """The struct of a record already parsed into Python objects, its unknown fields left out."""
    found = formats.get(fmt)
    spec = found.kinds[kind]
    try:
        result = _decoded(msgspec.convert(data, spec.model), [], found, spec)
    except msgspec.ValidationError as exc:
        message = str(exc)
        if message.startswith(_UNKNOWN):
            result = _tolerant(lambda twin: twin.convert(data), data, message, found, spec, parsed=True)
        else:
            result = _record_error(exc, found, spec)
    if isinstance(result, RecordError):
        raise result
    return Decoded(found.name, spec.name, result.value, result.unknown)


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
