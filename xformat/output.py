"""Where converted records go: stdout, one file, or files split by day, hour or count.

Files are written under a temporary name (``.NAME.XXXX.part``, hidden, in the same directory so
that the rename cannot cross file systems) and renamed into place by ``commit``; ``discard``
removes them. An interrupted run thus never leaves a file that looks complete. Compression
follows the final name's extension: ``.gz``, ``.bz2``, ``.xz``, ``.zst``.

Split output (``--split-by``): ``OUT`` is a pattern if it holds ``{}``, which is replaced by the
part's key (``out/{}.ndjson.gz``); otherwise a directory, created if needed, that receives
``<key>.ndjson``. Keys: ``2018-10-10`` (day, UTC), ``2018-10-10T20`` (hour, UTC), ``undated``
for a record without a time, or the part number ``00001``, ``00002``… (``N`` records each).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Literal, Protocol

import zstandard

from xformat.errors import UsageError

Split = Literal["day", "hour"] | int
"""How ``--split-by`` cuts the output: by the records' day or hour, or every N records."""

UNDATED = "undated"
_BATCH = 2**20  # bytes gathered before one write: one call into the compressor per MiB, not per line
_OPEN_PARTS = 16  # split parts kept open at once; xz and zstd compressors hold megabytes each


class Output(Protocol):
    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[str | None] | None) -> None:
        """NDJSON ``lines`` (each ending in a newline), the bytes of each, and the ISO time of each
        record (needed by time splits only). ``lines`` may be a view of memory that is reused
        after the call: an output keeps a copy, never the view."""

    def commit(self) -> list[str]:
        """Finishes every file and moves it into place; returns their names."""

    def discard(self) -> None:
        """Removes everything written (what went to stdout stays written)."""


def open_output(path: str | None, split: Split | None = None) -> Output:
    """Stdout (``path`` None or ``-``), one file, or split files."""
    if split is not None:
        if path is None or path == "-":
            raise UsageError("--split-by needs -o: a directory, or a file name pattern holding {}")
        return SplitOutput(path, split)
    if path is None or path == "-":
        return StdoutOutput()
    return FileOutput(Path(path))


def open_compressed(raw: IO[bytes], name: str) -> IO[bytes]:
    """A writer compressing into ``raw`` as the extension of ``name`` says (``raw`` itself if none)."""
    suffix = Path(name).suffix
    if suffix == ".gz":
        # Level 6 as gzip(1) does: level 9 is several times slower for a few percent.
        return gzip.GzipFile(filename=Path(name).name, fileobj=raw, mode="wb", compresslevel=6, mtime=0)  # type: ignore[return-value]
    if suffix == ".bz2":
        return bz2.BZ2File(raw, "wb")
    if suffix == ".xz":
        return lzma.LZMAFile(raw, "wb")
    if suffix == ".zst":
        return zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
    return raw


class CompressedFile:
    """``path`` written directly, compressed as the extension of ``name`` (default: ``path``) says."""

    def __init__(self, path: Path, mode: Literal["wb", "ab"] = "wb", *, name: Path | None = None) -> None:
        self._raw = open(path, mode)  # noqa: SIM115 - closed by close()
        self._out = open_compressed(self._raw, str(name or path))

    def write(self, data: bytes | memoryview) -> None:
        self._out.write(data)

    def close(self) -> None:
        try:
            if self._out is not self._raw:
                self._out.close()
        finally:
            self._raw.close()


class AtomicFile:
    """A file written under a temporary name and renamed to ``path`` by ``commit``.

    ``suspend`` closes it for now (ending the compressed stream); the next ``write`` appends a
    new one, which every supported format reads as the continuation of the first.
    """

    def __init__(self, path: Path) -> None:
        if path.exists() and not path.is_file():
            raise UsageError(f"cannot write {path}: not a regular file")  # a rename would replace it
        self.path = path
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        os.close(fd)
        self.tmp = Path(tmp)
        self._file: CompressedFile | None = CompressedFile(self.tmp, name=path)
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | memoryview) -> None:
        if not self._pending and len(data) >= _BATCH:
            self._write(data)  # big enough to go as it is
            return
        self._pending.append(bytes(data))  # a copy of a view: its memory is reused after the call
        self._size += len(data)
        if self._size >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write(b"".join(self._pending))
            self._pending.clear()
            self._size = 0

    def _write(self, data: bytes | memoryview) -> None:
        if self._file is None:
            self._file = CompressedFile(self.tmp, "ab", name=self.path)
        self._file.write(data)

    def suspend(self) -> None:
        self._flush()
        if self._file is not None:
            self._file.close()
            self._file = None

    def commit(self) -> None:
        self.suspend()
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        try:
            if self._file is not None:
                self._file.close()
        except (OSError, EOFError, ValueError):
            pass  # the file is going away: a close that fails cannot lose anything
        finally:
            self._file = None
            self.tmp.unlink(missing_ok=True)


class StdoutOutput:
    def __init__(self) -> None:
        self._out = sys.stdout.buffer

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[str | None] | None) -> None:
        self._out.write(lines)

    def commit(self) -> list[str]:
        self._out.flush()
        return ["-"]

    def discard(self) -> None:
        pass  # what went to stdout is gone


class FileOutput:
    def __init__(self, path: Path) -> None:
        if path.is_dir():
            raise UsageError(f"{path} is a directory: name a file, or split the output with --split-by")
        self.path = path
        self._file = open_target(path)

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[str | None] | None) -> None:
        self._file.write(lines)

    def commit(self) -> list[str]:
        if isinstance(self._file, AtomicFile):
            self._file.commit()
        else:
            self._file.close()
        return [str(self.path)]

    def discard(self) -> None:
        if isinstance(self._file, AtomicFile):
            self._file.discard()
        else:
            self._file.close()


class SplitOutput:
    """Parts named by key (see the module's doc); all of them renamed into place at the end."""

    def __init__(self, target: str, split: Split) -> None:
        self.split = split
        self._pattern = target if "{}" in target else str(Path(target) / "{}.ndjson")
        self._parts: dict[str, AtomicFile] = {}
        self._open: OrderedDict[str, AtomicFile] = OrderedDict()  # least recently written first
        self._count = 0

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[str | None] | None) -> None:
        # One write per run of lines bound for the same part: feeds are mostly in time order.
        start = end = 0
        run_key = None
        for i, size in enumerate(sizes):
            key = self._key(times[i] if times is not None else None)
            if key != run_key:
                if run_key is not None:
                    self._part(run_key).write(lines[start:end])
                run_key, start = key, end
            end += size
        if run_key is not None:
            self._part(run_key).write(lines[start:end])

    def _key(self, when: str | None) -> str:
        if isinstance(self.split, int):
            self._count += 1
            return f"{(self._count - 1) // self.split + 1:05d}"
        if when is None:
            return UNDATED
        return when[:10] if self.split == "day" else when[:13]

    def _part(self, key: str) -> AtomicFile:
        part = self._open.get(key)
        if part is not None:
            self._open.move_to_end(key)
            return part
        part = self._parts.get(key)
        if part is None:
            path = Path(self._pattern.replace("{}", key))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"cannot create directory {path.parent}: {exc.strerror or exc}") from None
            part = self._parts[key] = AtomicFile(path)
        self._open[key] = part
        if len(self._open) > _OPEN_PARTS:
            self._open.popitem(last=False)[1].suspend()
        return part

    def commit(self) -> list[str]:
        for part in self._parts.values():
            part.commit()
        return [str(part.path) for part in self._parts.values()]

    def discard(self) -> None:
        for part in self._parts.values():
            part.discard()


def open_target(path: Path) -> AtomicFile | CompressedFile:
    """How to write ``path``: atomically if it is (or will be) a regular file, else directly."""
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO): nothing to rename over, and a
        # rename would replace it with a regular file.
        return CompressedFile(path)
    # Through a symlink, the file it points to is replaced, not the link.
    return AtomicFile(path.resolve() if path.is_symlink() else path)


def write_text(path: str, text: str) -> None:
    """A small file (the summary) written whole, atomically where it can be."""
    target = open_target(Path(path))
    if isinstance(target, CompressedFile):
        try:
            target.write(text.encode())
        finally:
            target.close()
        return
    try:
        target.write(text.encode())
        target.commit()
    except BaseException:
        target.discard()
        raise
