"""Tables as CSV: RFC 4180 (the standard library's csv module, CRLF line ends), UTF-8.

A null is an empty field (so is an empty text or an empty list: CSV cannot tell them apart).
Timestamps are ISO 8601 (``2018-10-10T20:19:24.000Z``). A list is one field, its items joined
by ``|``; an item holding ``|`` or ``\\`` has them escaped as ``\\|`` and ``\\\\``. Hashtags,
handles, ids, country codes and media types never hold either, so for them splitting on ``|``
is enough; only rule tags and (rarely) URLs can need ``split_list``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from xformat.export.columns import Column
from xformat.output import Output, open_output

SEPARATOR = "|"
ESCAPE = "\\"
BOM = "\ufeff".encode()


def join_list(items: Sequence[str]) -> str:
    """The CSV field of a list (see the module's doc)."""
    joined = SEPARATOR.join(items)
    if ESCAPE in joined or joined.count(SEPARATOR) > len(items) - 1:
        joined = SEPARATOR.join(_escaped(item) for item in items)
    return joined


def _escaped(item: str) -> str:
    return item.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR)


def split_list(field: str) -> list[str]:
    """The items of a list field: the inverse of ``join_list`` (an empty field is an empty list)."""
    if not field:
        return []
    if ESCAPE not in field:
        return field.split(SEPARATOR)
    items: list[str] = []
    current: list[str] = []
    chars = iter(field)
    for char in chars:
        if char == ESCAPE:
            current.append(next(chars, ""))
        elif char == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


class CsvEncoder:
    """Rows to CSV bytes, and the size of each row (made where the rows are)."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self._lists = [i for i, column in enumerate(columns) if column.type == "list<string>"]

    def __call__(self, rows: list[list[Any]]) -> tuple[bytes, list[int]]:
        buffer = io.StringIO()
        write = csv.writer(buffer).writerow
        lists = self._lists
        lengths = []
        for row in rows:
            for i in lists:
                if row[i] is not None:
                    row[i] = join_list(row[i])
            lengths.append(write(row))  # characters written
        text = buffer.getvalue()
        if text.isascii():
            return text.encode("ascii"), lengths
        pieces, start = [], 0
        for length in lengths:
            pieces.append(text[start : start + length].encode())
            start += length
        return b"".join(pieces), [len(piece) for piece in pieces]


class CsvTable:
    """A CSV file (compressed by its extension: ``.csv.gz``), or stdout for ``-``; written
    atomically (see ``xformat.output``)."""

    def __init__(self, path: str, columns: Sequence[Column], *, bom: bool = False) -> None:
        self._output: Output = open_output(path)
        header = io.StringIO()
        csv.writer(header).writerow([column.name for column in columns])
        head = (BOM if bom else b"") + header.getvalue().encode()
        self._output.write(head, [len(head)], None)

    def write(self, data: bytes | memoryview, sizes: Sequence[int] | None, keep: Sequence[bool] | None) -> None:
        """Rows as ``CsvEncoder`` made them; only those ``keep`` marks, when given."""
        assert sizes is not None
        if keep is None:
            self._output.write(data, sizes, None)
            return
        start = 0
        for size, wanted in zip(sizes, keep, strict=True):
            if wanted:
                self._output.write(data[start : start + size], [size], None)
            start += size

    def commit(self) -> list[str]:
        return self._output.commit()

    def discard(self) -> None:
        self._output.discard()
