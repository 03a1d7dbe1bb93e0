"""``xformat convert`` end to end: inputs, outputs, exit codes, one-line errors, the summary."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.conftest import golden_cases, load_json
from tests.feeds import INFO, activity_lines, native_lines, ndjson
from tests.samples import native_post
from xformat.cli import convert_cmd, main
from xformat.convert import to_activity
from xformat.records import Block, Reader, Record


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["convert", *args], input=input)


def parsed(data: bytes) -> list[object]:
    return [json.loads(line) for line in data.splitlines()]


def test_stdin_to_stdout_with_a_summary_on_stderr() -> None:
    result = xformat("--to", "activity-streams", input=ndjson(native_lines()) + b"\n" + INFO + b"\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == ndjson(activity_lines())
    assert "read 7 records in " in result.stderr
    assert "4 posts and 1 deletion converted, 1 info line, 1 keep-alive, 0 rejected" in result.stderr
    assert "losses applied (records): " in result.stderr and "unknown_fields 1" in result.stderr
    assert "unknown fields dropped (records): $.flavour 1" in result.stderr


def test_dash_is_stdin_and_mixed_formats_convert_both_ways(tmp_path: Path) -> None:
    mixed = ndjson(native_lines()[:2] + activity_lines()[2:])
    result = xformat("--to", "native", "-", "-o", str(tmp_path / "out.ndjson"), input=mixed)
    assert result.exit_code == 0, result.stderr
    natives = [json.loads(line) for line in ndjson(native_lines()).splitlines()]
    assert parsed((tmp_path / "out.ndjson").read_bytes())[:2] == natives[:2]  # copied unchanged
    assert "(2 already in the target format, copied)" in result.stderr


def test_lossless_round_trip_through_files(tmp_path: Path) -> None:
    source = tmp_path / "native.ndjson.bz2"
    source.write_bytes(bz2.compress(ndjson(native_lines())))
    there, back = tmp_path / "activity.ndjson.zst", tmp_path / "native.ndjson.xz"
    assert xformat("--to", "activity", str(source), "-o", str(there), "--lossless", "-q").exit_code == 0
    assert xformat("--to", "native", str(there), "-o", str(back), "-q").exit_code == 0
    assert parsed(xformat("--to", "native", str(back), "-q").stdout_bytes) == parsed(ndjson(native_lines()))


def test_rejects_go_to_stderr_first_then_are_counted(tmp_path: Path) -> None:
    bad = [b'{"id_str": %d}' % i for i in range(12)]
    result = xformat("--to", "activity", input=ndjson(native_lines()[:1] + bad))
    assert result.exit_code == 1
    shown = [line for line in result.stderr.splitlines() if line.startswith("rejected ")]
    assert len(shown) == 10 and shown[0] == "rejected -:2: expected a string, got an integer (at $.id_str)"
    assert "2 more rejects not shown: keep them all with --rejects PATH" in result.stderr
    assert len(result.stdout_bytes.splitlines()) == 1


def test_rejects_file_summary_json_and_exit_status(tmp_path: Path) -> None:
    source = tmp_path / "feed.ndjson.gz"
    source.write_bytes(gzip.compress(ndjson(native_lines()) + b'{"text": "\xff"}\n{"id_str"\n\n' + INFO + b"\n"))
    rejects, summary = tmp_path / "rejects.ndjson", tmp_path / "summary.json"
    result = xformat("--to", "activity", str(source), "-o", str(tmp_path / "out.ndjson"),
                     "--rejects", str(rejects), "--summary-json", str(summary))  # fmt: skip
    assert result.exit_code == 1
    assert [(r["line"], r.get("raw_encoding")) for r in map(json.loads, rejects.read_text().splitlines())] == [
        (6, "base64"), (7, None),
    ]  # fmt: skip
    report = json.loads(summary.read_text())
    parts = ("converted", "deletions", "info", "keepalives", "rejected")
    assert report["read"] == sum(report[k] for k in parts) == 9
    assert report["rejects_file"] == str(rejects) and report["outputs"] == [str(tmp_path / "out.ndjson")]
    assert f"rejects written to {rejects}" in result.stderr


def test_max_errors_stops_with_status_1_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.ndjson"
    result = xformat(
        "--to", "activity", "-o", str(out), "--max-errors", "1", input=b'{"a": 1}\n' + ndjson(native_lines())
    )
    assert result.exit_code == 1 and not out.exists()
    assert "stopped after 1 rejected records (--max-errors): no output written" in result.stderr


def test_strict_and_forced_source_format() -> None:
    strict = xformat("--to", "activity", "--strict", input=ndjson(native_lines()))
    assert strict.exit_code == 1 and "conversion would lose: retweet_counts" in strict.stderr
    forced = xformat("--to", "native", "--from", "native", input=ndjson(activity_lines()))
    assert forced.exit_code == 1 and "5 rejected" in forced.stderr


def test_domain_and_jobs(tmp_path: Path) -> None:
    data = ndjson(native_lines() * 300)
    one = xformat("--to", "activity", "--domain", "x.com", input=data)
    two = xformat("--to", "activity", "--domain", "x.com", "--jobs", "2", input=data)
    assert one.exit_code == two.exit_code == 0
    assert one.stdout_bytes == two.stdout_bytes
    assert b"tag:search.x.com,2005:" in one.stdout_bytes and b"twitter.com" not in one.stdout_bytes


def test_split_by_day_and_quiet(tmp_path: Path) -> None:
    result = xformat("--to", "activity", "--split-by", "day", "-o", str(tmp_path / "days"), "--quiet",
                     input=ndjson(native_lines()))  # fmt: skip
    assert result.exit_code == 0 and result.stderr == ""
    assert sorted(p.name for p in (tmp_path / "days").iterdir()) == ["2018-10-10.ndjson", "2018-10-11.ndjson"]


def test_a_record_longer_than_the_limit_is_rejected(tmp_path: Path) -> None:
    long = msgspec.json.encode(native_post(text="x" * 5000))
    result = xformat("--to", "activity", "--max-record-bytes", "4096", input=long + b"\n" + native_lines()[0] + b"\n")
    assert result.exit_code == 1 and "record longer than 4096 bytes" in result.stderr
    assert len(result.stdout_bytes.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "activity", "missing.ndjson"], "xformat convert: no such file or directory: missing.ndjson"),
        (["--to", "activity", "--split-by", "day"], "xformat convert: --split-by needs -o"),
        (["--to", "activity", "-o", "no/such/dir/out.ndjson"], "xformat convert: cannot write no/such/dir/out.ndjson"),
    ],
)
def test_usage_and_io_errors_are_one_line_with_status_2(args: list[str], message: str) -> None:
    result = xformat(*args, input=b"")
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_bad_options_are_usage_errors() -> None:
    assert xformat("--to", "html").exit_code == 2
    result = xformat("--to", "native", "--split-by", "week", "-o", "x")
    assert result.exit_code == 2 and "expected day, hour or a number of records per file" in result.stderr


def test_a_fifo_is_written_directly_and_a_symlink_is_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = xformat("--to", "activity", "-o", str(fifo), "-q", input=ndjson(native_lines()))
    reader.join(timeout=10)
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert got == [ndjson(activity_lines())]
    link, target = tmp_path / "latest.ndjson", tmp_path / "2018.ndjson"
    target.write_bytes(b"old\n")
    link.symlink_to(target.name)
    assert xformat("--to", "activity", "-o", str(link), "-q", input=ndjson(native_lines())).exit_code == 0
    assert link.is_symlink() and target.read_bytes() == ndjson(activity_lines())


def test_golden_cases_go_through_the_pipeline_unchanged(tmp_path: Path) -> None:
    """Whatever the container and the number of processes, each output line is what the library
    converter gives for that record."""
    natives = [load_json(case / "native.json") for case in golden_cases()]
    # A native drop or undrop has no Activity Streams form: counted, not written.
    expected = [converted.to_dict() for native in natives if (converted := to_activity(native)).value is not None]
    assert len(expected) < len(natives)
    source = tmp_path / "golden.json"
    source.write_text(json.dumps({"results": natives, "next": "x"}, indent=2, ensure_ascii=False))
    for jobs in ("1", "2"):
        result = xformat("--to", "activity", str(source), "--jobs", jobs, "-q")
        assert result.exit_code == 0
        assert parsed(result.stdout_bytes) == expected


def test_records_already_in_the_target_format_are_copied_on_one_line(tmp_path: Path) -> None:
    activities = [json.loads(line) for line in activity_lines()]
    source = tmp_path / "page.json"
    source.write_text(json.dumps({"results": activities}, indent=2))
    result = xformat("--to", "activity", str(source))
    assert result.exit_code == 0 and "(5 already in the target format, copied)" in result.stderr
    assert result.stdout_bytes.count(b"\n") == 5 and parsed(result.stdout_bytes) == activities


def test_ctrl_c_is_one_line_and_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Interrupted(Reader):
        def pieces(self) -> Iterator[Record | Block]:
            for n, piece in enumerate(super().pieces()):
                if n == 1:  # after a first block (about 1 MB) was written
                    raise KeyboardInterrupt
                yield piece

    monkeypatch.setattr(convert_cmd, "Reader", Interrupted)
    out = tmp_path / "out.ndjson"
    result = xformat("--to", "activity", "-o", str(out), input=ndjson(native_lines() * 300))
    assert result.exit_code == 130 and result.stderr == "xformat convert: interrupted: no output written\n"
    assert list(tmp_path.iterdir()) == []
