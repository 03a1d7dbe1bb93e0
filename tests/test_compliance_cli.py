"""``xformat comply`` end to end: files of both formats, results, the report, refusals, atomic output."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zstandard
from click.testing import CliRunner, Result

from tests.test_compliance import (
    INES,
    KOFI,
    SOL,
    deletion,
    lines,
    located,
    post,
    quote,
    retweet,
    scrub_event,
    user_event,
)
from xformat.cli import compliance_cmd, main


def xformat_comply(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["comply", *args], input=input)


def write(path: Path, raw: list[bytes], *, compress: bool = False) -> str:
    data = b"".join(line + b"\n" for line in raw)
    path.write_bytes(gzip.compress(data) if compress else data)
    return str(path)


def jsonl(path: Path, *items: dict[str, str]) -> str:
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """A native file and a gzipped activity file; post results and user results."""
    native = lines(
        [post("1", INES), retweet("2", SOL, post("3", KOFI)), located("4", SOL), deletion("5", INES["id_str"])],
        "native",
    )
    activity = lines([quote("6", INES, post("7", KOFI)), post("5", INES), located("8", SOL)], "activity")
    return {
        "native": write(tmp_path / "native.ndjson", native),
        "activity": write(tmp_path / "activity.ndjson.gz", activity, compress=True),
        "results": jsonl(tmp_path / "r.jsonl", {"id": "4", "action": "scrub_geo"}, {"id": "404", "reason": "deleted"}),
        "users": jsonl(tmp_path / "u.jsonl", {"id": KOFI["id_str"], "action": "delete", "reason": "suspended"}),
    }


def test_results_applied_to_both_formats_with_a_report(tmp_path: Path, files: dict[str, str]) -> None:
    out, report = tmp_path / "clean.ndjson.gz", tmp_path / "report.json"
    result = xformat_comply(
        files["native"], files["activity"], "--results", files["results"], "--users-results", files["users"],
        "-o", str(out), "--report", str(report),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in gzip.decompress(out.read_bytes()).splitlines()]
    assert [r.get("id_str") or r.get("id") for r in records] == [
        "1", "4", None, "tag:search.twitter.com,2005:6", "tag:search.twitter.com,2005:8",
    ]  # fmt: skip
    assert records[1]["place"] is None and "delete" in records[2]
    assert "twitter_quoted_status" not in records[3] and "location" in records[4]
    summary = json.loads(report.read_text())
    assert summary["removed_by_reason"] == {"deletion_notice": 1, "retweet_of_removed": 1}
    assert summary | {"removed_by_reason": None} == summary | {
        "read": 7, "kept": 4, "removed": 2, "removed_by_reason": None, "scrubbed": 1, "embedded_copies_removed": 1,
        "deletion_notices": 1, "info": 0, "keepalives": 0, "results_not_in_data": {"posts": 1, "users": 0},
        "inputs": [files["native"], files["activity"]], "output": str(out),
    }  # fmt: skip
    assert "read 7 records: 4 posts kept, 2 removed" in result.stderr
    assert "by a deletion notice in the data 1" in result.stderr
    assert "results not in the data: 1 post id, 0 user ids" in result.stderr


@pytest.mark.parametrize("with_results", [True, False], ids=["empty-results", "no-results"])
@pytest.mark.parametrize("fmt", ["native", "activity"])
def test_the_data_s_own_compliance_events_are_applied_and_reported(
    tmp_path: Path, fmt: str, with_results: bool
) -> None:
    """A stream's own notices and events are enough to comply by: no results file is needed."""
    data = lines([post("31", INES), located("32", KOFI), user_event("user_delete", INES["id_str"]),
                  scrub_event(KOFI["id_str"], "32"), user_event("user_unprotect", SOL["id_str"])], fmt)  # fmt: skip
    out, report = tmp_path / "out.ndjson", tmp_path / "report.json"
    named = ["--results", jsonl(tmp_path / "results.jsonl")] if with_results else []
    result = xformat_comply(write(tmp_path / "in.ndjson", data), *named, "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().splitlines()[1:] == data[2:]  # the events pass through
    summary = json.loads(report.read_text())
    assert (summary["removed_by_reason"], summary["scrubbed"], summary["compliance_events"]) == (
        {"user_delete": 1}, 1, 3
    )
    assert summary["undo_events"] == {"user_unprotect (nothing to undo)": 1}
    assert "by a user_delete event in the data 1" in result.stderr


def test_an_event_that_cannot_be_applied_writes_nothing(tmp_path: Path) -> None:
    event = {"verb": "scrub_geo", "target": {"up_to_id": "tag:search.twitter.com,2005:41"}}  # no account
    out = tmp_path / "out.ndjson"
    data = write(tmp_path / "in.ndjson", [json.dumps(event).encode()])
    result = xformat_comply(data, "--results", jsonl(tmp_path / "r.jsonl"), "-o", str(out))
    assert result.exit_code == 1 and "cannot be applied" in result.stderr and "in.ndjson:1" in result.stderr
    assert not out.exists()


def only(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_malformed_results_fail_before_any_output(tmp_path: Path, files: dict[str, str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "reason": "deleted"}\n{"id": "2", "reason": "gone"}\nnot json\n')
    out = tmp_path / "clean.ndjson"
    result = xformat_comply(files["native"], "--results", str(bad), "--results", files["results"], "-o", str(out))
    assert result.exit_code == 2
    assert "2 malformed result lines; nothing applied" in result.stderr
    assert f"{bad}:2: unknown reason 'gone'" in result.stderr and f"{bad}:3: " in result.stderr
    assert not out.exists() and "clean.ndjson" not in " ".join(only(tmp_path))


def test_undecodable_records_fail_without_output(tmp_path: Path, files: dict[str, str]) -> None:
    broken = write(tmp_path / "broken.ndjson", [*lines([post("1", INES)], "native"), b'{"created_at": 3}'])
    out = tmp_path / "clean.ndjson"
    out.write_bytes(b"earlier\n")
    result = xformat_comply(broken, files["native"], "--results", files["results"], "-o", str(out))
    assert result.exit_code == 1
    assert f"1 input record could not be decoded:\n  {broken}:2: " in result.stderr
    assert out.read_bytes() == b"earlier\n" and not any(name.endswith(".part") for name in only(tmp_path))


def test_an_interrupted_run_leaves_no_output(
    tmp_path: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any) -> Iterator[bytes]:
        yield b"{}"
        raise KeyboardInterrupt

    monkeypatch.setattr(compliance_cmd, "apply", interrupted)
    out = tmp_path / "clean.ndjson"
    result = xformat_comply(files["native"], "--results", files["results"], "-o", str(out))
    assert result.exit_code != 0 and not out.exists()
    assert not any(name.endswith(".part") for name in only(tmp_path))


def test_the_output_is_never_an_input(tmp_path: Path, files: dict[str, str]) -> None:
    before = Path(files["native"]).read_bytes()
    for args in ([files["native"]], [str(tmp_path)]):  # named, or found in a directory named
        result = xformat_comply(*args, "--results", files["results"], "-o", files["native"])
        assert result.exit_code == 2 and "inputs are never modified in place" in result.stderr
    results = xformat_comply(files["native"], "--results", files["results"], "-o", files["results"])
    assert results.exit_code == 2
    assert Path(files["native"]).read_bytes() == before


def test_refusals_and_notes(tmp_path: Path, files: dict[str, str]) -> None:
    out = str(tmp_path / "clean.ndjson")
    copy = tmp_path / "copy.ndjson"
    nothing = xformat_comply(files["activity"], "-o", str(copy))  # no results, and no notice or event in the data
    assert nothing.exit_code == 0 and "nothing was applied" in nothing.stderr
    assert copy.read_bytes() == gzip.decompress(Path(files["activity"]).read_bytes())
    stdin = xformat_comply("-", "--results", files["results"], "-o", out, input=b"")
    assert stdin.exit_code == 2 and "reads its inputs twice" in stdin.stderr
    missing = xformat_comply(str(tmp_path / "nope.ndjson"), "--results", files["results"], "-o", out)
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr
    assert not Path(out).exists()


def test_a_search_page_comes_out_as_ndjson(tmp_path: Path, files: dict[str, str]) -> None:
    results = [json.loads(line) for line in lines([post("1", INES), located("4", SOL)], "activity")]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"results": results, "next": "abc"}, indent=2))
    out = tmp_path / "clean.ndjson"
    result = xformat_comply(str(page), "--results", files["results"], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = out.read_bytes().splitlines()
    assert len(written) == 2 and json.loads(written[0]) == results[0]
    assert "location" not in json.loads(written[1]) and "geo" not in json.loads(written[1])


@pytest.mark.parametrize("kind", ["gz", "xz", "bz2", "zst"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_results_file_applies_nothing(
    tmp_path: Path, files: dict[str, str], kind: str, keep: float
) -> None:
    """Part of the results applied would look like all of them: a results file that cannot be
    read to its end stops the run (exit 2, the file and why) before anything is written. A cut
    zstd file once read as complete (nothing removed, exit 0); the others ended in `Aborted!`."""
    text = "".join(json.dumps({"id": str(n), "reason": "deleted"}) + "\n" for n in range(3000)).encode()
    packed = {"gz": gzip.compress, "xz": lzma.compress, "bz2": bz2.compress, "zst": zstd_compress}[kind](text)
    cut = tmp_path / f"results.jsonl.{kind}"
    cut.write_bytes(packed[: int(len(packed) * keep)])
    out = tmp_path / "clean.ndjson"
    result = xformat_comply(files["native"], "--results", str(cut), "-o", str(out))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"xformat comply: {cut}: cannot read the results to their end (")
    assert "nothing applied" in result.stderr and "Aborted" not in result.stderr
    assert not out.exists() and not any(name.endswith(".part") for name in only(tmp_path))


def zstd_compress(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


INFO_LINE = {"info": {"message": "Replay Request Completed", "sent": "2018-10-12T00:00:00+00:00", "activity_count": 3}}


def test_the_info_line_counts_the_activities_kept(tmp_path: Path) -> None:
    """A Historical PowerTrack file closes with the number of activities it holds: after posts
    leave, it says how many stay. Files joined end to end each keep their own count; a count
    that is still right is left as it was, byte for byte."""
    part = [post("1", INES), post("2", SOL), retweet("3", SOL, post("1", INES))]
    info = json.dumps(INFO_LINE).encode()
    data = [*lines(part, "activity"), info, *lines(part[1:2], "activity"), info.replace(b": 3", b": 1")]
    source = write(tmp_path / "hpt.json", data)
    results = jsonl(tmp_path / "r.jsonl", {"id": "1", "reason": "deleted"})
    out = tmp_path / "clean.ndjson"
    result = xformat_comply(source, "--results", results, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = out.read_bytes().splitlines()
    assert len(written) == 4
    assert json.loads(written[1]) == {"info": {**INFO_LINE["info"], "activity_count": 1}}  # 3 read, 2 removed
    assert written[3] == data[5]  # 1 read, 1 kept: unchanged


def test_a_pipe_is_refused_since_comply_reads_its_inputs_twice(tmp_path: Path, files: dict[str, str]) -> None:
    read_end, write_end = os.pipe()
    os.close(write_end)
    try:
        result = xformat_comply(f"/dev/fd/{read_end}", "--results", files["results"], "-o", str(tmp_path / "o.ndjson"))
    finally:
        os.close(read_end)
    assert result.exit_code == 2 and "not a file that can be read twice" in result.stderr
