"""One exception hierarchy. Every error about a record knows where the record came from."""

from __future__ import annotations


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


class LossError(RecordError):
    """Strict conversion refused a record because converting it would lose something."""

    def __init__(self, losses: tuple[str, ...], **where: str | int | None) -> None:
        self.losses = losses
        super().__init__("conversion would lose: " + ", ".join(losses), **where)  # type: ignore[arg-type]


class ComplianceError(XFormatError):
    """Compliance cannot be applied (malformed results, or input records that cannot be decoded): nothing was."""
