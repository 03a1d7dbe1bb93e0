"""Posts of either format, read as one: every record comes out as a native ``Post``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from xformat import formats
from xformat.decoding import Decoded, decode, find
from xformat.errors import RecordError
from xformat.models import Post
from xformat.raw import record_json
from xformat.records import expand_inputs, iter_records

__all__ = ["iter_posts", "read"]


def read(data: bytes | str | Mapping[str, Any]) -> Post:
    """One post of either format as a native ``Post`` (raises ``RecordError`` for anything else)."""
    fmt, kind, value, _ = find(record_json(data))
    if kind.name != "post":
        raise RecordError(f"not a post but a {kind.name} record")
    if type(value) is Post:
        return value  # native: the hub itself
    post = fmt.to_hub(value, [])
    assert isinstance(post, Post)
    return post


def _as_post(decoded: Decoded) -> Post:
    """The post as the native model, the hub every format converts to."""
    post = formats.get(decoded.format).to_hub(decoded.value, [])
    assert isinstance(post, Post)
    return post


def iter_posts(inputs: str | Iterable[str], *, errors: Literal["raise", "skip"] = "raise") -> Iterator[Post]:
    """Every post in files, directories or globs (``-`` is stdin), as native ``Post`` objects.

    Deletions, info lines and keep-alives are not posts and are passed over. A record that is
    not valid raises ``RecordError`` (with file and line), or is passed over with ``errors="skip"``.
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
        if decoded.kind == "post":
            yield _as_post(decoded)
