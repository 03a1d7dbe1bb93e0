"""Validating a bag: each partition by ``xformat.validate``, as ``xformat validate`` does."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any, NamedTuple

from xformat.dask.conversion import merged, per_partition
from xformat.dask.lines import Line, records_of
from xformat.records import DEFAULT_MAX_RECORD_BYTES
from xformat.validate import Result, Summary, validate_records


class Validation(NamedTuple):
    """The lazy results of ``validate``; compute them together to validate once."""

    invalid: Any
    """Bag of ``xformat.validate.Result``: each invalid record, with its origin and every issue,
    in input order."""
    summaries: Any
    """Bag of ``xformat.validate.Summary``: one per partition."""
    summary: Any
    """Item: the summaries merged, counting every record of the bag."""


class _Checked(NamedTuple):
    invalid: list[Result]
    summary: Summary


def validate(
    lines: Any,
    fmt: str | None = None,
    *,
    strict: bool = False,
    era: str | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Validation:
    """Validate a bag of lines (see ``xformat.dask``); options as ``validate_records``'."""
    checked = per_partition(lines, _validate_part, fmt, strict, era, max_record_bytes)
    summaries = checked.map(operator.attrgetter("summary"))
    return Validation(
        checked.map_partitions(_invalid_of),
        summaries,
        summaries.fold(merged, initial=Summary()),
    )


def _validate_part(
    items: Iterable[Line], index: int, fmt: str | None, strict: bool, era: str | None, max_record_bytes: int
) -> _Checked:
    summary = Summary()
    invalid = []
    for result in validate_records(records_of(items, index, max_record_bytes), fmt, strict, era):
        summary.add(result)
        if result.errors:
            invalid.append(result)
    return _Checked(invalid, summary)


def _invalid_of(parts: Iterable[_Checked]) -> list[Result]:
    return [result for part in parts for result in part.invalid]
