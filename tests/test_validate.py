"""The validation library: the decode's verdict, jsonschema's explanations, strict mode, eras."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.conftest import GOLDEN, load_json
from tests.feeds import INFO
from xformat import records
from xformat import validate as validation
from xformat.errors import UsageError
from xformat.records import Reader, Record, iter_records
from xformat.reporting import reporter
from xformat.validate import Issue, Result, Summary, validate_pieces, validate_records


def record(data: Any, line: int = 1) -> Record:
    raw = data if isinstance(data, bytes) else msgspec.json.encode(data)
    return Record("feed.ndjson", line, raw)


def check(data: Any, **options: Any) -> Result:
    (result,) = validate_records([record(data)], **options)
    return result


def golden(case: str, name: str) -> Any:
    return load_json(GOLDEN / case / name)


@pytest.mark.parametrize(
    ("case", "name", "fmt", "kind"),
    [
        ("plain_post", "native.json", "native", "post"),
        ("retweet_of_quote", "activity.json", "activity", "post"),
        ("deletion_notice", "native.json", "native", "delete"),
        ("deletion_notice", "activity.json", "activity", "delete"),
    ],
)
def test_valid_records_say_what_they_are(case: str, name: str, fmt: str, kind: str) -> None:
    result = check(golden(case, name))
    assert result.valid and (result.format, result.kind) == (fmt, kind)
    assert result.where == "feed.ndjson:1"


def test_keep_alives_are_counted_info_lines_are_valid_and_reader_errors_are_not() -> None:
    records = [Record("f", 1, b""), Record("f", 2, INFO), Record("f", 3, b'{"a', error="cannot read further: CRC")]
    keep_alive, info, broken = validate_records(records)
    assert keep_alive.valid and keep_alive.kind == "keep-alive"
    assert info.valid and info.kind == "info"
    assert broken.errors == (Issue("$", "cannot read further: CRC"),) and broken.format is None


def test_every_error_of_an_invalid_record_is_explained_with_its_path() -> None:
    post = golden("plain_post", "native.json")
    post["id_str"] = 5
    post["user"]["followers_count"] = "many"
    del post["created_at"]
    post["geo"] = {"type": "Point", "coordinates": "here"}
    result = check(post)
    assert not result.valid and (result.format, result.kind) == ("native", "post")
    assert set(result.errors) == {
        Issue("$.id_str", "expected a string, got an integer"),
        Issue("$.user.followers_count", "expected an integer, got a string"),
        Issue("$", "missing required field 'created_at'"),
        Issue("$.geo.coordinates", "expected an array, got a string"),
    }


def test_patterns_and_tags_are_explained() -> None:
    activity = golden("plain_post", "activity.json")
    activity["postedTime"] = "yesterday"
    activity["object"]["objectType"] = "person"
    result = check(activity)
    assert result.format == "activity"
    assert result.errors[0].path == "$.postedTime"
    assert result.errors[0].reason == "expected a UTC time like '2018-10-10T20:19:24.000Z', got 'yesterday'"
    assert result.errors[1:] == (Issue("$.object.objectType", "'person' is not one of ['note', 'activity']"),)


def test_a_long_value_is_shortened_in_the_reason() -> None:
    post = golden("plain_post", "native.json")
    post["user"] = [post["user"]]
    (issue,) = check(post).errors
    assert (issue.path, issue.reason) == ("$.user", "expected an object, got an array")  # not quoted whole
    post = golden("plain_post", "native.json")
    post["created_at"] = "x" * 500
    (issue,) = check(post).errors
    assert issue.reason.endswith(", got '" + "x" * 78 + "…") and len(issue.reason) < 140


def test_malformed_json_has_one_error() -> None:
    result = check(b'{"id_str": "1",')
    assert result.errors == (Issue("$", "malformed JSON: Input data was truncated"),)


def test_a_record_that_is_not_an_object_is_explained() -> None:
    assert check(b"[1, 2]").errors == (Issue("$", "expected an object, got an array"),)


@pytest.mark.parametrize(
    ("data", "fmt", "explained_as"),
    [
        ({"verb": "post", "body": "hi"}, None, ("activity", "post")),
        ({"text": "hi"}, None, ("native", "post")),
        ({"delete": {"status": {}}}, None, ("native", "delete")),
        ({"verb": "delete", "actor": {}}, None, ("activity", "delete")),
        ({"info": {}}, None, ("native", "info")),
        ({"text": "hi"}, "activity", ("activity", "post")),
    ],
)
def test_an_invalid_record_is_explained_as_what_it_most_looks_like(
    data: dict[str, Any], fmt: str | None, explained_as: tuple[str, str]
) -> None:
    result = check(data, fmt=fmt)
    assert not result.valid and (result.format, result.kind) == explained_as


def test_a_forced_format_rejects_the_other_one() -> None:
    native = golden("plain_post", "native.json")
    assert check(native, fmt="native").valid
    result = check(native, fmt="activity")
    assert (result.format, result.kind) == ("activity", "post")
    assert result.errors == (Issue("$", "this is an Enriched Native record, not Activity Streams"),)


def test_unknown_fields_are_valid_unless_strict() -> None:
    post = golden("plain_post", "native.json")
    post["user"]["flavour"] = "salty"
    post["entities"]["sparkles"] = []
    assert check(post).valid
    assert check(post, strict=True).errors == (
        Issue("$.user.flavour", "unknown field"),
        Issue("$.entities.sparkles", "unknown field"),
    )


def test_an_unknown_field_is_tolerated_whatever_its_name() -> None:
    # msgspec quotes the name in backticks; one inside the name must not make it another error.
    post = golden("plain_post", "native.json")
    post["user"]["a`b"] = 0
    assert check(post).valid
    assert check(post, strict=True).errors == (Issue("$.user.a`b", "unknown field"),)


def test_the_decode_has_the_last_word_when_the_schema_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # They agree (tests/test_agreement.py); should they not, the decode's reason is reported.
    monkeypatch.setattr(validation, "_issues", lambda *args: ())
    assert check({"id_str": 5}).errors == (Issue("$.id_str", "expected a string, got an integer"),)


@pytest.mark.parametrize(
    ("era", "valid"), [("2012", False), ("2016", False), ("2017", False), ("2022", True), ("2030", True)]
)
def test_an_era_forbids_what_came_later(era: str, valid: bool) -> None:
    result = check(golden("edited_post", "activity.json"), era=era)
    assert result.valid == valid and (result.format, result.kind) == ("activity", "post")
    if not valid:
        assert {issue.path for issue in result.errors} == {"$.edit_history", "$.edit_controls", "$.editable"}
        expected = f"not defined in the {'2017' if era == '2017' else '2012'} era: a field of the 2022 era"
        assert {issue.reason for issue in result.errors} == {expected}


def test_era_validation_knows_every_kind_and_strict_mode() -> None:
    post = golden("plain_post", "native.json")
    deletion = golden("deletion_notice", "activity.json")
    results = list(validate_records([record(post), record(deletion, 2), Record("f", 3, INFO)], era="2016"))
    assert [(r.valid, r.format, r.kind) for r in results] == [
        (True, "native", "post"), (True, "activity", "delete"), (True, "native", "info")
    ]  # fmt: skip
    post["user"]["flavour"] = "salty"
    assert check(post, era="2016").valid
    assert check(post, era="2016", strict=True).errors == (Issue("$.user.flavour", "unknown field"),)
    post["retweet_count"] = "lots"
    assert check(post, era="2016").errors == (Issue("$.retweet_count", "expected an integer, got a string"),)
    assert check(b"{", era="2016").errors[0].reason.startswith("malformed JSON")


@pytest.mark.parametrize(
    ("options", "message"),
    [({"era": "someday"}, "bad era: not a year: 'someday'"), ({"fmt": "gnip"}, "unknown format 'gnip'")],
)
def test_bad_options_are_usage_errors(options: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check({}, **options)


def test_summary_counts_every_record() -> None:
    bad = golden("plain_post", "native.json") | {"text": 1}
    records = [
        record(golden("plain_post", "native.json")),
        Record("f", 2, b""),
        record(golden("deletion_notice", "native.json"), 3),
        Record("f", 4, INFO),
        record(bad, 5),
    ]
    summary = Summary()
    for result in validate_records(records):
        summary.add(result)
    assert summary.to_dict() == {
        "records": 5, "valid": 3, "invalid": 1, "keep_alives": 1, "posts": 1, "deletions": 1,
        "compliance_events": 0, "info_lines": 1, "system_messages": 0, "v2_pages": 0, "v2_non_posts": 0,
    }  # fmt: skip
    assert reporter("text").validation(summary) == (
        "xformat validate: 5 records: 3 valid (1 post, 1 deletion, 1 info line), 1 invalid, 1 keep-alive"
    )
    assert json.loads(json.dumps(summary.to_dict()))["valid"] == 3


def test_compliance_events_and_system_messages_are_valid_records_of_their_kinds() -> None:
    records = [
        record(golden("compliance_user_delete", "native.json")),
        record(golden("compliance_scrub_geo", "activity.json"), 2),
        record({"warn": {"message": "Rules are being delivered late", "sent": "2016-05-27T22:15:50+00:00"}}, 3),
        record({"error": {"message": "Forced disconnect"}}, 4),
        record({"user_delete": {"id": 5}, "user_protect": {"id": 5}}, 5),  # two events: none
    ]
    results = list(validate_records(records))
    assert [(r.format, r.kind, r.valid) for r in results] == [
        ("native", "compliance", True), ("activity", "compliance", True), ("native", "warn", True),
        ("native", "error", True), ("native", "compliance", False),
    ]  # fmt: skip
    reasons = [(issue.path, issue.reason) for issue in results[4].errors]
    assert reasons == [("$", "a compliance event has exactly one member, not 2")]
    summary = Summary()
    for result in results:
        summary.add(result)
    assert (summary.to_dict()["compliance_events"], summary.to_dict()["system_messages"]) == (2, 2)
    assert reporter("text").validation(summary) == (
        "xformat validate: 5 records: 4 valid (0 posts, 0 deletions, 2 compliance events, 0 info lines, "
        "2 system messages), 1 invalid, 0 keep-alives"
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_fast_path_over_blocks_agrees_with_the_record_by_record_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(records, "BLOCK_LINES", 3)  # several blocks, for several processes
    post = golden("plain_post", "native.json")
    unknown = post | {"brand_new_member": 1}
    page = {"results": [post, post | {"id_str": 7}], "next": "n"}
    lines = [
        msgspec.json.encode(post),
        b"",
        msgspec.json.encode(post | {"text": 1}),
        b"{oops",
        msgspec.json.encode(unknown),
        msgspec.json.encode(golden("deletion_notice", "activity.json")),
        msgspec.json.encode(page),
        b"  " + msgspec.json.encode(golden("retweet_of_quote", "activity.json")) + b"  ",
        b"x" * 200,
        b'{"text": "' + b"x" * 200_000 + b'"}',
        INFO,
    ]
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(b"\n".join(lines) + b"\n")
    for strict in (False, True):
        expected, everything = Summary(), []
        for result in validate_records(iter_records([str(feed)], max_record_bytes=150_000), strict=strict):
            expected.add(result)
            everything.append(result)
        summary = Summary()
        reader = Reader([str(feed)], max_record_bytes=150_000)
        given = list(validate_pieces(reader.pieces(), summary, strict=strict, jobs=jobs))
        assert given == [result for result in everything if result.errors]
        assert summary == expected
        assert [(result.line, result.item) for result in given] == [
            (3, None), (4, None), *([(5, None)] if strict else []), (7, 1), (9, None), (10, None),
        ]  # fmt: skip


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_fast_path_takes_json_documents_too(tmp_path: Path, jobs: int) -> None:
    post = golden("plain_post", "native.json")
    array = tmp_path / "array.json"
    array.write_text(json.dumps([post, post | {"text": 1}, golden("deletion_notice", "native.json"), 5], indent=1))
    expected = Summary()
    everything = [*validate_records(iter_records([str(array)]))]
    for result in everything:
        expected.add(result)
    summary = Summary()
    given = list(validate_pieces(Reader([str(array)]).pieces(), summary, jobs=jobs))
    assert given == [result for result in everything if result.errors]
    assert [(result.item, result.errors[0].path) for result in given] == [(1, "$.text"), (3, "$")]
    assert summary == expected and (summary.records, summary.invalid) == (4, 2)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_fast_path_counts_every_record_up_to_each_result_it_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(records, "BLOCK_LINES", 2)
    good = msgspec.json.encode(golden("plain_post", "native.json"))
    bad = msgspec.json.encode(golden("plain_post", "native.json") | {"text": 1})
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(b"\n".join([good, good, bad, b"", good, bad, good]) + b"\n")
    summary = Summary()
    seen = []
    for result in validate_pieces(Reader([str(feed)]).pieces(), summary, jobs=jobs):
        seen.append((result.line, summary.records, summary.invalid, summary.keep_alives, summary.valid))
    assert seen == [(3, 3, 1, 0, 2), (6, 6, 2, 1, 3)]
    assert (summary.records, summary.invalid, summary.valid) == (7, 2, 4)
