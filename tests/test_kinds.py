"""Compliance events, system messages and stream-form deletions, wired through every command:
found from their content (any member order), decoded, converted, counted and validated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, load_json
from xformat import formats
from xformat.cli import main
from xformat.convert import Converter, to_activity, to_native
from xformat.decoding import decode
from xformat.errors import LossError
from xformat.summary import COUNTERS, Summary

WARN = {"warn": {"message": "Rules are being delivered late", "sent": "2016-05-27T22:15:50+00:00"}}
ERROR = {"error": {"message": "Forced disconnect: too many connections", "sent": "2016-05-27T22:15:52+00:00"}}
EVENT_CASES = [
    "compliance_user_delete", "compliance_scrub_geo", "compliance_status_withheld", "compliance_user_withheld"
]  # fmt: skip


def golden(case: str, name: str) -> Any:
    return load_json(GOLDEN / case / name)


def layouts(value: dict[str, Any]) -> list[bytes]:
    """The record with its members as written, reversed, and sorted (at every depth)."""
    return [
        msgspec.json.encode(value),
        msgspec.json.encode(dict(reversed(list(value.items())))),
        msgspec.json.encode(value, order="sorted"),
    ]


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize(
    ("case", "name", "fmt", "kind"),
    [
        *((case, "native.json", "native", "compliance") for case in [*EVENT_CASES, "compliance_drop"]),
        *((case, "activity.json", "activity", "compliance") for case in EVENT_CASES),
        ("deletion_stream_2015", "activity.json", "activity", "delete"),
        ("deletion_stream_2012", "activity.json", "activity", "delete"),
    ],
)
def test_each_kind_is_found_from_its_content_in_any_member_order(case: str, name: str, fmt: str, kind: str) -> None:
    for raw in layouts(golden(case, name)):
        decoded = decode(raw)
        assert (decoded.format, decoded.kind, decoded.unknown) == (fmt, kind, ())


@pytest.mark.parametrize("message", [WARN, ERROR])
def test_system_messages_are_their_own_kinds_in_any_format(message: dict[str, Any]) -> None:
    for raw in layouts(message):
        assert decode(raw).kind == next(iter(message))
    for target in ("native", "activity"):
        assert Converter(target).convert_raw(msgspec.json.encode(message)).output is None  # the same everywhere


def test_every_kind_of_every_format_has_a_counter() -> None:
    kinds = {kind.name for fmt in formats.FORMATS for kind in fmt.kinds.values()}
    assert kinds == COUNTERS.keys()


def test_a_native_drop_has_no_activity_form_and_says_so() -> None:
    drop = golden("compliance_drop", "native.json")
    converted = to_activity(drop)
    assert (converted.value, converted.losses) == (None, ("no_activity_form",))
    with pytest.raises(LossError):
        to_activity(drop, strict=True)
    assert to_activity(drop, lossless=True).value is None  # nothing to carry a patch


@pytest.mark.parametrize("case", EVENT_CASES)
def test_events_convert_losslessly_both_ways(case: str) -> None:
    native, activity = golden(case, "native.json"), golden(case, "activity.json")
    assert json.loads(to_native(to_activity(native, lossless=True).json()).json()) == native
    assert json.loads(to_activity(to_native(activity, lossless=True).json()).json()) == activity


def test_convert_counts_each_kind_and_rejects_none(tmp_path: Path) -> None:
    lines = [
        golden("plain_post", "native.json"),
        golden("deletion_notice", "native.json"),
        golden("compliance_user_delete", "native.json"),
        golden("compliance_drop", "native.json"),  # no Activity Streams form
        golden("compliance_scrub_geo", "activity.json"),  # already in the target format
        golden("deletion_stream_2012", "activity.json"),
        WARN,
        ERROR,
        {"info": {"message": "Replay Request Completed", "sent": "2016-05-27T22:16:00+00:00", "activity_count": 5}},
    ]
    source = tmp_path / "feed.ndjson"
    source.write_bytes(b"\n".join(msgspec.json.encode(line, order="sorted") for line in lines) + b"\n\n")
    summary_path = tmp_path / "summary.json"
    result = xformat("convert", "--to", "activity", str(source), "-o", str(tmp_path / "out.ndjson"),
                     "--summary-json", str(summary_path))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = json.loads(summary_path.read_text())
    counts = {key: summary[key] for key in ("read", "converted", "deletions", "events", "not_converted", "info",
                                            "system", "keepalives", "rejected", "unchanged")}  # fmt: skip
    assert counts == {"read": 10, "converted": 1, "deletions": 2, "events": 3, "not_converted": 1, "info": 1,
                      "system": 2, "keepalives": 1, "rejected": 0, "unchanged": 2}  # fmt: skip
    assert summary["losses"]["no_activity_form"] == 1
    assert Summary(**counts).balanced
    written = [json.loads(line) for line in (tmp_path / "out.ndjson").read_bytes().splitlines()]
    assert [decode(msgspec.json.encode(w)).kind for w in written] == ["post", "delete", "compliance",
                                                                       "compliance", "delete"]  # fmt: skip
    assert "3 compliance events converted (2 already in the target format, copied; 1 without a form in the " \
        "target format, not written), 1 info line, 2 system messages, 1 keep-alive, 0 rejected" in result.stderr


def test_events_are_split_by_their_own_time(tmp_path: Path) -> None:
    source = tmp_path / "events.ndjson"
    events = [golden("compliance_user_delete", "native.json"), golden("compliance_scrub_geo", "activity.json")]
    source.write_bytes(b"\n".join(msgspec.json.encode(e) for e in events) + b"\n")
    out = tmp_path / "out"
    assert xformat("convert", "--to", "native", str(source), "-o", str(out), "--split-by", "day", "-q").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["2014-11-19.ndjson", "2015-05-21.ndjson"]


def test_validate_names_the_kinds(tmp_path: Path) -> None:
    source = tmp_path / "mixed.ndjson"
    records = [golden("compliance_user_withheld", "activity.json"), golden("compliance_drop", "native.json"), WARN]
    source.write_bytes(b"\n".join(msgspec.json.encode(r, order="sorted") for r in records) + b"\n")
    result = xformat("validate", str(source))
    assert result.exit_code == 0, result.stdout
    assert "3 valid (0 posts, 0 deletions, 2 compliance events, 0 info lines, 1 system message)" in result.stderr
