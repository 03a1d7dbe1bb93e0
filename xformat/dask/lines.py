"""Bags of records: built from paths by xformat's own reader, or from the lines of any bag.

``read_lines`` gives each partition the ``Record``s of one file, or of one block of a large
uncompressed NDJSON file, with exact line numbers either way: a cheap first pass counts the
newlines of every block, in parallel, so that each block knows the line it starts at. Blocks
start only at a line that xformat's reader would read the same way at the start of a file (not
blank, not opening a JSON document), so that cutting never changes what is read. Compressed
files and JSON documents (arrays, pretty-printed search pages) cannot be cut: one partition each.

``records_of`` turns a partition of any supported bag into ``Record``s, through the same
reader the CLI uses: NDJSON lines, JSON arrays and search pages on a line, keep-alives, too-long
records and bad UTF-8 come out exactly as ``xformat convert`` sees them.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple

import dask.bag as db
from dask.delayed import delayed
from dask.utils import parse_bytes

from xformat.errors import UsageError
from xformat.records import (
    DEFAULT_MAX_RECORD_BYTES,
    STDIN,
    Block,
    Reader,
    Record,
    compression_of,
    expand_inputs,
    opens_document,
    read_stream,
    records_in,
    stream_pieces,
)

Line = str | bytes | tuple[str | bytes, str] | Record
"""An element of a bag of lines: a line (``read_text``), a ``(line, path)`` pair
(``read_text(..., include_path=True)``), or a ``Record`` (``read_lines``)."""

_SCAN = 2**20  # bytes read at a time when counting newlines or looking for the end of a line
_HEAD = 256  # bytes of a line enough to tell whether a block may start there


class Piece(NamedTuple):
    """What one partition reads: a whole file (``end`` None), or the lines that start in
    ``[start, end)`` of an uncompressed NDJSON file."""

    path: str
    start: int
    end: int | None
    size: int
    """Bytes of the file it reads (for progress)."""


def read_lines(
    paths: str | Iterable[str],
    *,
    blocksize: int | str | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Any:
    """A bag of the ``Record``s of files, directories or globs (as ``xformat convert`` takes them).

    One partition per file; with ``blocksize`` (bytes, or a string such as ``"64MiB"``),
    uncompressed NDJSON files larger than that are cut into blocks of about that size. The
    paths must be readable at the same names here and on the workers (a local cluster, or a
    shared file system).
    """
    return bag_of(plan([paths] if isinstance(paths, str) else paths, blocksize), max_record_bytes)


def plan(paths: Iterable[str], blocksize: int | str | None) -> list[Piece]:
    """The pieces ``read_lines`` reads, in order."""
    size = parse_bytes(blocksize) if isinstance(blocksize, str) else blocksize
    if size is not None and size < 1:
        raise UsageError("blocksize must be positive")
    names = expand_inputs(paths)
    if STDIN in names:
        raise UsageError("Dask workers cannot read stdin: name files")
    if not names:
        raise UsageError("no input files")
    return [piece for name in names for piece in _pieces(name, size)]


def bag_of(pieces: Sequence[Piece], max_record_bytes: int) -> Any:
    """One partition of ``Record``s per piece."""
    files: list[list[Piece]] = []
    for piece in pieces:
        if piece.start == 0:  # a file begins
            files.append([])
        files[-1].append(piece)
    parts = []
    for blocks in files:
        if blocks[0].end is None:
            parts.append(delayed(_read_file)(blocks[0], max_record_bytes))
            continue
        counts = [delayed(_newlines)(block.path, block.start, block.end) for block in blocks]
        firsts = delayed(_first_lines)(counts)
        parts.extend(delayed(_read_block)(block, firsts, i, max_record_bytes) for i, block in enumerate(blocks))
    return db.from_delayed(parts)  # type: ignore[no-untyped-call]


def records_of(items: Iterable[Line], partition: int, max_record_bytes: int) -> Iterator[Record]:
    """The records of one partition of a bag, in order.

    Lines are read by xformat's reader, one run of consecutive lines of the same path at a
    time, counted from 1 at the start of the run; lines with no path are named after their
    partition (``partition-00003``).
    """
    unnamed = f"partition-{partition:05d}"
    for source, run in itertools.groupby(items, key=_source_of):
        if source is None:
            yield from run  # type: ignore[misc]  # Records, already read
        else:
            data = b"".join(_line_bytes(item) for item in run)  # type: ignore[arg-type]
            yield from read_stream(io.BytesIO(data), source or unnamed, max_record_bytes=max_record_bytes)


def _source_of(item: Line) -> str | None:
    if isinstance(item, Record):
        return None
    if isinstance(item, tuple) and len(item) == 2:
        return item[1]
    if isinstance(item, (str, bytes)):
        return ""
    raise UsageError(
        f"a bag of lines holds str or bytes lines, (line, path) pairs or Records, not {type(item).__name__}"
    )


def _line_bytes(item: str | bytes | tuple[str | bytes, str]) -> bytes:
    line = item[0] if isinstance(item, tuple) else item
    # read_text(errors="surrogateescape") keeps bytes that are not UTF-8; this gives them back.
    data = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else line
    return data if data.endswith(b"\n") else data + b"\n"


def _pieces(path: str, blocksize: int | None) -> list[Piece]:
    size = os.path.getsize(path)
    whole = [Piece(path, 0, None, size)]
    if blocksize is None or size <= blocksize:
        return whole
    with open(path, "rb") as file:
        if compression_of(file.read(6)) is not None or not _is_ndjson(file, size):
            return whole
        starts = [0]
        for offset in range(blocksize, size, blocksize):
            if offset > starts[-1]:
                file.seek(offset - 1)
                start = _block_start(file, _after_newline(file), size)
                if start < size:
                    starts.append(start)
    ends = [*starts[1:], size]
    return [Piece(path, start, end, size) for start, end in zip(starts, ends, strict=True)]


def _is_ndjson(file: io.BufferedReader, size: int) -> bool:
    """Whether xformat's reader reads the file line by line: its first line that is not blank
    opens no JSON document (``records._Splitter.stream``)."""
    position = 0
    while position < size and (kind := _line_kind(file, position)) == "blank":
        position = _after_newline(file)
    return position < size and kind == "record"


def _block_start(file: io.BufferedReader, position: int, size: int) -> int:
    """The first line from ``position`` on where a block may start, or ``size``: one that the
    reader reads the same way at the start of a stream as in the middle of one (neither blank
    nor opening a JSON document). Passing a line is always safe: the block before grows."""
    while position < size and _line_kind(file, position) != "record":
        position = _after_newline(file)
    return min(position, size)


def _line_kind(file: io.BufferedReader, position: int) -> Literal["blank", "record", "other"]:
    """What the line at ``position`` is, from its first bytes (all of them when it starts a JSON
    value, which opens a document unless the line completes it); the file is left at
    ``position``. ``other``: it opens a JSON document, it starts with too much whitespace to
    tell, or it is too long to tell."""
    file.seek(position)
    line, newline, _ = file.read(_HEAD).partition(b"\n")
    if not newline and line.lstrip()[:1] in (b"{", b"["):
        file.seek(position)
        line, newline, _ = file.readline(DEFAULT_MAX_RECORD_BYTES + 1).partition(b"\n")
        if not newline and file.tell() < os.fstat(file.fileno()).st_size:
            file.seek(position)
            return "other"
    file.seek(position)
    body = line.strip()
    if not body and newline:
        return "blank"
    if body and not opens_document(body):
        return "record"
    return "other"


def _after_newline(file: io.BufferedReader) -> int:
    """Position just past the next newline (or the end of the file)."""
    while chunk := file.read(_SCAN):
        found = chunk.find(b"\n")
        if found >= 0:
            return file.tell() - len(chunk) + found + 1
    return file.tell()


def contents(piece: Piece, max_record_bytes: int) -> Iterator[Record | Block]:
    """What ``piece`` holds, as xformat's reader gives it (``Reader.pieces``): records, and NDJSON
    in blocks of whole lines. Line numbers count from the piece's first line."""
    if piece.end is None:
        yield from Reader([piece.path], max_record_bytes=max_record_bytes).pieces()
        return
    with open(piece.path, "rb") as file:
        file.seek(piece.start)
        # Buffered over a window of the file: the reader's line cap holds as it does for a file.
        stream = io.BufferedReader(_Window(file, piece.end - piece.start))
        yield from stream_pieces(stream, piece.path, max_record_bytes=max_record_bytes)


class Contents:
    """What a piece holds (``contents``, to iterate once), and how many lines were read."""

    def __init__(self, piece: Piece, max_record_bytes: int) -> None:
        self._items = contents(piece, max_record_bytes)
        self._last: Record | Block | None = None

    def __iter__(self) -> Iterator[Record | Block]:
        for item in self._items:
            self._last = item
            yield item

    @property
    def lines(self) -> int:
        """The line the reader has come to, counted from the piece's first line: once a block is
        read, the lines it holds (the reader numbers every line, keep-alives and lines too long
        to read included, and a block ends at a newline)."""
        last = self._last
        if isinstance(last, Block):
            return last.line + last.lines - 1
        return 0 if last is None else last.line


def _newlines(path: str, start: int, end: int) -> int:
    with open(path, "rb") as file:
        file.seek(start)
        count, left = 0, end - start
        while left > 0 and (chunk := file.read(min(_SCAN, left))):
            count += chunk.count(b"\n")
            left -= len(chunk)
        return count


def _first_lines(counts: list[int]) -> list[int]:
    """The line number each block starts at (blocks end at a newline, but for the last one)."""
    return list(itertools.accumulate(counts[:-1], initial=1))


def _read_file(piece: Piece, max_record_bytes: int) -> list[Record]:
    return list(records_in(contents(piece, max_record_bytes)))


def _read_block(block: Piece, firsts: list[int], index: int, max_record_bytes: int) -> list[Record]:
    shift = firsts[index] - 1
    return [r._replace(line=r.line + shift) for r in records_in(contents(block, max_record_bytes))]


class _Window(io.RawIOBase):
    """The next ``length`` bytes of ``file``, as a stream of their own."""

    def __init__(self, file: io.BufferedReader, length: int) -> None:
        self._file = file
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._file.read(min(len(view), self._left))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)
