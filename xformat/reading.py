"""Posts of any format, read as one: every post comes out as a native ``Post``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any, Literal

import msgspec

from xformat import formats, light_activity, light_native, light_v2
from xformat.decoding import Decoded, decode
from xformat.errors import RecordError
from xformat.formats import Kind
from xformat.formats.detect import SMALL
from xformat.light_activity import ActivityReadPost
from xformat.light_native import NativeReadPost
from xformat.light_v2 import FlatReadPost, V2ReadPost
from xformat.models import Post
from xformat.raw import record_json
from xformat.readpost import ReadPost, WholePost, whole
from xformat.records import expand_inputs, iter_records

__all__ = ["iter_posts", "native_posts", "read"]


def read(data: bytes | str | Mapping[str, Any]) -> ReadPost:
    """One post of any format (an X API v2 stream line, single lookup or flattened post too), with
    the accessors and members of a native ``Post``; raises ``RecordError`` for anything else, a page
    of several posts included (``iter_posts`` reads each).

    The accessors that give plain values answer from a light decode of what they read; the native
    ``Post`` (``.native``, and every member of ``Post``: ``.user``, ``.entities``...) is decoded with
    every check and converted when first asked for, and raises ``RecordError`` then if the rest of
    the record is invalid (``xformat.readpost``).
    """
    raw = data if type(data) is bytes else record_json(data)
    small = len(raw) < SMALL  # most likely a notice or a system message: told first
    if small:
        _refuse_notice(raw)
    global _READERS
    readers = _READERS
    for reader in readers:
        post = reader(raw)
        if post is not None:
            if reader is not readers[0]:  # the next record is likely of the same format: tried first
                _READERS = (reader, *(other for other in readers if other is not reader))
            return post
    if not small:
        _refuse_notice(raw)
    return WholePost(raw, None, whole(raw, None))


def _light_native(raw: bytes) -> ReadPost | None:
    try:
        return NativeReadPost(raw, formats.HUB, light_native.DECODER.decode(raw))
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None  # not a native post, or not a valid one: the full decode says which


def _light_activity(raw: bytes) -> ReadPost | None:
    try:
        activity = light_activity.DECODER.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    if not light_activity.is_consistent(activity):
        return None
    return ActivityReadPost(raw, _ACTIVITY, activity)


def _light_v2(raw: bytes) -> ReadPost | None:
    try:
        return V2ReadPost(raw, _V2, light_v2.DECODER.decode(raw))
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None


def _light_v2_flat(raw: bytes) -> ReadPost | None:
    try:
        return FlatReadPost(raw, _V2, light_v2.FLAT_DECODER.decode(raw))
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None


_ACTIVITY = formats.get("activity")
_V2 = formats.get("v2")
_READERS: tuple[Callable[[bytes], ReadPost | None], ...] = (
    _light_native,
    _light_activity,
    _light_v2,
    _light_v2_flat,
)
"""The light readers of posts (``xformat.light_native``, ``light_activity``, ``light_v2``'s two), the one that
read the last record first: a light struct of one format does not decode another format's post
(each requires members the other has not), so trying them in turn is the detection, and an
archive of one format tries one. Replaced, never changed in place: a thread reading meanwhile
goes through the old order whole."""


def _refuse_notice(raw: bytes) -> None:
    """``RecordError`` for a deletion or a system message, told cheaply (``_notices``)."""
    for hint, kind, decoder in _notices():
        if hint in raw and _decodes(decoder, raw):
            raise RecordError(f"not a post but a {kind.name} record")


@cache
def _notices() -> list[tuple[bytes, Kind, msgspec.json.Decoder[Any]]]:
    """The kinds of no post that records show cheaply, each with a decoder: by a hint
    (deletions: an archive's commonest non-posts), or by their one member for the kinds every
    format has alike (info, warning and error lines: an info line ends each file of a Historical
    PowerTrack job). A record that holds the hint and decodes as the kind (whose struct forbids
    unknown members and requires its own) is one: ``read`` says so without the detection that
    ``decode`` runs (a few times the cost of the decode, twenty times for a system message)."""
    first, *others = formats.FORMATS
    hinted = [
        (hint, kind)
        for fmt in formats.FORMATS
        for hint, kind in fmt.hinted
        if not kind.holds_posts and kind.rule is None
    ]
    shared = [
        (f'"{member}"'.encode(), kind)
        for kind in first.kinds.values()
        for member in kind.holds
        if len(kind.holds) == 1
        and not kind.holds_posts
        and all(kind.name in other.kinds and other.kinds[kind.name].model is kind.model for other in others)
    ]
    return [(hint, kind, msgspec.json.Decoder(kind.model)) for hint, kind in [*hinted, *shared]]


def _decodes(decoder: msgspec.json.Decoder[Any], raw: bytes) -> bool:
    """Whether ``raw`` decodes with ``decoder``."""
    try:
        decoder.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return False
    return True


def native_posts(decoded: Decoded) -> list[Post]:
    """The posts of a decoded record holding posts (one, or a page's), as the native model, the
    hub every format converts to."""
    fmt = formats.get(decoded.format)
    values = fmt.pieces(decoded.value).posts if fmt.kinds[decoded.kind].many else [decoded.value]
    posts = [fmt.to_hub(value, []) for value in values]
    assert all(isinstance(post, Post) for post in posts)
    return posts


def iter_posts(inputs: str | Iterable[str], *, errors: Literal["raise", "skip"] = "raise") -> Iterator[Post]:
    """Every post in files, directories or globs (``-`` is stdin), as native ``Post`` objects.

    Deletions, info lines, keep-alives and X API v2 records of no post are passed over; a v2
    page gives each of its posts. A record that is not valid raises ``RecordError`` (with file
    and line), or is passed over with ``errors="skip"``.
    """
    names = list(inputs) if isinstance(inputs, Iterable) and not isinstance(inputs, (str, bytes)) else [inputs]
    for record in iter_records(expand_inputs(names)):
        if record.error is not None:
            if errors == "skip":
                continue
            raise RecordError(record.error, source=record.source, line=record.line)
        if not record.raw:
            continue
        try:
            decoded = decode(record.raw)
        except RecordError as err:
            if errors == "skip":
                continue
            raise err.located(record.source, record.line) from None
        if formats.get(decoded.format).kinds[decoded.kind].holds_posts:
            yield from native_posts(decoded)
