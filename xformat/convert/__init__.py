"""Convert posts and deletions between Enriched Native and Activity Streams.

>>> result = to_activity(post)          # a Post struct, or raw JSON bytes/str/dict
>>> result.value, result.losses         # the Activity, and the declared losses it applied

Every direction has a fixed list of what it cannot carry (``losses.LOSSES``); each result names
the ones it applied. ``strict=True`` refuses a record that would lose anything; ``lossless=True``
carries what the target cannot hold in the ``xformat_lossless`` member, so that converting back
gives the source exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

import msgspec
from msgspec import UNSET, structs

from xformat.convert import lossless as patch
from xformat.convert.links import DOMAINS, Links, links_of
from xformat.convert.losses import LOSSES, Loss, losses_for
from xformat.convert.to_activity import delete_to_activity, post_to_activity
from xformat.convert.to_native import activity_to_post, delete_to_native
from xformat.decoding import Decoded, Format, Kind, Model, decode, from_builtins
from xformat.errors import LossError, UsageError
from xformat.models import Activity, DeleteActivity, DeleteNotice, InfoNotice, Post

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
]

Raw = bytes | str | Mapping[str, Any]
_ENCODER = msgspec.json.Encoder()


class Converted(NamedTuple):
    """One converted record."""

    value: Model
    """The converted struct (Activity/Post, or DeleteActivity/DeleteNotice)."""
    losses: tuple[str, ...]
    """Codes of the declared losses this record incurred (see ``xformat.convert.losses``)."""
    unknown: tuple[str, ...] = ()
    """JSON paths of input fields neither format defines (dropped unless lossless)."""
    data: Any = None
    """The exact output as Python objects, when it holds more than ``value`` can (lossless restore)."""

    def json(self) -> bytes:
        return _ENCODER.encode(self.value if self.data is None else self.data)

    def to_dict(self) -> dict[str, Any]:
        out = _plain(self.value) if self.data is None else self.data
        assert isinstance(out, dict)
        return out


def to_activity(
    post: Post | DeleteNotice | Raw,
    *,
    domain: str = "twitter.com",
    lossless: bool = False,
    strict: bool = False,
) -> Converted:
    """An Enriched Native post or deletion notice in Activity Streams format."""
    return _Engine("activity", domain, lossless, strict).convert(*_as_decoded(post, "native"))


def to_native(activity: Activity | DeleteActivity | Raw, *, lossless: bool = False, strict: bool = False) -> Converted:
    """An Activity Streams activity or deletion in Enriched Native format."""
    return _Engine("native", "twitter.com", lossless, strict).convert(*_as_decoded(activity, "activity"))


def _as_decoded(value: Model | Raw, fmt: Format) -> tuple[Decoded, Any]:
    """The decoded record and, for raw input, its untyped form (lossless mode diffs against it)."""
    if isinstance(value, (Post, DeleteNotice, Activity, DeleteActivity)):
        kind: Kind = "delete" if isinstance(value, (DeleteNotice, DeleteActivity)) else "post"
        return Decoded(fmt, kind, value, ()), None
    if isinstance(value, InfoNotice):
        raise UsageError("an info line is not a post: it has no other format")
    raw = value if isinstance(value, (bytes, str)) else _ENCODER.encode(value)
    decoded = decode(raw, fmt)
    if decoded.kind == "info":
        raise UsageError("an info line is not a post: it has no other format")
    return decoded, value


class Outcome(NamedTuple):
    """What the pipeline needs of one converted line."""

    kind: Literal["post", "delete", "info"]
    output: bytes | None
    losses: tuple[str, ...]
    unknown: tuple[str, ...]


class Converter:
    """Converts raw records to ``target``; built once per run (or per worker process)."""

    def __init__(
        self, target: Format, *, domain: str = "twitter.com", lossless: bool = False, strict: bool = False
    ) -> None:
        self.target = target
        self._engine = _Engine(target, domain, lossless, strict)

    def convert_raw(self, raw: bytes, fmt: Format | None = None) -> Outcome:
        """Convert one record's bytes. Raises ``RecordError`` (``LossError`` when strict)."""
        decoded = decode(raw, fmt)
        if decoded.kind == "info":
            return Outcome("info", None, (), decoded.unknown)
        if decoded.format == self.target:
            return Outcome(decoded.kind, raw, (), decoded.unknown)  # already there: untouched
        source = msgspec.json.decode(raw) if self._engine.lossless else None
        result = self._engine.convert(decoded, source)
        return Outcome(decoded.kind, result.json(), result.losses, result.unknown)


class _Engine:
    def __init__(self, target: Format, domain: str, lossless: bool, strict: bool) -> None:
        if target not in ("native", "activity"):
            raise UsageError(f"unknown target format {target!r}")
        self.target = target
        self.links = Links(domain)
        self.lossless = lossless
        self.strict = strict

    def convert(self, decoded: Decoded, source: Any) -> Converted:
        value = decoded.value
        restore = getattr(value, patch.MEMBER, UNSET)
        if restore is not UNSET and restore.get("format") == self.target:
            return self._restore(decoded, restore)
        losses: list[str] = []
        out = _one_way(value, self.links, losses)
        if decoded.unknown:
            losses.append("unknown_fields")
        codes = _codes(losses)
        if self.lossless:
            return self._with_patch(decoded, out, source)
        if self.strict and codes:
            raise LossError(codes)
        return Converted(out, codes, decoded.unknown)

    def _with_patch(self, decoded: Decoded, out: Model, source: Any) -> Converted:
        """``out`` carrying the patch that gives back ``source`` (or the decoded value) exactly."""
        if source is None:
            source = _plain(decoded.value)
        back_links = self.links if isinstance(decoded.value, (Post, DeleteNotice)) else links_of(_iri(decoded.value))
        back = _plain(_one_way(out, back_links, []))
        ops = patch.diff(source, back)
        # Restoring reconverts with the member's domain, so a non-default one must travel too.
        if ops or back_links.domain != "twitter.com":
            member = {"format": decoded.format, "domain": back_links.domain, **ops}
            out = structs.replace(out, xformat_lossless=member)
        return Converted(out, (), decoded.unknown)

    def _restore(self, decoded: Decoded, member: dict[str, Any]) -> Converted:
        """The exact source of a record that an earlier lossless conversion produced."""
        stripped = structs.replace(decoded.value, xformat_lossless=UNSET)
        produced = _plain(_one_way(stripped, Links(member.get("domain", "twitter.com")), []))
        data = patch.apply(produced, member)
        restored = from_builtins(data, self.target, decoded.kind)
        return Converted(restored.value, (), restored.unknown, data)


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
_CODES_MAX = 4096


def _plain(value: Model) -> Any:
    """``value`` as parsed JSON (lists, not tuples), the form lossless patches are computed on."""
    return msgspec.json.decode(_ENCODER.encode(value))


def _one_way(value: Model, links: Links, losses: list[str]) -> Model:
    if isinstance(value, Post):
        return post_to_activity(value, links, losses)
    if isinstance(value, Activity):
        return activity_to_post(value, losses)
    if isinstance(value, DeleteNotice):
        return delete_to_activity(value, links, losses)
    if isinstance(value, DeleteActivity):
        return delete_to_native(value, losses)
    raise UsageError(f"cannot convert a {type(value).__name__}")


def _iri(value: Model) -> str:
    """The activity IRI of an Activity Streams record, whose domain converting back must reproduce."""
    if isinstance(value, DeleteActivity):
        return value.object.id
    assert isinstance(value, Activity)
    return value.id
