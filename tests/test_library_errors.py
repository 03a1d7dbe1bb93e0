"""Every public entry point of the library raises only ``XFormatError``s for bad input: lone
surrogates, nesting too deep for any encoder, wrong types, bytes that are not UTF-8."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

import xformat
from tests.samples import native_post
from xformat import compliance, formats, registry, reporting
from xformat.errors import RecordError, UsageError, XFormatError
from xformat.export import collect_stats, export
from xformat.records import Record
from xformat.validate import validate_records


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


POST = native_post()
HOSTILE: dict[str, Any] = {
    "lone surrogate in a value": native_post(text="bread \ud800 day"),
    "lone surrogate in a key": {**POST, "\udc80x": 1},
    "lone surrogate in JSON text": msgspec.json.encode(POST).decode().replace("Bread", "Br\ud800ead"),
    "dict nested 3,000 deep": native_post(place=None, extra=_deep(3000)),
    "bare dict nested 3,000 deep": _deep(3000),
    "JSON nested 3,000 deep": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "a list": [POST],
    "an int": 5,
    "None": None,
    "a float": 1.5,
    "a set": {1, 2},
    "bytes that are not UTF-8": b'{"text": "\xff\xfe"}',
    "Latin-1 bytes": b"\xe9t\xe9",
    "empty bytes": b"",
    "an empty dict": {},
    "a dict that is not JSON": {"created_at": object()},
    "a dict with int keys": {1: 2},
}

RECORD_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "read": xformat.read,
    "decode": xformat.decode,
    "to_activity": xformat.to_activity,
    "to_activity lossless": lambda value: xformat.to_activity(value, lossless=True),
    "to_native": xformat.to_native,
    "to_native lossless": lambda value: xformat.to_native(value, lossless=True),
    "Converter.convert_raw": lambda value: xformat.Converter("activity-streams").convert_raw(value),
    "load_results": lambda value: compliance.load_results([value]),
    "validate_records": lambda value: list(validate_records([Record("x", 1, value)])),
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("function", RECORD_FUNCTIONS.values(), ids=RECORD_FUNCTIONS.keys())
def test_bad_records_raise_xformat_errors_only(function: Callable[[Any], Any], value: Any) -> None:
    try:
        function(value)
    except XFormatError as exc:
        assert str(exc), "an error that says nothing"  # anything else than XFormatError fails the test


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (
            native_post(text="bread \ud800 day"),
            r"lone surrogate \('\\ud800'\) cannot be written as UTF-8 \(at \$\.text",
        ),
        (_deep(3000), "nested too deeply: 3,000 levels"),
        (b'{"text": "\xff"}', "invalid UTF-8|Invalid UTF-8"),
    ],
)
def test_the_reason_says_what_is_wrong(value: Any, reason: str) -> None:
    for call in (xformat.read, xformat.to_activity):
        with pytest.raises(RecordError, match=reason):
            call(value)


@pytest.mark.parametrize("value", [[POST], 5, None, 1.5, {1, 2}])
def test_a_value_that_is_no_record_at_all_is_a_usage_error(value: Any) -> None:
    for call in (xformat.read, xformat.decode, xformat.to_activity, xformat.to_native):
        with pytest.raises(UsageError, match="not a record"):
            call(value)


def test_a_struct_holding_a_lone_surrogate_says_so_when_written() -> None:
    post = xformat.read(native_post()).native  # the Post itself: msgspec's functions take structs
    broken = msgspec.structs.replace(post, text="a \ud800")
    converted = xformat.to_activity(broken)
    for write in (converted.json, converted.to_dict):
        with pytest.raises(RecordError, match="lone surrogate"):
            write()
    with pytest.raises(RecordError, match="lone surrogate"):
        xformat.to_activity(broken, lossless=True)


NAMES: dict[str, Any] = {
    "a list": ["native"],
    "an int": 3,
    "a dict": {"a": 1},
    "bytes": b"native",
    "a lone surrogate": "nat\ud800ive",
}
NAME_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "formats.get": formats.get,
    "Converter": xformat.Converter,
    "Converter.convert_raw format": lambda name: xformat.Converter("native").convert_raw(b"{}", name),
    "decode format": lambda name: xformat.decode(b"{}", name),
    "reporter": reporting.reporter,
    "registry.get_schema": registry.get_schema,
    "registry.get_schema version": lambda name: registry.get_schema("native-post", name),
    "validate_records format": lambda name: list(validate_records([Record("x", 1, b"{}")], name)),
    "validate_records era": lambda name: list(validate_records([Record("x", 1, b"{}")], None, False, name)),
    "to_activity domain": lambda name: xformat.to_activity(native_post(), domain=name),
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
@pytest.mark.parametrize("function", NAME_FUNCTIONS.values(), ids=NAME_FUNCTIONS.keys())
def test_bad_names_raise_usage_errors(function: Callable[[Any], Any], name: Any) -> None:
    with pytest.raises(XFormatError):
        function(name)


INPUTS: dict[str, Any] = {
    "an int (no file descriptor is opened)": 1,
    "a list of ints": [1],
    "None": None,
    "a lone surrogate": "archive-\ud800.ndjson",
    "a NUL": "archive\x00.ndjson",
    "bytes": b"archive.ndjson",
}


@pytest.mark.parametrize("inputs", INPUTS.values(), ids=INPUTS.keys())
def test_bad_input_names_are_usage_errors(tmp_path: Path, inputs: Any) -> None:
    for call in (
        lambda: list(xformat.iter_posts(inputs)),
        lambda: collect_stats(inputs if isinstance(inputs, list) else [inputs]),
        lambda: export(inputs if isinstance(inputs, list) else [inputs], str(tmp_path / "rows.csv")),
    ):
        with pytest.raises(UsageError):
            call()
    assert not (tmp_path / "rows.csv").exists()
