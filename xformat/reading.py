"""Posts of any format, read as one: every post comes out as a native ``Post``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from xformat import formats
from xformat.decoding import Decoded, decode
from xformat.errors import RecordError
from xformat.models import Post
from xformat.raw import record_json
from xformat.records import expand_inputs, iter_records

__all__ = ["iter_posts", "native_posts", "read"]


def read(data: bytes | str | Mapping[str, Any]) -> Post:
    """One post of any format as a native ``Post`` (an X API v2 stream line, single lookup or
    flattened post too); raises ``RecordError`` for anything else, a page of several posts
    included (``iter_posts`` reads each)."""
    decoded = decode(record_json(data))
    if not formats.get(decoded.format).kinds[decoded.kind].holds_posts:
        raise RecordError(f"not a post but a {decoded.kind} record")
    posts = native_posts(decoded)
    if len(posts) != 1:
        raise RecordError(f"a page of {len(posts)} posts, not one post: iter_posts reads each")
    return posts[0]


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
