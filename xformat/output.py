"""Where converted records go: stdout, one file, or files split by day, hour or count.

Files are written under a temporary name (``.NAME.XXXX.part``, hidden, in the same directory so
that the rename cannot cross file systems) and renamed into place by ``commit``; ``discard``
removes them. An interrupted run thus never leaves a file that looks complete. Compression
follows the final name's extension: ``.gz``, ``.bz2``, ``.xz``, ``.zst``.

Split output (``--split-by``): ``OUT`` is a pattern if it holds ``{}``, which is replaced by the
part's key (``out/{}.ndjson.gz``); otherwise a directory, created if needed, that receives
``<key>.ndjson``. Keys: ``2018-10-10`` (day, UTC), ``2018-10-10T20`` (hour, UTC), ``undated``
for a record without a time, or the part number ``00001``, ``00002``… (``N`` records each).
A key is only ever built from a parsed time (or the count), never from a record's text, and
every part's path is checked to lie in the pattern's directory: no record can name a file.

``refuse_overwriting`` is the one check, used by every command, that no output is an input.
"""

from __future__ import annotations

import glob
import os
import re
import stat
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Literal, NamedTuple, Protocol

from xformat.errors import UsageError
from xformat.records import STDIN, shown_name

Split = Literal["day", "hour"] | int
"""How ``--split-by`` cuts the output: by the records' day or hour, or every N records."""

UNDATED = "undated"
SPLIT_KEYS: dict[str, str] = {
    "day": rf"\d{{4}}-\d{{2}}-\d{{2}}|{UNDATED}",
    "hour": rf"\d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}|{UNDATED}",
    "count": r"\d{5,}",
}
"""What a split part's key may be (a regular expression), by kind of split."""
_BATCH = 2**20  # bytes gathered before one write: one call into the compressor per MiB, not per line
_OPEN_PARTS = 16  # split parts kept open at once; xz and zstd compressors hold megabytes each


Time = str | datetime | None
"""A record's time for a split by day or hour: ISO 8601 text (UTC unless it says otherwise), a
datetime, or None when it has none."""


class Output(Protocol):
    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[Time] | None) -> None:
        """NDJSON ``lines`` (each ending in a newline), the bytes of each, and the time of each
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
    # Each compressor imported when asked for: most runs write plain NDJSON.
    suffix = Path(name).suffix
    if suffix == ".gz":
        import gzip

        # Level 6 as gzip(1) does: level 9 is several times slower for a few percent.
        return gzip.GzipFile(filename=Path(name).name, fileobj=raw, mode="wb", compresslevel=6, mtime=0)  # type: ignore[return-value]
    if suffix == ".bz2":
        import bz2

        return bz2.BZ2File(raw, "wb")
    if suffix == ".xz":
        import lzma

        return lzma.LZMAFile(raw, "wb")
    if suffix == ".zst":
        import zstandard

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

    def __init__(self, path: Path, *, run: str = "") -> None:
        if path.exists() and not path.is_file():
            raise UsageError(f"cannot write {shown_name(str(path))}: not a regular file")  # a rename would replace it
        self.path = path
        try:
            # ``run`` names the temporary files of one run, so that they can be found (``SplitOutput.discard``).
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{run}", suffix=".part")
        except OSError as exc:
            raise UsageError(f"cannot write {shown_name(str(path))}: {exc.strerror or exc}") from None
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

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[Time] | None) -> None:
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

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[Time] | None) -> None:
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


class Parts(NamedTuple):
    """Files named by a pattern: ``{}`` in ``pattern`` stands for a key that ``keys`` (a regular
    expression) matches."""

    pattern: str
    keys: str

    def existing(self) -> list[str]:
        """The files of the pattern there are now."""
        matches = re.compile(re.escape(self.pattern).replace(re.escape("{}"), f"(?:{self.keys})"))
        candidates = glob.glob(glob.escape(self.pattern).replace("{}", "*"))
        return [name for name in candidates if matches.fullmatch(name)]


def split_parts(target: str, split: Split) -> Parts:
    """The parts ``--split-by`` writes to ``target``: a pattern holding ``{}``, or a directory."""
    pattern = target if "{}" in target else os.path.join(target, "{}.ndjson")
    return Parts(pattern, SPLIT_KEYS["count" if isinstance(split, int) else split])


_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?", re.ASCII)


def split_key(split: Literal["day", "hour"], when: Time) -> str:
    """The key of a record's part: its UTC day or hour, from a time that parses as one; else
    ``undated``. Built from the parsed numbers, so that whatever text a record holds, a key is
    never anything but ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH``."""
    if isinstance(when, str):
        if not _ISO_TIME.fullmatch(when):
            return UNDATED  # fromisoformat alone lets odd text through ("20:00:00\nZ")
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return UNDATED
    if when is None:
        return UNDATED
    if when.tzinfo is not None:
        try:
            when = when.astimezone(UTC)
        except (OverflowError, ValueError):
            return UNDATED  # a time at the very edge of the calendar
    day = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    return day if split == "day" else f"{day}T{when.hour:02d}"


class SplitOutput:
    """Parts named by key (see the module's doc); all of them renamed into place at the end."""

    def __init__(self, target: str, split: Split) -> None:
        self.split = split
        self._pattern = split_parts(target, split).pattern
        prefix = self._pattern.split("{}", 1)[0]
        self._home = os.path.abspath(prefix if prefix.endswith(os.sep) else os.path.dirname(prefix) or ".")
        """The directory every part lies in."""
        self._run = os.urandom(4).hex() + "."
        self._parts: dict[str, AtomicFile] = {}
        self._open: OrderedDict[str, AtomicFile] = OrderedDict()  # least recently written first
        self._count = 0

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[Time] | None) -> None:
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

    def _key(self, when: Time) -> str:
        if isinstance(self.split, int):
            self._count += 1
            return f"{(self._count - 1) // self.split + 1:05d}"
        return split_key(self.split, when)

    def _part(self, key: str) -> AtomicFile:
        part = self._open.get(key)
        if part is not None:
            self._open.move_to_end(key)
            return part
        part = self._parts.get(key)
        if part is None:
            path = Path(self._pattern.replace("{}", key))
            if os.path.commonpath([self._home, os.path.abspath(path)]) != self._home:
                raise UsageError(f"split part {shown_name(str(path))} would lie outside {shown_name(self._home)}")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"cannot create directory {path.parent}: {exc.strerror or exc}") from None
            part = self._parts[key] = AtomicFile(path, run=self._run)
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
        # Also the parts this object does not know of: a worker process holds a copy of it from
        # when it started, and cleans up with it when the run's own process was killed
        # (``xformat.parallel``). The run's token in their names makes them this run's.
        home, name = os.path.split(self._pattern)
        for tmp in glob.glob(os.path.join(glob.escape(home).replace("{}", "*"), _temporary(name, self._run))):
            Path(tmp).unlink(missing_ok=True)


def _temporary(name: str, run: str) -> str:
    """A glob of the temporary names of the parts named by ``name`` (holding ``{}``) in a run."""
    return glob.escape(f".{name}.{run}").replace("{}", "*") + "*.part"


def refuse_overwriting(inputs: Iterable[str], outputs: Mapping[str, str | Parts | None]) -> None:
    """Raises ``UsageError`` when an output (option -> file, or parts) would overwrite an input, or
    two outputs are the same file: an input is never overwritten, whatever name reaches it.

    Files are compared by what they are (device and inode: through symlinks and hard links),
    and outputs that do not exist yet by their resolved paths. Parts are checked against the
    files of their pattern that exist now: a part's key is known only when a record asks for
    it, and any of them may be asked for. Pipes and devices are no files to lose.
    """
    read: dict[tuple[int, int], str] = {}
    for name in inputs:
        info = _regular(name) if name != STDIN else None
        if info is not None:
            read.setdefault((info.st_dev, info.st_ino), name)
    written: dict[object, str] = {}
    for option, target in outputs.items():
        if target is None or target == STDIN:
            continue
        files = target.existing() if isinstance(target, Parts) else [target]
        shown = shown_name(target.pattern if isinstance(target, Parts) else target)
        for file in files:
            info = _regular(file)
            if info is not None and (info.st_dev, info.st_ino) in read:
                other = shown_name(read[(info.st_dev, info.st_ino)])
                raise UsageError(f"{option} {shown} is also the input {other}: inputs are never modified in place")
        if isinstance(target, str):
            info = _regular(target)
            same: object = (info.st_dev, info.st_ino) if info is not None else os.path.realpath(target)
            if os.path.exists(target) and info is None:
                continue  # a device or a pipe (/dev/null): as many outputs may go there as like
            if same in written:
                raise UsageError(f"{option} {shown} is also {written[same]}: name another file")
            written[same] = f"{option} {shown}"


def _regular(name: str) -> os.stat_result | None:
    """What ``name`` is (through symlinks) if it is a regular file, else None."""
    try:
        info = os.stat(name)
    except (OSError, ValueError):  # does not exist (yet), or cannot (a NUL in the name)
        return None
    return info if stat.S_ISREG(info.st_mode) else None


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
