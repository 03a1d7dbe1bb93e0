"""Where records come from: files or stdin, compressed or not, NDJSON, JSON arrays, search pages.

Every line of the input is accounted for: a post or notice becomes a ``Record`` with its raw
bytes; a blank keep-alive line becomes a ``Record`` with empty bytes, so that callers can count
it. Nothing here parses a post: that is ``xformat.decoding``'s single decode.
"""

from __future__ import annotations

import bz2
import glob
import gzip
import io
import lzma
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, NamedTuple

import msgspec

from xformat.errors import UsageError

STDIN = "-"

# Magic bytes first, extension second: archives are often renamed, never re-encoded.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zst"),
)


class Record(NamedTuple):
    source: str
    line: int
    """1-based line of the (decompressed) source where the record starts."""
    raw: bytes
    """The record's JSON bytes; empty for a keep-alive (blank) line."""
    item: int | None = None
    """Position inside a JSON array or a search page on that line, if the record came from one."""

    @property
    def where(self) -> str:
        suffix = f"#{self.item}" if self.item is not None else ""
        return f"{self.source}:{self.line}{suffix}"


def open_input(name: str) -> IO[bytes]:
    """A binary stream of ``name`` (``-`` for stdin), decompressed by its magic bytes."""
    if name == STDIN:
        raw: IO[bytes] = sys.stdin.buffer
    else:
        try:
            raw = open(name, "rb")  # noqa: SIM115 - returned to the caller, who closes it
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
    kind = compression_of(buffered.peek(6)[:6])
    if kind == "gz":
        return gzip.GzipFile(fileobj=buffered)
    if kind == "bz2":
        return bz2.BZ2File(buffered)
    if kind == "xz":
        return lzma.LZMAFile(buffered)
    if kind == "zst":
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(buffered))  # type: ignore[no-any-return]
    return buffered


def compression_of(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def iter_records(names: Iterable[str]) -> Iterator[Record]:
    """Records of every input in turn; ``-`` is stdin."""
    for name in names:
        with open_input(name) as stream:
            yield from read_stream(stream, name)


def read_stream(stream: IO[bytes], source: str) -> Iterator[Record]:
    """Records of one decompressed stream: NDJSON, or one JSON document (object or array)."""
    line_no = 0
    for line in stream:
        line_no += 1
        body = line.strip()
        if not body:
            yield Record(source, line_no, b"")
            continue
        if body[:1] == b"{" and body[-1:] == b"}":
            yield from _expand_page(source, line_no, body)
            continue
        # Not one object on one line: a JSON array or a pretty-printed document. Such files are
        # search-API output or hand-made samples, small enough to read whole.
        yield from _read_document(source, line_no, body + b"\n" + stream.read())
        return


def _expand_page(source: str, line_no: int, body: bytes) -> Iterator[Record]:
    """A search page (``{"results": [...], "next": ...}``) yields its results; any other object is one record."""
    if b'"results":[' in body or b'"results": [' in body:
        try:
            page = msgspec.json.decode(body)
        except msgspec.DecodeError:
            page = None
        if isinstance(page, dict) and isinstance(page.get("results"), list):
            for i, item in enumerate(page["results"]):
                yield Record(source, line_no, msgspec.json.encode(item), i)
            return
    yield Record(source, line_no, body)


def _read_document(source: str, line_no: int, data: bytes) -> Iterator[Record]:
    try:
        doc = msgspec.json.decode(data)
    except msgspec.DecodeError:
        # Not JSON as a whole: hand it on as one record, the decoder will say what is wrong.
        yield Record(source, line_no, data.strip())
        return
    items = doc["results"] if isinstance(doc, dict) and isinstance(doc.get("results"), list) else doc
    if isinstance(items, list):
        for i, item in enumerate(items):
            yield Record(source, line_no, msgspec.json.encode(item), i)
    else:
        yield Record(source, line_no, msgspec.json.encode(doc))


def expand_inputs(names: Iterable[str]) -> list[str]:
    """Files named, files under directories named (sorted), and glob patterns expanded."""
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name == STDIN or path.is_file():
            out.append(name)
        elif path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file())
        elif any(ch in name for ch in "*?["):
            matches = sorted(p for p in glob.glob(name, recursive=True) if Path(p).is_file())
            if not matches:
                raise UsageError(f"no files match {name}")
            out.extend(matches)
        else:
            raise UsageError(f"no such file or directory: {name}")
    return out
