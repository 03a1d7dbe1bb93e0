"""Tables as Parquet, through pyarrow: real types, row groups written as they fill.

Rows become an Arrow record batch where they are made (a worker, with ``--jobs``), which
travels as Arrow IPC bytes; the writing process gathers batches into row groups of
``ROW_GROUP_ROWS`` rows or ``ROW_GROUP_BYTES`` bytes of Arrow memory, whichever comes first,
so memory stays flat whatever the input's size. Each field's metadata holds the column's
meaning. Compression is zstd, which DuckDB, pandas, polars, R and Spark all read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from xformat.export.columns import Column, ColumnType
from xformat.output import Output, open_output

ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 16 * 2**20

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "timestamp[ms, UTC]": pa.timestamp("ms", tz="UTC"),
    "list<string>": pa.list_(pa.string()),
}


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], metadata={"description": c.meaning}) for c in columns])


class ParquetEncoder:
    """Rows to an Arrow record batch, as IPC bytes (made where the rows are)."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self._schema = arrow_schema(columns)
        self._types = [ARROW_TYPES[c.type] for c in columns]

    def __call__(self, rows: list[list[Any]]) -> tuple[bytes, None]:
        values: Sequence[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [() for _ in self._types]
        arrays = []
        for column, kind in zip(values, self._types, strict=True):
            if pa.types.is_timestamp(kind):
                # Getters give ISO 8601 text; Arrow parses it much faster than Python would.
                arrays.append(pa.array(column, pa.string()).cast(kind))
            else:
                arrays.append(pa.array(column, kind))
        batch = pa.RecordBatch.from_arrays(arrays, schema=self._schema)
        return batch.serialize().to_pybytes(), None


class _Sink:
    """What pyarrow needs of a file to write Parquet into an ``xformat.output.Output``."""

    closed = False

    def __init__(self, output: Output) -> None:
        self._output = output
        self._position = 0

    def write(self, data: bytes | memoryview) -> int:
        size = len(data)
        self._output.write(data, [size], None)
        self._position += size
        return size

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass  # the output flushes when it commits


class ParquetTable:
    """A Parquet file, written atomically (see ``xformat.output``)."""

    def __init__(self, path: str, columns: Sequence[Column]) -> None:
        self._schema = arrow_schema(columns)
        self._output = open_output(path)
        self._writer = pq.ParquetWriter(pa.PythonFile(_Sink(self._output), mode="w"), self._schema, compression="zstd")
        self._pending: list[pa.RecordBatch] = []
        self._rows = 0
        self._bytes = 0

    def write(self, data: bytes | memoryview, sizes: Sequence[int] | None, keep: Sequence[bool] | None) -> None:
        """A batch as ``ParquetEncoder`` made it; only the rows ``keep`` marks, when given."""
        # A copy: ``data`` may be memory that is reused once this returns, and the batch waits.
        batch = pa.ipc.read_record_batch(pa.py_buffer(bytes(data)), self._schema)
        if keep is not None:
            batch = batch.filter(pa.array(keep, pa.bool_()))
        if not batch.num_rows:
            return
        self._pending.append(batch)
        self._rows += batch.num_rows
        self._bytes += batch.nbytes
        if self._rows >= ROW_GROUP_ROWS or self._bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(pa.Table.from_batches(self._pending), row_group_size=self._rows)
            self._pending, self._rows, self._bytes = [], 0, 0

    def commit(self) -> list[str]:
        self._flush()
        self._writer.close()
        return self._output.commit()

    def discard(self) -> None:
        self._pending = []
        try:
            with contextlib.suppress(OSError, pa.ArrowException):
                self._writer.close()  # only to let go of the file: what it writes is going away
        finally:
            self._output.discard()
