"""Convert posts, deletions and compliance events between Enriched Native, Activity Streams and X API v2.

>>> result = to_activity(post)          # a Post struct, or raw JSON bytes/str/dict
>>> result.value, result.losses         # the Activity, and the declared losses it applied

Every direction has a fixed list of what it cannot carry (``losses.LOSSES``); each result names
the ones it applied. ``strict=True`` refuses a record that would lose anything; ``lossless=True``
carries what the target cannot hold in the ``xformat_lossless`` member, so that converting back
gives the source exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import msgspec
from msgspec import UNSET, structs

from xformat import formats
from xformat.convert import lossless as patch

# Loaded first: the formats import them on first use, and a submodule loaded after this package
# would replace the functions of the same name (to_activity) as the package's attributes.
from xformat.convert import to_activity as _to_activity_module  # noqa: F401
from xformat.convert import to_native as _to_native_module  # noqa: F401
from xformat.convert import to_v2 as _to_v2_module  # noqa: F401
from xformat.convert.links import DOMAINS, Links
from xformat.convert.losses import LOSSES, Loss, losses_for
from xformat.convert.to_v2 import paged, repaged
from xformat.decoding import Found, Model, find, from_builtins
from xformat.errors import LossError, RecordError, UsageError
from xformat.formats import Format
from xformat.formats.detect import members_of, recognise
from xformat.models.v2 import V2FlatPost, V2Page, V2StreamLine
from xformat.raw import guarded, record_json
from xformat.readpost import ReadPost
from xformat.v2pages import unflattened

__all__ = [
    "DOMAINS",
    "LOSSES",
    "Converted",
    "Converter",
    "Loss",
    "Outcome",
    "losses_for",
    "to_activity",
    "to_native",
    "to_v2",
]

Raw = bytes | str | Mapping[str, Any]
_ENCODER = msgspec.json.Encoder()
_ENVELOPE = frozenset(field.encode_name for model in (V2Page, V2StreamLine) for field in structs.fields(model))
"""The members of an X API v2 page or stream line that the models define."""


class Converted(NamedTuple):
    """One converted record."""

    value: Model | None
    """The converted struct (Activity/Post, DeleteActivity/DeleteNotice, ComplianceActivity/
    ComplianceNotice); None for a record the target format has no form for (a native ``drop``
    or ``undrop`` in Activity Streams), which ``losses`` then declares (``no_activity_form``)."""
    losses: tuple[str, ...]
    """Codes of the declared losses this record incurred (see ``xformat.convert.losses``)."""
    unknown: tuple[str, ...] = ()
    """JSON paths of input fields neither format defines (dropped unless lossless)."""
    data: Any = None
    """The exact output as Python objects, when it holds more than ``value`` can (lossless restore)."""

    def json(self) -> bytes:
        """The output as JSON; ``UsageError`` when there is none (see ``value``)."""
        if self.value is None:
            raise UsageError(f"the record has no form in the target format ({', '.join(self.losses)})")
        out = self.value if self.data is None else self.data
        return guarded(lambda: _ENCODER.encode(out), out)

    def to_dict(self) -> dict[str, Any]:
        """The output as parsed JSON; ``UsageError`` when there is none (see ``value``)."""
        if self.value is None:
            raise UsageError(f"the record has no form in the target format ({', '.join(self.losses)})")
        value = self.value
        out = guarded(lambda: _plain(value), value) if self.data is None else self.data
        assert isinstance(out, dict)
        return out


def to_activity(
    post: Model | ReadPost | Raw,
    *,
    domain: str = "twitter.com",
    lossless: bool = False,
    strict: bool = False,
) -> Converted:
    """An Enriched Native post, deletion notice or compliance event in Activity Streams format."""
    engine = _Engine(formats.get("activity"), domain, lossless, strict)
    return guarded(lambda: engine.convert(*_as_found(post, formats.get("native"))), post)


def to_native(activity: Model | ReadPost | Raw, *, lossless: bool = False, strict: bool = False) -> Converted:
    """An Activity Streams activity, deletion or compliance event in Enriched Native format."""
    engine = _Engine(formats.HUB, "twitter.com", lossless, strict)
    return guarded(lambda: engine.convert(*_as_found(activity, formats.get("activity"))), activity)


def to_v2(record: Model | ReadPost | Raw, *, lossless: bool = False, strict: bool = False) -> Converted:
    """An Enriched Native or Activity Streams record (its format found from its content) as an
    X API v2 stream line: the post in ``data``, what it references in ``includes``, the rules
    it matched. A deletion or compliance event has no v2 form (``value`` None, loss ``no_v2_form``)."""
    engine = _Engine(formats.get("v2"), "twitter.com", lossless, strict)
    return guarded(lambda: engine.convert(*_as_found(record, None)), record)


def _as_found(value: Model | ReadPost | Raw, fmt: Format | None) -> tuple[Found, Any]:
    """The decoded record and, for raw input, its untyped form (lossless mode diffs against it).

    A struct is taken for what its class is; raw input is decoded as a record of ``fmt``; a post
    that ``xformat.read`` gave, as its native ``Post``.
    """
    if isinstance(value, ReadPost):
        value = value.native
    if not isinstance(value, msgspec.Struct):
        found = find(record_json(value), fmt)
        source = value  # the raw record: its own members and their order count, not its struct's
    else:
        origin, kind = formats.of_value(value)
        found, source = Found(origin, kind, value, ()), None
    if not found.kind.content:
        raise UsageError(f"an {found.kind.name} line is not a post: it is the same in every format")
    return found, source


class Outcome(NamedTuple):
    """What the pipeline needs of one converted line."""

    kind: str
    output: bytes | None
    """The record in the target format; None for a kind that has no other form (system
    messages), or a record the target has no form for (a native ``drop`` in Activity Streams:
    ``losses`` says so)."""
    losses: tuple[str, ...]
    unknown: tuple[str, ...]
    time: str | None = None
    """When the record happened (ISO 8601 UTC), with ``Converter(dated=True)``; None without a
    usable time. Read from the decoded record: the output is never parsed again for it."""
    parts: tuple[Outcome, ...] | None = None
    """For a record of many posts (``Kind.many``: an X API v2 page) converted to another format:
    one outcome per post, in order, each written as a record of its own (``output`` is then
    None, ``losses`` every post's codes, once per post that incurred it)."""
    problems: int = 0
    """Problems the record reports beside its posts (X API v2 ``errors`` entries): counted."""
    posts: int = 1
    """Posts the record holds: 1, any number for a record of many posts, 0 for a record of no
    post (``Kind.content`` false)."""


class Converter:
    """Converts raw records to ``target`` (a format, or any of its names); built once per run
    (or per worker process). ``pages``: each post's stream line is one a page will hold (no
    ``matching_rules``: loss ``paged_rules``), X API v2 input's posts too, each cut from its
    record (``to_v2.repaged``); ``xformat.v2pagewriter`` gathers them."""

    def __init__(
        self,
        target: str | Format,
        *,
        domain: str = "twitter.com",
        lossless: bool = False,
        strict: bool = False,
        dated: bool = False,
        pages: bool = False,
    ) -> None:
        self.format = formats.get(target)
        self.target = self.format.name
        self.dated = dated
        """Give each outcome its record's time (``Outcome.time``)."""
        if pages and (self.format is not formats.get("v2") or lossless):
            raise UsageError("response pages are written in X API v2, without lossless patches")
        self._engine = _Engine(self.format, domain, lossless, strict, pages)

    def convert_raw(self, raw: bytes, fmt: str | Format | None = None) -> Outcome:
        """Convert one record's bytes. Raises ``RecordError`` (``LossError`` when strict)."""
        if type(raw) is not bytes:
            raw = record_json(raw)
        found = find(raw, None if fmt is None else formats.get(fmt))
        kind = found.kind
        if not kind.content:
            problems = found.format.problems(found.value)
            return _new(Outcome, (kind.name, None, (), found.unknown, None, None, problems, 0))
        if kind.many:
            return self._many(raw, found)
        time = _time(found.format, found.value) if self.dated else None
        if found.format is self.format:
            if self._engine.pages:
                return self._repaged(raw, found)
            return _new(Outcome, (kind.name, raw, (), found.unknown, time, None, 0, 1))  # already there: untouched
        source = msgspec.json.decode(raw) if self._engine.lossless else None
        result = self._engine.convert(found, source)
        output = None if result.value is None else result.json()
        return _new(Outcome, (kind.name, output, result.losses, result.unknown, time, None, 0, 1))

    def _many(self, raw: bytes, found: Found) -> Outcome:
        """A record of many posts (an X API v2 page): each post converted on its own, with what
        its page holds for it; in the target format already, the record is copied whole."""
        fmt, kind = found.format, found.kind
        pieces = fmt.pieces(found.value)
        count = len(pieces.posts)
        if fmt is self.format:
            if self._engine.pages:
                return self._repaged(raw, found)
            time = _time(fmt, found.value) if self.dated else None
            return _new(Outcome, (kind.name, raw, (), found.unknown, time, None, pieces.errors, count))
        restore = getattr(found.value, patch.MEMBER, UNSET)
        if restore is not UNSET and restore.get("format") == self.format.name:
            # A post that a lossless conversion wrote (a stream line): it comes back whole.
            result = self._engine.convert(found, None)
            time = _time(fmt, found.value) if self.dated else None
            return _new(Outcome, (kind.name, result.json(), (), result.unknown, time, None, 0, 1))
        data = msgspec.json.decode(raw) if self._engine.lossless else None
        parts = []
        losses: list[str] = []
        for index, post in enumerate(pieces.posts):
            source = None if data is None else fmt.own_form(data, index, count)
            result = self._engine.convert(_new(Found, (fmt, kind, post, found.unknown)), source)
            output = None if result.value is None else result.json()
            time = _time(fmt, post) if self.dated else None
            parts.append(_new(Outcome, (kind.name, output, result.losses, result.unknown, time, None, 0, 1)))
            losses += result.losses
        codes = tuple(sorted(losses))
        return _new(Outcome, (kind.name, None, codes, found.unknown, None, tuple(parts), pieces.errors, count))

    def _repaged(self, raw: bytes, found: Found) -> Outcome:
        """An X API v2 record when writing pages: each of its posts a line of its own, cut from
        the record as parsed (``paged_lines``), so that its members and values are the record's.
        A record of many posts gives them as its parts; a flattened post, its one line."""
        fmt, kind, value = found.format, found.kind, found.value
        lines = self._engine.paged_lines(msgspec.json.decode(raw), flat=not kind.many)
        if not kind.many:
            ((output, codes),) = lines
            time = _time(fmt, value) if self.dated else None
            return _new(Outcome, (kind.name, output, codes, found.unknown, time, None, 0, 1))
        posts = fmt.pieces(value).posts if self.dated else ()
        parts = []
        losses: list[str] = []
        for index, (output, codes) in enumerate(lines):
            time = _time(fmt, posts[index]) if self.dated else None
            parts.append(_new(Outcome, (kind.name, output, codes, found.unknown, time, None, 0, 1)))
            losses += codes
        codes, problems = tuple(sorted(losses)), fmt.problems(value)
        return _new(Outcome, (kind.name, None, codes, found.unknown, None, tuple(parts), problems, len(parts)))


def _time(fmt: Format, value: Model) -> str | None:
    try:
        return fmt.time_of(value)
    except (ValueError, KeyError):
        return None  # a record without a usable time goes to the "undated" part


class _Engine:
    """Converts decoded records to ``target`` through the hub: ``target.from_hub(source.to_hub(x))``."""

    def __init__(self, target: Format, domain: str, lossless: bool, strict: bool, pages: bool = False) -> None:
        self.target = target
        self.links = Links(domain)
        self.lossless = lossless
        self.strict = strict
        self.pages = pages
        """Posts go to X API v2 response pages (``xformat.v2pagewriter``), each as a stream line
        without what a page has no place for; an X API v2 record is cut into its posts' lines
        (``paged_lines``) instead of being copied."""

    def convert(self, found: Found, source: Any) -> Converted:
        """A decoded record in the target format; ``source`` is its untyped form, if it came as such."""
        origin, value = found.format, found.value
        if origin is self.target:
            return Converted(value, (), found.unknown)
        restore = getattr(value, patch.MEMBER, UNSET)
        if restore is not UNSET and restore.get("format") == self.target.name:
            restored = self._restore(found, restore)
            return self._paged_restored(restored) if self.pages else restored
        losses: list[str] = []
        out = _through_hub(value, origin, self.target, self.links, losses)
        if self.pages and isinstance(out, V2StreamLine):
            out = paged(out, losses)
        if found.unknown:
            losses.append("unknown_fields")
        codes = _codes(losses)
        if out is None:  # no form in the target: nothing to carry a patch, and strict refuses it
            if self.strict:
                raise LossError(codes)
            return _new(Converted, (None, codes, found.unknown, None))
        if self.lossless:
            return self._with_patch(found, out, source)
        if self.strict and codes:
            raise LossError(codes)
        return _new(Converted, (out, codes, found.unknown, None))

    def paged_lines(self, data: Any, *, flat: bool) -> list[tuple[bytes, tuple[str, ...]]]:
        """The lines a page holds of the posts of ``data``, an X API v2 record (parsed; ``flat``: a
        flattened post), each with its loss codes (``to_v2.repaged``). A member of a page's or
        stream line's envelope that the models do not define is lost with them (a flattened
        post's are the post's, kept). ``LossError`` when strict."""
        record = unflattened(data) if flat else data
        unknown = not flat and not _ENVELOPE.issuperset(data)
        lines = []
        for line, losses in repaged(record):
            if unknown:
                losses.append("unknown_fields")
            codes = _codes(losses)
            if self.strict and codes:
                raise LossError(codes)
            lines.append((_ENCODER.encode(line), codes))
        return lines

    def _paged_restored(self, restored: Converted) -> Converted:
        """A record restored to the X API v2 record an earlier lossless conversion came from (one
        post), as the line a page holds of it."""
        lines = self.paged_lines(restored.data, flat=isinstance(restored.value, V2FlatPost))
        if len(lines) != 1:
            raise RecordError(f"the lossless patch restores {len(lines)} posts, not one")
        ((output, codes),) = lines
        line = msgspec.json.decode(output)
        return _new(Converted, (from_builtins(line, self.target, "stream-line").value, codes, restored.unknown, line))

    def _with_patch(self, found: Found, out: Model, source: Any) -> Converted:
        """``out`` carrying the patch that gives back ``source`` (or the decoded value) exactly."""
        origin = found.format
        if source is None:
            source = _plain(found.value)
        domain = origin.domain_of(found.value)
        back_links = self.links if domain is None else Links(domain)
        back = _plain(_formed(_through_hub(out, self.target, origin, back_links, [])))
        ops = patch.diff(source, back)
        # Restoring reconverts with the member's domain, so a non-default one must travel too.
        if ops or back_links.domain != "twitter.com":
            member = {"format": origin.name, "domain": back_links.domain, **ops}
            out = structs.replace(out, xformat_lossless=member)
        return Converted(out, (), found.unknown)

    def _restore(self, found: Found, member: dict[str, Any]) -> Converted:
        """The exact source of a record that an earlier lossless conversion produced."""
        stripped = structs.replace(found.value, xformat_lossless=UNSET)
        links = Links(member.get("domain", "twitter.com"))
        produced = _plain(_formed(_through_hub(stripped, found.format, self.target, links, [])))
        data = patch.apply(produced, member)
        # The kind comes back from the content: an X API v2 post may come back as a stream line
        # or as a flattened post, whichever the source was.
        restored = from_builtins(data, self.target, recognise(members_of(data), self.target)[1].name)
        return Converted(restored.value, (), restored.unknown, data)


def _through_hub(value: Model, origin: Format, target: Format, links: Links, losses: list[str]) -> Model | None:
    """``value``, a record of ``origin``, as a record of ``target`` (None if ``target`` has no form
    for it); the losses of both legs (the hub itself has none to run)."""
    hub = value if origin is formats.HUB else origin.to_hub(value, losses)
    return hub if target is formats.HUB else target.from_hub(hub, links, losses)


def _formed(value: Model | None) -> Model:
    """A record converted back to the format it was converted from, which always has a form for
    it (only the hub has records, drop and undrop, that another format has no form for)."""
    assert value is not None
    return value


def _codes(losses: list[str]) -> tuple[str, ...]:
    """The distinct codes of ``losses``, sorted; cached, as records of an archive repeat a few lists."""
    key = tuple(losses)
    codes = _CODES.get(key)
    if codes is None:
        codes = tuple(sorted(set(key)))
        if len(_CODES) < _CODES_MAX:
            _CODES[key] = codes
    return codes


_CODES: dict[tuple[str, ...], tuple[str, ...]] = {}
# Builds a named tuple from its fields without calling its __new__, a Python function: a frame
# per record saved.
_new = tuple.__new__
_CODES_MAX = 4096


def _plain(value: Model) -> Any:
    """``value`` as parsed JSON (lists, not tuples), the form lossless patches are computed on."""
    return msgspec.json.decode(_ENCODER.encode(value))
