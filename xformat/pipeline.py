"""One conversion run: records in, converted records out, every record accounted for.

The reader, the output and the accounting live in this process; the decode and conversion of
each record (``RecordConverter``) run here too, or in worker processes with ``jobs > 1``, which
get chunks of raw bytes and send back what each record gave. Either way the same code converts
the same records in the same order, so ``--jobs`` never changes the output.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import msgspec

from xformat.convert import Converter
from xformat.convert.timefmt import millis_to_iso, native_to_iso
from xformat.errors import RecordError
from xformat.output import Output
from xformat.parallel import ordered_map
from xformat.progress import Progress
from xformat.records import Block, Reader, Record, block_lines, line_records, plain_record
from xformat.rejects import Rejects
from xformat.summary import Summary

CHUNK_RECORDS = 500
CHUNK_BYTES = 2**20
"""A chunk (the unit sent to a worker) ends at whichever of these it reaches first."""


class Settings(NamedTuple):
    """What a (worker) process needs to build its converter."""

    target: str
    """The target format's name (``xformat.formats``)."""
    source: str | None = None
    """The input's format, or None to detect it record by record."""
    domain: str = "twitter.com"
    lossless: bool = False
    strict: bool = False
    dated: bool = False
    """Find each output record's time (for output split by day or hour)."""


class Done(NamedTuple):
    kind: str
    losses: tuple[str, ...]
    unknown: tuple[str, ...]
    unchanged: bool
    """The record was already in the target format and is copied as it was."""


class ChunkResults(NamedTuple):
    """What converting a chunk gave, besides its output lines (which come in one piece: one
    transfer from a worker, one write)."""

    sizes: list[int]
    """Bytes of each output line, newline included."""
    times: list[str | None] | None
    """ISO time of each output line's post or deletion, when ``Settings.dated``."""
    results: list[Done | Failed | None]
    """What each record gave; None for a record not to convert (keep-alive, reader reject)."""


class Failed(NamedTuple):
    reason: str
    path: str
    record: Record | None = None
    """The record, when the worker cut it out of a block itself (the parent holds no ``Record``)."""


class _Times(msgspec.Struct):
    """The members that date a record of either format; msgspec skips every other one."""

    created_at: str | None = None
    postedTime: str | None = None
    delete: _DeleteTime | None = None


class _DeleteTime(msgspec.Struct):
    timestamp_ms: str | None = None


_TIMES = msgspec.json.Decoder(_Times)


def time_of(output: bytes) -> str | None:
    """ISO time of a converted post or deletion (``postedTime``, ``created_at``, ``timestamp_ms``)."""
    try:
        times = _TIMES.decode(output)
        if times.postedTime is not None:
            return times.postedTime
        if times.created_at is not None:
            return native_to_iso(times.created_at)
        if times.delete is not None and times.delete.timestamp_ms is not None:
            return millis_to_iso(times.delete.timestamp_ms)
    except (msgspec.DecodeError, ValueError, KeyError):
        pass  # a record without a usable time goes to the "undated" part
    return None


class RecordConverter:
    """Converts chunks of raw records; built once per process (it holds the ``Converter``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._convert = Converter(
            settings.target, domain=settings.domain, lossless=settings.lossless, strict=settings.strict
        ).convert_raw
        # Records of an archive give few distinct results: sharing one object per result makes
        # them cheap to send back from a worker (pickle sends each once) and to count.
        self._shared: dict[tuple[str, tuple[str, ...], tuple[str, ...], bool], Done] = {}

    def __call__(self, raws: bytes, meta: list[int] | Block) -> tuple[bytes, ChunkResults]:
        """Converts a chunk, which is either a block of NDJSON lines (``raws`` its bytes, ``meta``
        where they come from), or records' bytes end to end with ``meta`` the length of each (-1
        for a record not to convert). Returns the output lines and what each record gave."""
        lines: list[bytes] = []
        one = self.one
        results: list[Done | Failed | None] = []
        if isinstance(meta, Block):
            self._cut_and_convert(meta._replace(data=raws), lines, results)
        else:
            start = 0
            for size in meta:
                if size < 0:
                    results.append(None)
                else:
                    results.append(one(raws[start : start + size], lines))
                    start += size
        times = [time_of(line) for line in lines] if self.settings.dated else None
        out_sizes = [len(line) + 1 for line in lines]
        if lines:
            lines.append(b"")
        return b"\n".join(lines), ChunkResults(out_sizes, times, results)

    def _cut_and_convert(self, block: Block, lines: list[bytes], results: list[Done | Failed | None]) -> None:
        """Converts the records of ``block`` (see ``block_records``); keep-alives give None."""
        one = self.one
        source, line, limit = block.source, block.line, block.limit
        for text in block_lines(block.data):
            body = plain_record(text, limit)
            if body is not None:  # no Record built for most lines
                result = one(body, lines)
                if isinstance(result, Failed):
                    result = result._replace(record=Record(source, line, body))
                results.append(result)
            else:
                for record in line_records(source, line, text, limit):
                    if record.error is not None:
                        results.append(Failed(record.error, "$", record))
                    elif not record.raw:
                        results.append(None)
                    else:
                        result = one(record.raw, lines)
                        results.append(result._replace(record=record) if isinstance(result, Failed) else result)
            line += 1

    def one(self, raw: bytes, lines: list[bytes]) -> Done | Failed:
        """What ``raw`` gave; its output goes to ``lines``."""
        try:
            out = self._convert(raw, self.settings.source)
        except RecordError as err:
            return Failed(err.reason, err.path)
        except Exception as exc:  # one bad record must not end a run over a whole archive
            return Failed(_unexpected(exc), "$")
        output = out.output
        if output is None:
            return self._share(out.kind, out.losses, out.unknown, False)
        unchanged = output == raw
        if unchanged and b"\n" in output:
            # Copied from a pretty-printed document: NDJSON needs it on one line (whitespace only changes).
            output = msgspec.json.format(output, indent=-1)
        lines.append(output)
        return self._share(out.kind, out.losses, out.unknown, unchanged)

    def _share(self, kind: str, losses: tuple[str, ...], unknown: tuple[str, ...], unchanged: bool) -> Done:
        # Looked up by a plain tuple, which hashes and compares as the Done it finds, so that
        # most records build no Done at all.
        key = (kind, losses, unknown, unchanged)
        shared = self._shared.get(key)
        if shared is not None:
            return shared
        done = Done(*key)
        if len(self._shared) < _SHARED_MAX:
            self._shared[done] = done
        return done


def _unexpected(exc: Exception) -> str:
    """The reason for a record whose conversion raised something other than ``RecordError``."""
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid UTF-8: {exc.reason} at byte {exc.start}"
    if isinstance(exc, msgspec.DecodeError):
        return f"malformed JSON: {exc}"
    if isinstance(exc, RecursionError):
        return "malformed JSON: nested too deeply"
    return f"internal error, please report it: {type(exc).__name__}: {exc}"


_INDEX = re.compile(r"\[\d+\]")
_SHARED_MAX = 4096  # distinct results kept for sharing: unknown-field paths can vary without end


def run(
    reader: Reader,
    settings: Settings,
    output: Output,
    rejects: Rejects,
    *,
    jobs: int = 1,
    max_errors: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Convert everything ``reader`` gives into ``output``; commit it, or discard it if the run
    fails, is interrupted or stops at ``max_errors`` rejects."""
    summary = Summary(inputs=reader.names, rejects_file=rejects.path)
    start = time.perf_counter()
    results = ordered_map(functools.partial(RecordConverter, settings), chunks(reader.pieces()), jobs=jobs)
    try:
        try:
            for records, lines, converted in results:
                output.write(lines, converted.sizes, converted.times)
                if account(records, converted.results, summary, rejects, max_errors):
                    summary.stopped_early = True
                    break
                if progress is not None:
                    progress.update(summary.read, reader.bytes_read)
        finally:
            results.close()  # stops the workers, also when stopping early
    except BaseException:
        output.discard()
        raise
    if summary.stopped_early:
        output.discard()
    else:
        summary.outputs = output.commit()
    summary.seconds = time.perf_counter() - start
    return summary


def chunks(
    pieces: Iterable[Record | Block],
) -> Iterator[tuple[list[Record] | None, bytes, list[int] | Block]]:
    """Chunks, each with what a worker needs of it (see ``RecordConverter``): a block as it is
    (the worker cuts it into records), records gathered into chunks."""
    chunk: list[Record] = []
    raws: list[bytes] = []
    sizes: list[int] = []
    total = 0
    for record in pieces:
        if isinstance(record, Block):
            if chunk:
                yield chunk, b"".join(raws), sizes
                chunk, raws, sizes, total = [], [], [], 0
            yield None, record.data, record._replace(data=b"")
            continue
        chunk.append(record)
        if record.raw and record.error is None:
            raws.append(record.raw)
            sizes.append(len(record.raw))
            total += len(record.raw)
        else:
            sizes.append(-1)
        if len(chunk) >= CHUNK_RECORDS or total >= CHUNK_BYTES:
            yield chunk, b"".join(raws), sizes
            chunk, raws, sizes, total = [], [], [], 0
    if chunk:
        yield chunk, b"".join(raws), sizes


def account(
    records: list[Record] | None,
    results: list[Done | Failed | None],
    summary: Summary,
    rejects: Rejects,
    max_errors: int | None,
) -> bool:
    """Counts one chunk's records, in order; True once ``max_errors`` is reached (the output is
    then discarded, so it does not matter that the whole chunk was written). ``records`` are the
    chunk's records, or None for a block (whose rejects carry their records)."""
    tally: dict[Done, int] = {}  # each distinct result counted once, below, not once per record
    stop = False
    for index, result in enumerate(results):
        summary.read += 1
        if type(result) is Done:
            tally[result] = tally.get(result, 0) + 1
            continue
        if result is None:
            if records is None or records[index].error is None:
                summary.keepalives += 1
                continue
            record = records[index]
            rejects.add(record, record.error or "", "$")
        else:
            assert isinstance(result, Failed)
            record = result.record or (records or [])[index]
            rejects.add(record, result.reason, result.path)
        summary.rejected += 1
        if max_errors is not None and summary.rejected >= max_errors:
            stop = True
            break
    _count(tally, summary)
    return stop


def _count(tally: dict[Done, int], summary: Summary) -> None:
    for done, times in tally.items():
        if done.kind == "info":
            summary.info += times
            continue
        if done.kind == "post":
            summary.converted += times
        else:
            summary.deletions += times
        if done.unchanged:
            summary.unchanged += times
        for code in done.losses:
            summary.losses[code] += times
        for path in {_INDEX.sub("[*]", path) for path in done.unknown}:
            summary.unknown_fields[path] += times
