"""Records to rows: chunks of an input, each turned into the rows of its posts, and what every record was.

The reading process cuts the input into chunks (``chunks``); ``RowMaker`` turns a chunk into
rows, in this process or in a worker. A chunk is a block of NDJSON lines as the reader gives it
(cut into records by whoever makes its rows), or records of a JSON array or search page
gathered with where each came from. Either way the same records give the same rows in the
same order, so the number of processes never changes a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from msgspec import UNSET

from xformat import formats
from xformat.convert import to_native
from xformat.decoding import Decoded, decode
from xformat.errors import RecordError, unexpected
from xformat.export.columns import Getter, Row
from xformat.models import Post
from xformat.reading import native_posts
from xformat.records import Block, Record, block_lines, line_records, plain_record

CHUNK_RECORDS = 500
CHUNK_BYTES = 2**20
"""A chunk of loose records ends at whichever of these it reaches first."""


class Loose(NamedTuple):
    """Where a record of a chunk of loose records comes from, and its size in the chunk's bytes
    (-1 for a record that gives no row: a keep-alive, or one the reader could not cut out)."""

    source: str
    line: int
    item: int | None
    size: int


Chunk = tuple[list[Record] | None, bytes, list[Loose] | Block]
"""(the records, kept by the reading process, or None for a block; the bytes; where they come from)."""


class Failed(NamedTuple):
    record: Record
    reason: str
    path: str


class Page(NamedTuple):
    """A record of many posts (an X API v2 page), each given a row."""

    posts: int


Outcome = str | Page | Failed | None
"""What a record was: its kind (``post``, ``delete``, ``info``...), a page of posts, why it was
rejected, or None for a record that is no record (a keep-alive; or a reader's reject, which the
reading process holds)."""


class Rows(NamedTuple):
    rows: list[list[Any]]
    ids: list[int]
    """The post id of each row (for finding duplicates)."""
    outcomes: list[Outcome]
    """One per record of the chunk, in order."""


def chunks(pieces: Iterable[Record | Block]) -> Iterator[Chunk]:
    """The chunks of what a reader gives (``Reader.pieces``): each block as it is, loose records gathered."""
    records: list[Record] = []
    raws: list[bytes] = []
    where: list[Loose] = []
    total = 0
    for piece in pieces:
        if isinstance(piece, Block):
            if records:
                yield records, b"".join(raws), where
                records, raws, where, total = [], [], [], 0
            yield None, piece.data, piece._replace(data=b"")
            continue
        records.append(piece)
        if piece.raw and piece.error is None:
            raws.append(piece.raw)
            where.append(Loose(piece.source, piece.line, piece.item, len(piece.raw)))
            total += len(piece.raw)
        else:
            where.append(Loose(piece.source, piece.line, piece.item, -1))
        if len(records) >= CHUNK_RECORDS or total >= CHUNK_BYTES:
            yield records, b"".join(raws), where
            records, raws, where, total = [], [], [], 0
    if records:
        yield records, b"".join(raws), where


class RowMaker:
    """Turns chunks into rows of the values ``getters`` give."""

    def __init__(self, getters: Sequence[Getter]) -> None:
        self.getters = tuple(getters)

    def __call__(self, data: bytes | memoryview, meta: list[Loose] | Block) -> Rows:
        out = Rows([], [], [])
        if isinstance(meta, Block):
            self._block(meta._replace(data=bytes(data)), out)
            return out
        start = 0
        for loose in meta:
            if loose.size < 0:
                out.outcomes.append(None)
                continue
            raw = bytes(data[start : start + loose.size])
            start += loose.size
            out.outcomes.append(self.one(raw, loose.source, loose.line, loose.item, out))
        return out

    def _block(self, block: Block, out: Rows) -> None:
        """The records of ``block`` (as ``block_records`` cuts them, without a ``Record`` for
        most lines: only the lines that are simply one record are that common)."""
        one, outcomes, source, limit = self.one, out.outcomes, block.source, block.limit
        for line, text in enumerate(block_lines(block.data), block.line):
            raw = plain_record(text, limit)
            if raw is not None:
                outcomes.append(one(raw, source, line, None, out))
                continue
            for record in line_records(source, line, text, limit):
                if record.error is not None:
                    outcomes.append(Failed(record, record.error, "$"))
                elif not record.raw:
                    outcomes.append(None)
                else:
                    outcomes.append(one(record.raw, source, line, record.item, out))

    def one(self, raw: bytes, source: str, line: int, item: int | None, out: Rows) -> Outcome:
        """The kind of the record ``raw``; a post's row goes to ``out``."""
        try:
            decoded = decode(raw)
            kind = formats.get(decoded.format).kinds[decoded.kind]
            if not kind.holds_posts:
                return decoded.kind
            posts = native_posts(decoded) if kind.many else [_native(decoded)]
            rows, ids = [], []
            for post in posts:
                row = Row(post, decoded.format, source, line, item)
                values = [get(row) for get in self.getters]
                if UNSET in values:  # a member the record lacks: the column says nothing (null)
                    values = [None if value is UNSET else value for value in values]
                rows.append(values)
                ids.append(int(post.id_str))
        except RecordError as err:
            return Failed(Record(source, line, raw, item), err.reason, err.path)
        except Exception as exc:  # one bad record must not end a run over a whole archive
            return Failed(Record(source, line, raw, item), unexpected(exc, raw), "$")
        out.rows.extend(rows)
        out.ids.extend(ids)
        return Page(len(posts)) if kind.many else "post"


def _native(decoded: Decoded) -> Post:
    """A decoded post as the native ``Post`` that rows are made of (the hub every format converts
    to; a lossless conversion's record restored as it was)."""
    value = to_native(decoded.value).value
    if not isinstance(value, Post):
        raise RecordError(f"a {type(value).__name__} is not a post")
    return value
