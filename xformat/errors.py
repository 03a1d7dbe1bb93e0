"""One exception hierarchy. Every error about a record knows where the record came from."""

from __future__ import annotations

import re
from typing import Any

import msgspec


class XFormatError(Exception):
    """Base of every error xformat raises on purpose."""


class UsageError(XFormatError):
    """The call itself is wrong (bad option, unknown schema name, unreadable file)."""


class RecordError(XFormatError):
    """A record could not be read, decoded, validated or converted.

    ``source`` and ``line`` say where the record came from (when known), ``path`` is the JSON
    path inside it (``$.user.id_str``), ``reason`` says what is wrong. ``taken_as`` is the
    (format, kind) the record was judged as, when it was read that far.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str = "$",
        source: str | None = None,
        line: int | None = None,
        taken_as: tuple[str, str] | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.source = source
        self.line = line
        self.taken_as = taken_as
        super().__init__(str(self))

    def located(self, source: str, line: int) -> RecordError:
        """A copy of this error, placed at ``source:line`` (errors are never changed once raised)."""
        # Built field by field: copy.copy follows the pickling reducers that libraries install
        # for exceptions (Dask's, for tracebacks), which may share the original's state.
        moved = type(self).__new__(type(self))
        moved.__dict__.update(self.__dict__)
        moved.source, moved.line = source, line
        moved.args = (str(moved),)
        return moved

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}: " if self.source is not None else ""
        at = f" (at {self.path})" if self.path != "$" else ""
        return f"{where}{self.reason}{at}"


class WrongFormatError(RecordError):
    """The record is of another format than the one it was asked to be (``--format``): said as
    such, not as every member that format lacks."""


class LossError(RecordError):
    """Strict conversion refused a record because converting it would lose something."""

    def __init__(self, losses: tuple[str, ...], **where: str | int | None) -> None:
        self.losses = losses
        super().__init__("conversion would lose: " + ", ".join(losses), **where)  # type: ignore[arg-type]


class ComplianceError(XFormatError):
    """Compliance cannot be applied (malformed results, or input records that cannot be decoded): nothing was."""


# How faults are worded. Every command and the library say the same fault in the same words,
# from here: a reader of validate's output and of convert's rejects sees one language.

_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nesting(value: bytes | Any) -> int:
    """How many levels of arrays and objects ``value`` (JSON bytes, or parsed JSON) nests: what a
    record too deep for a decoder or a validator is told by. Measured without recursion (the
    value is too deep for it), on the failure path only."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        depth = deepest = 0
        for token in _JSON_TOKENS.finditer(bytes(value)):
            first = token[0][:1]
            if first in (b"[", b"{"):
                depth += 1
                deepest = max(deepest, depth)
            elif first != b'"':
                depth -= 1
        return deepest
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, msgspec.Struct):
            items: Any = msgspec.structs.astuple(item)
        elif isinstance(item, dict):
            items = item.values()
        elif isinstance(item, (list, tuple)):
            items = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in items)
    return deepest


def too_deep(value: bytes | Any) -> str:
    """The reason for a record nested deeper than a decoder or validator can follow."""
    return f"nested too deeply: {nesting(value):,} levels"


_BOM = b"\xef\xbb\xbf"


def malformed(raw: bytes | Any, exc: Exception) -> str:
    """The reason for the record ``raw`` that is not JSON (``exc`` the decoder's error)."""
    if isinstance(raw, (bytes, bytearray)) and raw.startswith(_BOM):
        return "malformed JSON: a byte order mark (U+FEFF) before the record (only a file's first may have one)"
    return f"malformed JSON: {str(exc).removeprefix('JSON is malformed: ')}"


def unexpected(exc: Exception, raw: bytes) -> str:
    """The reason for the record ``raw`` whose reading raised ``exc``, not a ``RecordError``: a
    fault of the input said as every command says it, anything else an internal error."""
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid UTF-8: {exc.reason} at byte {exc.start}"
    if isinstance(exc, msgspec.DecodeError):
        return malformed(raw, exc)
    if isinstance(exc, RecursionError):
        return too_deep(raw)
    return f"internal error, please report it: {type(exc).__name__}: {exc}"
