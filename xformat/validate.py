"""Validation of records against the formats: is each record valid, and if not, why.

>>> from xformat.records import iter_records
>>> from xformat.validate import Summary, validate_records
>>> summary = Summary()
>>> for result in validate_records(iter_records(["feed.ndjson"])):
...     summary.add(result)
...     for issue in result.errors:
...         print(result.where, issue.path, issue.reason)

The verdict is the msgspec decode's (``xformat.decoding.decode``): the fast path, one typed
decode per record. Only a record it rejects is handed to jsonschema, whose every error (JSON path
and reason) explains the rejection; the schemas are generated from the same structs, and the
test suite checks that both always agree. Unknown fields are tolerated, as the dictionary
requires; ``strict=True`` reports each one as an error.

A record of an earlier era (``era="2016"``: a year, or the key of an era) is validated by
jsonschema against that era's schemas, which forbid the fields of later eras; the models
describe the current era only. That path is much slower.

Keep-alive (blank) lines are counted, never errors; deletion notices and info lines are valid
records of their kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import msgspec

from xformat import formats
from xformat.decoding import astray, decode, find, is_plain, unknown_fields
from xformat.errors import RecordError, UsageError, WrongFormatError, XFormatError, malformed, too_deep
from xformat.formats import FORMATS, Format, Kind
from xformat.formats.detect import candidates, members_of
from xformat.models.base import CURRENT_ERA
from xformat.raw import record_json
from xformat.records import Block, Record, block_lines, line_records, plain_record, records_in
from xformat.wording import schema_reason, shown

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# jsonschema, referencing and the schemas (xformat.registry) are loaded when a record first
# needs explaining (or an earlier era is asked for): a file of valid records never pays for them.

__all__ = [
    "KEEP_ALIVE",
    "POOL_MIN_BYTES",
    "SCHEMA_NAMES",
    "Issue",
    "Result",
    "Summary",
    "explain",
    "pool_jobs",
    "validate_pieces",
    "validate_records",
]

KEEP_ALIVE: Literal["keep-alive"] = "keep-alive"

SCHEMA_NAMES: dict[tuple[str, str], str] = {
    (fmt.name, kind.name): kind.schema for fmt in FORMATS for kind in fmt.kinds.values()
}
"""The schema of each (format, kind), as the formats declare them."""


class Issue(NamedTuple):
    path: str
    """JSON path inside the record (``$.user.id_str``)."""
    reason: str


class Result(NamedTuple):
    """The verdict on one record. ``format`` and ``kind`` are what it was found to be or, when
    invalid, what it was explained as (None when it could not even be read)."""

    source: str
    line: int
    item: int | None
    format: str | None
    kind: str | None
    """The kind's name, or ``keep-alive``."""
    errors: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def where(self) -> str:
        suffix = f"#{self.item}" if self.item is not None else ""
        return f"{self.source}:{self.line}{suffix}"


def validate_records(
    records: Iterable[Record],
    fmt: str | Format | None = None,
    strict: bool = False,
    era: str | None = None,
) -> Iterator[Result]:
    """A ``Result`` for each record, in order. ``fmt`` forces the format (a format or any of its
    names; default: detected per record); ``era`` (a year) validates against that era's schemas
    instead of the current ones."""
    forced, version = _options(fmt, era)
    for record in records:
        yield _result(record, forced, strict, version)


def validate_pieces(
    pieces: Iterable[Record | Block],
    summary: Summary,
    fmt: str | Format | None = None,
    strict: bool = False,
    era: str | None = None,
    *,
    jobs: int = 1,
    tick: Callable[[], object] | None = None,
) -> Generator[Result, None, None]:
    """``validate_records`` for what a ``Reader`` gives (``Reader.pieces``: NDJSON in blocks),
    counting every record in ``summary`` and giving a ``Result`` for each invalid record only.

    A valid record costs its decode and a count, no object of its own. Whenever a result is
    given, ``summary`` counts every record up to it, itself included, as ``Summary.add`` would
    have (a caller that stops there, ``--max-errors``, reports the right counts). ``jobs``
    processes validate (this one and ``jobs - 1`` workers, ``xformat.parallel``), results in order.
    ``tick`` is called whenever a piece is counted (a progress bar's update).
    """
    forced, version = _options(fmt, era)
    if jobs > 1:
        yield from _validate_in_parallel(pieces, summary, forced, strict, version, jobs, tick)
        return
    yield from _validate_here(pieces, summary, forced, strict, version, tick)


def _validate_here(
    pieces: Iterable[Record | Block],
    summary: Summary,
    forced: Format | None,
    strict: bool,
    version: str,
    tick: Callable[[], object] | None = None,
) -> Iterator[Result]:
    """``validate_pieces`` in this process."""
    kinds = summary.kinds
    last: Kind | None = None  # the kind of the last valid record: the next is likely one too
    for piece in pieces:
        if version != CURRENT_ERA or not isinstance(piece, Block):
            for record in records_in((piece,)):
                result = _result(record, forced, strict, version)
                summary.add(result)
                if result.errors:
                    yield result
            if tick is not None:
                tick()
            continue
        # The fast path: one decode per line, the verdict counted by kind's name.
        source, line, limit = piece.source, piece.line, piece.limit
        counted = 0  # records of this block not yet in summary.records
        for text in block_lines(piece.data):
            body = plain_record(text, limit)
            if body is not None:
                if last is not None and is_plain(body, last):  # no detection, one decode
                    counted += 1
                    kinds[last.name] += 1
                    line += 1
                    continue
                try:
                    found = find(body, forced)
                except RecordError as err:
                    summary.records += counted
                    counted = 0
                    result = Result(source, line, None, *_explained(body, forced, err, CURRENT_ERA))
                    summary.add(result)
                    yield result
                else:
                    if strict and found.unknown:
                        summary.records += counted
                        counted = 0
                        issues = tuple(Issue(path, "unknown field") for path in found.unknown)
                        result = Result(source, line, None, found.format.name, found.kind.name, issues)
                        summary.add(result)
                        yield result
                    else:
                        counted += 1
                        last = found.kind
                        kinds[last.name] += 1
            else:
                for record in line_records(source, line, text, limit):
                    result = _result(record, forced, strict, version)
                    if result.errors:
                        summary.records += counted
                        counted = 0
                    summary.add(result)
                    if result.errors:
                        yield result
            line += 1
        summary.records += counted
        if tick is not None:
            tick()


POOL_MIN_BYTES = 16 * 2**20
"""Inputs (bytes as stored) below which ``xformat validate --jobs N`` validates in its own
process alone: a worker costs tens of milliseconds (loading multiprocessing, forking, building
its own decoders, stopping) and saves about half of 7 ms a MiB; below this it saves at most
what it costs (``pool_jobs``)."""


def pool_jobs(jobs: int, total_bytes: int | None) -> int:
    """The processes worth starting for ``jobs`` asked on ``total_bytes`` of input (None: not
    known in advance, as for stdin: as asked)."""
    return 1 if total_bytes is not None and total_bytes < POOL_MIN_BYTES else jobs


_CHUNK_RECORDS = 500
"""Records (of JSON documents: NDJSON travels in blocks) sent to a worker at a time."""


def _validate_in_parallel(
    pieces: Iterable[Record | Block],
    summary: Summary,
    forced: Format | None,
    strict: bool,
    version: str,
    jobs: int,
    tick: Callable[[], object] | None,
) -> Iterator[Result]:
    from xformat.parallel import ordered_map

    work = partial(_PiecesWork, forced.name if forced is not None else None, strict, version)
    outcomes = ordered_map(work, _tasks(pieces), jobs=jobs)
    try:
        for _, _, (results, done) in outcomes:
            before = summary.counts()
            for result, counted in results:
                summary.restore(before, counted)
                yield result
            summary.restore(before, done)
            if tick is not None:
                tick()
    finally:
        outcomes.close()  # stops the workers, also when the caller stops early


def _tasks(pieces: Iterable[Record | Block]) -> Iterator[tuple[None, bytes, Block | list[Record]]]:
    """What a worker needs of each piece: a block's lines as bulk bytes, records in lists."""
    records: list[Record] = []
    for piece in pieces:
        if isinstance(piece, Block):
            if records:
                yield None, b"", records
                records = []
            yield None, piece.data, piece._replace(data=b"")
        else:
            records.append(piece)
            if len(records) >= _CHUNK_RECORDS:
                yield None, b"", records
                records = []
    if records:
        yield None, b"", records


Counts = tuple[int, int, int, dict[str, int]]
"""A ``Summary``'s counts as they travel back from a worker (records, invalid, keep-alives, kinds)."""
Outcome = tuple[list[tuple[Result, Counts]], Counts]
"""A task's invalid records, each with the counts up to it, and the counts of the whole task."""


class _PiecesWork:
    """A worker's validation of one task: the results of its invalid records, each with the
    counts up to it, and the counts of the whole task (all relative to the task's start)."""

    def __init__(self, fmt: str | None, strict: bool, era: str) -> None:
        self.forced = formats.get(fmt) if fmt is not None else None
        self.strict, self.era = strict, era

    def __call__(self, bulk: bytes, meta: Block | list[Record]) -> tuple[bytes, Outcome]:
        pieces: list[Record | Block] = [meta._replace(data=bytes(bulk))] if isinstance(meta, Block) else [*meta]
        summary = Summary()
        results = [
            (result, summary.counts()) for result in _validate_here(pieces, summary, self.forced, self.strict, self.era)
        ]
        return b"", (results, summary.counts())


def _options(fmt: str | Format | None, era: str | None) -> tuple[Format | None, str]:
    """The forced format, if any, and the era to validate against."""
    forced = None if fmt is None else formats.get(fmt)
    if era is None:
        return forced, CURRENT_ERA
    from xformat.schema import era_of  # the eras' schemas: loaded for an era asked for

    try:
        return forced, era_of(era)
    except ValueError as exc:
        raise UsageError(f"bad era: {exc}") from None


def _result(record: Record, fmt: Format | None, strict: bool, era: str) -> Result:
    where = (record.source, record.line, record.item)
    if record.error is not None:
        return Result(*where, None, None, (Issue("$", record.error),))
    if not record.raw:
        return Result(*where, None, KEEP_ALIVE, ())
    if type(record.raw) is not bytes:  # built by a caller, not read: made JSON bytes first
        try:
            raw = record_json(record.raw)
        except XFormatError as exc:
            return Result(*where, None, None, (Issue("$", str(exc)),))
        return _result(record._replace(raw=raw), fmt, strict, era)
    if era == CURRENT_ERA:
        return Result(*where, *_validate_current(record.raw, fmt, strict))
    return Result(*where, *_validate_era(record.raw, fmt, strict, era))


Verdict = tuple[str | None, str | None, tuple[Issue, ...]]


def _validate_current(raw: bytes, fmt: Format | None, strict: bool) -> Verdict:
    try:
        decoded = decode(raw, fmt)
    except RecordError as err:
        return _explained(raw, fmt, err, CURRENT_ERA)
    errors = tuple(Issue(path, "unknown field") for path in decoded.unknown) if strict else ()
    return decoded.format, decoded.kind, errors


def _validate_era(raw: bytes, fmt: Format | None, strict: bool, era: str) -> Verdict:
    from xformat.registry import validator_for

    name = fmt.name if fmt is not None else None
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        return name, None, (Issue("$", malformed(raw, exc)),)
    except RecursionError:
        return name, None, (Issue("$", too_deep(raw)),)
    members = members_of(data)
    tried = candidates(members, fmt)
    try:
        for found, kind in tried:
            if validator_for(kind.schema, era).is_valid(data):
                unknown = unknown_fields(data, kind.struct) if strict else []
                return found.name, kind.name, tuple(Issue(path, "unknown field") for path in unknown)
    except RecursionError:  # deeper than jsonschema can follow: no verdict but this one
        return tried[0][0].name, tried[0][1].name, (Issue("$", too_deep(data)),)
    found, kind = tried[0]
    other = astray(members, fmt)
    return found.name, kind.name, (Issue("$", other),) if other else explain(data, kind.schema, era)


def _explained(raw: bytes, fmt: Format | None, err: RecordError, era: str) -> Verdict:
    """Why the decode rejected ``raw``: every error of the schema of the format and kind the
    decode judged it as, else (they never disagree, but the decode has the last word) the
    decode's own reason."""
    own = (Issue(err.path, err.reason),)
    if isinstance(err, WrongFormatError):  # its schema's complaints would be beside the point
        name, kind = err.taken_as or (fmt.name if fmt is not None else None, None)
        return name, kind, own
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        name, kind = err.taken_as or (fmt.name if fmt is not None else None, None)
        return name, kind, own
    if err.taken_as is not None:
        found, taken = formats.get(err.taken_as[0]), err.taken_as[1]
        schema = found.kinds[taken].schema
    else:  # parsed, yet no object: explained as the kind it is closest to
        found, kind_ = candidates(members_of(data), fmt)[0]
        taken, schema = kind_.name, kind_.schema
    try:
        return found.name, taken, _issues(data, schema, era) or own
    except RecursionError:  # deeper than jsonschema can follow: the decode's reason stands alone
        return found.name, taken, own


def explain(data: Any, name: str, era: str = CURRENT_ERA) -> tuple[Issue, ...]:
    """Every reason the schema ``name`` of ``era`` rejects ``data`` (a parsed JSON value), each
    at the most specific place jsonschema finds for it; empty if it is valid. A value nested
    deeper than jsonschema can follow is one issue that says so."""
    try:
        return _issues(data, name, era)
    except RecursionError:
        return (Issue("$", too_deep(data)),)


def _issues(data: Any, name: str, era: str) -> tuple[Issue, ...]:
    from jsonschema.exceptions import best_match

    from xformat.registry import validator_for

    issues = []
    for error in validator_for(name, era).iter_errors(data):
        leaf = best_match([error])
        assert leaf is not None
        issues.append(Issue(leaf.json_path, _reason(leaf, era)))
    return tuple(issues)


def _reason(error: ValidationError, era: str) -> str:
    schema = error.schema
    if error.validator == "not" and isinstance(schema, dict) and "x-since" in schema:
        return f"not defined in the {era} era: a field of the {schema['x-since']} era"
    # jsonschema quotes the whole value first; a post or user quoted whole would bury the reason.
    message = schema_reason(str(error.validator), error.validator_value, error.instance, error.message)
    quoted = repr(error.instance)
    if message.startswith(quoted):
        return shown(error.instance) + message[len(quoted) :]
    return message


@dataclass
class Summary:
    """Counts of a validation run."""

    records: int = 0
    """Everything read, keep-alive lines included."""
    invalid: int = 0
    keep_alives: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    """Valid records by kind (post, delete, compliance, info, warn, error)."""

    def add(self, result: Result) -> None:
        self.records += 1
        if result.errors:
            self.invalid += 1
        elif result.kind == KEEP_ALIVE:
            self.keep_alives += 1
        else:
            self.kinds[str(result.kind)] += 1

    @property
    def valid(self) -> int:
        return self.records - self.invalid - self.keep_alives

    def counts(self) -> Counts:
        return self.records, self.invalid, self.keep_alives, dict(self.kinds)

    def restore(self, base: Counts, more: Counts) -> None:
        """The counts ``base`` plus ``more``, in place (``kinds`` stays the same object)."""
        self.records, self.invalid, self.keep_alives = base[0] + more[0], base[1] + more[1], base[2] + more[2]
        self.kinds.clear()
        self.kinds.update(base[3])
        self.kinds.update(more[3])

    def to_dict(self) -> dict[str, int]:
        return {
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "keep_alives": self.keep_alives,
            "posts": self.kinds["post"],
            "deletions": self.kinds["delete"],
            "compliance_events": self.kinds["compliance"],
            "info_lines": self.kinds["info"],
            "system_messages": self.kinds["warn"] + self.kinds["error"],
            "v2_pages": self.kinds["page"] + self.kinds["stream-line"],
            "v2_non_posts": self.kinds["errors"] + self.kinds["compliance-job"] + self.kinds["compliance-result"],
        }
