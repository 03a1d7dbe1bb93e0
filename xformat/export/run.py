"""One export run: records in, a table out, every record accounted for.

The reading process reads and cuts chunks, and writes; the rows of each chunk are made and
encoded (an Arrow batch, or CSV text) in this process or, with ``jobs > 1``, in workers too
(``xformat.parallel.ordered_map``), which hand results back in input order. Duplicates are
found here, in input order, so that the table never depends on ``jobs``.

Finding duplicates keeps every post id seen in a set of ints: about 100 bytes an id (measured:
500,000 ids, 45 MiB), so 10 million posts take 1 GiB; tens of millions are fine on a machine of
today. Everything else stays flat. ``keep_duplicates`` keeps no such set.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol

from xformat.errors import UsageError
from xformat.export.columns import Column, select
from xformat.export.csv_table import CsvEncoder, CsvTable
from xformat.export.rows import Loose, Outcome, RowMaker, chunks
from xformat.export.summary import ExportSummary, account, first_seen
from xformat.parallel import ordered_map
from xformat.progress import Progress
from xformat.records import COMPRESSED_SUFFIXES, STDIN, Block, Reader, expand_inputs
from xformat.rejects import Rejects

TableFormat = Literal["parquet", "csv"]
PARQUET_SUFFIXES = (".parquet", ".pq")


class Encoded(NamedTuple):
    """What a chunk gave besides its encoded rows (which travel as bytes)."""

    ids: list[int]
    sizes: list[int] | None
    """Bytes of each row, when rows can be cut out of the bytes (CSV)."""
    outcomes: list[Outcome]


class Table(Protocol):
    def write(self, data: bytes | memoryview, sizes: Sequence[int] | None, keep: Sequence[bool] | None) -> None: ...

    def commit(self) -> list[str]: ...

    def discard(self) -> None: ...


def table_format(path: str) -> TableFormat:
    """The format ``path`` names: ``.parquet``/``.pq``, or ``.csv`` (compressed or not); ``-`` is CSV."""
    if path == STDIN:
        return "csv"
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in PARQUET_SUFFIXES:
        return "parquet"
    if suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes.pop()
    if suffixes and suffixes[-1] == ".csv":
        return "csv"
    raise UsageError(
        f"cannot tell the table format from the name {path}: end it in .parquet, or .csv (.csv.gz, .csv.zst, ...)"
    )


def missing_extra(what: str, module: str, extra: str) -> UsageError:
    return UsageError(f"{what} needs {module}: pip install 'xformat[{extra}]'")


def _parquet() -> Any:
    try:
        from xformat.export import parquet_table
    except ImportError:
        raise missing_extra("Parquet output", "pyarrow", "parquet") from None
    return parquet_table


def open_table(fmt: TableFormat, path: str, columns: Sequence[Column], *, bom: bool = False) -> Table:
    if fmt == "csv":
        return CsvTable(path, columns, bom=bom)
    if path == STDIN:
        raise UsageError("Parquet cannot be written to stdout: name a file")
    table: Table = _parquet().ParquetTable(path, columns)
    return table


class TableWork:
    """Chunks to encoded rows; built once per process."""

    def __init__(self, names: Sequence[str], fmt: TableFormat) -> None:
        columns = select(names)
        self._rows = RowMaker([column.get for column in columns])
        self._encode = CsvEncoder(columns) if fmt == "csv" else _parquet().ParquetEncoder(columns)

    def __call__(self, data: bytes | memoryview, meta: list[Loose] | Block) -> tuple[bytes, Encoded]:
        made = self._rows(data, meta)
        encoded, sizes = self._encode(made.rows)
        return encoded, Encoded(made.ids, sizes, made.outcomes)


def export(
    inputs: Reader | Sequence[str],
    output: str,
    *,
    rejects: Rejects | None = None,
    columns: Sequence[str] | None = None,
    keep_duplicates: bool = False,
    max_errors: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    bom: bool = False,
) -> ExportSummary:
    """Export the posts of ``inputs`` (files, directories, globs, or a ``Reader``) into a table at
    ``output`` (its format from its name). It is committed at the end, or discarded if the run
    fails, is interrupted or stops at ``max_errors`` rejects. Rejects go to ``rejects`` (by
    default they are only counted)."""
    reader = inputs if isinstance(inputs, Reader) else Reader(expand_inputs(inputs))
    rejects = rejects or Rejects(None, None)
    chosen = select(columns)
    fmt = table_format(output)
    refuse_inputs(reader.names, output, rejects.path)
    names = [column.name for column in chosen]
    summary = ExportSummary(
        inputs=reader.names, columns=names, rejects_file=rejects.path, keep_duplicates=keep_duplicates
    )
    seen: set[int] | None = None if keep_duplicates else set()
    start = time.perf_counter()
    table = open_table(fmt, output, chosen, bom=bom)
    results = ordered_map(functools.partial(TableWork, names, fmt), chunks(reader.pieces()), jobs=jobs)
    try:
        try:
            for records, data, done in results:
                if account(records, done.outcomes, summary, rejects, max_errors):
                    break
                keep = None if seen is None else first_seen(done.ids, seen)
                table.write(data, done.sizes, keep)
                kept = len(done.ids) if keep is None else sum(keep)
                summary.rows += kept
                summary.duplicates += len(done.ids) - kept
                if progress is not None:
                    progress.update(summary.read, reader.bytes_read)
        finally:
            results.close()  # stops the workers, also when stopping early
    except BaseException:
        table.discard()
        raise
    if summary.stopped_early:
        table.discard()
    else:
        table.commit()
        summary.output = output
    summary.seconds = time.perf_counter() - start
    return summary


def refuse_inputs(inputs: Sequence[str], *outputs: str | None) -> None:
    """Raises ``UsageError`` if one of ``outputs`` is one of ``inputs``: writing it would destroy
    it (and it could not be read whole). Check before opening any output: a rejects file is
    opened (emptied) as soon as its ``Rejects`` is made."""
    read = {Path(name).resolve() for name in inputs if name != STDIN}
    for output in outputs:
        if output is not None and output != STDIN and Path(output).resolve() in read:
            raise UsageError(f"{output} is one of the inputs: name another output")
