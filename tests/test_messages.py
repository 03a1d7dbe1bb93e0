"""What a record's faults are called: words, not regular expressions; the same words from
validate (the schemas) and from convert and the library (the decode); a byte order mark and a
record of the other format said for what they are."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, load_json
from tests.samples import native_post
from xformat import registry
from xformat.cli import main
from xformat.wording import _expected_by_pattern

BOM = b"\xef\xbb\xbf"


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def line(value: Any) -> bytes:
    return msgspec.json.encode(value) + b"\n"


def _patterns(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("pattern"), str):
                found.add(item["pattern"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_every_pattern_of_the_schemas_is_said_in_words() -> None:
    schemas = [registry.get_schema(info.name, info.version) for info in registry.list_schemas()]
    patterns = set().union(*(_patterns(schema) for schema in schemas))
    assert patterns and patterns <= set(_expected_by_pattern()), patterns - set(_expected_by_pattern())


FAULTS = {
    "a time that is not one": (native_post(created_at="2018-10-10 20:19:24"), "$.created_at",
                               "expected a time like 'Wed Oct 10 20:19:24 +0000 2018'"),
    "an id with a letter": (native_post(id_str="12a"), "$.id_str", "expected an id of 1 to 20 digits, like '"),
    "a number for a string": (native_post(text=5), "$.text", "expected a string, got an integer"),
    "a missing field": ({k: v for k, v in native_post().items() if k != "user"}, "$", "missing required field 'user'"),
}  # fmt: skip


@pytest.mark.parametrize(("record", "path", "words"), FAULTS.values(), ids=FAULTS.keys())
def test_validate_and_convert_say_a_fault_in_the_same_words(record: Any, path: str, words: str) -> None:
    validated = xformat("validate", "-", input=line(record))
    assert validated.exit_code == 1
    (said,) = validated.stdout.splitlines()
    assert said.startswith(f"-:1: {path}: {words}") and "^" not in said, said
    converted = xformat("convert", "--to", "activity", "-", input=line(record))
    assert converted.exit_code == 1
    rejected = [row for row in converted.stderr.splitlines() if row.startswith("rejected ")]
    assert rejected == [rejected[0]] and rejected[0].startswith(f"rejected -:1: {words}") and "^" not in rejected[0]
    assert rejected[0].endswith(f" (at {path})") or path == "$"


def test_validate_shows_the_value_a_pattern_refused() -> None:
    result = xformat("validate", "-", input=line(native_post(created_at="2018-10-10 20:19:24")))
    assert result.stdout == (
        "-:1: $.created_at: expected a time like 'Wed Oct 10 20:19:24 +0000 2018', got '2018-10-10 20:19:24'\n"
    )


@pytest.mark.parametrize("compress", [lambda b: b, gzip.compress], ids=["plain", "gzip"])
def test_a_byte_order_mark_at_the_start_of_a_file_is_passed_over(tmp_path: Path, compress: Any) -> None:
    feed = tmp_path / "excel.ndjson"
    feed.write_bytes(compress(BOM + line(native_post()) + line(native_post(id_str="7", id=7))))
    for args in (["validate"], ["ids"], ["convert", "--to", "activity"]):
        result = xformat(*args, str(feed))
        assert result.exit_code == 0, (args, result.output)
    assert xformat("ids", str(feed)).stdout.splitlines() == ["1050118621198921728", "7"]
    assert xformat("validate", "-", input=BOM + line(native_post())).exit_code == 0


def test_a_byte_order_mark_inside_a_file_is_said_for_what_it_is() -> None:
    # Files joined with cat: the second one's mark starts a line.
    result = xformat("validate", "-", input=BOM + line(native_post()) + BOM + line(native_post()))
    assert result.exit_code == 1
    assert result.stdout == (
        "-:2: $: malformed JSON: a byte order mark (U+FEFF) before the record (only a file's first may have one)\n"
    )


@pytest.mark.parametrize(
    ("case", "forced", "words"),
    [("native.json", "native", "this is an Activity Streams record, not Enriched Native"),
     ("native.json", "as", "this is an Enriched Native record, not Activity Streams")],
)  # fmt: skip
def test_a_record_of_the_other_format_is_said_to_be_one(forced: str, words: str, case: str) -> None:
    native = load_json(GOLDEN / "plain_post" / "native.json")
    activity = load_json(GOLDEN / "plain_post" / "activity.json")
    record = activity if forced == "native" else native
    for era in ([], ["--era", "2017"]):
        result = xformat("validate", "--format", forced, *era, "-", input=line(record))
        assert result.exit_code == 1 and result.stdout == f"-:1: $: {words}\n", (era, result.stdout)
    target = "activity" if forced == "native" else "native"
    converted = xformat("convert", "--from", forced, "--to", target, "-", input=line(record))
    assert converted.exit_code == 1 and f"rejected -:1: {words}\n" in converted.stderr
    detected = xformat("validate", "--output", "json", "-", input=line(record))
    assert detected.exit_code == 0, detected.stdout


def test_a_broken_record_of_the_forced_format_is_told_what_it_lacks() -> None:
    activity = load_json(GOLDEN / "plain_post" / "activity.json")
    del activity["postedTime"]
    result = xformat("validate", "--format", "activity", "--output", "json", "-", input=line(activity))
    assert [json.loads(row)["reason"] for row in result.stdout.splitlines()] == ["missing required field 'postedTime'"]
