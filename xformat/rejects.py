"""Records that could not be converted: kept in a rejects file, or shown on stderr.

A rejects file holds one JSON object per line::

    {"source": "feed.ndjson.gz", "line": 12, "item": 3, "reason": "...", "path": "$.user.id_str",
     "raw": "<the record's original bytes as text>"}

``item`` (the position in a JSON array or search page) is there only for records that came from
one. ``raw`` is the text of the original bytes; when they are not valid UTF-8 it holds them in
base64 instead, and ``"raw_encoding": "base64"`` says so. For a record the reader could not cut
out of the input (longer than ``--max-record-bytes``, a broken JSON array, a corrupt compressed
stream), ``raw`` holds its first bytes only, as the reason says.

The file is written as rejects come, not atomically: when a run stops early it is what tells why.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from xformat.output import CompressedFile
from xformat.records import Record

SHOWN = 10
"""Rejects shown on stderr when there is no rejects file; the rest are counted."""

_ENCODER = msgspec.json.Encoder()


def reject_line(record: Record, reason: str, path: str) -> bytes:
    entry: dict[str, Any] = {"source": record.source, "line": record.line}
    if record.item is not None:
        entry["item"] = record.item
    entry["reason"] = reason
    entry["path"] = path
    try:
        entry["raw"] = record.raw.decode("utf-8")
    except UnicodeDecodeError:
        entry["raw"] = base64.b64encode(record.raw).decode("ascii")
        entry["raw_encoding"] = "base64"
    return _ENCODER.encode(entry)


class Rejects:
    """Where rejects go: ``path`` (compressed by its extension), or the first few to ``note``
    (which shows a line of text on stderr)."""

    def __init__(self, path: str | None, note: Callable[[str], None] | None) -> None:
        self.path = path
        self.note = note
        self.count = 0
        self._file = CompressedFile(Path(path)) if path else None

    def add(self, record: Record, reason: str, path: str) -> None:
        self.count += 1
        if self._file is not None:
            self._file.write(reject_line(record, reason, path) + b"\n")
        elif self.note is not None and self.count <= SHOWN:
            at = f" (at {path})" if path != "$" else ""
            self.note(f"rejected {record.where}: {reason}{at}\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
