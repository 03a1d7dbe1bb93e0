"""Where records come from: files or stdin, compressed or not, NDJSON, JSON arrays, search pages.

Every record of the input is accounted for: a post or notice becomes a ``Record`` with its
original bytes; a blank keep-alive line becomes a ``Record`` with empty bytes, so that callers
can count it; what cannot even be cut out of the input (a line longer than the limit, a broken
JSON array, a corrupt compressed stream) becomes a ``Record`` with an ``error``. Nothing here
parses a post: that is ``xformat.decoding``'s single decode.

Memory stays flat whatever the input: NDJSON is read line by line with a length cap, and JSON
documents (arrays, pretty-printed search pages) are cut into their elements as they stream in,
never read whole.
"""

from __future__ import annotations

import bz2
import glob
import gzip
import io
import lzma
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

import msgspec
import zstandard

from xformat.errors import UsageError

STDIN = "-"
DEFAULT_MAX_RECORD_BYTES = 16 * 2**20
PREFIX_BYTES = 1024
"""How much of a record that cannot be cut out (too long, broken) is kept in ``Record.raw``."""

_CHUNK = 2**20  # read size of JSON documents; also how far an over-long line is skipped per read

# Magic bytes, not extensions: archives are often renamed, never re-encoded.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zst"),
)
# What a corrupt or truncated (compressed) stream raises while it is read.
_READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class Record(NamedTuple):
    source: str
    line: int
    """1-based line of the (decompressed) source where the record starts."""
    raw: bytes
    """The record's JSON bytes; empty for a keep-alive (blank) line; with ``error``, at most its
    first ``PREFIX_BYTES`` bytes."""
    item: int | None = None
    """Position inside a JSON array or a search page's results, if the record came from one."""
    error: str | None = None
    """Why the record could not be read at all (the reader's reject); None for a readable one."""

    @property
    def where(self) -> str:
        suffix = f"#{self.item}" if self.item is not None else ""
        return f"{self.source}:{self.line}{suffix}"


def opens_document(line: bytes) -> bool:
    """Whether a stream whose first line is ``line`` is one JSON document (``[``, or ``{`` alone:
    pretty-printed) rather than NDJSON, where a line that starts with ``{`` is one record."""
    return line.lstrip()[:1] == b"[" or line.strip() == b"{"


def compression_of(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def open_input(name: str) -> IO[bytes]:
    """A binary stream of ``name`` (``-`` for stdin), decompressed by its magic bytes."""
    return _decompressed(_open_raw(name))


def _open_raw(name: str) -> io.BufferedReader:
    if name == STDIN:
        raw: IO[bytes] = sys.stdin.buffer
    else:
        try:
            # The default (small) buffer: NDJSON is read in blocks larger than it, which then go
            # straight from the file into the reader's own buffer, not through this one.
            raw = open(name, "rb")  # noqa: SIM115 - returned to the caller, who closes it
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    return raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]


def _decompressed(buffered: io.BufferedReader) -> IO[bytes]:
    kind = compression_of(buffered.peek(6)[:6])
    if kind == "gz":
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    if kind == "bz2":
        return bz2.BZ2File(buffered)
    if kind == "xz":
        return lzma.LZMAFile(buffered)
    if kind == "zst":
        # Across frames: zstd files are often concatenations (one frame per hour, say).
        reader = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True, closefd=False)
        return io.BufferedReader(reader)
    return buffered


def iter_records(names: Iterable[str], *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[Record]:
    """Records of every input in turn; ``-`` is stdin."""
    return iter(Reader(list(names), max_record_bytes=max_record_bytes))


class Reader:
    """Records of several inputs in turn, and how many of their (compressed) bytes are read."""

    def __init__(self, names: Sequence[str], *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> None:
        self.names = list(names)
        self.max_record_bytes = max_record_bytes
        self._sizes = [_size(name) for name in self.names]
        self.total_bytes: int | None = None if None in self._sizes else sum(s or 0 for s in self._sizes)
        """Bytes of all inputs, or None when one of them has no size known in advance (stdin)."""
        self._done = 0
        self._current: IO[bytes] | None = None

    @property
    def bytes_read(self) -> int:
        """Bytes read so far: of the file itself (compressed ones) for a compressed file."""
        current = self._current
        if current is None or current.closed or not current.seekable():
            return self._done
        return self._done + current.tell()

    def __iter__(self) -> Iterator[Record]:
        return records_in(self.pieces())

    def pieces(self) -> Iterator[Record | Block]:
        """What the inputs hold, in order, with NDJSON in blocks of whole lines (``Block``)."""
        for name, size in zip(self.names, self._sizes, strict=True):
            raw = _open_raw(name)
            self._current = raw
            try:
                yield from self._pieces_of(raw, name)
            finally:
                self._current = None
                if name != STDIN:
                    raw.close()
            self._done += size or 0

    def _pieces_of(self, raw: io.BufferedReader, name: str) -> Iterator[Record | Block]:
        split = _Splitter(name, self.max_record_bytes)
        try:
            yield from split.pieces(_decompressed(raw))
        except _READ_ERRORS as exc:
            # A truncated download or a corrupt archive: what came before is kept, the rest of
            # this input is one reject, and the run goes on with the next input.
            yield Record(name, split.line + 1, b"", error=f"cannot read further: {exc}")


def _size(name: str) -> int | None:
    if name == STDIN:
        return None
    path = Path(name)
    return path.stat().st_size if path.is_file() else None


def read_stream(
    stream: IO[bytes], source: str, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[Record]:
    """Records of one decompressed stream: NDJSON, JSON arrays, search pages, pretty-printed JSON."""
    return records_in(stream_pieces(stream, source, max_record_bytes=max_record_bytes))


def stream_pieces(
    stream: IO[bytes], source: str, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[Record | Block]:
    """What ``read_stream`` reads, with NDJSON left in blocks of whole lines (as ``Reader.pieces``)."""
    return _Splitter(source, max_record_bytes).pieces(stream)


class Block(NamedTuple):
    """A run of whole NDJSON lines as read, not yet cut into records (see ``block_records``).

    The converter hands blocks to its workers as they are: cut into records there, they cost
    the process that reads only a count of their newlines (for the next block's line number).
    """

    source: str
    line: int
    """1-based line of ``data``'s first line."""
    data: bytes
    """Whole lines, each ending with a newline (the input's last line may not)."""
    limit: int
    """The longest record allowed (``--max-record-bytes``)."""


def records_in(pieces: Iterable[Record | Block]) -> Iterator[Record]:
    """The records of ``pieces``, blocks cut into theirs."""
    for piece in pieces:
        if isinstance(piece, Block):
            yield from block_records(piece)
        else:
            yield piece


def block_records(block: Block) -> Iterator[Record]:
    """The records of a block: one per line, or the results of a search page on one line."""
    for line, text in enumerate(block_lines(block.data), block.line):
        yield from line_records(block.source, line, text, block.limit)


def block_lines(data: bytes) -> Iterator[bytes]:
    """The lines of ``data``, without their newlines.

    Cut one at a time with ``find`` (memchr) rather than ``split``, which walks the bytes one by
    one and holds every line at once: on megabyte blocks of kilobyte lines, 10 times slower.
    """
    find = data.find
    start, size = 0, len(data)
    while start < size:
        end = find(b"\n", start)
        if end < 0:
            end = size
        yield data[start:end]
        start = end + 1


def count_lines(data: bytes) -> int:
    """The lines of ``data``, counted with ``find`` (see ``block_lines``; ``count`` is as slow)."""
    find = data.find
    lines, end = 0, find(b"\n")
    while end >= 0:
        lines += 1
        end = find(b"\n", end + 1)
    return lines if data[-1:] == b"\n" else lines + 1


def line_records(source: str, line: int, text: bytes, limit: int) -> Iterator[Record]:
    """The records of one NDJSON line (``text``, without its newline).

    A line that starts with ``{`` is one record, or one search page if its first member is
    ``results``, ``next`` or ``requestParameters``; a line that starts with ``[`` is an array of
    records; a blank line is a keep-alive. That way a truncated line in the middle of a feed is
    one reject, not the end of the file.
    """
    body = plain_record(text, limit)
    if body is not None:
        yield Record(source, line, body)
        return
    if len(text) > limit:
        yield Record(source, line, text[:PREFIX_BYTES], error=_too_long(limit))
        return
    body = text.strip()
    if not body:
        yield Record(source, line, b"")
    elif body[:1] == b"[" or is_page(body):
        yield from _Document(source, line, body, None, limit).records()
    else:
        yield Record(source, line, body)


def plain_record(text: bytes, limit: int) -> bytes | None:
    """The record of an NDJSON line that is simply one record (most lines), stripped; None for
    any other line, whose records ``line_records`` gives."""
    body = text.strip()
    return body if body[:1] == b"{" and len(text) <= limit and not is_page(body) else None


def is_page(body: bytes) -> bool:
    """Whether an NDJSON line (stripped) is a search page rather than one record."""
    return _PAGE_START.match(body) is not None


class _Splitter:
    """Cuts one decompressed stream into records; ``line`` is the last line started so far."""

    def __init__(self, source: str, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.line = 0
        self._filled = 0
        """Bytes in the read buffer after the last ``_fill`` or ``_skip_long_line``."""
        self._cap = max(limit, PREFIX_BYTES) + 1
        """Bytes of a line read without finding its newline that make it too long: more than the
        limit, and enough for the raw of its reject."""

    def pieces(self, stream: IO[bytes]) -> Iterator[Record | Block]:
        """NDJSON in blocks of whole lines, unless the first line opens a JSON document (``[``, or
        ``{`` alone: pretty-printed JSON), which is cut into records as it streams in."""
        first = stream.readline(self._cap)
        if not first:
            return
        if opens_document(first):
            document = _Document(self.source, 1, first, lambda: stream.read(_CHUNK), self.limit)
            yield from document.records()
            self.line = document.line_at_end()
            return
        if len(first) == self._cap and first[-1:] != b"\n":
            buf = bytearray(_CHUNK)
            yield self._skip_long_line(first[:PREFIX_BYTES], stream, buf, 0)
            first = bytes(buf[: self._filled])
        yield from self._blocks(stream, first)

    def _blocks(self, stream: IO[bytes], head: bytes) -> Iterator[Record | Block]:
        """Whole lines, read ``_CHUNK`` bytes at a time into one buffer; ``head`` was read already.

        Reads are small steps (``readinto1``) so that when a compressed stream turns out corrupt,
        every whole line before the damage has been passed on. A line longer than the buffer
        grows it up to the limit; a longer one is skipped (``_skip_long_line``).
        """
        buf = bytearray(max(_CHUNK, len(head)))
        buf[: len(head)] = head
        have = len(head)
        while True:
            try:
                full = self._fill(stream, buf, have)
            except _READ_ERRORS:
                cut = buf.rfind(b"\n", 0, have) + 1
                if cut:
                    yield self._block(buf, cut)
                raise
            have = self._filled
            if not full:  # the end of the input: what is left, a last line with no newline included
                if have:
                    yield self._block(buf, have)
                return
            cut = buf.rfind(b"\n", 0, have) + 1
            if cut:
                yield self._block(buf, cut)
                buf[: have - cut] = buf[cut:have]
                have -= cut
                if len(buf) > _CHUNK and have <= _CHUNK:
                    del buf[_CHUNK:]  # grown for a long line that is passed on now
            elif have >= self._cap:
                yield self._skip_long_line(buf[:PREFIX_BYTES], stream, buf, have)
                have = self._filled
            else:  # one line fills the buffer: grow it
                buf.extend(bytes(min(len(buf), self._cap - len(buf))))

    def _fill(self, stream: IO[bytes], buf: bytearray, have: int) -> bool:
        """Reads into ``buf`` after its first ``have`` bytes until full; sets ``_filled``.
        False at the end of the input."""
        with memoryview(buf) as view:
            while have < len(buf):
                n = stream.readinto1(view[have:])  # type: ignore[attr-defined]
                if not n:
                    self._filled = have
                    return False
                have += n
        self._filled = have
        return True

    def _block(self, buf: bytearray, end: int) -> Block:
        with memoryview(buf) as view:
            data = bytes(view[:end])
        block = Block(self.source, self.line + 1, data, self.limit)
        self.line += count_lines(data)
        return block

    def _skip_long_line(self, prefix: bytes | bytearray, stream: IO[bytes], buf: bytearray, have: int) -> Record:
        """Skips the rest of an over-long line without holding it (``buf`` holds its first ``have``
        bytes); the record keeps its first bytes. Leaves in ``buf`` what follows the line."""
        self.line += 1
        record = Record(self.source, self.line, bytes(prefix), error=_too_long(self.limit))
        end = buf.find(b"\n", 0, have)
        while end < 0:
            self._fill(stream, buf, 0)
            have = self._filled
            if not have:
                return record
            end = buf.find(b"\n", 0, have)
        buf[: have - end - 1] = buf[end + 1 : have]
        self._filled = have - end - 1
        return record


def _too_long(limit: int) -> str:
    return f"record longer than {limit} bytes (--max-record-bytes); raw holds its first {PREFIX_BYTES} bytes"


class _Stop(Exception):
    """The document cannot be cut further: the rest of it is one reject."""

    def __init__(self, reason: str, start: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.start = start
        self.item: int | None = None


_WHITESPACE = re.compile(rb"[ \t\r\n]*")
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_AT_BYTE = re.compile(r"\(byte (\d+)\)")
_FIND_END = msgspec.json.Decoder(msgspec.Raw)
_OPEN, _CLOSE, _OPEN_OBJ, _CLOSE_OBJ = ord("["), ord("]"), ord("{"), ord("}")
_COMMA, _COLON = ord(","), ord(":")
_CLOSED = b'{["'  # first bytes of values that say themselves where they end
_RESULTS = b'"results"'
# A search page's members are results, next and requestParameters, so its first member names
# it: an exact test that, unlike searching a whole post line for "results", costs no scan.
_PAGE_START = re.compile(rb'\{[ \t\r\n]*"(?:results|next|requestParameters)"')


class _Document:
    """Cuts a stream of JSON values into records as it arrives, holding one record at a time.

    A top-level array gives its elements; a top-level object with a ``results`` array (a search
    page) gives the elements of that array; any other value is one record. msgspec finds where
    each value ends (decoding it as ``Raw``, which validates and skips without building objects):
    far faster than scanning bytes in Python, and exact about strings and escapes.

    Positions (``pos``, ``keep``, the ``start`` of a record) are offsets from the start of the
    document; ``buf`` holds its bytes from offset ``base`` on, so that reading on (which drops
    the bytes no longer needed) never invalidates a position held by a caller.
    """

    def __init__(self, source: str, line: int, data: bytes, read: Callable[[], bytes] | None, limit: int) -> None:
        self.source = source
        self.buf = data
        self.base = 0
        self.pos = 0
        self.read = read
        self._streaming = read is not None
        self.limit = limit
        self._line = line
        self._counted = 0

    def line_at(self, pos: int) -> int:
        """Line number of the byte at ``pos``; asked for ever-growing positions only."""
        if pos > self._counted:
            self._line += self.buf.count(b"\n", self._counted - self.base, pos - self.base)
            self._counted = pos
        return self._line

    def line_at_end(self) -> int:
        return self.line_at(self.base + len(self.buf))

    def _slice(self, start: int, end: int) -> bytes:
        return self.buf[start - self.base : end - self.base]

    def records(self) -> Iterator[Record]:
        try:
            while (byte := self._next_byte()) is not None:
                if byte == _OPEN:
                    self.pos += 1
                    yield from self._elements()
                elif byte == _OPEN_OBJ:
                    yield from self._object()
                else:
                    start = self.pos
                    self.pos = self._value_end(start)
                    yield Record(self.source, self.line_at(start), self._slice(start, self.pos).rstrip())
        except _Stop as stop:
            line = self.line_at(stop.start)
            raw = self._slice(stop.start, stop.start + PREFIX_BYTES)
            rest = "input" if self._streaming else "line"
            self.buf = b""
            while self.read is not None and self.read():
                pass  # the rest is not cut into records: skip it without holding it
            yield Record(self.source, line, raw, stop.item, f"{stop.reason}; the rest of this {rest} is skipped")

    def _elements(self) -> Iterator[Record]:
        """The elements of an array whose ``[`` was just passed, each one record."""
        item = 0
        byte = self._next_byte()
        while byte != _CLOSE:
            if byte is None:
                raise _Stop("truncated JSON: the input ends inside an array", self.pos)
            start = self.pos
            try:
                self.pos = self._value_end(start)
            except _Stop as stop:
                stop.item = item
                raise
            yield Record(self.source, self.line_at(start), self._slice(start, self.pos).rstrip(), item)
            item += 1
            byte = self._next_byte()
            if byte == _COMMA:
                self.pos += 1
                byte = self._next_byte()
            elif byte != _CLOSE:
                raise _Stop(f"malformed JSON array: expected ',' or ']' after item {item - 1}", self.pos)
        self.pos += 1

    def _object(self) -> Iterator[Record]:
        """One record, or the results of a search page (streamed: pages can be large)."""
        start = self.pos
        end = self._end_in_buffer(start)
        if end is not None and self.buf.find(_RESULTS, start - self.base, end - self.base) < 0:
            self.pos = end  # the common case: a whole object that is not a page
            yield Record(self.source, self.line_at(start), self._slice(start, end).rstrip())
            return
        page = False
        self.pos += 1
        byte = self._next_byte(keep=start)
        while byte != _CLOSE_OBJ:
            if byte is None:
                raise _Stop("truncated JSON: the input ends inside an object", start if not page else self.pos)
            key_end = self._value_end(self.pos, keep=start if not page else self.pos)
            key = self._slice(self.pos, key_end).rstrip()
            self.pos = key_end
            if self._next_byte(keep=start if not page else self.pos) != _COLON:
                raise _Stop("malformed JSON object: expected ':' after a key", start)
            self.pos += 1
            value = self._next_byte(keep=start if not page else self.pos)
            if value is None:
                raise _Stop("truncated JSON: the input ends inside an object", start if not page else self.pos)
            if not page and key == _RESULTS and value == _OPEN:
                page = True
                self.pos += 1
                yield from self._elements()
            else:
                self.pos = self._value_end(self.pos, keep=start if not page else self.pos)
            byte = self._next_byte(keep=start if not page else self.pos)
            if byte == _COMMA:
                self.pos += 1
                byte = self._next_byte(keep=start if not page else self.pos)
            elif byte != _CLOSE_OBJ:
                raise _Stop("malformed JSON object: expected ',' or '}'", start if not page else self.pos)
        self.pos += 1
        if not page:
            yield Record(self.source, self.line_at(start), self._slice(start, self.pos))

    def _next_byte(self, *, keep: int | None = None) -> int | None:
        """The next byte that is not whitespace, reading on as needed (keeping the bytes from
        ``keep`` on; by default none before it); None at the end of the input."""
        while True:
            match = _WHITESPACE.match(self.buf, self.pos - self.base)
            assert match is not None
            self.pos = self.base + match.end()
            if match.end() < len(self.buf):
                return self.buf[match.end()]
            if not self._refill(self.pos if keep is None else keep):
                return None

    def _value_end(self, start: int, *, keep: int | None = None) -> int:
        """Offset just past the JSON value at ``start`` and the blanks after it, reading on as
        needed (keeping the bytes from ``keep`` on; by default from ``start``)."""
        while (end := self._end_in_buffer(start)) is None:
            if self.base + len(self.buf) - start > self.limit:
                raise _Stop(_too_long(self.limit), start)
            if not self._refill(start if keep is None else keep):
                end = self._end_in_buffer(start)  # at the end of the input only an open value is left
                if end is None:
                    raise _Stop("truncated JSON: the input ends inside this record", start)
                return end
        return end

    def _end_in_buffer(self, start: int) -> int | None:
        """``_value_end`` if what is read says it, else None."""
        try:
            _FIND_END.decode(memoryview(self.buf)[start - self.base :])
        except msgspec.DecodeError as exc:
            message = str(exc)
            trailing = _TRAILING.search(message)
            if trailing:  # "byte N" counts from 1: the value and its blanks end just before
                return start + int(trailing[1]) - 1
            at = _AT_BYTE.search(message)
            # An error at the very end of what is read (a number cut short: "1e") may be no error.
            cut_short = "truncated" in message or (at is not None and start + int(at[1]) >= self.base + len(self.buf))
            if not cut_short:
                raise _Stop(f"malformed JSON: {exc}", start) from None
            return None
        except RecursionError:
            raise _Stop("malformed JSON: nested too deeply", start) from None
        # The value runs to the end of what is read; only a number or literal there may go on.
        if self.buf[start - self.base] in _CLOSED or self.read is None:
            return self.base + len(self.buf)
        return None

    def _refill(self, keep: int) -> bool:
        """Reads on, dropping the bytes before offset ``keep``; False at the end of the input."""
        chunk = self.read() if self.read is not None else b""
        if not chunk:
            self.read = None
            return False
        self.line_at(keep)
        self.buf = self.buf[keep - self.base :] + chunk
        self.base = keep
        return True


DATA_SUFFIXES = (".json", ".jsonl", ".ndjson")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")


def expand_inputs(names: Iterable[str]) -> list[str]:
    """Files named, glob patterns expanded, and the data files under directories named.

    In a directory (searched recursively, in name order) the data files are those named
    ``*.json``, ``*.jsonl`` or ``*.ndjson``, compressed (``.gz``, ``.bz2``, ``.xz``, ``.zst``) or
    not, and not hidden: a Historical PowerTrack download also holds READMEs and manifests, and
    hidden files are tools' leftovers (such as the temporary file of an output being written
    there). Files named or matched by a glob are read whatever their names.
    """
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name == STDIN or path.is_file():
            out.append(name)
        elif path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if _is_data_file(p, path))
        elif any(ch in name for ch in "*?["):
            matches = sorted(p for p in glob.glob(name, recursive=True) if Path(p).is_file())
            if not matches:
                raise UsageError(f"no files match {name}")
            out.extend(matches)
        else:
            raise UsageError(f"no such file or directory: {name}")
    return out


def _is_data_file(path: Path, root: Path) -> bool:
    if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
        return False
    suffixes = path.suffixes
    if suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in DATA_SUFFIXES
