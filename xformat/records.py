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

import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import msgspec

from xformat.errors import UsageError, too_deep

if TYPE_CHECKING:
    from pathlib import Path

# The decompressors (bz2, gzip, lzma, zstandard), pathlib and glob are imported where an input
# needs them: a command reading one plain file (``xformat validate``) does not load them.

STDIN = "-"
DEFAULT_MAX_RECORD_BYTES = 16 * 2**20
PREFIX_BYTES = 1024
"""How much of a record that cannot be cut out (too long, broken) is kept in ``Record.raw``."""

_CHUNK = 2**20  # read size of JSON documents; also how far an over-long line is skipped per read
BLOCK_LINES = 2048
"""Most lines in one ``Block``: what a block's records give is held until it is accounted for,
so a megabyte of tiny lines (``{}``, every one a reject) must not make one block."""

# Magic bytes, not extensions: archives are often renamed, never re-encoded.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zst"),
)


def read_errors() -> tuple[type[Exception], ...]:
    """What a corrupt or truncated (compressed) stream raises while it is read: the errors of
    the decompressors loaded, which are all that read anything (``except read_errors()``)."""
    errors: list[type[Exception]] = [OSError, EOFError, zlib.error]
    if "lzma" in sys.modules:
        errors.append(sys.modules["lzma"].LZMAError)
    if "zstandard" in sys.modules:
        errors.append(sys.modules["zstandard"].ZstdError)
    return tuple(errors)


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
    """Whether a stream whose first line that is not blank is ``line`` (whole) is JSON spread over
    lines (pretty-printed objects, an array over many lines) rather than NDJSON: the line starts
    a JSON object or array that it does not complete. In NDJSON the first line is one whole
    record, or a whole array or search page."""
    body = line.strip()
    if body[:1] not in (b"{", b"["):
        return False
    try:
        _FIND_END.decode(body)
    except msgspec.DecodeError as exc:
        return "truncated" in str(exc)  # anything else is a malformed line: NDJSON's reject
    except RecursionError:
        return False
    return False


def compression_of(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def shown_name(name: str) -> str:
    """``name`` as it can be printed or written into JSON: a file name that is not UTF-8 holds
    bytes that Python keeps as lone surrogates (``surrogateescape``), which no UTF-8 text can
    hold; they are shown as ``\\xNN``, as Python shows bytes."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def open_input(name: str) -> IO[bytes]:
    """A binary stream of ``name`` (``-`` for stdin), decompressed by its magic bytes."""
    return _decompressed(_open_raw(name))


class _Counted(io.RawIOBase):
    """A stream that counts the bytes read from it: the progress of any input, files, pipes and
    stdin alike (only a regular file can say where it stands)."""

    def __init__(self, inner: Any, *, close: bool) -> None:
        self.count = 0
        self._inner = inner
        self._close = close
        self._readinto = getattr(inner, "readinto1", None) or inner.readinto

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self._readinto(buffer) or 0
        self.count += n
        return n

    def close(self) -> None:
        if not self.closed and self._close:
            self._inner.close()
        super().close()


def _open_raw(name: str) -> io.BufferedReader:
    if name == STDIN:
        raw = _Counted(sys.stdin.buffer, close=False)
    else:
        try:
            raw = _Counted(open(name, "rb", buffering=0), close=True)  # noqa: SIM115 - closed with the reader
        except OSError as exc:
            raise _unreadable(name, exc) from None
    # The default (small) buffer: NDJSON is read in blocks larger than it, which then go
    # straight from the file into the reader's own buffer, not through this one.
    return io.BufferedReader(raw)


_BOM = b"\xef\xbb\xbf"


def _decompressed(buffered: io.BufferedReader) -> IO[bytes]:
    """The records' bytes of ``buffered``, decompressed by its magic bytes, from after a UTF-8
    byte order mark if it starts with one (as files saved by some Windows editors do)."""
    stream: Any
    kind = compression_of(buffered.peek(6)[:6])
    if kind == "gz":
        import gzip

        stream = gzip.GzipFile(fileobj=buffered)
    elif kind == "bz2":
        import bz2

        stream = bz2.BZ2File(buffered)
    elif kind == "xz":
        import lzma

        stream = lzma.LZMAFile(buffered)  # noqa: SIM115 - closed with the reader
    elif kind == "zst":
        import zstandard

        # Across frames: zstd files are often concatenations (one frame per hour, say).
        frames = _ZstdFrames(buffered)
        reader = zstandard.ZstdDecompressor().stream_reader(frames, read_across_frames=True, closefd=False)  # type: ignore[arg-type]
        stream = io.BufferedReader(_ZstdComplete(reader, frames))
    else:
        stream = buffered
    if stream.peek(len(_BOM))[: len(_BOM)] == _BOM:
        stream.read(len(_BOM))
    return stream  # type: ignore[no-any-return]


class _ZstdFrames:
    """The compressed bytes of a zstd stream, passed on as read, with its frames followed so that
    an input that ends inside a frame is known: zstandard's reader takes that for the end.

    Frames are walked as RFC 8878 lays them out, without decompressing: a frame header, then
    blocks that each say their size, the last one flagged, and an optional checksum; skippable
    frames say their size. Bytes that are neither are left to the decompressor to refuse.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._head = bytearray()
        self._need = 4  # bytes of the next header to gather
        self._skip = 0  # bytes to pass over before it
        self._state = "magic"
        self._checksum = False

    @property
    def complete(self) -> bool:
        """Whether what was read so far ends between frames (or in bytes that are no frame)."""
        return self._state == "unknown" or (self._state == "magic" and not self._head and not self._skip)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        at = 0
        while at < len(data) and self._state != "unknown":
            if self._skip:
                passed = min(self._skip, len(data) - at)
                self._skip -= passed
                at += passed
                continue
            take = data[at : at + self._need - len(self._head)]
            self._head += take
            at += len(take)
            if len(self._head) == self._need:
                self._header(bytes(self._head))
                self._head.clear()
        return data

    def _header(self, head: bytes) -> None:
        """Moves past a header just gathered: what follows it, and how much of it to skip."""
        state = self._state
        if state == "magic":
            if head == b"\x28\xb5\x2f\xfd":
                self._state, self._need = "frame", 1
            elif head[1:] == b"\x2a\x4d\x18" and head[0] & 0xF0 == 0x50:
                self._state, self._need = "skippable", 4
            else:
                self._state = "unknown"
        elif state == "frame":  # the frame header descriptor says how long the header is
            descriptor = head[0]
            single = descriptor >> 5 & 1
            self._checksum = bool(descriptor >> 2 & 1)
            self._skip = (1 - single) + (0, 1, 2, 4)[descriptor & 3] + (single, 2, 4, 8)[descriptor >> 6]
            self._state, self._need = "block", 3
        elif state == "block":
            header = int.from_bytes(head, "little")
            kind, size = header >> 1 & 3, header >> 3
            if kind == 3:  # reserved: corrupt, as the decompressor will say
                self._state = "unknown"
                return
            self._skip = 1 if kind == 1 else size  # an RLE block holds one byte
            if header & 1:  # the last block
                self._skip += 4 if self._checksum else 0
                self._state, self._need = "magic", 4
        else:  # skippable: its size
            self._skip = int.from_bytes(head, "little")
            self._state, self._need = "magic", 4


class _ZstdComplete(io.RawIOBase):
    """A zstd stream's decompressed bytes, whose end is an error when it falls inside a frame."""

    def __init__(self, reader: Any, frames: _ZstdFrames) -> None:
        self._reader = reader
        self._frames = frames

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self._reader.readinto(buffer)
        if not n and not self._frames.complete:
            raise EOFError("compressed file ended before the end of a zstd frame: it is truncated")
        return n


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
        """Bytes of all inputs, or None when one of them has no size known in advance (stdin, a pipe)."""
        self._done = 0
        self._current: _Counted | None = None

    @property
    def bytes_read(self) -> int:
        """Bytes read so far, from any kind of input: of the file itself (compressed ones) for a
        compressed file."""
        current = self._current
        return self._done + (current.count if current is not None else 0)

    def __iter__(self) -> Iterator[Record]:
        return records_in(self.pieces())

    def pieces(self) -> Iterator[Record | Block]:
        """What the inputs hold, in order, with NDJSON in blocks of whole lines (``Block``)."""
        for name, size in zip(self.names, self._sizes, strict=True):
            raw = _open_raw(name)
            counted = raw.raw
            assert isinstance(counted, _Counted)
            self._current = counted
            try:
                yield from self._pieces_of(raw, name)
            finally:
                self._current = None
                raw.close()
            self._done += size if size is not None else counted.count

    def _pieces_of(self, raw: io.BufferedReader, name: str) -> Iterator[Record | Block]:
        split = _Splitter(name, self.max_record_bytes)
        try:
            yield from split.pieces(_decompressed(raw))
        except read_errors() as exc:
            # A truncated download or a corrupt archive: what came before is kept, the rest of
            # this input is one reject, and the run goes on with the next input.
            yield Record(name, split.line + 1, b"", error=f"cannot read further: {exc}")


def _size(name: str) -> int | None:
    """Bytes of a regular file; None for stdin, a pipe or a device, whose size is not known."""
    if name == STDIN:
        return None
    try:
        info = os.stat(name)
    except OSError:
        return None  # opening it will say why
    return info.st_size if stat.S_ISREG(info.st_mode) else None


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
    lines: int
    """How many lines ``data`` holds."""


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
    # is_page inlined: this runs for every line of a block.
    return body if body[:1] == b"{" and len(text) <= limit and _PAGE_START.match(body) is None else None


def is_page(body: bytes) -> bool:
    """Whether an NDJSON line (stripped) is a search page rather than one record."""
    return _PAGE_START.match(body) is not None


class _Splitter:
    """Cuts one decompressed stream into records; ``line`` is the last line started so far."""

    def __init__(self, source: str, limit: int) -> None:
        self.source = shown_name(source)
        self.limit = limit
        self.line = 0
        self._filled = 0
        """Bytes in the read buffer after the last ``_fill`` or ``_skip_long_line``."""
        self._cap = max(limit, PREFIX_BYTES) + 1
        """Bytes of a line read without finding its newline that make it too long: more than the
        limit, and enough for the raw of its reject."""

    def pieces(self, stream: IO[bytes]) -> Iterator[Record | Block]:
        """NDJSON in blocks of whole lines, unless the first line that is not blank opens a JSON
        value it does not complete (``opens_document``): then the input is JSON spread over lines
        (pretty-printed objects one after another, an array), cut into records as it streams in.
        Blank lines before it are keep-alives either way."""
        first = stream.readline(self._cap)
        while first.endswith(b"\n") and not first.strip():
            self.line += 1
            yield Record(self.source, self.line, b"")
            first = stream.readline(self._cap)
        if not first:
            return
        if len(first) == self._cap and first[-1:] != b"\n":
            buf = bytearray(_CHUNK)
            yield self._skip_long_line(first[:PREFIX_BYTES], stream, buf, 0)
            first = bytes(buf[: self._filled])
        elif opens_document(first):
            read = _Replay(stream)
            document = _Document(self.source, self.line + 1, first, read, self.limit)
            try:
                for record in document.records():
                    read.forget()  # a record came out: the input is a document
                    yield record
                self.line = document.line_at_end()
                return
            except _NotADocument:
                # The first value is malformed before anything came out of it: an NDJSON feed
                # whose first record is cut short. Read it as NDJSON from its first line on, so
                # that one bad line stays one reject.
                first += read.replayed()
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
            except read_errors():
                cut = buf.rfind(b"\n", 0, have) + 1
                yield from self._cut(buf, cut)
                raise
            have = self._filled
            if not full:  # the end of the input: what is left, a last line with no newline included
                yield from self._cut(buf, have)
                return
            cut = buf.rfind(b"\n", 0, have) + 1
            if cut:
                yield from self._cut(buf, cut)
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

    def _cut(self, buf: bytearray, end: int) -> Iterator[Block]:
        """The lines of ``buf[:end]`` in blocks of at most ``BLOCK_LINES`` lines, found with
        ``find`` (see ``block_lines``); each block's first line is numbered."""
        find = buf.find
        start = 0
        while start < end:
            stop, lines = start, 0
            while lines < BLOCK_LINES and stop < end:
                newline = find(b"\n", stop, end)
                stop = end if newline < 0 else newline + 1  # no newline: the input's last line
                lines += 1
            with memoryview(buf) as view:
                data = bytes(view[start:stop])
            yield Block(self.source, self.line + 1, data, self.limit, lines)
            self.line += lines
            start = stop

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

    def __init__(self, reason: str, start: int, *, malformed: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.start = start
        self.item: int | None = None
        self.malformed = malformed
        """The JSON is wrong where it stops (not cut short, not too long)."""


class _NotADocument(Exception):
    """The first value of what looked like a JSON document is malformed before any record came out."""


class _Replay:
    """Reads a stream for a ``_Document``, keeping what it read while ``keep`` holds: bounded,
    since a document's first record is at most the record limit or it is not read further."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._kept: list[bytes] = []
        self.keep = True

    def __call__(self) -> bytes:
        chunk = self._stream.read(_CHUNK)
        if self.keep:
            self._kept.append(chunk)
        return chunk

    def replayed(self) -> bytes:
        return b"".join(self._kept)

    def forget(self) -> None:
        """Keeps nothing more: the input is a document."""
        self.keep = False
        self._kept.clear()


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
        self._replay = read if isinstance(read, _Replay) else None
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
        """The records, one after another; a ``_Replay`` reader that still keeps what it read
        makes a malformed first value raise ``_NotADocument`` instead of ending the input."""
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
            if self._replay is not None:
                if stop.malformed and self._replay.keep:
                    raise _NotADocument from None
                self._replay.forget()
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
                reason = f"malformed JSON array: expected ',' or ']' after item {item - 1}"
                raise _Stop(reason, self.pos, malformed=True)
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
                raise _Stop("malformed JSON object: expected ':' after a key", start, malformed=True)
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
                reason = "malformed JSON object: expected ',' or '}'"
                raise _Stop(reason, start if not page else self.pos, malformed=True)
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
                raise _Stop(f"malformed JSON: {exc}", start, malformed=True) from None
            return None
        except RecursionError:
            raise _Stop(too_deep(memoryview(self.buf)[start - self.base :]), start, malformed=True) from None
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


def expand_inputs(names: Iterable[str], *, files_only: bool = False) -> list[str]:
    """Files named, glob patterns expanded, and the data files under directories named.

    In a directory (searched recursively, in name order) the data files are those named
    ``*.json``, ``*.jsonl`` or ``*.ndjson``, compressed (``.gz``, ``.bz2``, ``.xz``, ``.zst``) or
    not, and not hidden: a Historical PowerTrack download also holds READMEs and manifests, and
    hidden files are tools' leftovers (such as the temporary file of an output being written
    there). Files named or matched by a glob are read whatever their names. Named inputs may
    also be pipes and devices (``<(cmd)``, ``/dev/stdin``), unless ``files_only`` (for a caller
    that reads each input twice).

    Each file is listed once, however many names or patterns reach it (the same path twice, a
    symlink or a hard link to it): an input read twice would give its records twice. ``**``
    enters each directory once, so a symlink loop ends at its first repetition.
    """
    out: list[str] = []
    seen: set[tuple[int, int]] = set()

    def add(name: str, info: os.stat_result) -> None:
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            out.append(name)

    for name in names:
        if not isinstance(name, str):  # an int would be taken for a file descriptor
            raise UsageError(f"not a file name: {name!r}")
        if name == STDIN:
            if STDIN not in out:
                out.append(name)
            continue
        info = _stat(name)
        if info is not None and not stat.S_ISDIR(info.st_mode):
            if files_only and not stat.S_ISREG(info.st_mode):
                raise UsageError(f"{shown_name(name)} is a pipe or a device, not a file that can be read twice")
            add(name, info)
        elif info is not None:
            from pathlib import Path

            root = Path(name)
            for path in sorted(root.rglob("*")):
                if _is_data_file(path, root):
                    add(str(path), path.stat())
        elif _has_magic(name):
            matches = sorted(p for p in _glob(name) if os.path.isfile(p))
            if not matches:
                raise UsageError(f"no files match {shown_name(name)}")
            for match in matches:
                add(match, os.stat(match))
        else:
            raise UsageError(f"no such file or directory: {shown_name(name)}")
    return out


def _stat(name: str) -> os.stat_result | None:
    """What ``name`` is (following symlinks), or None if it does not exist."""
    try:
        return os.stat(name)
    except FileNotFoundError:
        return None
    except (UnicodeEncodeError, ValueError):  # a lone surrogate that stands for no byte; a NUL
        raise UsageError(f"not a file name: {shown_name(name)}") from None
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _unreadable(name: str, exc: OSError) -> UsageError:
    """Why the file ``name`` cannot be read, worded alike wherever it is found out."""
    if isinstance(exc, FileNotFoundError):
        return UsageError(f"no such file or directory: {shown_name(name)}")
    return UsageError(f"cannot read {shown_name(name)}: {exc.strerror or exc}")


def _has_magic(name: str) -> bool:
    import glob

    return glob.has_magic(name)


def _glob(pattern: str) -> list[str]:
    """What ``glob.glob(pattern, recursive=True)`` gives, except that ``**`` enters each
    directory once (``glob`` follows a symlink loop until paths grow too long, listing the same
    files again at every turn)."""
    import glob

    parts = pattern.split(os.sep)
    if "**" not in parts:
        return glob.glob(pattern)
    at = parts.index("**")
    prefix = os.sep.join(parts[:at]) or (os.sep if at else "")
    rest = os.sep.join(parts[at + 1 :]) or "*"  # a final ** matches the files at every depth
    bases = glob.glob(prefix) if glob.has_magic(prefix) else [prefix]
    found: list[str] = []
    for base in bases:
        for directory in _directories(base):
            found.extend(_glob(os.path.join(glob.escape(directory), rest)))
    return found


def _directories(base: str) -> Iterator[str]:
    """``base`` and the directories under it that are not hidden, symlinks followed, each real
    directory once."""
    seen: set[tuple[int, int]] = set()
    stack = [base]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory or ".")
            entries = list(os.scandir(directory or "."))
        except OSError:
            continue  # gone, not a directory, or not readable: nothing to match in it
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        yield directory
        stack.extend(os.path.join(directory, e.name) for e in entries if not e.name.startswith(".") and e.is_dir())


def _is_data_file(path: Path, root: Path) -> bool:
    if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
        return False
    suffixes = path.suffixes
    if suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in DATA_SUFFIXES
