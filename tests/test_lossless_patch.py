"""The lossless patch: diff then apply gives the source back exactly, member order included, so
that a lossless round trip of a compact record gives back its very bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from tests.conftest import GOLDEN, ROOT, golden_cases, load_json
from xformat.cli import main
from xformat.convert import Converter, to_activity, to_native
from xformat.convert.lossless import apply, diff
from xformat.decoding import decode
from xformat.errors import RecordError

CASES: list[tuple[Any, Any]] = [
    ({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 2]}),
    ({"a": 1}, {"a": 1.0}),
    ({"a": True}, {"a": 1}),
    ({"a": None}, {}),
    ({}, {"a": None}),
    ({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3, "c": 4}]}),
    ({"a": [1, 2, 3]}, {"a": [1, 2]}),
    ({"a": {"b": {"c": "x"}}}, {"a": "flat"}),
    ([1, 2], {"not": "a list"}),
    # member order
    ({"b": 1, "a": 2}, {"a": 2, "b": 1}),
    ({"a": 1, "x": 5, "b": 2}, {"a": 1, "b": 2}),  # a member set by the patch, not at the end
    ({"a": 1, "b": 2, "x": 5}, {"a": 1, "b": 2}),  # ... at the end: nothing to reorder
    ({"a": 1, "b": 2}, {"b": 2, "z": 0, "a": 1}),  # reordered around a member the patch removes
    ({"k": [{"d": 1, "c": 2}, {"c": 3}]}, {"k": [{"c": 2, "d": 1}, {"c": 3}]}),
    ({"o": {"y": {"q": 1, "p": 2}, "x": 0}}, {"o": {"x": 0, "y": {"p": 2, "q": 1}}}),
]


@pytest.mark.parametrize(("source", "produced"), CASES)
def test_apply_of_diff_restores_the_source(source: Any, produced: Any) -> None:
    identical = repr(source) == repr(produced)
    ops = diff(source, produced)
    restored = apply(produced, ops)
    assert repr(restored) == repr(source)  # repr: 1, 1.0 and True must not pass, nor another order
    assert (ops == {}) == identical


def test_order_is_recorded_only_for_objects_that_would_come_back_otherwise() -> None:
    assert "order" not in diff({"a": 1, "b": 2, "x": 5}, {"a": 1, "b": 2})
    assert "order" not in diff({"a": 1}, {"a": 2, "z": 0})
    assert diff({"o": {"y": 1, "x": 2}, "p": 0}, {"o": {"x": 2, "y": 1}, "p": 0}) == {
        "set": [], "unset": [], "order": [[["o"], ["y", "x"]]]
    }  # fmt: skip


def test_a_patch_written_without_order_still_restores_the_values() -> None:
    # Patches written before order was recorded hold only set and unset.
    restored = apply({"b": 2, "a": 1}, {"format": "native", "set": [[["c"], 3]], "unset": [["b"]]})
    assert restored == {"a": 1, "c": 3}


def compact(value: Any) -> bytes:
    """A record as feeds write it: one line, no spaces, characters as they are."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


OTHER = {"native": "activity", "activity": "native"}


def lossless_round_trip(line: bytes) -> bytes:
    fmt = decode(line).format
    there = Converter(OTHER[fmt], lossless=True).convert_raw(line).output
    assert there is not None
    back = Converter(fmt).convert_raw(there).output  # the patch alone restores
    assert back is not None
    return back


@pytest.mark.parametrize("name", ["native.json", "activity.json"])
def test_lossless_round_trips_of_golden_records_are_byte_identical(name: str) -> None:
    cases = [case for case in golden_cases() if (case / name).exists()]
    assert cases, "no golden corpus"
    compared = 0
    for case in cases:
        line = compact(load_json(case / name))
        if not has_other_form(line):
            continue  # a native drop or undrop: no form to carry a patch (counted, not written)
        assert lossless_round_trip(line) == line, case.name
        compared += 1
    assert compared >= len(cases) - 1


def has_other_form(line: bytes) -> bool:
    """Whether the other format has a form for the record: all but native drop and undrop."""
    fmt = decode(line).format
    converted = (to_activity(line) if fmt == "native" else to_native(line))
    assert converted.value is not None or converted.losses == ("no_activity_form",)
    return converted.value is not None


def test_a_source_whose_members_are_in_no_usual_order_comes_back_in_its_own() -> None:
    record = load_json(GOLDEN / "realistic_native" / "native.json")
    shuffled = dict(reversed(list(record.items())))
    shuffled["user"] = dict(sorted(record["user"].items()))
    line = compact(shuffled)
    assert lossless_round_trip(line) == line
    there = to_activity(line, lossless=True).to_dict()["xformat_lossless"]
    assert [[], list(shuffled)] in there["order"] and [["user"], sorted(record["user"])] in there["order"]


REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.mark.skipif(not REALDATA.is_dir(), reason=f"no real payloads at {REALDATA} (beside the project's checkout)")
def test_lossless_round_trips_of_real_records_are_byte_identical() -> None:
    compared = 0
    for path in sorted([*REALDATA.glob("native/*.jsonl"), *REALDATA.glob("activity-streams/*.jsonl")]):
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            try:
                if not line.strip() or decode(line).kind == "info":
                    continue
                back = lossless_round_trip(line)
            except RecordError:
                continue  # a record xformat rejects has no round trip; other tests cover rejects
            assert back == line, f"{path.name}:{number}"
            compared += 1
    assert compared > 100


def test_convert_lossless_there_and_back_gives_the_files_bytes(tmp_path: Path) -> None:
    lines = [compact(load_json(case / "native.json")) for case in golden_cases()]
    source = tmp_path / "feed.ndjson"
    source.write_bytes(b"\n".join(lines) + b"\n")
    runner = CliRunner()
    there = runner.invoke(main, ["convert", "--to", "activity-streams", "--lossless", str(source), "-o",
                                 str(tmp_path / "as.ndjson")])  # fmt: skip
    assert there.exit_code == 0, there.stderr
    back = runner.invoke(main, ["convert", "--to", "native", str(tmp_path / "as.ndjson"), "-o",
                                str(tmp_path / "back.ndjson")])  # fmt: skip
    assert back.exit_code == 0, back.stderr
    # A native drop has no Activity Streams form: counted, not written, so not back either.
    formed = [line for line in lines if has_other_form(line)]
    assert len(formed) == len(lines) - 1 and "1 without a form in the target format" in there.stderr
    assert (tmp_path / "back.ndjson").read_bytes() == b"\n".join(formed) + b"\n"
    assert msgspec.json.decode(lines[0])  # the file is records, not an empty one


@pytest.mark.parametrize("as_text", [False, True])
def test_the_library_keeps_what_raw_input_holds_beyond_its_struct(as_text: bool) -> None:
    # Raw bytes or text given to to_activity: the patch is computed against the record as written
    # (its unknown members, its order), not against the struct it decodes to.
    record = load_json(GOLDEN / "plain_post" / "native.json")
    record = {"flavour": "salty", **dict(reversed(list(record.items())))}
    line = compact(record)
    there = to_activity(line.decode() if as_text else line, lossless=True)
    assert Converter("native").convert_raw(there.json()).output == line


def test_order_is_applied_as_far_as_a_record_edited_since_allows() -> None:
    # Compliance removes embedded posts, and their patch entries, from converted records: the order
    # of what remains is restored, and a path that no longer leads anywhere is passed over.
    ops = {"set": [], "unset": [], "order": [[[], ["c", "gone", "a"]], [["gone"], ["y", "x"]], [["a", 0], ["q"]]]}
    restored = apply({"a": [5], "b": 1, "c": 2}, ops)
    assert list(restored) == ["c", "a", "b"] and restored == {"a": [5], "b": 1, "c": 2}
