"""What ``xformat.read`` gives: a post whose accessors answer first, its native ``Post`` made on first need.

Reading a record with the accessors is what researchers do most; building the whole native
``Post`` of every record (a decode with every check, and for the other formats a conversion on
top) cost three to nine times what the accessors need. So ``read`` decodes into a light struct
of what the accessors read (``xformat.light_native``, ``light_activity``, ``light_v2``); the rest of
the record is neither built nor checked until something else is asked for.

A ``ReadPost`` has every accessor and every member of ``Post``: an accessor that gives plain
values (text, names, counts, times) answers from the light struct; one that gives the model's
own structs (``content_entities``, ``quoted_post``...) and any member of ``Post`` (``user``,
``entities``, ``id_str``...) come from ``native``, the ``Post`` that the record decodes and
converts into, made once, when first needed. That is when the rest of the record is checked:
a record the light decode read but the full decode rejects raises ``RecordError`` there, as
``read`` raised it before. Answers are the same either way: the light accessors read the same
members the native ones would, and check the values they read as the models do (a value they
cannot vouch for is left to ``native``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec
from msgspec import inspect

from xformat import formats
from xformat.accessors import PostAccessors
from xformat.errors import RecordError, XFormatError
from xformat.formats import Format
from xformat.models import Post

__all__ = ["Light", "ReadPost", "WholePost", "iso_moment", "pattern_of", "whole"]


class Light(msgspec.Struct, kw_only=True, gc=False):
    """Base of the light readers' structs (``xformat.light_native``, ``light_activity``,
    ``light_v2``): unknown members are skipped, the full decode judges them. Not tracked by the
    garbage collector (cheaper to make): decoded trees, never changed, hold no cycle."""


class ReadPost(PostAccessors):
    """A post as ``xformat.read`` gives it: the accessors of ``Post`` and, through ``native``, its members.

    Equal to its native ``Post`` (and to another ``ReadPost`` of an equal one); pickled and
    copied as that ``Post``; the converters (``xformat.to_activity``...) take it as one.
    """

    __slots__ = ("_format", "_native", "_raw")

    def __init__(self, raw: bytes, fmt: Format | None, native: Post | None = None) -> None:
        self._raw = raw
        self._format = fmt
        self._native = native

    @property
    def native(self) -> Post:
        """The record as a native ``Post``: decoded with every check and converted, the first
        time it is asked for. Raises ``RecordError`` if the record is not a valid post."""
        post = self._native
        if post is None:
            post = self._native = whole(self._raw, self._format)
        return post

    def _post(self) -> Post:
        return self.native

    def __getattr__(self, name: str) -> Any:
        # Only for names the class lacks: the members of Post. Not for private names, which tools
        # probe for (copy's __deepcopy__, notebooks' _repr_html_): no decode for those.
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self.native, name)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *Post.__struct_fields__})

    def __eq__(self, other: object) -> bool:
        return self.native == (other.native if isinstance(other, ReadPost) else other)

    __hash__ = None  # type: ignore[assignment]  # as Post: mutable, so not hashable

    def __repr__(self) -> str:
        try:
            return repr(self.native)
        except XFormatError as err:
            return f"<{type(self).__name__} of an invalid record: {err}>"

    def __reduce__(self) -> str | tuple[Any, ...]:
        return self.native.__reduce__()


class WholePost(ReadPost):
    """A post read the whole way at once: the records no light struct reads (X API v2 pages,
    records the light decode refused so that the full one says why)."""

    __slots__ = ()


def whole(raw: bytes, fmt: Format | None) -> Post:
    """The one post of ``raw`` (a record of ``fmt``; of the format detected, when None) as a
    native ``Post``, every member decoded and checked; ``RecordError`` for anything else, a page
    of several posts included."""
    from xformat.decoding import decode
    from xformat.reading import native_posts

    decoded = decode(raw, fmt)
    if not formats.get(decoded.format).kinds[decoded.kind].holds_posts:
        raise RecordError(f"not a post but a {decoded.kind} record")
    posts = native_posts(decoded)
    if len(posts) != 1:
        raise RecordError(f"a page of {len(posts)} posts, not one post: iter_posts reads each")
    return posts[0]


def pattern_of(annotated: Any) -> re.Pattern[str]:
    """The pattern of one of the models' annotated string types (``IdStr``, ``IsoTime``...), for a
    light accessor that checks the value it reads as the full decode would."""
    info = inspect.type_info(annotated)
    if isinstance(info, inspect.Metadata):  # with a description or an ``extra``
        info = info.type
    assert isinstance(info, inspect.StrType) and info.pattern is not None
    return re.compile(info.pattern)


def iso_moment(text: str, pattern: re.Pattern[str]) -> datetime | None:
    """An ISO 8601 UTC time (``IsoTime``, whose ``pattern`` is given) to the second, as the native
    time a converter makes of it (native times have no fraction) reads; None for a text the
    pattern refuses or an impossible time, which the native ``Post`` is left to say why."""
    if pattern.fullmatch(text) is None:
        return None
    try:
        moment = datetime.fromisoformat(text)  # in C: a third of the time of int() and the constructor
    except ValueError:
        return None
    return moment.replace(microsecond=0) if moment.microsecond else moment
