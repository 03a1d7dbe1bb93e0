"""Converting a bag: each partition by the pipeline's own chunk converter and accounting.

A partition is converted in one task, which gives its output lines, its rejects and its
``Summary``; the bags of ``Conversion`` are views of those tasks' results, so computing them
together (``dask.compute(done.lines, done.rejects, done.summary)``) converts every record once.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

import dask.bag as db
from dask.delayed import delayed

from xformat.dask.lines import Line, records_of
from xformat.pipeline import RecordConverter, Settings, account, chunks
from xformat.records import DEFAULT_MAX_RECORD_BYTES, Block, Record
from xformat.rejects import Rejects, reject_line
from xformat.summary import Summary

T = TypeVar("T")

Rejected = tuple[Record, str, str]
"""A reject: the record, the reason, the JSON path."""


class Conversion(NamedTuple):
    """The lazy results of ``convert``; compute them together to convert once."""

    lines: Any
    """Bag of ``str``: the converted records in input order, one JSON document each, no newline
    (``lines.to_textfiles(...)`` writes NDJSON)."""
    rejects: Any
    """Bag of ``str``: one JSON object per reject, as in the CLI's rejects file, in input order."""
    summaries: Any
    """Bag of ``Summary``: one per partition."""
    summary: Any
    """Item: the summaries merged, accounting for every record of the bag."""


class Part(NamedTuple):
    """What converting one partition gave."""

    output: bytes
    """NDJSON: the converted lines, each ending in a newline."""
    sizes: list[int]
    """Bytes of each output line, newline included."""
    rejects: list[Rejected]
    summary: Summary


def convert(
    lines: Any,
    target: str,
    *,
    source: str | None = None,
    domain: str = "twitter.com",
    lossless: bool = False,
    strict: bool = False,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Conversion:
    """Convert a bag (see ``xformat.dask``) to ``target``. ``source`` forces the input's format
    (default: detected record by record); ``domain``, ``lossless`` and ``strict`` are
    ``Converter``'s; ``max_record_bytes`` caps the records cut from lines (``read_lines`` caps
    its own)."""
    settings = Settings(target, source, domain, lossless, strict)
    parts = per_partition(lines, _convert_part, settings, max_record_bytes)
    summaries = parts.map(operator.attrgetter("summary"))
    return Conversion(
        parts.map_partitions(_lines_of),
        parts.map_partitions(_rejects_of),
        summaries,
        summaries.fold(merged, initial=Summary()),
    )


def per_partition(bag: Any, work: Callable[..., T], *args: Any) -> Any:
    """A bag of one ``work(records, index, *args)`` per partition of ``bag``, in order."""
    parts = [delayed(_one)(work, part, index, *args) for index, part in enumerate(bag.to_delayed())]
    return db.from_delayed(parts)  # type: ignore[no-untyped-call]


def _one(work: Callable[..., T], part: Iterable[Any], index: int, *args: Any) -> list[T]:
    return [work(part, index, *args)]


def _convert_part(items: Iterable[Line], index: int, settings: Settings, max_record_bytes: int) -> Part:
    chunks: list[bytes] = []
    sizes: list[int] = []

    def keep(lines: bytes, line_sizes: list[int]) -> None:
        chunks.append(lines)
        sizes.extend(line_sizes)

    summary, rejects = convert_records(records_of(items, index, max_record_bytes), settings, keep)
    return Part(b"".join(chunks), sizes, rejects, summary)


def convert_records(
    records: Iterable[Record | Block], settings: Settings, write: Callable[[bytes, list[int]], None]
) -> tuple[Summary, list[Rejected]]:
    """Convert ``records`` (or what a reader gives: records, and blocks of NDJSON lines) chunk by
    chunk as the single-machine pipeline does, giving each chunk's output lines (and their
    sizes) to ``write``; returns the accounting and the rejects."""
    convert = _converter(settings)
    summary = Summary()
    kept = _Kept()
    for chunk, raws, sizes in chunks(records):
        lines, done = convert(raws, sizes)
        write(lines, done.sizes)
        account(chunk, done.results, summary, kept, None)
    return summary, kept.entries


@functools.cache
def _converter(settings: Settings) -> RecordConverter:
    """One converter per worker process and settings, as the pipeline builds one per process."""
    return RecordConverter(settings)


class _Kept(Rejects):
    """Rejects kept in memory, to travel back with their partition's result."""

    def __init__(self) -> None:
        super().__init__(None, None)
        self.entries: list[Rejected] = []

    def add(self, record: Record, reason: str, path: str) -> None:
        self.count += 1
        self.entries.append((record, reason, path))


def _lines_of(parts: Iterable[Part]) -> list[str]:
    out = []
    for part in parts:
        start = 0
        for size in part.sizes:
            out.append(part.output[start : start + size - 1].decode())
            start += size
    return out


def _rejects_of(parts: Iterable[Part]) -> list[str]:
    return [reject_line(*rejected).decode() for part in parts for rejected in part.rejects]


def merged(a: T, b: T) -> T:
    """Two summaries of the same kind (``Summary``, or ``validate.Summary``) as one: counts add
    up, lists are joined, flags and names are kept from whichever has them."""
    assert dataclasses.is_dataclass(a) and not isinstance(a, type)
    values = {}
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        values[field.name] = x or y if isinstance(x, (bool, str)) or x is None else x + y
    return type(a)(**values)
