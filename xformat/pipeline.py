"""One conversion run: records in, converted records out, every record accounted for.

The reader, the output and the accounting live in this process; the decode and conversion of
each record (``RecordConverter``) run here too, or in worker processes with ``jobs > 1``, which
get chunks of raw bytes and send back what each record gave. Either way the same code converts
the same records in the same order, so ``--jobs`` never changes the output.

The chunk protocol, between ``chunks`` (reading process), ``RecordConverter`` (any process) and
``account`` (reading process):

- a chunk is ``(records, raws, meta)``: either a block of NDJSON lines (``records`` is None,
  ``raws`` the block's bytes, ``meta`` the ``Block`` saying where they come from: the converter
  cuts it into records), or records gathered by the reader (``records`` the ``Record``s,
  ``raws`` the bytes of those to convert end to end, ``meta`` their ``Sizes``);
- the converter returns the chunk's output lines in one piece and a ``ChunkResults``: one
  ``RecordResult`` per record, in order (a ``Done``, a ``Failed``, or None for a record that
  was not converted), the size and, when asked, the time of each output line;
- ``account`` counts them into the ``Summary`` and the rejects.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import msgspec

from xformat.convert import Converter
from xformat.errors import RecordError, unexpected
from xformat.output import Output
from xformat.parallel import ordered_map
from xformat.progress import Progress
from xformat.records import Block, Reader, Record, block_lines, line_records, plain_record
from xformat.rejects import Rejects
from xformat.summary import PAGES, SYSTEM_COUNTERS, Summary

NOT_CONVERTED = -1
"""The size ``Sizes`` gives a record the converter leaves alone (a keep-alive, a reader reject)."""
Sizes = list[int]
"""The byte length of each record of a chunk, their bytes end to end; ``NOT_CONVERTED`` for a
record that has none to convert."""
ChunkRecords = list[Record] | None
"""The records of a chunk as the reader gave them, or None for a block (cut by the converter,
whose ``Failed`` results carry their records)."""

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
    v2_pages: bool = False
    """Posts go to X API v2 response pages (``xformat.v2pagewriter``, an ``Output``)."""


class Done(NamedTuple):
    """A record converted (or counted, for a kind without another form). Records of an archive
    give few distinct ``Done``s: the converter shares one object per distinct value."""

    kind: str
    losses: tuple[str, ...]
    unknown: tuple[str, ...]
    unchanged: bool
    """The record was already in the target format and is copied as it was."""
    written: bool
    """An output line was written for it: not for system messages (the same in every format),
    nor for a record the target format has no form for (a native ``drop`` in Activity Streams)."""
    posts: int = 1
    """Posts the record held (any number for an X API v2 page, each written as a line)."""
    problems: int = 0
    """Problems it reported beside its posts (X API v2 ``errors`` entries): counted."""


DoneKey = tuple[str, tuple[str, ...], tuple[str, ...], bool, bool, int, int]
"""The fields of a ``Done`` as a plain tuple, which hashes and compares equal to the ``Done``:
the converter finds the shared ``Done`` by it without building one per record."""


class ChunkResults(NamedTuple):
    """What converting a chunk gave, besides its output lines (which come in one piece: one
    transfer from a worker, one write)."""

    sizes: list[int]
    """Bytes of each output line, newline included."""
    times: list[str | None] | None
    """ISO time of each output line's post or deletion, when ``Settings.dated``."""
    results: list[RecordResult]
    """What each record gave, in order."""


class Failed(NamedTuple):
    """A record rejected: why, and where in it."""

    reason: str
    path: str
    record: Record | None = None
    """The record, when the worker cut it out of a block itself (the parent holds no ``Record``)."""


RecordResult = Done | Failed | None
"""What one record of a chunk gave; None for a record not converted (keep-alive, reader reject)."""


class RecordConverter:
    """Converts chunks of raw records; built once per process (it holds the ``Converter``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._convert = Converter(
            settings.target,
            domain=settings.domain,
            lossless=settings.lossless,
            strict=settings.strict,
            dated=settings.dated,
            pages=settings.v2_pages,
        ).convert_raw
        # Records of an archive give few distinct results: sharing one object per result makes
        # them cheap to send back from a worker (pickle sends each once) and to count.
        self._shared: dict[DoneKey, Done] = {}
        self._times: list[str | None] | None = None

    def __call__(self, raws: bytes, meta: Sizes | Block) -> tuple[bytes, ChunkResults]:
        """Converts a chunk (see the module's doc): returns its output lines in one piece and
        what each record gave."""
        lines: list[bytes] = []
        one = self.one
        results: list[RecordResult] = []
        times = self._times = [] if self.settings.dated else None
        if isinstance(meta, Block):
            self._cut_and_convert(meta._replace(data=raws), lines, results)
        else:
            start = 0
            for size in meta:
                if size == NOT_CONVERTED:
                    results.append(None)
                else:
                    results.append(one(raws[start : start + size], lines))
                    start += size
        out_sizes = [len(line) + 1 for line in lines]
        if lines:
            lines.append(b"")
        return b"\n".join(lines), ChunkResults(out_sizes, times, results)

    def _cut_and_convert(self, block: Block, lines: list[bytes], results: list[RecordResult]) -> None:
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
            return Failed(unexpected(exc, raw), "$")
        if out.parts is not None:  # a page of posts: each written as a record of its own
            written = [part for part in out.parts if part.output is not None]
            lines += [part.output for part in written if part.output is not None]
            if self._times is not None:
                self._times += [part.time for part in written]
            return self._share(out.kind, out.losses, out.unknown, False, bool(written), out.posts, out.problems)
        output = out.output
        if output is None:
            return self._share(out.kind, out.losses, out.unknown, False, False, out.posts, out.problems)
        unchanged = output == raw
        if unchanged and b"\n" in output:
            # Copied from a pretty-printed document: NDJSON needs it on one line (whitespace only changes).
            output = msgspec.json.format(output, indent=-1)
        lines.append(output)
        if self._times is not None:
            self._times.append(out.time)
        return self._share(out.kind, out.losses, out.unknown, unchanged, True, out.posts, out.problems)

    def _share(
        self,
        kind: str,
        losses: tuple[str, ...],
        unknown: tuple[str, ...],
        unchanged: bool,
        written: bool,
        posts: int,
        problems: int,
    ) -> Done:
        # Looked up by a plain tuple, which hashes and compares as the Done it finds, so that
        # most records build no Done at all.
        key = (kind, losses, unknown, unchanged, written, posts, problems)
        shared = self._shared.get(key)
        if shared is not None:
            return shared
        done = Done(*key)
        if len(self._shared) < _SHARED_MAX:
            self._shared[done] = done
        return done


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
    converter = functools.partial(RecordConverter, settings)
    # A worker left alone (this process killed) removes the partial output.
    results = ordered_map(converter, chunks(reader.pieces()), jobs=jobs, orphaned=output.discard)
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
) -> Iterator[tuple[ChunkRecords, bytes, Sizes | Block]]:
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
            sizes.append(NOT_CONVERTED)
        if len(chunk) >= CHUNK_RECORDS or total >= CHUNK_BYTES:
            yield chunk, b"".join(raws), sizes
            chunk, raws, sizes, total = [], [], [], 0
    if chunk:
        yield chunk, b"".join(raws), sizes


def account(
    records: ChunkRecords,
    results: list[RecordResult],
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
        counter = summary.count(done.kind, times)
        summary.api_errors += done.problems * times
        if counter in SYSTEM_COUNTERS:
            continue  # a system message: the same in every format, neither converted nor lost
        if counter == PAGES:  # its posts are counted, each written; an empty page writes nothing
            summary.page_posts += done.posts * times
        elif not done.written:
            summary.not_converted += times
        if done.unchanged:
            summary.unchanged += times
        for code in done.losses:
            summary.losses[code] += times
        for path in {_INDEX.sub("[*]", path) for path in done.unknown}:
            summary.unknown_fields[path] += times
